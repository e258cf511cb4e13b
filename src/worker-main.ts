import { ConfigError, loadConfig } from './config';
import { openDatabase } from './db/database';
import { Lifecycle, runMain } from './lifecycle';
import { createLogger } from './logger';
import { bundleWorkflows, installTemporalRuntime, startWorker } from './worker/worker';

/** `npm run worker`: the workflow worker alone, against an external PostgreSQL and Temporal (production layout). */
function boot(): void {
  let config;
  try {
    config = loadConfig(process.env, 'worker');
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message);
    process.exit(2);
  }
  const log = createLogger(config);
  const lifecycle = new Lifecycle(log);
  runMain(log, lifecycle, async () => {
    installTemporalRuntime(log);
    // Activities write through the same database as the API; the worker does not migrate it.
    const orm = await openDatabase({ url: config.database.url!, log, migrate: false });
    lifecycle.onStop('database pool', () => orm.close());
    const worker = await startWorker({
      address: config.temporal.address!,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      bundle: await bundleWorkflows(log),
      log,
    });
    lifecycle.onStop('workflow worker', worker.shutdown);
    log.info({ taskQueue: config.temporal.taskQueue, address: config.temporal.address }, 'Anxin workflow worker running');
    await worker.running;
  });
}

boot();
