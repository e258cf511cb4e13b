import {
  recountProvisionalDeadlines,
  resolutionDeadline,
  extendedResolutionDeadline,
  acceptanceDeadline,
  strictestAcceptanceDeadline,
  strictestResolutionDeadline,
} from '../src/cases/deadlines';
import { validateHolidayYear, type LoadHolidayYearInput } from '../src/calendar/holiday-calendar.service';
import {
  calendarHorizon,
  installedHolidayYears,
  installHolidayCalendar,
  knownHolidayYears,
  withHolidayYear,
  type HolidayYear,
} from '../src/domain/holiday-calendar';
import { checkedInSchedule } from '../src/domain/state-council-schedule';
import { addWorkingDays, beijingDate, isProvisionalDeadline, isWorkingDay, workingDaysBetween } from '../src/domain/working-days';
import fixture2027 from './fixtures/holiday-year-2027.fixture.json';

/** Beijing wall-clock time → UTC instant (Beijing is UTC+8 all year). */
const bj = (local: string) => new Date(`${local}+08:00`);
const endOfBeijingDay = (date: string) => new Date(`${date}T23:59:59.999+08:00`).toISOString();
/** A clearly labelled test fixture (New Year and Spring Festival 2027), not the State Council's notice. */
const fixture = fixture2027 as LoadHolidayYearInput as HolidayYear;

/**
 * The holiday calendar as data (issue 14, legal clocks item 1): the State Council schedule the working-day
 * functions count on, a year past it counted on weekdays and flagged provisional, and a loaded year making it exact.
 */
describe('holiday calendar', () => {
  const original = installedHolidayYears();
  afterEach(() => installHolidayCalendar(original));

  it('knows 2004–2026 from the checked-in schedule, and nothing of 2027', () => {
    expect(knownHolidayYears()).toEqual(Array.from({ length: 23 }, (_, i) => 2004 + i));
    expect(calendarHorizon()).toBe('2026-12-31');
    expect(checkedInSchedule().find((y) => y.year === 2026)!.days).toContainEqual({ date: '2026-10-01', kind: 'HOLIDAY', name: '国庆节' });
    // 2027 is counted on weekdays only: New Year's Day (a Friday) and the Spring Festival Monday are "working days".
    expect(isWorkingDay('2027-01-01')).toBe(true);
    expect(isWorkingDay('2027-02-08')).toBe(true);
    expect(isWorkingDay('2027-01-02')).toBe(false); // a Saturday
  });

  it('2027-01-01 is not a working day once 2027 is loaded, and a deadline across it is provisional before and exact after', () => {
    const accepted = bj('2026-11-30T10:00:00');
    const before = resolutionDeadline(accepted, 'WALK_IN');
    // 60 weekdays from 30 Nov 2026: the 2027-02-22, about a week early.
    expect(before.toISOString()).toBe(endOfBeijingDay('2027-02-22'));
    expect(isProvisionalDeadline(before)).toBe(true);
    // A deadline inside the known calendar is exact.
    expect(isProvisionalDeadline(acceptanceDeadline(accepted, 'WALK_IN'))).toBe(false);

    installHolidayCalendar(withHolidayYear(fixture));
    expect(isWorkingDay('2027-01-01')).toBe(false);
    expect(isWorkingDay('2027-02-08')).toBe(false);
    expect(isWorkingDay('2027-02-20')).toBe(true); // a Saturday worked (调休) in the fixture
    const after = resolutionDeadline(accepted, 'WALK_IN');
    // Six weekdays off (1 Jan, 8–12 Feb) and one Saturday worked (20 Feb): five working days later.
    expect(after.toISOString()).toBe(endOfBeijingDay('2027-03-01'));
    expect(workingDaysBetween(accepted, after)).toBe(60);
    expect(isProvisionalDeadline(after)).toBe(false);
    expect(calendarHorizon()).toBe('2027-12-31');
  });

  it('counts again only the provisional deadlines of a case, the extension with its resolution deadline', () => {
    const accepted = bj('2026-11-30T10:00:00');
    const resolutionDue = resolutionDeadline(accepted, 'WALK_IN');
    const resolutionExtendedDue = extendedResolutionDeadline(resolutionDue);
    const received = bj('2026-11-27T10:00:00');
    const facts = {
      status: 'ACCEPTED',
      channel: 'WALK_IN' as const,
      receivedAt: received,
      acceptedAt: accepted,
      acceptanceDue: acceptanceDeadline(received, 'WALK_IN'),
      resolutionDue,
      resolutionExtendedDue,
    };
    const horizon = new Date(endOfBeijingDay('2026-12-31'));
    installHolidayCalendar(withHolidayYear(fixture));
    const moved = recountProvisionalDeadlines(facts, (d) => d > horizon);
    expect(moved).toEqual({
      resolutionDue: new Date(endOfBeijingDay('2027-03-01')),
      resolutionExtendedDue: addWorkingDays(new Date(endOfBeijingDay('2027-03-01')), 30),
    });
    expect(moved.acceptanceDue).toBeUndefined(); // accepted: its acceptance clock is done
    // Nothing provisional, nothing moves.
    expect(
      recountProvisionalDeadlines(
        { ...facts, resolutionDue: moved.resolutionDue!, resolutionExtendedDue: moved.resolutionExtendedDue! },
        () => false,
      ),
    ).toEqual({});
    // A closed case's deadlines stay as they were.
    expect(recountProvisionalDeadlines({ ...facts, status: 'RESOLVED' }, (d) => d > horizon)).toEqual({});
  });

  it('counts again on the strictest clock of all the case’s channels, as acceptance does, not the first channel’s', () => {
    // A walk-in case a 12345 complaint joined: accepted Monday 21 Dec 2026 on the hotline's 15 working days.
    const accepted = bj('2026-12-21T10:00:00');
    const complaints = [{ channel: 'HOTLINE_12345' as const, receivedAt: bj('2026-12-18T09:00:00') }];
    const resolutionDue = strictestResolutionDeadline(accepted, ['WALK_IN', 'HOTLINE_12345']);
    expect(resolutionDue.toISOString()).toBe(endOfBeijingDay('2027-01-11')); // 1 Jan 2027 counted as a weekday
    const facts = {
      status: 'ACCEPTED',
      channel: 'WALK_IN' as const,
      receivedAt: bj('2026-12-17T10:00:00'),
      acceptedAt: accepted,
      acceptanceDue: acceptanceDeadline(bj('2026-12-17T10:00:00'), 'WALK_IN'),
      resolutionDue,
      complaints,
    };
    const horizon = new Date(endOfBeijingDay('2026-12-31'));
    installHolidayCalendar(withHolidayYear(fixture));
    // 1 Jan 2027 is a holiday: one working day later, still the hotline's 15, not the statute's 60 (in March).
    expect(recountProvisionalDeadlines(facts, (d) => d > horizon)).toEqual({ resolutionDue: new Date(endOfBeijingDay('2027-01-12')) });
    expect(strictestResolutionDeadline(accepted, ['WALK_IN', 'HOTLINE_12345']).toISOString()).toBe(endOfBeijingDay('2027-01-12'));

    // A 12345 complaint that joined after the acceptance brings its clock from its own receipt, as intake moved it.
    installHolidayCalendar(original);
    const later = { channel: 'HOTLINE_12345' as const, receivedAt: bj('2026-12-23T10:00:00') };
    const joinedLater = { ...facts, complaints: [later], resolutionDue: strictestResolutionDeadline(accepted, ['WALK_IN', later]) };
    expect(joinedLater.resolutionDue).toEqual(resolutionDeadline(later.receivedAt, 'HOTLINE_12345'));
    installHolidayCalendar(withHolidayYear(fixture));
    expect(recountProvisionalDeadlines(joinedLater, (d) => d > horizon)).toEqual({
      resolutionDue: resolutionDeadline(later.receivedAt, 'HOTLINE_12345'),
    });
    expect(resolutionDeadline(later.receivedAt, 'HOTLINE_12345').toISOString()).toBe(endOfBeijingDay('2027-01-14'));

    // Awaiting acceptance: a walk-in case of Wednesday 30 Dec that a 12345 complaint joined on Thursday 31 Dec.
    installHolidayCalendar(original);
    const joined = { channel: 'HOTLINE_12345' as const, receivedAt: bj('2026-12-31T10:00:00') };
    const received = {
      status: 'RECEIVED',
      channel: 'WALK_IN' as const,
      receivedAt: bj('2026-12-30T10:00:00'),
      acceptanceDue: strictestAcceptanceDeadline([{ channel: 'WALK_IN', receivedAt: bj('2026-12-30T10:00:00') }, joined]),
      complaints: [joined],
    };
    expect(received.acceptanceDue.toISOString()).toBe(endOfBeijingDay('2027-01-01'));
    installHolidayCalendar(withHolidayYear(fixture));
    // The hotline's 1 working day after 31 Dec is Monday 4 Jan, not the walk-in's 5 (7 Jan).
    expect(recountProvisionalDeadlines(received, (d) => d > horizon)).toEqual({ acceptanceDue: new Date(endOfBeijingDay('2027-01-04')) });
  });

  it('counts a clock across the 2026 National Day holiday (10-01 … 10-07) and its worked Saturday', () => {
    // Accepted Tuesday 29 Sep on the 12345 hotline (15 working days): 30 Sep, 8, 9, 10 (Saturday worked), 12–16, 19–23, 26.
    const accepted = bj('2026-09-29T15:00:00');
    expect(resolutionDeadline(accepted, 'HOTLINE_12345').toISOString()).toBe(endOfBeijingDay('2026-10-26'));
    for (let d = 1; d <= 7; d++) expect(isWorkingDay(`2026-10-0${d}`)).toBe(false);
  });

  describe('a year as loaded from the notice is checked', () => {
    const input = (over: Partial<LoadHolidayYearInput> = {}): LoadHolidayYearInput => ({
      ...(fixture2027 as LoadHolidayYearInput),
      ...over,
    });
    const refusal = (over: Partial<LoadHolidayYearInput>, last = 2026) => {
      try {
        validateHolidayYear(input(over), last);
      } catch (e) {
        return (e as { extensions: Record<string, unknown> }).extensions;
      }
      throw new Error('accepted');
    };

    it('takes the fixture as it is', () => {
      const y = validateHolidayYear(input(), 2026);
      expect(y.days).toHaveLength(13);
      expect(y.days.map((d) => beijingDate(new Date(`${d.date}T12:00:00+08:00`)))).toEqual(y.days.map((d) => d.date));
    });

    it.each([
      [{ days: [{ date: '2028-01-01', kind: 'HOLIDAY', name: '元旦' }] }, 'input.days[0].date', 'date.in-year'],
      [{ days: [{ date: '2027-02-30', kind: 'HOLIDAY', name: '春节' }] }, 'input.days[0].date', 'date.valid'],
      [
        {
          days: [
            { date: '2027-01-01', kind: 'HOLIDAY', name: '元旦' },
            { date: '2027-01-01', kind: 'HOLIDAY', name: '元旦' },
          ],
        },
        'input.days[1].date',
        'date.unique',
      ],
      [{ days: [{ date: '2027-01-01', kind: 'DAY_OFF', name: '元旦' }] }, 'input.days[0].kind', 'kind.known'],
      [
        { days: [{ date: '2027-02-17', kind: 'ADJUSTED_WORKDAY', name: '春节' }] },
        'input.days[0].kind',
        'kind.adjusted-workday-on-weekend',
      ],
      [{ days: [{ date: '2027-01-01', kind: 'HOLIDAY', name: ' ' }] }, 'input.days[0].name', 'name.required'],
      [{ days: [] }, 'input.days', 'days.count'],
      [{ source: ' ' }, 'input.source', 'source.required'],
      [{ year: 2028, days: [{ date: '2028-01-01', kind: 'HOLIDAY', name: '元旦' }] }, 'input.year', 'year.no-gap'],
    ])('refuses %j (%s: %s)', (over, field, rule) => {
      expect(refusal(over as Partial<LoadHolidayYearInput>)).toEqual({ code: 'BAD_USER_INPUT', field, rule });
    });
  });
});
