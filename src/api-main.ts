import 'reflect-metadata';
import { Connection } from '@temporalio/client';
import { createServices } from './api/services';
import { startApiServer } from './api/server';
import { ConfigError, loadConfig } from './config';
import { openDatabase } from './db/database';
import { Lifecycle, runMain } from './lifecycle';
import { createLogger } from './logger';

/** `npm run api`: the GraphQL API alone, against an external PostgreSQL and Temporal (production layout). */
function boot(): void {
  let config;
  try {
    config = loadConfig(process.env, 'api');
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message);
    process.exit(2);
  }
  const log = createLogger(config);
  const lifecycle = new Lifecycle(log);
  runMain(log, lifecycle, async () => {
    const orm = await openDatabase({ url: config.database.url!, log });
    lifecycle.onStop('database pool', () => orm.close());
    const temporal = Connection.lazy({ address: config.temporal.address! });
    lifecycle.onStop('Temporal client', () => temporal.close());
    const api = await startApiServer({ host: config.api.host, port: config.api.port, orm, services: createServices({ orm, temporal }), config, log });
    lifecycle.onStop('GraphQL API', api.stop);
    log.info({ graphql: api.url }, `Anxin API ready — GraphQL: ${api.url}`);
  });
}

boot();
