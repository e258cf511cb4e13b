import { createSourceEventStream, execute, type ExecutionArgs, type ExecutionResult } from 'graphql';
import type { ExecutionContext } from '../core/execution-context';

/**
 * graphql-js executes a subscription's document once per event per subscriber. For the case feed, a thousand
 * subscribers of one agency asking the same document receive the same bytes for each entry, so the execution is
 * shared: the response to an entry is computed once per (document, variables, caller's scope) and handed to all.
 *
 * Sharing is sound because what a subscriber may see is decided in its source stream (the feed's SQL) and the
 * response depends only on the entry, the document and the caller's agency, kind and roles (the same inputs the
 * policy uses; a user id is not one of them). Each subscriber keeps its own source stream, cursor and socket.
 */
export function sharedSubscriptionExecution(
  opts: { keepMs?: number } = {},
): (args: ExecutionArgs) => Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  const keepMs = opts.keepMs ?? 1_000;
  const results = new Map<string, Promise<ExecutionResult>>();

  const shared = (key: string, run: () => Promise<ExecutionResult>): Promise<ExecutionResult> => {
    let p = results.get(key);
    if (!p) {
      p = run();
      results.set(key, p);
      // Kept a moment after it settles, for the subscribers still on their way to the same entry.
      const forget = () => setTimeout(() => results.delete(key), keepMs).unref();
      p.then(forget, forget);
    }
    return p;
  };

  return async (args: ExecutionArgs) => {
    const source = await createSourceEventStream(args);
    if (!isAsyncIterable(source)) return source; // refused at subscribe time: the errors go back as they are
    const group = groupKey(args);
    const respond = (event: unknown): Promise<ExecutionResult> => {
      const run = () => Promise.resolve(execute({ ...args, rootValue: event }));
      const id = eventId(event);
      return group !== undefined && id !== undefined ? shared(`${group}\u0000${id}`, run) : run();
    };
    // Not an async generator: its return() would wait for the source's next event; this one ends the source now.
    const events = source[Symbol.asyncIterator]();
    const responses: AsyncIterableIterator<ExecutionResult> = {
      async next() {
        const r = await events.next();
        return r.done ? { done: true, value: undefined } : { done: false, value: await respond(r.value) };
      },
      async return() {
        await events.return?.();
        return { done: true, value: undefined };
      },
      async throw(err: unknown) {
        await events.return?.();
        throw err;
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
    return responses;
  };
}

function groupKey(args: ExecutionArgs): string | undefined {
  const text = args.document.loc?.source.body;
  const actor = (args.contextValue as ExecutionContext | undefined)?.actor;
  if (text === undefined || !actor) return undefined;
  return JSON.stringify([
    text,
    args.operationName ?? null,
    args.variableValues ?? null,
    actor.agencyId,
    actor.agencyKind ?? null,
    [...(actor.roles ?? [])].sort(),
  ]);
}

function eventId(event: unknown): string | undefined {
  const id = (event as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id : undefined;
}

function isAsyncIterable(x: unknown): x is AsyncIterable<unknown> {
  return typeof (x as AsyncIterable<unknown> | null)?.[Symbol.asyncIterator] === 'function';
}
