import { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from '../logger';
import { ormConfig } from './orm-config';
import { applySqlSources } from './sql-sources';
import { loadHolidayCalendar } from '../calendar/calendar-store';

export type Orm = MikroORM;

/** Connects, brings the schema up to date (migrations are the only way the schema changes) and loads the holiday calendar. */
export async function openDatabase(opts: { url: string; log: Logger; migrate?: boolean; onQuery?: (sql: string) => void }): Promise<Orm> {
  const orm = await MikroORM.init(ormConfig({ clientUrl: opts.url, log: opts.log, onQuery: opts.onQuery }));
  if (opts.migrate !== false) {
    const applied = await orm.getMigrator().up();
    if (applied.length > 0) opts.log.info({ migrations: applied.map((m) => m.name) }, 'applied database migrations');
    const sources = await applySqlSources(orm);
    if (sources.length > 0) opts.log.info({ sources }, 'applied database functions and triggers');
  }
  // The working-day functions count on the holiday calendar the database holds.
  await loadHolidayCalendar(orm.em.fork(), opts.log);
  return orm;
}

export async function databaseIsUp(orm: Orm): Promise<boolean> {
  try {
    await orm.em.getConnection().execute('select 1');
    return true;
  } catch {
    return false;
  }
}
