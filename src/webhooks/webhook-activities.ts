import type { Orm } from '../db/database';
import type { Logger } from '../logger';
import { signWebhook } from './webhook-signature';

interface DeliveryRow {
  id: string;
  status: string;
  url: string;
  secret: string;
  event_type: string;
  seq: number;
  at: Date;
  payload: Record<string, unknown>;
  case_number: string;
  channel_ref: string | null;
}

/**
 * The webhook delivery workflow's activities. `sendWebhook` makes one attempt and records it; Temporal retries it
 * with backoff until the give-up time, across worker restarts. A delivery already DELIVERED or PARKED is not sent
 * again by a retry (a receiver still dedupes on X-Anxin-Delivery: a reply lost in transit means a second POST).
 */
export function createWebhookActivities(deps: { orm: Orm; log: Logger }) {
  const conn = () => deps.orm.em.getConnection();
  const nextPending = async (endpointId: string, caseId: string): Promise<{ id: string } | null> => {
    const rows = await conn().execute<Array<{ id: string }>>(
      `select id::text as id from webhook_delivery where endpoint_id = ? and case_id = ? and status = 'PENDING' order by event_id limit 1`,
      [endpointId, caseId],
    );
    return rows[0] ?? null;
  };
  return {
    async nextWebhookDelivery(input: { endpointId: string; caseId: string }): Promise<{ id: string } | null> {
      return nextPending(input.endpointId, input.caseId);
    },

    /**
     * With the endpoint and case, it also answers the case's next pending delivery, so the workflow needs one
     * activity per delivery, not two (older workflow runs ask `nextWebhookDelivery` themselves).
     */
    async sendWebhook(input: { deliveryId: string; endpointId?: string; caseId?: string }): Promise<{ sent: boolean; next?: { id: string } | null }> {
      const following = async () => (input.endpointId && input.caseId ? { next: await nextPending(input.endpointId, input.caseId) } : {});
      const [d] = await conn().execute<DeliveryRow[]>(
        `select d.id::text as id, d.status, ep.url, ep.secret, e.type as event_type, e.seq, e.at, e.payload, c.number as case_number, c.channel_ref
           from webhook_delivery d join webhook_endpoint ep on ep.id = d.endpoint_id join case_event e on e.id = d.event_id join wage_case c on c.id = d.case_id
          where d.id = ?`,
        [input.deliveryId],
      );
      if (!d || d.status !== 'PENDING') return { sent: false, ...(await following()) };
      const body = JSON.stringify({ deliveryId: d.id, caseNumber: d.case_number, channelRef: d.channel_ref, event: { seq: d.seq, type: d.event_type, at: new Date(d.at).toISOString(), payload: d.payload } });
      const timestamp = Math.floor(Date.now() / 1000);
      let statusCode: number | null = null;
      let error: string | null = null;
      try {
        const res = await fetch(d.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-anxin-delivery': d.id, 'x-anxin-event': d.event_type, 'x-anxin-timestamp': String(timestamp), 'x-anxin-signature': signWebhook(d.secret, timestamp, body) },
          body,
          signal: AbortSignal.timeout(10_000),
        });
        statusCode = res.status;
        if (!res.ok) error = `endpoint answered ${res.status}`;
      } catch (err) {
        error = (err as Error).message;
      }
      await conn().execute(`insert into webhook_attempt (delivery_id, status_code, error) values (?, ?, ?)`, [d.id, statusCode, error]);
      if (error) {
        await conn().execute(`update webhook_delivery set attempts = attempts + 1, last_error = ? where id = ?`, [error, d.id]);
        throw new Error(`webhook delivery ${d.id}: ${error}`); // Temporal retries with backoff
      }
      await conn().execute(`update webhook_delivery set attempts = attempts + 1, last_error = null, status = 'DELIVERED', delivered_at = now() where id = ? and status = 'PENDING'`, [d.id]);
      return { sent: true, ...(await following()) };
    },

    async parkWebhook(input: { deliveryId: string; reason: string }): Promise<void> {
      await conn().execute(`update webhook_delivery set status = 'PARKED', last_error = ? where id = ? and status = 'PENDING'`, [input.reason.slice(0, 2000), input.deliveryId]);
      deps.log.warn({ deliveryId: input.deliveryId, reason: input.reason }, 'webhook delivery parked after its give-up time');
    },
  };
}

export type WebhookActivities = ReturnType<typeof createWebhookActivities>;
