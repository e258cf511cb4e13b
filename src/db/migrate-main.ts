import 'reflect-metadata';
import { loadConfigOrExit } from '../config';
import { toolDatabaseUrl } from '../infra/tool-database';
import { Lifecycle, runMain } from '../lifecycle';
import { createLogger } from '../logger';
import { migrateDatabase, openDatabase } from './database';

/**
 * `npm run migrate`: brings the database (DATABASE_URL, or the embedded one on DATA_DIR) up to date and stops,
 * for a deployment that migrates before it starts the API (which would otherwise apply them itself).
 */
function boot(): void {
  const config = loadConfigOrExit('tool');
  const log = createLogger(config);
  const lifecycle = new Lifecycle(log);
  runMain(log, lifecycle, async () => {
    const url = await toolDatabaseUrl(config, log, lifecycle);
    const orm = await openDatabase({ url, log, migrate: false });
    lifecycle.onStop('database pool', () => orm.close());
    // Under the same lock as every process that migrates at start (MIGRATION_LOCK_KEY): one migrator at a time.
    const { migrations, sources } = await migrateDatabase(orm, { url, log });
    log.info(
      { migrations, sources },
      migrations.length || sources.length
        ? `applied ${migrations.length} migrations and ${sources.length} function and trigger sources`
        : 'the database is up to date',
    );
    await lifecycle.stopAll();
  });
}

boot();
