import type { Orm } from '../db/database';

export interface Backlog {
  /** Rows waiting. */
  pending: number;
  /** Seconds since the oldest waiting row was written; 0 when none waits. */
  oldestAgeSeconds: number;
}

/**
 * The workflow outbox's backlog for the metrics scrape: one statement over the partial index of undelivered rows
 * (`workflow_outbox_pending_idx`), so a scrape costs the backlog's size, never the table's.
 */
export async function outboxBacklog(orm: Orm): Promise<Backlog> {
  const [row] = await orm.em.getConnection().execute<Array<{ pending: string; age: number | null }>>(
    `select count(*)::text as pending, extract(epoch from now() - min(created_at))::float8 as age
         from workflow_outbox where delivered_at is null`,
  );
  return { pending: Number(row?.pending ?? 0), oldestAgeSeconds: Math.max(0, row?.age ?? 0) };
}
