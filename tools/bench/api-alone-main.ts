import 'reflect-metadata';
import { Connection } from '@temporalio/client';
import { createServices } from '../../src/app/services';
import { processModules } from '../../src/processes/registry';
import { startApiServer } from '../../src/api/server';
import { localDevelopmentKeys, parseKeys, Tokens } from '../../src/auth/tokens';
import { loadConfigOrExit } from '../../src/config';
import { openDatabase } from '../../src/db/database';
import { toolDatabaseUrl } from '../../src/infra/tool-database';
import { Lifecycle, runMain } from '../../src/lifecycle';
import { createLogger } from '../../src/logger';

/**
 * `npm run bench:api-alone`: the GraphQL API and its PostgreSQL (DATA_DIR's embedded one, or DATABASE_URL)
 * without the Temporal server, the worker or the outbox relay, for measuring the API tier with `npm run
 * bench:api` on a machine too small to give the workflow engine CPUs of its own. In production Temporal runs
 * on its own hosts; here the workflow starts that intakes queue in the outbox wait for the next `npm start`,
 * which delivers them. Tokens are those `npm start` wrote for the same DATA_DIR.
 */
function boot(): void {
  const config = loadConfigOrExit('tool');
  const log = createLogger(config);
  const lifecycle = new Lifecycle(log);
  runMain(log, lifecycle, async () => {
    const url = await toolDatabaseUrl(config, log, lifecycle);
    const orm = await openDatabase({ url, log });
    lifecycle.onStop('database pool', () => orm.close());
    // No Temporal here: nothing in the API's request path calls it (starts and signals go through the outbox).
    const temporal = Connection.lazy({ address: '127.0.0.1:1' });
    const services = createServices({ orm, caseStatusLimits: config.caseStatusLimits, temporal, processModules });
    const tokens = new Tokens(config.auth.keys ? parseKeys(config.auth.keys) : localDevelopmentKeys(config.dataDir), config.auth.tokenTtl);
    const api = await startApiServer({
      host: config.api.host,
      port: config.api.port,
      orm,
      services,
      log,
      tokens,
      production: config.env === 'production',
      rateLimitPerMinute: config.rateLimitPerMinute,
      anonymousRateLimitPerMinute: config.anonymousRateLimitPerMinute,
    });
    lifecycle.onStop('GraphQL API', api.stop);
    log.info({ graphql: api.url }, `Anxin API (alone, for benchmarks) ready — GraphQL: ${api.url}`);
  });
}

boot();
