import { bundleFor, createCore, scheduleDailyReports, startCoreWorker } from './composition';
import { loadConfigOrExit } from './config';
import { openDatabase } from './db/database';
import { Lifecycle, runMain } from './lifecycle';
import { createLogger } from './logger';
import { processModules } from './processes/registry';
import { installTemporalRuntime } from './worker/worker';

/** `npm run worker`: the workflow worker alone, against an external PostgreSQL and Temporal (production layout). */
function boot(): void {
  const config = loadConfigOrExit('worker');
  const log = createLogger(config);
  const lifecycle = new Lifecycle(log);
  runMain(log, lifecycle, async () => {
    installTemporalRuntime(log);
    // Activities write through the same database as the API; the worker does not migrate it.
    const orm = await openDatabase({ url: config.database.url!, log, migrate: false });
    lifecycle.onStop('database pool', () => orm.close());
    // Activities write through the same services as the API (a payment resolves the case, and the outbox carries on).
    const core = createCore({ orm, temporalAddress: config.temporal.address!, config, log, lifecycle });
    const worker = await startCoreWorker(core, {
      orm,
      temporalAddress: config.temporal.address!,
      config,
      log,
      lifecycle,
      bundle: await bundleFor(processModules, log),
    });
    core.relay.start();
    await scheduleDailyReports(core, { config, log });
    log.info({ taskQueue: config.temporal.taskQueue, address: config.temporal.address }, 'Anxin workflow worker running');
    await worker.running;
  });
}

boot();
