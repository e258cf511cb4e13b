import { acceptanceDeadline, extendedResolutionDeadline, resolutionDeadline, sameDayContactDeadline } from '../src/cases/deadlines';
import { addWorkingDays, beijingDate, endOfBeijingDay as endOfDay, isWorkingDay, workingDaysBetween } from '../src/domain/working-days';
import { caseDeadlineRules } from '../src/rules/case-deadlines';

/** Beijing wall-clock time → UTC instant (Beijing is UTC+8 all year). */
const bj = (local: string) => new Date(`${local}+08:00`);
const endOfBeijingDay = (date: string) => new Date(`${date}T23:59:59.999+08:00`).toISOString();

describe('working days (State Council calendar, Asia/Shanghai)', () => {
  it('knows the 2026 holidays and the weekend days made into working days (调休)', () => {
    expect(isWorkingDay('2026-10-01')).toBe(false); // National Day
    expect(isWorkingDay('2026-10-10')).toBe(true); // Saturday worked for National Day
    expect(isWorkingDay('2026-02-17')).toBe(false); // Spring Festival
    expect(isWorkingDay('2026-02-14')).toBe(true); // Saturday worked for Spring Festival
    expect(isWorkingDay('2026-11-21')).toBe(false); // an ordinary Saturday
  });

  it('counts 5 working days across the National Day holiday and its adjusted Saturday', () => {
    // Received Wed 30 Sep: Oct 1–7 are off, Thu 8, Fri 9, Sat 10 (调休), Mon 12, Tue 13 are the five.
    expect(addWorkingDays(bj('2026-09-30T10:00:00'), 5).toISOString()).toBe(endOfBeijingDay('2026-10-13'));
    expect(acceptanceDeadline(bj('2026-09-30T10:00:00'), 'WALK_IN').toISOString()).toBe(endOfBeijingDay('2026-10-13'));
    expect(workingDaysBetween(bj('2026-09-30T10:00:00'), bj('2026-10-13T09:00:00'))).toBe(5);
  });

  it('uses the Beijing day, not the UTC day, for an arrival late in the evening', () => {
    // 00:30 on Friday 25 Sep in Beijing is still Thursday in UTC: counted in UTC days, the next working day would
    // be Friday; in Beijing days it is Monday 28 Sep.
    expect(addWorkingDays(bj('2026-09-25T00:30:00'), 1).toISOString()).toBe(endOfBeijingDay('2026-09-28'));
  });

  it('sets same-day contact to the end of a working day, and to the next working morning for night arrivals', () => {
    expect(sameDayContactDeadline(bj('2026-03-02T09:15:00')).toISOString()).toBe(endOfBeijingDay('2026-03-02'));
    // Friday night before Spring Festival: the next working morning is Saturday 14 Feb, a 调休 working day.
    expect(sameDayContactDeadline(bj('2026-02-13T20:00:00')).toISOString()).toBe(bj('2026-02-14T12:00:00').toISOString());
    // Arriving on the first day of the holiday: the next working morning is after it (Feb 24).
    expect(sameDayContactDeadline(bj('2026-02-16T10:00:00')).toISOString()).toBe(bj('2026-02-24T12:00:00').toISOString());
  });

  it('takes the strictest clock: the statute’s 60 working days, or the 12345 hotline’s shorter one', () => {
    const accepted = bj('2026-03-02T10:00:00');
    expect(workingDaysBetween(accepted, resolutionDeadline(accepted, 'WALK_IN'))).toBe(60);
    expect(workingDaysBetween(accepted, resolutionDeadline(accepted, 'HOTLINE_12345'))).toBe(
      caseDeadlineRules.channels.HOTLINE_12345!.resolution!.workingDays,
    );
    expect(workingDaysBetween(accepted, acceptanceDeadline(accepted, 'HOTLINE_12345'))).toBe(1);
    const due = resolutionDeadline(accepted, 'WALK_IN');
    expect(workingDaysBetween(due, extendedResolutionDeadline(due))).toBe(30);
  });

  it('names the legal source of every clock', () => {
    for (const rule of [
      caseDeadlineRules.acceptance,
      caseDeadlineRules.resolution,
      caseDeadlineRules.resolutionExtension,
      caseDeadlineRules.sameDayContact,
    ]) {
      expect(rule.source.length).toBeGreaterThan(10);
    }
    expect(caseDeadlineRules.resolution.source).toMatch(/第十七条/);
  });

  it('keeps the Beijing day the time-zone database gives, every 7 hours from 1992 to 2040', () => {
    const byZone = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });
    const mismatches: string[] = [];
    for (let t = Date.UTC(1992, 0, 1); t < Date.UTC(2040, 0, 1); t += 7 * 3_600_000) {
      const at = new Date(t);
      if (beijingDate(at) !== byZone.format(at)) mismatches.push(at.toISOString());
    }
    expect(mismatches).toEqual([]);
    expect(endOfDay(new Date('2026-12-31T16:30:00Z')).toISOString()).toBe('2027-01-01T15:59:59.999Z');
  });
});
