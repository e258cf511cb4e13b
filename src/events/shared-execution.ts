import { createSourceEventStream, execute, type ExecutionArgs, type ExecutionResult } from 'graphql';
import type { ExecutionContext } from '../core/execution-context';
import type { FeedEntry, FeedSink } from './case-event-feed';
import { FrameChannel, FrameSink, graphqlWsNextPayload, type FrameSocket, type NextPayload } from './direct-delivery';

/** The subscribe function graphql-ws runs, and where the transport tells it a subscription's socket and id. */
export interface SharedSubscriptionExecution {
  (args: ExecutionArgs): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult>;
  /**
   * The subscription whose execution gets `contextValue` writes its live entries straight to `socket` as
   * graphql-ws `next` messages with this `id` (see direct-delivery.ts), when its source is the case feed.
   */
  directTo(contextValue: object, socket: FrameSocket, id: string): void;
}

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
  opts: {
    keepMs?: number;
    /** The `next` payload graphql-ws would send for a result (its `onNext` hook's, or its own): for direct sends. */
    nextPayload?: NextPayload;
  } = {},
): SharedSubscriptionExecution {
  const keepMs = opts.keepMs ?? 1_000;
  const nextPayload = opts.nextPayload ?? graphqlWsNextPayload;
  const results = new Map<string, Promise<ExecutionResult>>();
  const targets = new WeakMap<object, { socket: FrameSocket; id: string }>();
  /**
   * Direct-delivery channels by (execution group, feed rows): their members are sent the same bytes for an entry.
   * The rows are part of the key although the feed already groups by them: a channel renders each entry once, so
   * members of two feed groups must never share one (a regulator must not be sent an inspector's unmasked entry).
   */
  const channels = new Map<string, FrameChannel>();

  /** Gives `source` a direct sink if the transport named a socket for it; returns what undoes it. */
  const attachDirect = (args: ExecutionArgs, group: string | undefined, source: unknown): (() => void) | undefined => {
    const target = args.contextValue ? targets.get(args.contextValue as object) : undefined;
    if (group === undefined || !target || !isDirectSource(source)) return undefined;
    const key = `${group}\u0000${source.rowsKey}`;
    let channel = channels.get(key);
    if (!channel) {
      const run = (entry: FeedEntry) => execute({ ...args, rootValue: entry });
      channel = new FrameChannel(run, nextPayload);
      channels.set(key, channel);
    }
    channel.members++;
    source.attach(new FrameSink(channel, target.socket, target.id));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (--channel.members === 0 && channels.get(key) === channel) channels.delete(key);
    };
  };

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

  const subscribe = async (args: ExecutionArgs) => {
    const source = await createSourceEventStream(args);
    if (!isAsyncIterable(source)) return source; // refused at subscribe time: the errors go back as they are
    const group = groupKey(args);
    const release = attachDirect(args, group, source);
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
        if (r.done) release?.();
        return r.done ? { done: true, value: undefined } : { done: false, value: await respond(r.value) };
      },
      async return() {
        release?.();
        await events.return?.();
        return { done: true, value: undefined };
      },
      async throw(err: unknown) {
        release?.();
        await events.return?.();
        throw err;
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
    return responses;
  };
  return Object.assign(subscribe, {
    directTo: (contextValue: object, socket: FrameSocket, id: string) => void targets.set(contextValue, { socket, id }),
  });
}

/** The case feed's subscription (FeedSubscription), which can hand live entries to a sink. */
function isDirectSource(x: unknown): x is { rowsKey: string; attach(sink: FeedSink): void } {
  const s = x as { rowsKey?: unknown; attach?: unknown } | null;
  return typeof s?.attach === 'function' && typeof s.rowsKey === 'string';
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
