import 'reflect-metadata';
import { parseKeys, Tokens } from './auth/tokens';
import { startApiServer } from './api/server';
import { createCore } from './composition';
import { loadConfigOrExit } from './config';
import { openDatabase } from './db/database';
import { Lifecycle, runMain } from './lifecycle';
import { createLogger } from './logger';
import { Metrics } from './observability/metrics';
import { startTracing } from './observability/tracing';

/** `npm run api`: the GraphQL API alone, against an external PostgreSQL and Temporal (production layout). */
function boot(): void {
  const config = loadConfigOrExit('api');
  const log = createLogger(config);
  const lifecycle = new Lifecycle(log, { drainDelayMs: config.observability.shutdownDelayMs });
  runMain(log, lifecycle, async () => {
    const tracing = startTracing({ endpoint: config.observability.otlpEndpoint, serviceName: config.observability.serviceName, log });
    if (tracing) lifecycle.onStop('tracing', tracing.shutdown);
    const orm = await openDatabase({ url: config.database.url!, log });
    lifecycle.onStop('database pool', () => orm.close());
    // The API delivers what it just committed at once; the worker's relay polls for anything left behind.
    const { services } = createCore({ orm, temporalAddress: config.temporal.address!, config, log, lifecycle, tracing });
    const api = await startApiServer({
      host: config.api.host,
      port: config.api.port,
      graphqlJit: config.api.graphqlJit,
      orm,
      services,
      log,
      tokens: new Tokens(parseKeys(config.auth.keys!), config.auth.tokenTtl),
      production: config.env === 'production',
      rateLimitPerMinute: config.rateLimitPerMinute,
      anonymousRateLimitPerMinute: config.anonymousRateLimitPerMinute,
      metrics: new Metrics({ defaultMetrics: true }),
      draining: () => lifecycle.draining,
      shutdownGraceMs: config.observability.shutdownGraceMs,
      tracing: !!tracing,
    });
    lifecycle.onStop('GraphQL API', api.stop);
    log.info(
      { graphql: api.url, dashboard: api.dashboardUrl ?? undefined },
      `Anxin API ready — GraphQL: ${api.url}${api.dashboardUrl ? ` · Dashboard: ${api.dashboardUrl}` : ''}`,
    );
  });
}

boot();
