import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../api/context';
import { badUserInput, forbidden, notFound } from '../api/errors';
import { signedIn } from '../auth/policy';

export interface WebhookEndpointRow {
  id: string;
  channel: string;
  url: string;
  give_up_seconds: number;
  active: boolean;
  created_at: Date;
}

export interface WebhookDeliveryRow {
  id: string;
  endpoint_id: string;
  case_id: string;
  case_number: string;
  event_type: string;
  seq: number;
  status: string;
  attempts: number;
  last_error: string | null;
  created_at: Date;
  delivered_at: Date | null;
}

export interface WebhookAttemptRow {
  id: string;
  delivery_id: string;
  at: Date;
  status_code: number | null;
  error: string | null;
}

/**
 * Integrators' webhook endpoints and what was delivered to them. An integrator registers for its own channel
 * and sees its own deliveries; labour inspection's directors administer all of them (and may replay one).
 */
export class WebhookService {
  async register(ctx: RequestContext, input: { url: string; secret: string; giveUpAfterSeconds?: number | null }): Promise<WebhookEndpointRow> {
    const actor = signedIn(ctx);
    if (actor.agencyKind !== 'INTEGRATOR') throw forbidden('webhooks are registered by an integrator, for its own channel');
    const [agency] = await ctx.em.getConnection().execute<Array<{ channel: string | null }>>(`select channel from agency where id = ?`, [actor.agencyId]);
    if (!agency?.channel) throw forbidden('this integrator has no channel of its own');
    let url: URL;
    try {
      url = new URL(input.url);
    } catch {
      throw badUserInput('input.url', 'url', 'must be an absolute http(s) URL');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw badUserInput('input.url', 'url', 'must be an absolute http(s) URL');
    if (input.secret.length < 32) throw badUserInput('input.secret', 'minLength', 'must be at least 32 characters');
    const giveUp = input.giveUpAfterSeconds ?? 86_400;
    if (!Number.isInteger(giveUp) || giveUp < 1 || giveUp > 30 * 86_400) throw badUserInput('input.giveUpAfterSeconds', 'range', 'must be between 1 second and 30 days');
    const [row] = await ctx.em.getConnection().execute<WebhookEndpointRow[]>(
      `insert into webhook_endpoint (id, agency_id, channel, url, secret, give_up_seconds) values (?, ?, ?, ?, ?, ?) returning id, channel, url, give_up_seconds, active, created_at`,
      [randomUUID(), actor.agencyId, agency.channel, url.toString(), input.secret, giveUp],
    );
    return row!;
  }

  /** Deliveries the caller may see: an integrator's own, or all for a director of labour inspection. */
  async deliveries(ctx: RequestContext, opts: { status?: string | null; first: number }): Promise<WebhookDeliveryRow[]> {
    const scope = this.scope(ctx);
    return ctx.em.getConnection().execute<WebhookDeliveryRow[]>(
      `select d.id::text as id, d.endpoint_id, d.case_id, c.number as case_number, e.type as event_type, e.seq, d.status, d.attempts, d.last_error, d.created_at, d.delivered_at
         from webhook_delivery d join webhook_endpoint ep on ep.id = d.endpoint_id join case_event e on e.id = d.event_id join wage_case c on c.id = d.case_id
        where ${scope.sql} ${opts.status ? 'and d.status = ?' : ''} order by d.id desc limit ?`,
      [...scope.params, ...(opts.status ? [opts.status] : []), opts.first],
    );
  }

  /** Sends a delivery again (after the receiver was fixed, say): back to PENDING, and its workflow is woken. */
  async replay(ctx: RequestContext, deliveryId: string): Promise<WebhookDeliveryRow> {
    const scope = this.scope(ctx);
    if (!/^\d{1,18}$/.test(deliveryId)) throw notFound('webhook delivery', deliveryId);
    await ctx.em.transactional(async (em) => {
      const conn = em.getConnection();
      const trx = em.getTransactionContext();
      const [d] = await conn.execute<Array<{ endpoint_id: string; case_id: string; give_up_seconds: number }>>(
        `select d.endpoint_id, d.case_id, ep.give_up_seconds from webhook_delivery d join webhook_endpoint ep on ep.id = d.endpoint_id where d.id = ? and ${scope.sql} for update of d`,
        [deliveryId, ...scope.params],
        'all',
        trx,
      );
      if (!d) throw notFound('webhook delivery', deliveryId);
      await conn.execute(`update webhook_delivery set status = 'PENDING', last_error = null where id = ?`, [deliveryId], 'run', trx);
      await conn.execute(
        `insert into workflow_outbox (action, workflow_type, workflow_id, signal_name, args) values ('SIGNAL_WITH_START', 'webhookDelivery', ?, 'deliveriesPending', ?::jsonb)`,
        [`webhook-${d.endpoint_id}-${d.case_id}`, JSON.stringify([{ endpointId: d.endpoint_id, caseId: d.case_id, giveUpAfter: `${d.give_up_seconds}s` }])],
        'run',
        trx,
      );
    });
    ctx.services.outboxNudge();
    const rows = await this.deliveries(ctx, { first: 1_000 });
    return rows.find((r) => r.id === deliveryId)!;
  }

  private scope(ctx: RequestContext): { sql: string; params: unknown[] } {
    const actor = signedIn(ctx);
    if (actor.agencyKind === 'INTEGRATOR') return { sql: 'ep.agency_id = ?', params: [actor.agencyId] };
    if (actor.agencyKind === 'HRSS_INSPECTION' && actor.roles.includes('DIRECTOR')) return { sql: 'true', params: [] };
    throw forbidden('webhook deliveries are for their integrator and for the directors of labour inspection');
  }
}
