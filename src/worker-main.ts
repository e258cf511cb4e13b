import { bundleFor, createCore, scheduleDailyReports, startCoreWorker } from './composition';
import { loadConfigOrExit } from './config';
import { openDatabase } from './db/database';
import { Lifecycle, runMain } from './lifecycle';
import { createLogger } from './logger';
import { processModules } from './processes/registry';
import { installTemporalRuntime } from './worker/worker';
import { Metrics } from './observability/metrics';
import { Probes, startOpsServer } from './observability/probes';
import { startTracing } from './observability/tracing';

/** `npm run worker`: the workflow worker alone, against an external PostgreSQL and Temporal (production layout). */
function boot(): void {
  const config = loadConfigOrExit('worker');
  const log = createLogger(config);
  const lifecycle = new Lifecycle(log, { drainDelayMs: config.observability.shutdownDelayMs });
  runMain(log, lifecycle, async () => {
    const tracing = startTracing({ endpoint: config.observability.otlpEndpoint, serviceName: config.observability.serviceName, log });
    if (tracing) lifecycle.onStop('tracing', tracing.shutdown);
    installTemporalRuntime(log, { metricsPort: config.observability.temporalMetricsPort });
    // Activities write through the same database as the API; the worker does not migrate it.
    const orm = await openDatabase({ url: config.database.url!, log, migrate: false });
    lifecycle.onStop('database pool', () => orm.close());
    // Activities write through the same services as the API (a payment resolves the case, and the outbox carries on).
    const core = createCore({ orm, temporalAddress: config.temporal.address!, config, log, lifecycle, tracing });
    if (config.observability.metricsPort) {
      // Started before the worker, stopped after it: readiness answers 503 for the whole drain.
      const metrics = new Metrics({ defaultMetrics: true, temporalMetricsPort: config.observability.temporalMetricsPort });
      metrics.watchDatabase(orm);
      const probes = new Probes({ health: core.services.health, orm, draining: () => lifecycle.draining });
      const ops = await startOpsServer({ host: config.api.host, port: config.observability.metricsPort, metrics, probes, log });
      lifecycle.onStop('metrics and probes', ops.stop);
    }
    const worker = await startCoreWorker(core, {
      orm,
      temporalAddress: config.temporal.address!,
      config,
      log,
      lifecycle,
      bundle: await bundleFor(processModules, log, { tracing }),
      tracing,
    });
    // The outbox relay polls here (and delivers what the activities commit), unless OUTBOX_RELAY_ENABLED=false.
    if (config.outboxRelay.enabled) core.relay.start();
    await scheduleDailyReports(core, { config, log });
    log.info({ taskQueue: config.temporal.taskQueue, address: config.temporal.address }, 'Anxin workflow worker running');
    await worker.running;
  });
}

boot();
