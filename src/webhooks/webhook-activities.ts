import type { Orm } from '../db/database';
import { entryPayloadFor } from '../events/case-entry-view';
import type { AgencyKind } from '../agencies/agency.entity';
import type { Logger } from '../logger';
import { postWebhook } from './webhook-sender';
import { signWebhook } from './webhook-signature';
import type { WebhookTargetPolicy } from './webhook-targets';

interface DeliveryRow {
  id: string;
  status: string;
  url: string;
  secret: string;
  active: boolean;
  agency_kind: AgencyKind;
  visible: boolean;
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
export function createWebhookActivities(deps: { orm: Orm; log: Logger; services: { webhooks: { targets: WebhookTargetPolicy } } }) {
  const conn = () => deps.orm.em.getConnection();
  const nextPending = async (endpointId: string, caseId: string): Promise<{ id: string } | null> => {
    const rows = await conn().execute<Array<{ id: string }>>(
      `select id::text as id from webhook_delivery where endpoint_id = ? and case_id = ? and status = 'PENDING' order by event_id limit 1`,
      [endpointId, caseId],
    );
    return rows[0] ?? null;
  };
  /** Parks a delivery that must not be sent, with the reason's code. */
  const withhold = (id: string, code: 'endpoint-deactivated' | 'not-visible') =>
    conn().execute(`update webhook_delivery set status = 'PARKED', last_error = ? where id = ? and status = 'PENDING'`, [code, id]);
  return {
    async nextWebhookDelivery(input: { endpointId: string; caseId: string }): Promise<{ id: string } | null> {
      return nextPending(input.endpointId, input.caseId);
    },

    /**
     * With the endpoint and case, it also answers the case's next pending delivery, so the workflow needs one
     * activity per delivery, not two (older workflow runs ask `nextWebhookDelivery` themselves).
     */
    async sendWebhook(input: {
      deliveryId: string;
      endpointId?: string;
      caseId?: string;
    }): Promise<{ sent: boolean; next?: { id: string } | null }> {
      const following = async () => (input.endpointId && input.caseId ? { next: await nextPending(input.endpointId, input.caseId) } : {});
      // Visibility is decided again at send time by the same rule as the trigger's (a delivery made before the rule,
      // or a process the integrator no longer may see, is withheld).
      const [d] = await conn().execute<DeliveryRow[]>(
        `select d.id::text as id, d.status, ep.url, ep.secret, ep.active, a.kind as agency_kind, case_entry_visible_to(ep.agency_id, e.payload) as visible,
                e.type as event_type, e.seq, e.at, e.payload, c.number as case_number, c.channel_ref
           from webhook_delivery d join webhook_endpoint ep on ep.id = d.endpoint_id join agency a on a.id = ep.agency_id
           join case_event e on e.id = d.event_id join wage_case c on c.id = d.case_id
          where d.id = ?`,
        [input.deliveryId],
      );
      if (!d || d.status !== 'PENDING') return { sent: false, ...(await following()) };
      if (!d.active || !d.visible) {
        await withhold(d.id, d.active ? 'not-visible' : 'endpoint-deactivated');
        return { sent: false, ...(await following()) };
      }
      // The entry as the integrator reads it through `case { events }`: same entry, same masking.
      const payload = entryPayloadFor({ agencyKind: d.agency_kind }, d.payload);
      const body = JSON.stringify({
        deliveryId: d.id,
        caseNumber: d.case_number,
        channelRef: d.channel_ref,
        event: { seq: d.seq, type: d.event_type, at: new Date(d.at).toISOString(), payload },
      });
      const timestamp = Math.floor(Date.now() / 1000);
      const headers = {
        'content-type': 'application/json',
        'x-anxin-delivery': d.id,
        'x-anxin-event': d.event_type,
        'x-anxin-timestamp': String(timestamp),
        'x-anxin-signature': signWebhook(d.secret, timestamp, body),
      };
      const result = await postWebhook(d.url, headers, body, deps.services.webhooks.targets);
      const error = result.ok ? null : result.error;
      await conn().execute(`insert into webhook_attempt (delivery_id, status_code, error) values (?, ?, ?)`, [
        d.id,
        result.statusCode,
        error,
      ]);
      if (error) {
        await conn().execute(`update webhook_delivery set attempts = attempts + 1, last_error = ? where id = ?`, [error, d.id]);
        throw new Error(`webhook delivery ${d.id}: ${error}`); // Temporal retries with backoff
      }
      await conn().execute(
        `update webhook_delivery set attempts = attempts + 1, last_error = null, status = 'DELIVERED', delivered_at = now() where id = ? and status = 'PENDING'`,
        [d.id],
      );
      return { sent: true, ...(await following()) };
    },

    /** After the give-up time: parked, keeping the last attempt's error code (the workflow's reason is only logged). */
    async parkWebhook(input: { deliveryId: string; reason: string }): Promise<void> {
      await conn().execute(
        `update webhook_delivery set status = 'PARKED', last_error = coalesce(last_error, 'gave-up') where id = ? and status = 'PENDING'`,
        [input.deliveryId],
      );
      deps.log.warn({ deliveryId: input.deliveryId, reason: input.reason }, 'webhook delivery parked after its give-up time');
    },
  };
}

export type WebhookActivities = ReturnType<typeof createWebhookActivities>;
