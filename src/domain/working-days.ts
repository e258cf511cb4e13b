import { DateTime, FixedOffsetZone } from 'luxon';
import { installHolidayCalendar, isKnownYear, isPastHorizon, scheduledDay } from './holiday-calendar';
import { checkedInSchedule } from './state-council-schedule';

/**
 * Days and deadlines are Beijing's: a "day" is a calendar day in Asia/Shanghai, and working days follow the
 * State Council holiday schedule with its adjusted working weekends (调休), as the database holds it
 * (src/domain/holiday-calendar.ts). A day of a year whose schedule is not loaded yet is counted on weekdays only,
 * and a deadline counted across such a day is provisional (`isProvisionalDeadline`). Instants stay UTC `Date`s;
 * only the day arithmetic happens in the zone.
 */
export const ZONE = 'Asia/Shanghai';

/**
 * Asia/Shanghai as the fixed UTC+8 it has been since 1991 (its last summer time): the same Beijing days for
 * every date this system handles, without a time-zone database lookup at each step of the day arithmetic,
 * which was a twentieth of an intake's CPU.
 */
const BEIJING = FixedOffsetZone.instance(8 * 60);

function local(at: Date): DateTime {
  return DateTime.fromJSDate(at, { zone: BEIJING });
}

/** The calendar date in Beijing, YYYY-MM-DD. */
export function beijingDate(at: Date): string {
  return local(at).toISODate()!;
}

// Until the database's calendar is loaded (openDatabase does it), the checked-in schedule the migration seeds.
installHolidayCalendar(checkedInSchedule());

/** A working day: not a holiday of the schedule, and a weekday or a weekend day worked (调休); weekdays only in a year not loaded. */
export function isWorkingDay(isoDate: string): boolean {
  const kind = scheduledDay(isoDate);
  if (kind === 'HOLIDAY') return false;
  if (kind === 'ADJUSTED_WORKDAY' && isKnownYear(isoDate)) return true;
  const weekday = new Date(`${isoDate}T00:00:00Z`).getUTCDay(); // the date's own weekday: 0 = Sunday … 6 = Saturday
  return weekday !== 0 && weekday !== 6;
}

/**
 * A deadline counted in working days is provisional when its day lies past the last day of the loaded
 * schedule: some of the days counted to reach it were counted on weekdays only, and the State Council's notice
 * for that year may make them holidays (or make a weekend day a working day). Loading the year makes it exact.
 */
export function isProvisionalDeadline(due: Date): boolean {
  return isPastHorizon(beijingDate(due));
}

/** The last instant of the Beijing day that `at` falls on. */
export function endOfBeijingDay(at: Date): Date {
  return local(at).endOf('day').toJSDate();
}

/** The first working day strictly after the Beijing day of `at`, as a local DateTime at 00:00. */
function nextWorkingDay(day: DateTime): DateTime {
  let d = day.startOf('day').plus({ days: 1 });
  while (!isWorkingDay(d.toISODate()!)) d = d.plus({ days: 1 });
  return d;
}

/**
 * The end of the n-th working day after the day of `from` ("within n working days": the day of the event
 * itself does not count). n = 0 gives the end of that same day.
 */
export function addWorkingDays(from: Date, n: number): Date {
  let day = local(from).startOf('day');
  for (let i = 0; i < n; i++) day = nextWorkingDay(day);
  return day.endOf('day').toJSDate();
}

/** The number of working days after the day of `from` up to and including the day of `to`. */
export function workingDaysBetween(from: Date, to: Date): number {
  let day = local(from).startOf('day');
  const last = local(to).startOf('day');
  let n = 0;
  while (day < last) {
    day = day.plus({ days: 1 });
    if (isWorkingDay(day.toISODate()!)) n++;
  }
  return n;
}

/**
 * A time of day on the next working day after `at`, e.g. "next working morning" = 12:00 of that day.
 */
export function nextWorkingDayAt(at: Date, hhmm: string): Date {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return nextWorkingDay(local(at)).set({ hour: h, minute: m, second: 0, millisecond: 0 }).toJSDate();
}

/** Minutes since local midnight of `at` in Beijing. */
export function beijingMinuteOfDay(at: Date): number {
  const t = local(at);
  return t.hour * 60 + t.minute;
}
