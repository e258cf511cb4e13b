import type { Orm } from '../db/database';
import type { Backlog } from '../outbox/outbox-backlog';

/**
 * Webhook deliveries not yet made (PENDING; PARKED ones are given up on and not counted) for the metrics scrape:
 * one statement over the partial index of pending deliveries (`webhook_delivery_pending_idx`).
 */
export async function webhookBacklog(orm: Orm): Promise<Backlog> {
  const [row] = await orm.em.getConnection().execute<Array<{ pending: string; age: number | null }>>(
    `select count(*)::text as pending, extract(epoch from now() - min(created_at))::float8 as age
         from webhook_delivery where status = 'PENDING'`,
  );
  return { pending: Number(row?.pending ?? 0), oldestAgeSeconds: Math.max(0, row?.age ?? 0) };
}
