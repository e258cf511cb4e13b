import { MikroORM } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import type { Logger } from '../logger';
import { ormConfig } from './orm-config';
import { applySqlSources } from './sql-sources';
import { loadHolidayCalendar } from '../calendar/calendar-store';

export type Orm = MikroORM;

/**
 * The PostgreSQL session advisory lock that serialises schema changes: `pg_advisory_lock(hashtextextended('anxin:migrate',
 * 0))`. Every process that migrates (`npm start`, `npm run api`, `npm run migrate`) takes it on a connection of its own
 * and holds it for the whole step (the versioned migrations, then the SQL sources), so processes started together on one
 * database apply each migration once: the first applies, the others wait and then find nothing to apply. An operator
 * sees the holder in `pg_locks` (`locktype = 'advisory'`); a process that dies while holding it releases it with its
 * session.
 */
export const MIGRATION_LOCK_KEY = 'anxin:migrate';

/** Connects, brings the schema up to date (migrations are the only way the schema changes) and loads the holiday calendar. */
export async function openDatabase(opts: { url: string; log: Logger; migrate?: boolean; onQuery?: (sql: string) => void }): Promise<Orm> {
  const orm = await MikroORM.init(ormConfig({ clientUrl: opts.url, log: opts.log, onQuery: opts.onQuery }));
  if (opts.migrate !== false) {
    try {
      await migrateDatabase(orm, { url: opts.url, log: opts.log });
    } catch (err) {
      await orm.close(true);
      throw err;
    }
  }
  // The working-day functions count on the holiday calendar the database holds.
  await loadHolidayCalendar(orm.em.fork(), opts.log);
  return orm;
}

/**
 * Applies the pending migrations, then the changed SQL sources, under the migration lock (`MIGRATION_LOCK_KEY`),
 * held on one connection outside the ORM's pool for the whole step; answers what it applied (nothing when another
 * process got there first).
 */
export async function migrateDatabase(orm: Orm, opts: { url: string; log: Logger }): Promise<{ migrations: string[]; sources: string[] }> {
  const lock = new Client({ connectionString: opts.url, application_name: 'anxin migrate lock' });
  // PostgreSQL ending the session (a shutdown) releases the lock; the migrations fail on their own connection.
  lock.on('error', (err) => opts.log.warn({ err }, 'migration lock connection lost'));
  await lock.connect();
  try {
    const [tried] = (
      await lock.query<{ got: boolean }>('select pg_try_advisory_lock(hashtextextended($1, 0)) as got', [MIGRATION_LOCK_KEY])
    ).rows;
    if (!tried?.got) {
      opts.log.info({ lock: MIGRATION_LOCK_KEY }, 'another process is migrating the database: waiting for it');
      await lock.query('select pg_advisory_lock(hashtextextended($1, 0))', [MIGRATION_LOCK_KEY]);
    }
    const migrations = (await orm.getMigrator().up()).map((m) => m.name);
    if (migrations.length > 0) opts.log.info({ migrations }, 'applied database migrations');
    const sources = await applySqlSources(orm);
    if (sources.length > 0) opts.log.info({ sources }, 'applied database functions and triggers');
    await lock.query('select pg_advisory_unlock(hashtextextended($1, 0))', [MIGRATION_LOCK_KEY]);
    return { migrations, sources };
  } finally {
    // Ending the session releases the lock too, if an error left it held.
    await lock.end().catch(() => undefined);
  }
}

export async function databaseIsUp(orm: Orm): Promise<boolean> {
  try {
    await orm.em.getConnection().execute('select 1');
    return true;
  } catch {
    return false;
  }
}
