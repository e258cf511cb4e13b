import { DateTime, FixedOffsetZone } from 'luxon';
import { isWorkingDay } from './working-days';

/**
 * Periods counted in calendar days, as 民法典 第二百零一条至第二百零三条 count them: the day on which the period
 * starts is not counted (art. 201), the period ends at 24:00 of its last day (art. 203), and when the last day is
 * a statutory holiday the day after the holiday ends becomes the last day (art. 203). "Holiday" here is a day that
 * is not a working day on the State Council calendar of working-days.ts (weekends included, adjusted working
 * weekends 调休 excluded). Days are Beijing's; the instant returned is UTC.
 */
const BEIJING = FixedOffsetZone.instance(8 * 60);

/** The instant a period of `days` calendar days that starts at `start` ends: 24:00 Beijing of its last day. */
export function calendarPeriodEnd(start: Date, days: number): Date {
  if (!Number.isInteger(days) || days < 1) throw new RangeError(`a calendar-day period has a whole number of days ≥ 1, not ${days}`);
  let last = DateTime.fromJSDate(start, { zone: BEIJING }).startOf('day').plus({ days });
  while (!isWorkingDay(last.toISODate()!)) last = last.plus({ days: 1 });
  return last.plus({ days: 1 }).toJSDate(); // 24:00 of the last day = 00:00 of the day after
}
