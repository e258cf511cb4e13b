import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * SQL the API process runs on its own while a test counts a request's statements: the tally compactor's turn, the
 * outbox relay's polls and retries, its batch lock included (the test APIs point at no Temporal, so every START row is
 * retried on a backoff), the feed's horizon and catch-up reads, and transaction brackets. A statement-count test filters these out so it
 * counts the request's own statements only.
 */
const BACKGROUND =
  /case_tally|case_statistics\(\)|workflow[_-]outbox|pg_try_advisory_xact_lock|from case_event where id >|max\(id\)::text as max from case_event|^(begin|commit|rollback)$/i;

export function isBackgroundStatement(sql: string): boolean {
  return BACKGROUND.test(sql);
}

/** The statements a request ran, without the process's background work. */
export function requestStatements(statements: readonly string[]): string[] {
  return statements.filter((sql) => !isBackgroundStatement(sql));
}

/**
 * Asserts a list reads in a number of statements that does not grow with its page. Not the same count for each page:
 * the loaders' batches of agencies and regions, asked for from different database replies, split by which reply lands
 * first (one statement at most per distinct key, the same few keys on every page), so a count moves by one or two
 * between runs on a loaded machine. The bound is under the larger page's size, so an N+1 would break it.
 */
export function expectBoundedStatements(countsByPageSize: Record<number, number>, bound: number): void {
  const sizes = Object.keys(countsByPageSize).map(Number);
  if (bound >= Math.max(...sizes))
    throw new Error(`a bound of ${bound} statements would not catch an N+1 on pages of ${sizes.join(' and ')}`);
  const over = sizes.filter((size) => countsByPageSize[size]! > bound).map((size) => `${countsByPageSize[size]} for ${size}`);
  expect(over).toEqual([]);
}

const caller = new AsyncLocalStorage<object>();

/**
 * The statements `work` sends through `connection`, and only those: the connection is the process's, shared with its
 * background loops, so a spy on it alone also counts whatever a timer ran meanwhile. A statement is `work`'s when it is
 * sent from `work`'s asynchronous context (a loader's batch included: it runs on from the load that queued it).
 */
export async function statementsOf<T>(connection: object, work: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  const target = connection as { execute: (...args: unknown[]) => Promise<unknown> };
  const execute = target.execute;
  const mine = {};
  const statements: string[] = [];
  const spy = jest.spyOn(target, 'execute').mockImplementation(function (this: unknown, ...args: unknown[]) {
    if (caller.getStore() === mine) statements.push(String(args[0]));
    return execute.apply(this, args);
  });
  try {
    return { result: await caller.run(mine, work), statements };
  } finally {
    spy.mockRestore();
  }
}
