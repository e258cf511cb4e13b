import 'reflect-metadata';
import { loadConfigOrExit } from '../config';
import { toolDatabaseUrl } from '../infra/tool-database';
import { Lifecycle, runMain } from '../lifecycle';
import { createLogger } from '../logger';
import { openDatabase } from './database';
import { applySqlSources } from './sql-sources';

/**
 * `npm run migrate`: brings the database (DATABASE_URL, or the embedded one on DATA_DIR) up to date and stops,
 * for a deployment that migrates before it starts the API (which would otherwise apply them itself).
 */
function boot(): void {
  const config = loadConfigOrExit('tool');
  const log = createLogger(config);
  const lifecycle = new Lifecycle(log);
  runMain(log, lifecycle, async () => {
    const orm = await openDatabase({ url: await toolDatabaseUrl(config, log, lifecycle), log, migrate: false });
    lifecycle.onStop('database pool', () => orm.close());
    const applied = await orm.getMigrator().up();
    const sources = await applySqlSources(orm);
    log.info(
      { migrations: applied.map((m) => m.name), sources },
      applied.length || sources.length
        ? `applied ${applied.length} migrations and ${sources.length} function and trigger sources`
        : 'the database is up to date',
    );
    await lifecycle.stopAll();
  });
}

boot();
