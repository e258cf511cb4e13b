/**
 * The State Council holiday schedule the working-day functions count on, held in memory so that they stay
 * synchronous: the database (`calendar_day`, `calendar_year`) is the record, loaded here when the system starts
 * (`openDatabase`) and again whenever an administrator loads a year. Until then it holds the checked-in schedule
 * the migration seeds the database with (src/domain/state-council-schedule.ts).
 *
 * A year is either known (every holiday and every worked weekend day of it is listed) or not: a day of a year not
 * known is counted on weekdays only, and a deadline that falls past the last known day is provisional.
 */
export const CALENDAR_DAY_KINDS = ['HOLIDAY', 'ADJUSTED_WORKDAY'] as const;
/** HOLIDAY: a day off (放假, weekends inside a holiday included); ADJUSTED_WORKDAY: a weekend day worked (调休上班). */
export type CalendarDayKind = (typeof CALENDAR_DAY_KINDS)[number];

export interface CalendarDay {
  /** YYYY-MM-DD, a Beijing calendar day. */
  date: string;
  kind: CalendarDayKind;
  /** The holiday it belongs to (元旦, 春节 …). */
  name: string;
}

export interface HolidayYear {
  year: number;
  /** The State Council notice it was taken from. */
  source: string;
  days: CalendarDay[];
}

interface Calendar {
  years: ReadonlySet<number>;
  days: ReadonlyMap<string, CalendarDayKind>;
  /** The last day of the last known year, YYYY-MM-DD, or '' when no year is known. */
  horizon: string;
}

function build(years: readonly HolidayYear[]): Calendar {
  const known = new Set(years.map((y) => y.year));
  const days = new Map<string, CalendarDayKind>();
  for (const y of years) for (const d of y.days) days.set(d.date, d.kind);
  const last = known.size ? Math.max(...known) : undefined;
  return { years: known, days, horizon: last === undefined ? '' : `${last}-12-31` };
}

let calendar: Calendar = build([]);
let installed: readonly HolidayYear[] = [];

/** Replaces the calendar with these years (the database's, at startup). */
export function installHolidayCalendar(years: readonly HolidayYear[]): void {
  installed = [...years];
  calendar = build(installed);
}

/** The calendar with `year` added (or replaced), as it would be after loading it. */
export function withHolidayYear(year: HolidayYear): HolidayYear[] {
  return [...installed.filter((y) => y.year !== year.year), year].sort((a, b) => a.year - b.year);
}

/** The years installed now (to restore them if a load is rolled back). */
export function installedHolidayYears(): readonly HolidayYear[] {
  return installed;
}

/** The years the calendar knows, ascending. */
export function knownHolidayYears(): number[] {
  return [...calendar.years].sort((a, b) => a - b);
}

/** The last day the calendar knows (YYYY-MM-DD), or null when it knows no year. */
export function calendarHorizon(): string | null {
  return calendar.horizon || null;
}

/** The schedule's word on a day: a holiday, a worked weekend day, or nothing (an ordinary day, or a year not known). */
export function scheduledDay(isoDate: string): CalendarDayKind | undefined {
  return calendar.days.get(isoDate);
}

/** Whether the schedule for this day's year is known. */
export function isKnownYear(isoDate: string): boolean {
  return calendar.years.has(Number(isoDate.slice(0, 4)));
}

/** A day past the calendar's horizon: counted on weekdays only, so what is counted across it is provisional. */
export function isPastHorizon(isoDate: string): boolean {
  return !calendar.horizon || isoDate > calendar.horizon;
}
