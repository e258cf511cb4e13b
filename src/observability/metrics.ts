import type { ApolloServerPlugin } from '@apollo/server';
import type express from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Orm } from '../db/database';
import { outboxBacklog } from '../outbox/outbox-backlog';
import { webhookBacklog } from '../webhooks/webhook-backlog';

/** Distinct operation names kept as their own label; later ones, and anonymous operations, share `other`. */
export const MAX_OPERATION_LABELS = 200;
/** The label every operation past the cap, anonymous or unparsable shares. */
export const OTHER_OPERATION = 'other';
const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const ERROR_CODE = /^[A-Z][A-Z0-9_]{0,63}$/;
const MAX_ERROR_CODES = 100;

/**
 * The process's Prometheus metrics (prom-client, a registry of its own, not the library's global one: a test may
 * run two servers in one process). Counts and durations only: no label carries a case, a person or a token.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly graphqlRequests: Counter<'operation' | 'type'>;
  readonly graphqlDuration: Histogram<'operation' | 'type'>;
  readonly graphqlErrors: Counter<'code'>;
  readonly httpInFlight: Gauge;
  private readonly operations = new Set<string>();
  private readonly codes = new Set<string>();
  private database: Orm | undefined;
  private readonly temporalMetricsPort: number | undefined;

  constructor(opts: { defaultMetrics?: boolean; temporalMetricsPort?: number } = {}) {
    this.temporalMetricsPort = opts.temporalMetricsPort;
    if (opts.defaultMetrics) collectDefaultMetrics({ register: this.registry });
    this.graphqlRequests = new Counter({
      name: 'anxin_graphql_requests_total',
      help: 'GraphQL operations answered, by operation name (the first 200 names; later and anonymous ones: other) and type',
      labelNames: ['operation', 'type'],
      registers: [this.registry],
    });
    this.graphqlDuration = new Histogram({
      name: 'anxin_graphql_request_duration_seconds',
      help: 'Time from the start of a GraphQL request to its answer, by operation name and type',
      labelNames: ['operation', 'type'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
    this.graphqlErrors = new Counter({
      name: 'anxin_graphql_errors_total',
      help: 'Errors in GraphQL answers, by error code (extensions.code)',
      labelNames: ['code'],
      registers: [this.registry],
    });
    this.httpInFlight = new Gauge({
      name: 'anxin_http_requests_in_flight',
      help: 'HTTP requests being answered now (GraphQL, downloads, dashboard)',
      registers: [this.registry],
    });
  }

  /** The operation label: the client's operation name while fewer than MAX_OPERATION_LABELS are known, else `other`. */
  operationLabel(name: string | null | undefined): string {
    if (!name || !OPERATION_NAME.test(name)) return OTHER_OPERATION;
    if (this.operations.has(name)) return name;
    if (this.operations.size >= MAX_OPERATION_LABELS) return OTHER_OPERATION;
    this.operations.add(name);
    return name;
  }

  private codeLabel(code: unknown): string {
    if (typeof code !== 'string' || !ERROR_CODE.test(code)) return 'INTERNAL_SERVER_ERROR';
    if (this.codes.has(code) || this.codes.size < MAX_ERROR_CODES) {
      this.codes.add(code);
      return code;
    }
    return 'OTHER';
  }

  /** Counts one GraphQL answer; one refused before it was parsed counts as `other`/`unknown`, without a duration. */
  recordOperation(
    name: string | null | undefined,
    type: string | undefined,
    seconds: number | undefined,
    errorCodes: readonly unknown[],
  ): void {
    const labels = { operation: this.operationLabel(name), type: type ?? 'unknown' };
    this.graphqlRequests.inc(labels);
    if (seconds !== undefined) this.graphqlDuration.observe(labels, seconds);
    for (const code of errorCodes) this.graphqlErrors.inc({ code: this.codeLabel(code) });
  }

  /**
   * The database's gauges, read on each scrape: the workflow outbox's and the webhooks' backlog (one cheap statement
   * each, over their partial indexes) and the connection pool's use. Once per process.
   */
  watchDatabase(orm: Orm): void {
    if (this.database) return;
    this.database = orm;
    backlogGauges(this.registry, 'anxin_outbox', 'workflow outbox rows (starts and signals for Temporal)', () => outboxBacklog(orm));
    backlogGauges(this.registry, 'anxin_webhook_deliveries', 'webhook deliveries', () => webhookBacklog(orm));
    new Gauge({
      name: 'anxin_db_pool_connections',
      help: 'PostgreSQL connection pool of this process: used, free, and callers waiting for a connection (pending)',
      labelNames: ['state'],
      registers: [this.registry],
      collect() {
        const pool = knexPool(orm);
        if (!pool) return;
        this.set({ state: 'used' }, pool.numUsed());
        this.set({ state: 'free' }, pool.numFree());
        this.set({ state: 'pending' }, pool.numPendingAcquires());
      },
    });
    new Gauge({
      name: 'anxin_db_pool_max_connections',
      help: 'The most connections the pool of this process opens',
      registers: [this.registry],
      collect() {
        const pool = knexPool(orm);
        if (pool) this.set(pool.max);
      },
    });
  }

  /** The subscription feed's gauges (API processes): live subscriptions and how far the feed trails the case file. */
  watchFeed(feed: { subscribers(): number; lagSeconds(): Promise<number> }): void {
    new Gauge({
      name: 'anxin_graphql_subscriptions_active',
      help: 'Live case-event subscriptions (graphql-ws) in this process',
      registers: [this.registry],
      collect() {
        this.set(feed.subscribers());
      },
    });
    new Gauge({
      name: 'anxin_feed_lag_seconds',
      help: 'Age of the oldest committed case-file entry this process’s feed has not yet passed (0: caught up)',
      registers: [this.registry],
      async collect() {
        try {
          this.set(await feed.lagSeconds());
        } catch {
          // The database is away: no figure (readiness says why).
        }
      },
    });
  }

  /** The exposition text: this registry, then the Temporal SDK's own metrics when its exporter runs in this process. */
  async text(): Promise<string> {
    const own = await this.registry.metrics();
    if (!this.temporalMetricsPort) return own;
    try {
      const res = await fetch(`http://127.0.0.1:${this.temporalMetricsPort}/metrics`, { signal: AbortSignal.timeout(2000) });
      return res.ok ? `${own}\n# Temporal SDK (worker) metrics\n${await res.text()}` : own;
    } catch {
      return own;
    }
  }

  /** Express middleware counting requests in flight. */
  inFlight(): express.RequestHandler {
    return (_req, res, next) => {
      this.httpInFlight.inc();
      res.once('close', () => this.httpInFlight.dec());
      next();
    };
  }
}

function backlogGauges(
  registry: Registry,
  prefix: string,
  what: string,
  read: () => Promise<{ pending: number; oldestAgeSeconds: number }>,
) {
  // One read serves both gauges of a scrape.
  let reading: Promise<{ pending: number; oldestAgeSeconds: number } | undefined> | undefined;
  const once = () => {
    reading ??= read()
      .catch(() => undefined)
      .finally(() => setImmediate(() => (reading = undefined)));
    return reading;
  };
  new Gauge({
    name: `${prefix}_pending`,
    help: `Undelivered ${what}`,
    registers: [registry],
    async collect() {
      const b = await once();
      if (b) this.set(b.pending);
    },
  });
  new Gauge({
    name: `${prefix}_oldest_pending_age_seconds`,
    help: `Seconds since the oldest undelivered of the ${what} was written (0: none waits)`,
    registers: [registry],
    async collect() {
      const b = await once();
      if (b) this.set(b.oldestAgeSeconds);
    },
  });
}

interface TarnPool {
  max: number;
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
}

function knexPool(orm: Orm): TarnPool | undefined {
  try {
    return (orm.em.getConnection().getKnex() as unknown as { client: { pool?: TarnPool } }).client.pool ?? undefined;
  } catch {
    return undefined;
  }
}

/** The Apollo plugin: each GraphQL answer counted by operation and type, with its duration and error codes. */
export function graphqlMetricsPlugin<C extends object>(metrics: Metrics): ApolloServerPlugin<C> {
  return {
    // Refused while the context was made (the document limits, before graphql-js's validation): no operation yet.
    async contextCreationDidFail({ error }) {
      metrics.recordOperation(undefined, undefined, undefined, [(error as { extensions?: { code?: unknown } }).extensions?.code]);
    },
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ operation, operationName, response }) {
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          const errors = response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : [];
          metrics.recordOperation(
            operation ? (operation.name?.value ?? operationName) : undefined,
            operation?.operation,
            seconds,
            errors.map((e) => e.extensions?.code),
          );
        },
      };
    },
  };
}
