import 'reflect-metadata';
import path from 'node:path';
import { writeDemoTokens, type DemoPersona } from '../tools/demo/demo-tokens';
import { startDemoProcesses } from '../tools/demo/demo-processes';
import { localDevelopmentKeys, parseKeys, Tokens } from './auth/tokens';
import { startApiServer } from './api/server';
import { loadConfigOrExit } from './config';
import { openDatabase } from './db/database';
import { enqueueLifecycleForOpenCases } from './cases/case-workflow';
import { loadDemoCity } from '../tools/demo/demo-city';
import { startEmbeddedPostgres } from './infra/embedded-postgres';
import { startTemporalDevServer } from './infra/temporal-dev-server';
import { Lifecycle, runMain } from './lifecycle';
import { createLogger, type Logger } from './logger';
import { installTemporalRuntime } from './worker/worker';
import { bundleFor, createCore, scheduleDailyReports, startCoreWorker } from './composition';
import { processModules } from './processes/registry';
import { Metrics } from './observability/metrics';
import { startTracing } from './observability/tracing';
import { executionContext } from './app/execution';
import { beijingDate } from './domain/working-days';
import type { Orm } from './db/database';
import type { Services } from './app/services';

/**
 * `npm start`: the whole system in one process tree — PostgreSQL and a Temporal dev server (embedded unless
 * DATABASE_URL / TEMPORAL_ADDRESS point elsewhere), the workflow worker and the GraphQL API.
 */
function boot(): void {
  const config = loadConfigOrExit('all-in-one');
  const log = createLogger(config);
  const lifecycle = new Lifecycle(log, { drainDelayMs: config.observability.shutdownDelayMs });
  const toolsDir = path.resolve(__dirname, '..', '..', '.tools');

  runMain(log, lifecycle, async () => {
    const tracing = startTracing({ endpoint: config.observability.otlpEndpoint, serviceName: config.observability.serviceName, log });
    if (tracing) lifecycle.onStop('tracing', tracing.shutdown);
    installTemporalRuntime(log, { metricsPort: config.observability.temporalMetricsPort });
    // One process, one /metrics (on the API's port): the API's, the database's and the worker's (the SDK's own).
    const metrics = new Metrics({ defaultMetrics: true, temporalMetricsPort: config.observability.temporalMetricsPort });
    log.info({ dataDir: config.dataDir }, 'starting Anxin');
    const bundling = bundleFor(processModules, log, { tracing });

    const database = (async () => {
      if (config.database.url) {
        log.info('using external PostgreSQL from DATABASE_URL');
        return config.database.url;
      }
      log.info({ port: config.database.embeddedPort }, 'starting embedded PostgreSQL');
      const pg = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.database.embeddedPort, database: 'anxin', log });
      lifecycle.onStop('PostgreSQL', pg.stop);
      log.info({ version: pg.version, port: config.database.embeddedPort }, 'PostgreSQL ready');
      return pg.url;
    })();

    const temporal = (async () => {
      if (config.temporal.address) {
        log.info({ address: config.temporal.address }, 'using external Temporal from TEMPORAL_ADDRESS');
        return { address: config.temporal.address, uiUrl: undefined };
      }
      log.info({ port: config.temporal.devServerPort, uiPort: config.temporal.uiPort }, 'starting Temporal dev server');
      const server = await startTemporalDevServer({
        dataDir: config.dataDir,
        toolsDir,
        port: config.temporal.devServerPort,
        uiPort: config.temporal.uiPort,
        namespace: config.temporal.namespace,
        cliPath: config.temporal.cliPath,
        log,
      });
      lifecycle.onStop('Temporal dev server', server.stop);
      log.info({ address: server.address, cli: server.cli?.version.split('\n')[0], source: server.cli?.source }, 'Temporal ready');
      return { address: server.address, uiUrl: server.uiUrl };
    })();

    // Wait for all three even if one fails, so whatever did start is registered and gets stopped.
    const [databaseUrl, temporalServer, bundle] = await settleAll([database, temporal, bundling] as const);

    const orm = await openDatabase({ url: databaseUrl, log });
    lifecycle.onStop('database pool', () => orm.close());
    let demoLoaded = false;
    if (config.demoData) {
      const demo = await loadDemoCity(orm.em.fork(), log);
      demoLoaded = demo.loaded;
      if (demo.loaded) {
        const workflows = await orm.em.fork().transactional((em) => enqueueLifecycleForOpenCases(em));
        log.info({ workflows }, 'loaded the demo city (an empty database was found); DEMO_DATA=false skips this');
      }
    }

    // One set of services for the API and the activities: a step written by a workflow goes through the same code.
    const core = createCore({ orm, temporalAddress: temporalServer.address, config, log, lifecycle, tracing });
    const { relay, services } = core;
    const worker = await startCoreWorker(core, { orm, temporalAddress: temporalServer.address, config, log, lifecycle, bundle, tracing });
    worker.running.catch((err: unknown) => {
      log.fatal({ err }, 'workflow worker failed');
      void lifecycle.stopAll().then(() => process.exit(1));
    });
    log.info({ taskQueue: config.temporal.taskQueue }, 'workflow worker running');
    relay.start();
    await scheduleDailyReports(core, { config, log });
    if (config.demoData) {
      // The demo's dashboard has a report to show from the first minute: today's, for each inspection agency (made once a
      // day; the schedule makes the next ones). Later cases appear in tomorrow's report, not in this one.
      void makeTodaysDemoReports(orm, services, log).catch((err: unknown) => log.warn({ err }, 'the demo daily reports could not be made'));
    }
    if (demoLoaded) {
      // In the background: the lifecycle starts of the demo cases go out first, in outbox order.
      void startDemoProcesses({ orm, services, log, drainOutbox: () => relay.drain() }).catch((err: unknown) =>
        log.warn({ err }, 'demo processes could not all be started'),
      );
    }
    // Without AUTH_JWT_KEYS, a key of this machine's own, kept in the data folder: printed tokens survive restarts.
    const tokens = new Tokens(config.auth.keys ? parseKeys(config.auth.keys) : localDevelopmentKeys(config.dataDir), config.auth.tokenTtl);
    // The dashboard's sign-in lists the demo personas in development (filled once their tokens are written below).
    let personas: DemoPersona[] = [];
    const api = await startApiServer({
      host: config.api.host,
      port: config.api.port,
      graphqlJit: config.api.graphqlJit,
      orm,
      services,
      log,
      tokens,
      production: config.env === 'production',
      rateLimitPerMinute: config.rateLimitPerMinute,
      anonymousRateLimitPerMinute: config.anonymousRateLimitPerMinute,
      exposeErrorDetails: config.env === 'development',
      ...(config.env !== 'production' && config.demoData ? { devPersonas: () => personas } : {}),
      metrics,
      draining: () => lifecycle.draining,
      shutdownGraceMs: config.observability.shutdownGraceMs,
      tracing: !!tracing,
    });
    lifecycle.onStop('GraphQL API', api.stop);

    if (config.demoData) {
      const demo = await writeDemoTokens(orm.em.fork(), tokens, config.dataDir);
      personas = demo.personas;
      process.stdout.write(
        `\nDemo tokens (valid 30 days; every role of every demo agency is in ${demo.file}):\n\n${demo.showcase.join('\n')}\n\n`,
      );
    }
    log.info(
      { graphql: api.url, dashboard: api.dashboardUrl ?? undefined, temporalUi: temporalServer.uiUrl },
      `Anxin ready — GraphQL: ${api.url}${api.dashboardUrl ? ` · Dashboard: ${api.dashboardUrl}` : ''}${
        temporalServer.uiUrl ? ` · Temporal UI: ${temporalServer.uiUrl}` : ''
      }`,
    );
  });
}

/** Today's daily report of each inspection agency of the demo city (the day's existing ones are left as they are). */
async function makeTodaysDemoReports(orm: Orm, services: Services, log: Logger): Promise<void> {
  const day = beijingDate(new Date());
  const agencies = await services.dailyReports.reportingAgencyIds(orm.em.fork());
  for (const agencyId of agencies) {
    await services.dailyReports.make(executionContext({ em: orm.em.fork(), log, operation: 'demo:dailyReport' }), { agencyId, day });
  }
  log.info(
    { day, agencies: agencies.length },
    'demo: today’s daily reports are ready (dailyReports, /reports/<id>.xlsx, /reports/<id>/print)',
  );
}

async function settleAll<T extends readonly unknown[]>(promises: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

boot();
