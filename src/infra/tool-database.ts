import type { Config } from '../config';
import type { Lifecycle } from '../lifecycle';
import type { Logger } from '../logger';
import { startEmbeddedPostgres } from './embedded-postgres';

/**
 * The database a tool (seed, benchmarks) works on: DATABASE_URL, or the embedded PostgreSQL on DATA_DIR
 * started the way `npm start` starts it and stopped with the tool.
 */
export async function toolDatabaseUrl(config: Pick<Config, 'dataDir' | 'database'>, log: Logger, lifecycle: Lifecycle): Promise<string> {
  if (config.database.url) return config.database.url;
  log.info({ port: config.database.embeddedPort, dataDir: config.dataDir }, 'starting embedded PostgreSQL');
  try {
    const pg = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.database.embeddedPort, database: 'anxin', log });
    lifecycle.onStop('PostgreSQL', pg.stop);
    return pg.url;
  } catch (err) {
    // The usual cause: `npm start` already runs a server on this data directory.
    throw new Error(
      `could not start the embedded PostgreSQL (is \`npm start\` running on ${config.dataDir}? stop it, or run with ` +
        `DATABASE_URL=postgresql://anxin:anxin-local@127.0.0.1:${config.database.embeddedPort}/anxin): ${(err as Error).message}`,
    );
  }
}
