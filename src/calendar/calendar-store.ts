import type { EntityManager } from '@mikro-orm/postgresql';
import { installHolidayCalendar, knownHolidayYears, type CalendarDayKind, type HolidayYear } from '../domain/holiday-calendar';
import type { Logger } from '../logger';

/** The State Council schedule as the database holds it (`calendar_year`, `calendar_day`), every known year. */
export async function readHolidayCalendar(em: EntityManager): Promise<HolidayYear[]> {
  const conn = em.getConnection();
  const tx = em.getTransactionContext();
  const years = await conn.execute<Array<{ year: number; source: string }>>(
    `select year, source from calendar_year order by year`,
    [],
    'all',
    tx,
  );
  const days = await conn.execute<Array<{ day: string; kind: CalendarDayKind; name: string; year: number }>>(
    `select to_char(day, 'YYYY-MM-DD') as day, kind, name, year from calendar_day order by day`,
    [],
    'all',
    tx,
  );
  const byYear = new Map<number, HolidayYear>(years.map((y) => [y.year, { year: y.year, source: y.source, days: [] }]));
  for (const d of days) byYear.get(d.year)?.days.push({ date: d.day, kind: d.kind, name: d.name });
  return [...byYear.values()];
}

/**
 * Loads the database's calendar into memory, where the working-day functions read it synchronously: once when a
 * process opens its database, and again after a year is loaded. A database whose migrations have not run yet (a
 * worker started before the API migrated) keeps the checked-in schedule, and says so.
 */
export async function loadHolidayCalendar(em: EntityManager, log: Logger): Promise<void> {
  try {
    installHolidayCalendar(await readHolidayCalendar(em));
    const years = knownHolidayYears();
    log.debug({ from: years[0], to: years[years.length - 1] }, 'holiday calendar loaded');
  } catch (err) {
    if ((err as { code?: string }).code !== '42P01') throw err; // undefined_table: not migrated yet
    log.warn('the holiday calendar tables do not exist yet: counting on the checked-in schedule until they do');
  }
}
