import path from 'node:path';
import { z } from 'zod';
import { parseNetwork } from './webhooks/webhook-targets';
import { dailyReportRules } from './rules/daily-report';

/**
 * Everything the system reads from the environment, validated once at start.
 * A bad value never reaches the code that uses it: `loadConfig` reports every bad variable at once.
 */
const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);
/** A port that may be unset (an empty value is unset). */
const optionalPort = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
  z.coerce.number().int().min(1).max(65535).optional(),
);
const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : undefined));

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port(4000),
  DATA_DIR: z.string().min(1).default('.data'),
  DATABASE_URL: optionalText.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\/.+/, 'must be a postgres:// or postgresql:// URL')
      .optional(),
  ),
  EMBEDDED_PG_PORT: port(5433),
  TEMPORAL_ADDRESS: optionalText.pipe(
    z
      .string()
      .regex(/^[^\s:/]+:\d{1,5}$/, 'must be host:port, e.g. temporal.internal:7233')
      .optional(),
  ),
  TEMPORAL_NAMESPACE: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,255}$/, 'must be a Temporal namespace name')
    .default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('anxin'),
  TEMPORAL_DEV_PORT: port(7233),
  TEMPORAL_UI_PORT: port(8233),
  TEMPORAL_CLI_PATH: optionalText,
  REPEAT_COMPLAINT_WINDOW_DAYS: z.coerce.number().int().min(0).max(365).default(30),
  COLLECTIVE_COMPLAINT_WINDOW_DAYS: z.coerce.number().int().min(0).max(365).default(30),
  // 回访 / 回头看: the share of closed cases called back (city configuration; no law or seed gives a rate).
  // An empty value is unset (the default), not 0: a blank line in an env file must not stop every callback.
  CALLBACK_SAMPLE_RATE: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z.coerce.number().min(0, 'must be a share from 0 to 1').max(1, 'must be a share from 0 to 1').default(1),
  ),
  DEMO_DATA: z.enum(['true', 'false']).default('true'),
  TEMPORAL_TEST_SERVER_PATH: optionalText,
  AUTH_JWT_KEYS: optionalText.pipe(
    z
      .string()
      .regex(
        /^[A-Za-z0-9._-]+=[^,=\s]{32,}(,[A-Za-z0-9._-]+=[^,=\s]{32,})*$/,
        'must be kid=secret pairs, comma-separated, each secret at least 32 characters',
      )
      .optional(),
  ),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(600),
  ANONYMOUS_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(60),
  CASE_STATUS_LOOKUPS_PER_NUMBER_PER_DAY: z.coerce.number().int().min(1).max(1_000_000).default(20),
  CASE_STATUS_LOOKUPS_PER_CALLER_PER_HOUR: z.coerce.number().int().min(1).max(1_000_000).default(60),
  AUTH_TOKEN_TTL: z
    .string()
    .regex(/^\d+[smhd]$/, 'must be a duration such as 12h or 30m')
    .default('12h'),
  WEBHOOK_ALLOWED_NETWORKS: z
    .string()
    .optional()
    .transform((v) =>
      v === undefined
        ? undefined
        : v
            .split(',')
            .map((n) => n.trim())
            .filter(Boolean),
    )
    .refine(
      (nets) => !nets || nets.every((n) => parseNetwork(n)),
      'must be addresses or CIDR networks, comma-separated, e.g. 127.0.0.1/32,10.20.0.0/16',
    ),
  DAILY_REPORT_TIME: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM, 24-hour Beijing time, e.g. 08:00')
    .default(dailyReportRules.defaultTime),
  WEBHOOK_MAX_ACTIVE_ENDPOINTS: z.coerce.number().int().min(1).max(1_000).default(5),
  // Metrics, traces and probes (src/observability/).
  METRICS_PORT: optionalPort,
  TEMPORAL_METRICS_PORT: optionalPort,
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalText.pipe(
    z
      .string()
      .regex(/^https?:\/\/[^\s]+$/, 'must be an http:// or https:// URL, e.g. http://otel-collector:4318')
      .optional(),
  ),
  OTEL_SERVICE_NAME: optionalText,
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(20_000),
  SHUTDOWN_DELAY_MS: z.coerce.number().int().min(0).max(600_000).default(0),
  OUTBOX_RELAY_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(32),
  OUTBOX_RELAY_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(500),
  OUTBOX_RELAY_OWN_CONNECTION: z.enum(['true', 'false']).default('true'),
  OUTBOX_RELAY_ENABLED: z.enum(['true', 'false']).default('true'),
  // Queries through graphql-jit (src/api/compiled-executor.ts); `off` runs everything through graphql-js.
  GRAPHQL_JIT: z.enum(['on', 'off']).default('on'),
  // Tuning (local practice, `npm run bench:storm`): unset keeps the Temporal SDK's default, sized from the heap limit.
  WORKER_MAX_CACHED_WORKFLOWS: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z.coerce.number().int().min(0).max(10_000_000).optional(),
  ),
  // Tuning (local practice, `npm run bench:storm`): how long a workflow task waits on the worker's sticky queue before
  // the server hands it to any worker (which evicts and replays the workflow). The SDK's default is 10 s.
  WORKER_STICKY_TIMEOUT_SECONDS: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z.coerce.number().int().min(1).max(3600).optional(),
  ),
});

export type Env = z.infer<typeof schema>;

export interface Config {
  env: Env['NODE_ENV'];
  log: { level: Env['LOG_LEVEL']; format: 'json' | 'pretty' };
  /** `graphqlJit` (`GRAPHQL_JIT`, default on): queries run compiled by graphql-jit. */
  api: { host: string; port: number; graphqlJit: boolean };
  dataDir: string;
  database: { url?: string; embeddedPort: number };
  temporal: {
    address?: string;
    namespace: string;
    taskQueue: string;
    devServerPort: number;
    uiPort: number;
    cliPath?: string;
    testServerPath?: string;
  };
  cases: {
    /** A complaint from the same phone about the same employer or project within this many days joins the open case. */
    repeatComplaintWindowDays: number;
    /** A complaint by any phone about the project (no project: the employer) of an open case received within this many days joins it. */
    collectiveComplaintWindowDays: number;
  };
  /**
   * 回访 / 回头看: the share of closed cases called back, 0–1 (`CALLBACK_SAMPLE_RATE`, default 1: every case). The
   * city's figure: seed 003 (青岛) samples by telephone but gives no rate, and no law does.
   */
  callbacks: { sampleRate: number };
  /** Load the demo city into an empty database at `npm start`. */
  demoData: boolean;
  /** Token signing keys (`AUTH_JWT_KEYS`, newest first); unset under `npm start`, which keeps its own in the data folder. */
  auth: { keys?: string; tokenTtl: string };
  /** Requests per minute allowed to one signed-in user. */
  rateLimitPerMinute: number;
  /**
   * Networks webhooks may be sent to although they are private, loopback, link-local … (webhook-targets.ts), and the
   * most active endpoints one integrator may have (each entry of a case is sent to every one: local practice).
   */
  webhooks: { allowedNetworks: string[]; maxActiveEndpoints: number };
  /** Requests per minute allowed to one address without a token. */
  anonymousRateLimitPerMinute: number;
  /** Public case-status lookups: per case number a day, per caller an hour (local practice, not law). */
  caseStatusLimits: { perNumberPerDay: number; perCallerPerHour: number };
  /**
   * When the daily report (日通报) of each inspection agency is made, Beijing time, on working days: 08:00 by default.
   * Local practice: seeds 000 and 003 name the daily report and the dispatch meeting, no source names an hour
   * (`src/rules/daily-report.ts`).
   */
  dailyReport: { time: { hour: number; minute: number } };
  /** Metrics, traces, probes and the drain on SIGTERM (src/observability/, README "Metrics, traces and probes"). */
  observability: {
    /** The worker process alone serves /metrics, /livez and /readyz on this port (`METRICS_PORT`); unset: none. */
    metricsPort?: number;
    /** The Temporal SDK's own Prometheus exporter, bound to 127.0.0.1 on this port and folded into /metrics. */
    temporalMetricsPort?: number;
    /** Traces go to this OTLP/HTTP collector (`OTEL_EXPORTER_OTLP_ENDPOINT`); unset: tracing is off. */
    otlpEndpoint?: string;
    /** `OTEL_SERVICE_NAME`, default anxin-<role>. */
    serviceName: string;
    /** How long in-flight requests and activities get to finish after SIGTERM (local practice, under Kubernetes' 30 s). */
    shutdownGraceMs: number;
    /** How long readiness answers 503 before the listener closes, so a load balancer stops sending (default 0). */
    shutdownDelayMs: number;
  };
  /**
   * The workflow outbox relay: workflows delivered to at once, rows per batch (`OUTBOX_RELAY_CONCURRENCY`, default
   * 32; `OUTBOX_RELAY_BATCH_SIZE`, default 500), and whether its batches run on a database connection of its own
   * rather than one from the request pool (`OUTBOX_RELAY_OWN_CONNECTION`, default true). Tuning, local practice
   * (`src/outbox/outbox-relay.ts` says why). `enabled` (`OUTBOX_RELAY_ENABLED`, default true): whether this process
   * delivers the outbox at all — false leaves it to the other processes' relays (an API process whose workers
   * deliver, README "Production layout"); `npm start` (one process) always delivers.
   */
  outboxRelay: { concurrency: number; batchSize: number; ownConnection: boolean; enabled: boolean };
  /**
   * The workflow worker: how many workflows its sticky cache holds (`WORKER_MAX_CACHED_WORKFLOWS`; unset: the SDK's
   * default, from the heap limit). A workflow evicted from the cache is replayed from its history when its timer
   * fires. Tuning, local practice (BENCHMARKS.md, "The deadline storm").
   */
  worker: { maxCachedWorkflows?: number; stickyTimeoutSeconds?: number };
}

/** Which process is starting: the all-in-one `npm start`, or one of the production processes. */
export type Role = 'all-in-one' | 'api' | 'worker' | 'tool';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(source: NodeJS.ProcessEnv = process.env, role: Role = 'all-in-one'): Config {
  const parsed = schema.safeParse(source);
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = issue.path.join('.');
      problems.push(`${key}=${JSON.stringify(source[key] ?? '')}: ${issue.message}`);
    }
  }
  // The production processes run against external services: there is nothing embedded to fall back on.
  if (role === 'api' || role === 'worker') {
    if (!source.DATABASE_URL?.trim()) problems.push(`DATABASE_URL: required by \`npm run ${role}\` (it starts no database of its own)`);
    if (!source.TEMPORAL_ADDRESS?.trim())
      problems.push(`TEMPORAL_ADDRESS: required by \`npm run ${role}\` (it starts no Temporal server of its own)`);
  }
  if (role === 'api' && !source.AUTH_JWT_KEYS?.trim())
    problems.push('AUTH_JWT_KEYS: required by `npm run api` (the keys that sign and verify tokens)');
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);

  const e = parsed.data;
  return {
    env: e.NODE_ENV,
    log: { level: e.LOG_LEVEL, format: e.LOG_FORMAT ?? (e.NODE_ENV === 'production' ? 'json' : 'pretty') },
    api: { host: e.HOST, port: e.PORT, graphqlJit: e.GRAPHQL_JIT === 'on' },
    dataDir: path.resolve(e.DATA_DIR),
    database: { url: e.DATABASE_URL, embeddedPort: e.EMBEDDED_PG_PORT },
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      devServerPort: e.TEMPORAL_DEV_PORT,
      uiPort: e.TEMPORAL_UI_PORT,
      cliPath: e.TEMPORAL_CLI_PATH,
      testServerPath: e.TEMPORAL_TEST_SERVER_PATH,
    },
    cases: { repeatComplaintWindowDays: e.REPEAT_COMPLAINT_WINDOW_DAYS, collectiveComplaintWindowDays: e.COLLECTIVE_COMPLAINT_WINDOW_DAYS },
    callbacks: { sampleRate: e.CALLBACK_SAMPLE_RATE },
    demoData: e.DEMO_DATA === 'true',
    auth: { keys: e.AUTH_JWT_KEYS, tokenTtl: e.AUTH_TOKEN_TTL },
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    // `npm start` is the demo, everything on one machine: its receivers listen on 127.0.0.1 unless told otherwise.
    webhooks: {
      allowedNetworks: e.WEBHOOK_ALLOWED_NETWORKS ?? (role === 'all-in-one' ? ['127.0.0.1/32'] : []),
      maxActiveEndpoints: e.WEBHOOK_MAX_ACTIVE_ENDPOINTS,
    },
    anonymousRateLimitPerMinute: e.ANONYMOUS_RATE_LIMIT_PER_MINUTE,
    caseStatusLimits: {
      perNumberPerDay: e.CASE_STATUS_LOOKUPS_PER_NUMBER_PER_DAY,
      perCallerPerHour: e.CASE_STATUS_LOOKUPS_PER_CALLER_PER_HOUR,
    },
    dailyReport: { time: { hour: Number(e.DAILY_REPORT_TIME.slice(0, 2)), minute: Number(e.DAILY_REPORT_TIME.slice(3, 5)) } },
    observability: {
      metricsPort: e.METRICS_PORT,
      temporalMetricsPort: e.TEMPORAL_METRICS_PORT,
      otlpEndpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT,
      serviceName: e.OTEL_SERVICE_NAME ?? (role === 'all-in-one' || role === 'tool' ? 'anxin' : `anxin-${role}`),
      shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
      shutdownDelayMs: e.SHUTDOWN_DELAY_MS,
    },
    outboxRelay: {
      concurrency: e.OUTBOX_RELAY_CONCURRENCY,
      batchSize: e.OUTBOX_RELAY_BATCH_SIZE,
      ownConnection: e.OUTBOX_RELAY_OWN_CONNECTION === 'true',
      enabled: role === 'all-in-one' || e.OUTBOX_RELAY_ENABLED === 'true',
    },
    worker: { maxCachedWorkflows: e.WORKER_MAX_CACHED_WORKFLOWS, stickyTimeoutSeconds: e.WORKER_STICKY_TIMEOUT_SECONDS },
  };
}

/** For a process's entry point: the configuration, or the list of bad values on stderr and exit code 2. */
export function loadConfigOrExit(role: Role): Config {
  try {
    return loadConfig(process.env, role);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message);
    process.exit(2);
  }
}
