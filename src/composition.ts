import { Client, Connection } from '@temporalio/client';
import { createServices, type Services } from './app/services';
import { HolidayCalendarListener } from './calendar/calendar-listener';
import type { Config } from './config';
import type { Orm } from './db/database';
import type { Lifecycle } from './lifecycle';
import type { Logger } from './logger';
import { OutboxRelay } from './outbox/outbox-relay';
import type { AnyProcessModule } from './processes/process-module';
import { processModules } from './processes/registry';
import { WebhookTargetPolicy } from './webhooks/webhook-targets';
import { ensureDailyReportSchedule } from './reports/daily-report-schedule';
import { createCaseActivities } from './worker/case-activities';
import { bundleWorkflows, startWorker, type WorkerHandle } from './worker/worker';
import { recordTraceparentOnTransactions } from './observability/transaction-trace';
import { tracingClientInterceptors, tracingWorkerOptions, WORKFLOW_TRACING_MODULE, type Tracing } from './observability/tracing';
import { searchAttributesRegistered } from './worker/search-attributes-registered';

/**
 * The composition root: how Anxin's parts are wired, once, for `npm start` (src/main.ts), the API alone
 * (src/api-main.ts) and the worker alone (src/worker-main.ts). Each entry point decides which parts it runs and
 * where the database and Temporal are; this file decides how the parts fit.
 */
export interface Core {
  services: Services;
  /** Whether a namespace has Anxin's search attributes (asked once, src/worker/search-attributes-registered.ts). */
  searchAttributesRegistered: (namespace: string) => Promise<boolean>;
  relay: OutboxRelay;
  workflowClient: Client;
  modules: ReadonlyArray<AnyProcessModule>;
}

type CoreConfig = Pick<Config, 'temporal' | 'webhooks' | 'cases'> & Partial<Pick<Config, 'caseStatusLimits' | 'callbacks' | 'outboxRelay'>>;

/** The services, the outbox relay and the Temporal client over one database and one Temporal server. */
export function createCore(opts: {
  orm: Orm;
  temporalAddress: string;
  config: CoreConfig;
  log: Logger;
  lifecycle: Lifecycle;
  modules?: ReadonlyArray<AnyProcessModule>;
  /** OpenTelemetry, when on: the client's starts and signals carry the trace; relay passes are spans. */
  tracing?: Tracing;
}): Core {
  const connection = Connection.lazy({ address: opts.temporalAddress });
  opts.lifecycle.onStop('Temporal client', () => connection.close());
  const interceptors = tracingClientInterceptors(opts.tracing);
  // Traced, each transaction records its span's traceparent, which the outbox rows it writes keep for their delivery.
  if (opts.tracing) recordTraceparentOnTransactions(opts.orm);
  const workflowClient = new Client({ connection, namespace: opts.config.temporal.namespace, ...(interceptors ? { interceptors } : {}) });
  // Asked once per namespace and shared: the relay starts workflows with their search attributes where they are
  // registered, and the activities read them for the workflows' refreshes.
  const registered = searchAttributesRegistered(connection);
  const relay = new OutboxRelay(opts.orm, workflowClient, opts.config.temporal.taskQueue, opts.log, {
    ...opts.config.outboxRelay,
    searchAttributesRegistered: registered,
  });
  opts.lifecycle.onStop('workflow outbox relay', () => relay.stop());
  const modules = opts.modules ?? processModules;
  // A holiday year another process loads reaches this one's working-day counts without a restart.
  const calendar = new HolidayCalendarListener(opts.orm, opts.log.child({ component: 'calendar-listener' }));
  void calendar.start().catch((err: unknown) => opts.log.warn({ err }, 'holiday calendar listener did not start'));
  opts.lifecycle.onStop('holiday calendar listener', () => calendar.stop());
  const services = createServices({
    orm: opts.orm,
    temporal: connection,
    workflowClient,
    // The process that commits delivers at once; every relay also polls for anything left behind. Traced, each
    // delivery continues the trace its row was written in, whichever relay delivers it (the row keeps its traceparent).
    outboxNudge: !(opts.config.outboxRelay?.enabled ?? true)
      ? () => undefined // this process leaves delivery to the other processes' relays (OUTBOX_RELAY_ENABLED=false)
      : () => void relay.drain().catch(() => undefined),
    webhookTargets: new WebhookTargetPolicy(opts.config.webhooks.allowedNetworks),
    maxActiveWebhookEndpoints: opts.config.webhooks.maxActiveEndpoints,
    caseStatusLimits: opts.config.caseStatusLimits,
    intakeRules: {
      repeatComplaintWindowDays: opts.config.cases.repeatComplaintWindowDays,
      collectiveComplaintWindowDays: opts.config.cases.collectiveComplaintWindowDays,
    },
    callbackSampleRate: opts.config.callbacks?.sampleRate,
    processModules: modules,
  });
  return { services, relay, workflowClient, modules, searchAttributesRegistered: registered };
}

/** The worker's workflow code: the core workflows and every registered process's. */
export function bundleFor(modules: ReadonlyArray<AnyProcessModule>, log: Logger, opts: { tracing?: Tracing } = {}) {
  return bundleWorkflows(
    log,
    modules.map((m) => m.definition.workflowModule),
    // Traced, the workflows carry Temporal's OpenTelemetry workflow interceptors; untraced, the bundle has none.
    opts.tracing ? { interceptorModules: [WORKFLOW_TRACING_MODULE] } : {},
  );
}

/** A workflow worker with the real activities, which write through the same services as the API. */
export async function startCoreWorker(
  core: Core,
  opts: {
    orm: Orm;
    temporalAddress: string;
    config: Pick<Config, 'temporal'> & Partial<Pick<Config, 'observability' | 'worker'>>;
    log: Logger;
    lifecycle: Lifecycle;
    bundle: Awaited<ReturnType<typeof bundleFor>>;
    tracing?: Tracing;
  },
): Promise<WorkerHandle> {
  const worker = await startWorker({
    address: opts.temporalAddress,
    namespace: opts.config.temporal.namespace,
    taskQueue: opts.config.temporal.taskQueue,
    bundle: opts.bundle,
    activities: createCaseActivities({
      orm: opts.orm,
      log: opts.log,
      services: core.services,
      searchAttributesRegistered: core.searchAttributesRegistered,
    }),
    log: opts.log,
    shutdownGraceMs: opts.config.observability?.shutdownGraceMs,
    maxCachedWorkflows: opts.config.worker?.maxCachedWorkflows,
    stickyTimeoutSeconds: opts.config.worker?.stickyTimeoutSeconds,
    tracing: tracingWorkerOptions(opts.tracing),
  });
  opts.lifecycle.onStop('workflow worker', worker.shutdown);
  return worker;
}

/**
 * The daily-report schedule (日通报), created or brought to this configuration: every worker process calls it at
 * start-up (the all-in-one `npm start` against its dev server, each `npm run worker` of a cluster); it is idempotent.
 */
export function scheduleDailyReports(core: Core, opts: { config: Pick<Config, 'temporal' | 'dailyReport'>; log: Logger }) {
  return ensureDailyReportSchedule(core.workflowClient, {
    taskQueue: opts.config.temporal.taskQueue,
    time: opts.config.dailyReport.time,
    log: opts.log,
  });
}
