import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DateTime } from 'luxon';
import { deadlinesMovedSignal } from '../../workflows/case-lifecycle';
import { authorizeCalendarLoad } from '../auth/access';
import { appendCaseEvent, snapshot } from '../cases/case-file';
import { Case, CaseComplainant } from '../cases/case.entity';
import { caseWorkflowId } from '../cases/case-workflow';
import { recountProvisionalDeadlines, type CaseDeadlineFacts, type MovedDeadlines } from '../cases/deadlines';
import type { ExecutionContext, OutboxNotifier } from '../core/execution-context';
import { OPEN_CASE_STATUSES } from '../domain/case-status';
import type { Channel } from '../rules/case-deadlines';
import { badUserInput } from '../domain/errors';
import {
  CALENDAR_DAY_KINDS,
  calendarHorizon,
  installedHolidayYears,
  installHolidayCalendar,
  withHolidayYear,
  type CalendarDayKind,
  type HolidayYear,
} from '../domain/holiday-calendar';
import { enqueueWorkflowSignal } from '../outbox/outbox';
import { readHolidayCalendar } from './calendar-store';
import { CALENDAR_CHANNEL } from './calendar-listener';

export interface LoadHolidayYearInput {
  year: number;
  source: string;
  days: Array<{ date: string; kind: string; name: string }>;
}

export interface HolidayYearLoaded {
  year: number;
  source: string;
  loadedAt: Date;
  holidays: number;
  adjustedWorkdays: number;
  /** The open cases whose provisional deadlines moved. */
  casesMoved: number;
}

const MAX_SOURCE = 500;
const MAX_NAME = 50;
/** A year lists about 40 days (2026: 33 holidays, 6 worked weekend days); the API takes lists of up to 100. */
const MAX_DAYS = 100;

/** The input, checked: a known kind, a real date inside the year, each date once, a worked day on a weekend. */
export function validateHolidayYear(input: LoadHolidayYearInput, lastKnownYear: number | undefined): HolidayYear {
  if (!Number.isInteger(input.year) || input.year < 1949 || input.year > 2200)
    throw badUserInput('input.year', 'year.range', 'a calendar year between 1949 and 2200');
  if (lastKnownYear !== undefined && input.year > lastKnownYear + 1)
    throw badUserInput(
      'input.year',
      'year.no-gap',
      `the calendar knows the years up to ${lastKnownYear}: load ${lastKnownYear + 1} first (a year is loaded after the one before it)`,
    );
  const source = input.source.trim();
  if (!source || source.length > MAX_SOURCE)
    throw badUserInput('input.source', 'source.required', `the State Council notice it comes from, 1 to ${MAX_SOURCE} characters`);
  if (input.days.length === 0 || input.days.length > MAX_DAYS)
    throw badUserInput('input.days', 'days.count', `the holidays and worked weekend days of the year, 1 to ${MAX_DAYS} of them`);
  const seen = new Set<string>();
  const days = input.days.map((d, i) => {
    const field = `input.days[${i}]`;
    const date = DateTime.fromISO(d.date, { zone: 'UTC' });
    if (!/^\d{4}-\d{2}-\d{2}$/.test(d.date) || !date.isValid)
      throw badUserInput(`${field}.date`, 'date.valid', 'a calendar date, YYYY-MM-DD');
    if (date.year !== input.year) throw badUserInput(`${field}.date`, 'date.in-year', `${d.date} is not in ${input.year}`);
    if (seen.has(d.date)) throw badUserInput(`${field}.date`, 'date.unique', `${d.date} is listed twice`);
    seen.add(d.date);
    if (!(CALENDAR_DAY_KINDS as readonly string[]).includes(d.kind))
      throw badUserInput(`${field}.kind`, 'kind.known', `one of ${CALENDAR_DAY_KINDS.join(', ')}`);
    if (d.kind === 'ADJUSTED_WORKDAY' && date.weekday < 6)
      throw badUserInput(
        `${field}.kind`,
        'kind.adjusted-workday-on-weekend',
        `${d.date} is a weekday: only a weekend day is made a working day (调休上班)`,
      );
    const name = d.name.trim();
    if (!name || name.length > MAX_NAME)
      throw badUserInput(`${field}.name`, 'name.required', `the holiday’s name, 1 to ${MAX_NAME} characters`);
    return { date: d.date, kind: d.kind as CalendarDayKind, name };
  });
  days.sort((a, b) => (a.date < b.date ? -1 : 1));
  return { year: input.year, source, days };
}

/** The end of a Beijing day, as an instant. */
function endOfDay(isoDate: string): Date {
  return new Date(`${isoDate}T23:59:59.999+08:00`);
}

/**
 * The holiday calendar as data: an administrator loads a year from the State Council notice (the API's
 * `loadHolidayYear`, and `npm run calendar:load`). Loading it stores the year, puts it in the calendar every
 * working-day count reads, and counts again the open cases' deadlines that were provisional (counted across days
 * the calendar did not know): each case whose deadlines move gets one case-file entry with before and after, and
 * its lifecycle workflow is told through the outbox (`deadlinesMoved`), in the same transaction.
 */
export class HolidayCalendarService {
  constructor(private readonly outbox: OutboxNotifier) {}

  async loadYear(ctx: ExecutionContext, input: LoadHolidayYearInput): Promise<HolidayYearLoaded> {
    const actor = await authorizeCalendarLoad(ctx);
    const previous = installedHolidayYears();
    let result: HolidayYearLoaded;
    try {
      result = await ctx.em.transactional(async (em) => {
        const conn = em.getConnection();
        const tx = em.getTransactionContext();
        // One load at a time; and the calendar as the database has it now (another process may have loaded a year).
        await conn.execute(`lock table calendar_year in share row exclusive mode`, [], 'run', tx);
        const current = await readHolidayCalendar(em);
        installHolidayCalendar(current);
        const horizonBefore = calendarHorizon();
        const year = validateHolidayYear(input, current.length ? Math.max(...current.map((y) => y.year)) : undefined);
        const loaded = await conn.execute<Array<{ loaded_at: Date }>>(
          `insert into calendar_year (year, source, loaded_at, loaded_by) values (?, ?, now(), ?)
           on conflict (year) do update set source = excluded.source, loaded_at = excluded.loaded_at, loaded_by = excluded.loaded_by
           returning loaded_at`,
          [year.year, year.source, actor.userId],
          'all',
          tx,
        );
        await conn.execute(`delete from calendar_day where year = ?`, [year.year], 'run', tx);
        // The other processes read the calendar again when this commits (HolidayCalendarListener); not if it rolls back.
        await conn.execute(`select pg_notify(?, ?)`, [CALENDAR_CHANNEL, String(year.year)], 'run', tx);
        await conn.execute(
          `insert into calendar_day (day, kind, name, year) select d.day::date, d.kind, d.name, ? from jsonb_to_recordset(?::jsonb) as d(day text, kind text, name text)`,
          [year.year, JSON.stringify(year.days.map((d) => ({ day: d.date, kind: d.kind, name: d.name })))],
          'run',
          tx,
        );
        installHolidayCalendar(withHolidayYear(year));
        const casesMoved = await this.recountOpenCases(ctx, em, horizonBefore, year);
        ctx.log.info({ year: year.year, days: year.days.length, casesMoved }, 'holiday year loaded');
        return {
          year: year.year,
          source: year.source,
          loadedAt: new Date(loaded[0]!.loaded_at),
          holidays: year.days.filter((d) => d.kind === 'HOLIDAY').length,
          adjustedWorkdays: year.days.filter((d) => d.kind === 'ADJUSTED_WORKDAY').length,
          casesMoved,
        };
      });
    } catch (err) {
      installHolidayCalendar(previous); // nothing was stored: count as before
      throw err;
    }
    if (result.casesMoved > 0) this.outbox.nudge();
    return result;
  }

  /** Counts again the provisional deadlines of the open cases; one file entry and one signal per case that moved. */
  private async recountOpenCases(
    ctx: ExecutionContext,
    em: EntityManager,
    horizonBefore: string | null,
    year: HolidayYear,
  ): Promise<number> {
    const wasProvisional = (due: Date) => !horizonBefore || due > endOfDay(horizonBefore);
    const after = horizonBefore ? endOfDay(horizonBefore) : new Date(0);
    const cases = await em.find(
      Case,
      {
        status: { $in: [...OPEN_CASE_STATUSES] },
        $or: [{ acceptanceDue: { $gt: after } }, { resolutionDue: { $gt: after } }, { resolutionExtendedDue: { $gt: after } }],
      },
      { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: 'asc' } },
    );
    // Every complaint of those cases in one statement: their clocks are the strictest of all their channels'.
    const complaints = new Map<string, Array<{ channel: Channel; receivedAt: Date }>>();
    const rows = cases.length > 0 ? await em.find(CaseComplainant, { case: { $in: cases.map((c) => c.id) } }) : [];
    for (const r of rows) {
      const list = complaints.get(r.case) ?? [];
      list.push({ channel: r.channel, receivedAt: r.joinedAt });
      complaints.set(r.case, list);
    }
    let n = 0;
    for (const c of cases) {
      const moved = recountProvisionalDeadlines({ ...factsOf(c), complaints: complaints.get(c.id) ?? [] }, wasProvisional);
      if (!moved.acceptanceDue && !moved.resolutionDue && !moved.resolutionExtendedDue) continue;
      const before = snapshot(c);
      const was = deadlinesOf(c);
      if (moved.acceptanceDue) c.acceptanceDue = moved.acceptanceDue;
      if (moved.resolutionDue) c.resolutionDue = moved.resolutionDue;
      if (moved.resolutionExtendedDue) c.resolutionExtendedDue = moved.resolutionExtendedDue;
      c.updatedAt = ctx.clock.now();
      await em.flush(); // bumps the case version: the entry below takes it as its sequence number
      em.persist(
        appendCaseEvent(em, c, 'DEADLINES_RECOUNTED', {
          actor: ctx.actor,
          operation: ctx.operation ?? 'loadHolidayYear',
          before,
          payload: {
            calendarYear: year.year,
            source: year.source,
            before: pick(was, moved),
            after: pick(deadlinesOf(c), moved),
          },
        }),
      );
      await em.flush();
      const effective = c.resolutionExtendedDue ?? c.resolutionDue;
      await enqueueWorkflowSignal(em, {
        workflowId: caseWorkflowId(c.id),
        signal: deadlinesMovedSignal,
        payload: {
          ...(moved.acceptanceDue ? { acceptanceDue: moved.acceptanceDue.toISOString() } : {}),
          ...((moved.resolutionDue || moved.resolutionExtendedDue) && effective ? { resolutionDue: effective.toISOString() } : {}),
        },
      });
      n++;
    }
    return n;
  }
}

function factsOf(c: Case): CaseDeadlineFacts {
  return {
    status: c.status,
    channel: c.channel,
    receivedAt: c.receivedAt,
    acceptedAt: c.acceptedAt,
    acceptanceDue: c.acceptanceDue,
    resolutionDue: c.resolutionDue,
    resolutionExtendedDue: c.resolutionExtendedDue,
  };
}

function deadlinesOf(c: Case): Record<keyof MovedDeadlines, string | null> {
  return {
    acceptanceDue: c.acceptanceDue.toISOString(),
    resolutionDue: c.resolutionDue?.toISOString() ?? null,
    resolutionExtendedDue: c.resolutionExtendedDue?.toISOString() ?? null,
  };
}

function pick(
  values: Record<keyof MovedDeadlines, string | null>,
  moved: MovedDeadlines,
): Partial<Record<keyof MovedDeadlines, string | null>> {
  return Object.fromEntries(Object.keys(moved).map((k) => [k, values[k as keyof MovedDeadlines]]));
}
