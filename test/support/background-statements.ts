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
