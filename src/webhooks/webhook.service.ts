import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { toDate } from './webhook-rows';
import { noOutboxNotifier, type ExecutionContext, type OutboxNotifier } from '../core/execution-context';
import { badUserInput, conflict, forbidden, notFound } from '../domain/errors';
import { authorizeWebhookEndpoints } from '../auth/access';
import { webhookDeliveryScope } from '../policy/case-scope';
import { enqueueWorkflowSignalWithStart } from '../outbox/outbox';
import { deliveriesPendingSignal, webhookDelivery } from '../../workflows/webhook-delivery';
import { literalAddress, type WebhookTargetPolicy } from './webhook-targets';

export interface WebhookEndpointRow {
  id: string;
  channel: string;
  url: string;
  give_up_seconds: number;
  active: boolean;
  created_at: Date;
  deactivated_at: Date | null;
  secret_rotated_at: Date | null;
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

const ENDPOINT_COLUMNS = 'id, channel, url, give_up_seconds, active, created_at, deactivated_at, secret_rotated_at';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Timestamps come back from raw SQL as text (MikroORM leaves timestamptz unparsed for its own types); a row
 * handed to GraphQL carries Dates, or the DateTime scalar refuses it after the work is done.
 */
function endpointRow(r: WebhookEndpointRow): WebhookEndpointRow {
  return {
    ...r,
    created_at: toDate(r.created_at),
    deactivated_at: toDate(r.deactivated_at),
    secret_rotated_at: toDate(r.secret_rotated_at),
  };
}

function deliveryRow(r: WebhookDeliveryRow): WebhookDeliveryRow {
  return { ...r, created_at: toDate(r.created_at), delivered_at: toDate(r.delivered_at) };
}

/** Equal secrets, compared in constant time (through their digests, so lengths do not show either). */
function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

/**
 * Integrators' webhook endpoints and what was delivered to them. An integrator registers, lists, deactivates and
 * re-keys endpoints for its own channel and sees its own deliveries; labour inspection's directors see and replay
 * the deliveries of the cases their agency may see. Who may do what is decided by the policy (src/policy, src/auth/access.ts).
 */
/** Active endpoints one integrator may have, unless configured (`WEBHOOK_MAX_ACTIVE_ENDPOINTS`): local practice. */
export const DEFAULT_MAX_ACTIVE_ENDPOINTS = 5;

export class WebhookService {
  /**
   * `maxActiveEndpoints`: every entry of a case is sent to each active endpoint of its channel's integrator (a
   * delivery row and a delivery workflow each), so their number is capped, or one integrator multiplies the work
   * of every entry at will.
   */
  constructor(
    readonly targets: WebhookTargetPolicy,
    readonly maxActiveEndpoints = DEFAULT_MAX_ACTIVE_ENDPOINTS,
    private readonly outbox: OutboxNotifier = noOutboxNotifier,
  ) {}

  /**
   * Safe to retry: the same integrator registering the same URL while an endpoint for it is active gets that
   * endpoint back (with a different secret or give-up time it is a CONFLICT: rotate the secret instead), even at
   * the cap. A new URL past `maxActiveEndpoints` active endpoints is a CONFLICT (`rule: endpoints.max`).
   */
  async register(
    ctx: ExecutionContext,
    input: { url: string; secret: string; giveUpAfterSeconds?: number | null },
  ): Promise<WebhookEndpointRow> {
    const actor = authorizeWebhookEndpoints(ctx);
    return ctx.em.transactional(async (em) => {
      const conn = em.getConnection();
      const trx = em.getTransactionContext();
      // The integrator's row is locked, so its registrations take turns: the count below and the insert after it
      // see the same endpoints (two at once cannot both take the last place). NO KEY UPDATE, not UPDATE: rows that
      // merely reference the agency (cases, users) are not held up.
      const [agency] = await conn.execute<Array<{ channel: string | null }>>(
        `select channel from agency where id = ? for no key update`,
        [actor.agencyId],
        'all',
        trx,
      );
      if (!agency?.channel) throw forbidden('this integrator has no channel of its own');
      const url = this.checkUrl(input.url);
      checkSecret('input.secret', input.secret);
      const giveUp = input.giveUpAfterSeconds ?? 86_400;
      if (!Number.isInteger(giveUp) || giveUp < 1 || giveUp > 30 * 86_400)
        throw badUserInput('input.giveUpAfterSeconds', 'range', 'must be between 1 second and 30 days');
      const [existing] = await conn.execute<Array<WebhookEndpointRow & { secret: string }>>(
        `select ${ENDPOINT_COLUMNS}, secret from webhook_endpoint where agency_id = ? and url = ? and active`,
        [actor.agencyId, url],
        'all',
        trx,
      );
      if (existing) {
        if (!sameSecret(existing.secret, input.secret) || existing.give_up_seconds !== giveUp) {
          throw conflict(
            'an active endpoint for this URL exists with another secret or give-up time: rotate its secret, or deactivate it first',
            { field: 'input.url', rule: 'url.registered', endpointId: existing.id },
          );
        }
        const { secret: _secret, ...row } = existing;
        return endpointRow(row);
      }
      const [{ active } = { active: 0 }] = await conn.execute<Array<{ active: number }>>(
        `select count(*)::int as active from webhook_endpoint where agency_id = ? and active`,
        [actor.agencyId],
        'all',
        trx,
      );
      if (active >= this.maxActiveEndpoints) {
        throw conflict(
          `this integrator has ${active} active endpoints, the most allowed (${this.maxActiveEndpoints}): deactivate one first`,
          { field: 'input.url', rule: 'endpoints.max', max: this.maxActiveEndpoints },
        );
      }
      const [made] = await conn.execute<WebhookEndpointRow[]>(
        `insert into webhook_endpoint (id, agency_id, channel, url, secret, give_up_seconds) values (?, ?, ?, ?, ?, ?) returning ${ENDPOINT_COLUMNS}`,
        [randomUUID(), actor.agencyId, agency.channel, url, input.secret, giveUp],
        'all',
        trx,
      );
      return endpointRow(made!);
    });
  }

  /** The caller's own endpoints, newest first (never their secrets). */
  async endpoints(ctx: ExecutionContext): Promise<WebhookEndpointRow[]> {
    const actor = authorizeWebhookEndpoints(ctx);
    const rows = await ctx.em
      .getConnection()
      .execute<WebhookEndpointRow[]>(`select ${ENDPOINT_COLUMNS} from webhook_endpoint where agency_id = ? order by created_at desc, id`, [
        actor.agencyId,
      ]);
    return rows.map(endpointRow);
  }

  /** No further entries are sent to it; its pending deliveries are parked. Deactivating again changes nothing. */
  async deactivate(ctx: ExecutionContext, id: string): Promise<WebhookEndpointRow> {
    const actor = authorizeWebhookEndpoints(ctx);
    if (!UUID.test(id)) throw notFound('webhook endpoint', id);
    return ctx.em.transactional(async (em) => {
      const conn = em.getConnection();
      const trx = em.getTransactionContext();
      const [row] = await conn.execute<WebhookEndpointRow[]>(
        `update webhook_endpoint set active = false, deactivated_at = coalesce(deactivated_at, now()) where id = ? and agency_id = ? returning ${ENDPOINT_COLUMNS}`,
        [id, actor.agencyId],
        'all',
        trx,
      );
      if (!row) throw notFound('webhook endpoint', id);
      await conn.execute(
        `update webhook_delivery set status = 'PARKED', last_error = 'endpoint-deactivated' where endpoint_id = ? and status = 'PENDING'`,
        [id],
        'run',
        trx,
      );
      return endpointRow(row);
    });
  }

  /**
   * A new signing secret, used from the next POST on: the old one stops signing at once (no overlap; a receiver
   * accepting both for a while checks both itself).
   */
  async rotateSecret(ctx: ExecutionContext, id: string, secret: string): Promise<WebhookEndpointRow> {
    const actor = authorizeWebhookEndpoints(ctx);
    if (!UUID.test(id)) throw notFound('webhook endpoint', id);
    checkSecret('secret', secret);
    const conn = ctx.em.getConnection();
    const [row] = await conn.execute<WebhookEndpointRow[]>(
      `update webhook_endpoint set secret = ?, secret_rotated_at = now() where id = ? and agency_id = ? and active returning ${ENDPOINT_COLUMNS}`,
      [secret, id, actor.agencyId],
    );
    if (row) return endpointRow(row);
    const [inactive] = await conn.execute(`select 1 from webhook_endpoint where id = ? and agency_id = ?`, [id, actor.agencyId]);
    if (inactive)
      throw conflict('this endpoint is deactivated: register the URL again for a new one', { field: 'id', rule: 'endpoint.inactive' });
    throw notFound('webhook endpoint', id);
  }

  /** Deliveries the caller may see (policy: `webhookDeliveryScope`), newest first. */
  async deliveries(ctx: ExecutionContext, opts: { status?: string | null; first: number; id?: string }): Promise<WebhookDeliveryRow[]> {
    const scope = webhookDeliveryScope(ctx);
    const rows = await ctx.em.getConnection().execute<WebhookDeliveryRow[]>(
      `select d.id::text as id, d.endpoint_id, d.case_id, c.number as case_number, e.type as event_type, e.seq, d.status, d.attempts, d.last_error, d.created_at, d.delivered_at
         from webhook_delivery d join webhook_endpoint ep on ep.id = d.endpoint_id join case_event e on e.id = d.event_id join wage_case c on c.id = d.case_id
        where ${scope.sql} ${opts.status ? 'and d.status = ?' : ''} ${opts.id ? 'and d.id = ?' : ''} order by d.id desc limit ?`,
      [...scope.params, ...(opts.status ? [opts.status] : []), ...(opts.id ? [opts.id] : []), opts.first],
    );
    return rows.map(deliveryRow);
  }

  /** Sends a delivery again (after the receiver was fixed, say): back to PENDING, and its workflow is woken. */
  async replay(ctx: ExecutionContext, deliveryId: string): Promise<WebhookDeliveryRow> {
    const scope = webhookDeliveryScope(ctx);
    if (!/^\d{1,18}$/.test(deliveryId)) throw notFound('webhook delivery', deliveryId);
    await ctx.em.transactional(async (em) => {
      const conn = em.getConnection();
      const trx = em.getTransactionContext();
      // The delivery workflow's id is spelled once, in the database (webhook_delivery_workflow_id), for the trigger too.
      const [d] = await conn.execute<
        Array<{ endpoint_id: string; case_id: string; give_up_seconds: number; active: boolean; workflow_id: string }>
      >(
        `select d.endpoint_id, d.case_id, ep.give_up_seconds, ep.active, webhook_delivery_workflow_id(d.endpoint_id, d.case_id) as workflow_id
           from webhook_delivery d join webhook_endpoint ep on ep.id = d.endpoint_id join case_event e on e.id = d.event_id join wage_case c on c.id = d.case_id
          where d.id = ? and ${scope.sql} for update of d`,
        [deliveryId, ...scope.params],
        'all',
        trx,
      );
      if (!d) throw notFound('webhook delivery', deliveryId);
      if (!d.active) throw conflict('the endpoint of this delivery is deactivated', { field: 'id', rule: 'endpoint.inactive' });
      await conn.execute(`update webhook_delivery set status = 'PENDING', last_error = null where id = ?`, [deliveryId], 'run', trx);
      await enqueueWorkflowSignalWithStart(em, {
        workflow: webhookDelivery,
        workflowId: d.workflow_id,
        signal: deliveriesPendingSignal,
        args: [{ endpointId: d.endpoint_id, caseId: d.case_id, giveUpAfter: `${d.give_up_seconds}s` }],
      });
    });
    this.outbox.nudge();
    const [row] = await this.deliveries(ctx, { first: 1, id: deliveryId });
    return row!;
  }

  /**
   * An absolute http(s) URL without user or password (they would be sent to the host, and logged), whose host, if it
   * is an address, is one webhooks may go to. Names are checked on each connection, after resolution.
   */
  private checkUrl(text: string): string {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw badUserInput('input.url', 'url', 'must be an absolute http(s) URL');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw badUserInput('input.url', 'url', 'must be an absolute http(s) URL');
    if (url.username || url.password) throw badUserInput('input.url', 'url.userinfo', 'must not carry a user name or password');
    const address = literalAddress(url);
    if (address !== undefined && !this.targets.allows(address)) {
      throw badUserInput(
        'input.url',
        'url.address-not-allowed',
        'this address is private, loopback, link-local or otherwise not reachable for webhooks',
      );
    }
    return url.toString();
  }
}

function checkSecret(field: string, secret: string): void {
  if (secret.length < 32 || secret.length > 256) throw badUserInput(field, 'length', 'must be 32 to 256 characters');
}
