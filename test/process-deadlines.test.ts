import { dispatchDeadlines } from '../src/processes/three-way-dispatch/dispatch-deadlines';

const beijing = (iso: string) => new Date(`${iso}+08:00`);
const endOf = (day: string) => new Date(`${day}T23:59:59.999+08:00`).toISOString();

/**
 * The dispatch's working-day deadlines across the 2026 National Day holiday (1–7 October, with Saturday
 * 10 October made a working day): the instants the workflow's timers then wait for (tested on the
 * time-skipping server in three-way-dispatch.test.ts).
 */
describe('dispatch deadlines on the working-day calendar', () => {
  it('sent on the eve of National Day: acknowledge by the end of 8 October, report by the end of the adjusted Saturday', () => {
    const d = dispatchDeadlines(beijing('2026-09-30T10:00:00'));
    expect(d.acknowledgeDue.toISOString()).toBe(endOf('2026-10-08'));
    expect(d.reportDue.toISOString()).toBe(endOf('2026-10-10'));
    expect(d.ladder.map((r) => [r.level, r.acknowledgeAt.toISOString(), r.reportAt.toISOString()])).toEqual([
      ['REMINDER', endOf('2026-10-08'), endOf('2026-10-10')],
      ['SUPERVISOR', endOf('2026-10-09'), endOf('2026-10-12')], // Sunday the 11th is a day off
      ['CITY_DAILY_REPORT', endOf('2026-10-10'), endOf('2026-10-13')],
    ]);
  });

  it('sent on a Friday evening: the next working day is Monday', () => {
    const d = dispatchDeadlines(beijing('2026-11-27T21:30:00'));
    expect(d.acknowledgeDue.toISOString()).toBe(endOf('2026-11-30'));
    expect(d.reportDue.toISOString()).toBe(endOf('2026-12-02'));
  });
});
