import { calendarPeriodEnd } from '../src/domain/calendar-periods';
import { calendarDayCounting, mediationRules, policeReferralRules } from '../src/rules/process-rules';

/** Beijing wall-clock time → UTC instant (Beijing is UTC+8 all year). */
const bj = (local: string) => new Date(`${local}+08:00`);
/** 24:00 Beijing of a day, i.e. 00:00 of the day after. */
const midnightAfter = (date: string) => new Date(new Date(`${date}T00:00:00+08:00`).getTime() + 86_400_000).toISOString();

describe('calendar-day periods (民法典 arts. 201–203)', () => {
  it('does not count the day the period starts and ends at 24:00 Beijing of its last day', () => {
    // Sent Tuesday 1 Dec 2026 at 09:00: days 1, 2, 3 are Wed, Thu, Fri; the period ends as Friday ends.
    expect(calendarPeriodEnd(bj('2026-12-01T09:00:00'), 3).toISOString()).toBe(midnightAfter('2026-12-04'));
    // The same whether the period starts at 00:01 or 23:59 of that day.
    expect(calendarPeriodEnd(bj('2026-12-01T00:01:00'), 3).toISOString()).toBe(midnightAfter('2026-12-04'));
    expect(calendarPeriodEnd(bj('2026-12-01T23:59:00'), 3).toISOString()).toBe(midnightAfter('2026-12-04'));
  });

  it('counts Beijing days, not UTC days: 07:30 Beijing on 1 Dec is still 30 Nov in UTC', () => {
    expect(calendarPeriodEnd(bj('2026-12-01T07:30:00'), 3).toISOString()).toBe(midnightAfter('2026-12-04'));
  });

  it('a Friday afternoon start before an ordinary weekend ends at 24:00 of Monday, not 72 hours later', () => {
    const sent = bj('2026-12-04T15:00:00');
    const end = calendarPeriodEnd(sent, 3);
    expect(end.toISOString()).toBe(midnightAfter('2026-12-07'));
    expect(end.getTime() - sent.getTime()).toBe(81 * 3_600_000); // 72 h would end at Monday 15:00
  });

  it('moves a last day that falls on a weekend to the end of the next working day', () => {
    // Wednesday 2 Dec + 3 = Saturday 5 Dec: the period ends as Monday 7 Dec ends.
    expect(calendarPeriodEnd(bj('2026-12-02T10:00:00'), 3).toISOString()).toBe(midnightAfter('2026-12-07'));
  });

  it('moves a last day inside the 2026 National Day holiday (1–7 Oct) to the end of 8 Oct', () => {
    // Monday 28 Sep + 3 = Thursday 1 Oct, a holiday; Oct 1–7 are off, Thursday 8 Oct is the first working day.
    expect(calendarPeriodEnd(bj('2026-09-28T15:00:00'), 3).toISOString()).toBe(midnightAfter('2026-10-08'));
    // Starting inside the holiday: 3 Oct + 3 = 6 Oct, still the holiday → 8 Oct.
    expect(calendarPeriodEnd(bj('2026-10-03T11:00:00'), 3).toISOString()).toBe(midnightAfter('2026-10-08'));
    // A last day that is not a holiday is not moved even when the days before it were: 5 Oct + 3 = 8 Oct.
    expect(calendarPeriodEnd(bj('2026-10-05T11:00:00'), 3).toISOString()).toBe(midnightAfter('2026-10-08'));
    // A weekend day worked for the holiday (调休 Saturday 10 Oct) is a working day: no move.
    expect(calendarPeriodEnd(bj('2026-10-07T11:00:00'), 3).toISOString()).toBe(midnightAfter('2026-10-10'));
  });

  it('counts the mediation window of 15 days the same way', () => {
    // 16 Sep + 15 = 1 Oct (National Day) → 8 Oct.
    expect(calendarPeriodEnd(bj('2026-09-16T10:00:00'), 15).toISOString()).toBe(midnightAfter('2026-10-08'));
    // 1 Dec + 15 = Wednesday 16 Dec.
    expect(calendarPeriodEnd(bj('2026-12-01T10:00:00'), 15).toISOString()).toBe(midnightAfter('2026-12-16'));
  });

  it('refuses a period that is not a whole number of days', () => {
    expect(() => calendarPeriodEnd(bj('2026-12-01T10:00:00'), 0)).toThrow(RangeError);
    expect(() => calendarPeriodEnd(bj('2026-12-01T10:00:00'), 1.5)).toThrow(RangeError);
  });

  it('the rule table says how each process clock is counted, and cites the Civil Code for calendar days', () => {
    const r = policeReferralRules;
    expect([r.approval, r.policeDecision, r.reconsiderationRequest, r.reconsiderationDecision].map((c) => [c.counting, c.days])).toEqual([
      ['CALENDAR_DAYS', 3],
      ['CALENDAR_DAYS', 3],
      ['CALENDAR_DAYS', 3],
      ['CALENDAR_DAYS', 3],
    ]);
    expect(r.send).toMatchObject({ counting: 'HOURS', duration: '24 hours' });
    expect(mediationRules.agreementWindow).toMatchObject({ counting: 'CALENDAR_DAYS', days: 15 });
    expect(calendarDayCounting.source).toMatch(/民法典 第二百零一条.*第二百零三条/);
  });
});
