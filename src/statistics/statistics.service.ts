import type { ExecutionContext } from '../core/execution-context';
import { badUserInput } from '../domain/errors';
import { IN_HANDLING_STATUSES } from '../domain/case-status';
import { caseScope, type CaseScope } from '../policy/case-scope';
import { scopeInUse } from '../cases/scope-in-use';
import { signedIn } from '../policy/signed-in';
import { REGION_AND_BELOW_SQL } from '../regions/region-scope';
import {
  OPEN_CASE_AGES,
  STATISTICS_DIMENSIONS,
  type CallbackFigures,
  type OpenCaseAge,
  type StatisticsDimension,
  type StatisticsFigures,
  type StatisticsFilter,
  type StatisticsGroup,
  type StatisticsQuery,
  type StatisticsResult,
} from './statistics.model';

/** A Beijing day as the instant it begins (`?` is a YYYY-MM-DD). */
const BEIJING_MIDNIGHT = `(?::date::timestamp at time zone 'Asia/Shanghai')`;

/** The figures' measures, the same names in the rollup and in the cases read directly. */
const MEASURES = ['cases', 'accepted', 'resolved', 'closed', 'workers_claimed', 'fen_claimed', 'workers_paid', 'fen_recovered'] as const;

/**
 * The same measures and dimensions per case, read from the cases and their payments: what the rollup
 * (`case_statistics`, see its migration) sums, row for row.
 */
const CASE_ROWS = `select c.region_code, c.channel, c.sector, c.status, c.owning_agency_id,
    (c.received_at at time zone 'Asia/Shanghai')::date as period,
    1 as cases, (c.accepted_at is not null)::int as accepted, (c.resolved_at is not null)::int as resolved,
    (c.closed_at is not null)::int as closed, coalesce(c.workers_affected, 0) as workers_claimed,
    coalesce(c.amount_claimed_fen, 0) as fen_claimed,
    coalesce((select sum(p.workers_paid) from payment p where p.case_id = c.id), 0) as workers_paid,
    coalesce((select sum(p.amount_fen) from payment p where p.case_id = c.id), 0) as fen_recovered
  from wage_case c`;

/** Each dimension's value in a group, over `b` (a row of sums by raw dimension) joined to its region `r`. */
const GROUP_SQL: Record<StatisticsDimension, { raw: string; value: string }> = {
  DISTRICT: { raw: 'region_code', value: `(select a.code from region a where a.code = any(r.ancestors) and a.level = 'DISTRICT')` },
  STREET: { raw: 'region_code', value: `(select a.code from region a where a.code = any(r.ancestors) and a.level = 'STREET')` },
  CHANNEL: { raw: 'channel', value: 'b.channel' },
  SECTOR: { raw: 'sector', value: 'b.sector' },
  STATUS: { raw: 'status', value: 'b.status' },
  OWNING_AGENCY: { raw: 'owning_agency_id', value: 'b.owning_agency_id' },
  DAY: { raw: 'period', value: 'b.period::text' },
  WEEK: { raw: 'period', value: `date_trunc('week', b.period)::date::text` },
  MONTH: { raw: 'period', value: `date_trunc('month', b.period)::date::text` },
};

type Row = Record<string, unknown>;

/** Which processes (`case_process cp`) of the counted cases the caller may see, as SQL. */
interface ProcessScope {
  sql: string;
  params: unknown[];
}

/**
 * 统计: the figures the dashboard and the daily report read, over the cases the caller may see (the case list's
 * own scope, `caseScope`). Every answer is a constant number of statements: the figures and groups in one
 * (grouping sets), open cases by age, overdue steps and callbacks in one each.
 */
export class StatisticsService {
  async figures(ctx: ExecutionContext, query: StatisticsQuery): Promise<StatisticsResult> {
    const actor = signedIn(ctx);
    const filter = query.filter ?? {};
    const groupBy = checkGroupBy(query.groupBy ?? []);
    checkFilter(filter);
    const scope = await scopeInUse(ctx.em, caseScope(actor));
    const now = ctx.clock.now();
    // The processes counted are those the caller may see on those cases (the database's one rule): labour
    // inspection sees them all; another agency, those it takes part in.
    const processes: ProcessScope =
      actor.agencyKind === 'HRSS_INSPECTION'
        ? { sql: 'true', params: [] }
        : { sql: 'case_process_visible_to(?::uuid, cp.id)', params: [actor.agencyId] };
    const [sums, openByAge, overdueSteps, callbacks] = await Promise.all([
      this.sums(ctx, scope, filter, groupBy),
      this.openByAge(ctx, scope, filter, now),
      this.overdueSteps(ctx, scope, processes, filter, now),
      this.callbacks(ctx, scope, processes, filter),
    ]);
    return { ...sums, openByAge, overdueSteps, callbacks };
  }

  /**
   * The totals alone (`figures(...).totals`), scoped and filtered alike, without the groups, the open cases by age,
   * the overdue steps or the callbacks: for a caller that reads nothing else (the daily report's figures of its day).
   * One statement after the scope's.
   */
  async totals(ctx: ExecutionContext, query: { filter?: StatisticsFilter | null }): Promise<StatisticsFigures> {
    const actor = signedIn(ctx);
    const filter = query.filter ?? {};
    checkFilter(filter);
    const scope = await scopeInUse(ctx.em, caseScope(actor));
    return (await this.sums(ctx, scope, filter, [])).totals;
  }

  /**
   * The conditions of the filter and the scope over cases `c` (wage_case, or the rollup, which has the columns the
   * scope and the filters read); the days of receipt over the cases only (the rollup's are its periods).
   */
  private caseWhere(scope: CaseScope, f: StatisticsFilter, source: 'rollup' | 'cases'): { sql: string; params: unknown[] } {
    const sql: string[] = [scope.sql];
    const params: unknown[] = [...scope.params];
    const add = (clause: string, ...values: unknown[]) => {
      sql.push(clause);
      params.push(...values);
    };
    if (source === 'cases' && f.from) add(`c.received_at >= ${BEIJING_MIDNIGHT}`, f.from);
    if (source === 'cases' && f.to) add(`c.received_at < ${BEIJING_MIDNIGHT} + interval '1 day'`, f.to);
    if (f.regionCode) add(`c.region_code in (${REGION_AND_BELOW_SQL})`, f.regionCode);
    if (f.channel) add('c.channel = ?', f.channel);
    if (f.sector) add('c.sector = ?', f.sector);
    if (f.status) add('c.status = ?', f.status);
    if (f.owningAgencyId) add('c.owning_agency_id = ?', f.owningAgencyId);
    return { sql: sql.join(' and '), params };
  }

  /**
   * The totals and the groups, in one statement. Within a scope by region alone (labour inspection) every filter
   * and dimension is one the rollup holds, so it sums the rollup; any other scope reads its cases directly.
   */
  private async sums(
    ctx: ExecutionContext,
    scope: CaseScope,
    filter: StatisticsFilter,
    groupBy: StatisticsDimension[],
  ): Promise<{ totals: StatisticsFigures; groups: StatisticsGroup[] }> {
    const rollup = !!scope.regionOnly;
    const raw = [...new Set(groupBy.map((d) => GROUP_SQL[d].raw))];
    const sums = MEASURES.map((m) => `sum(${m}) as ${m}`).join(', ');
    let base: string;
    let where: { sql: string; params: unknown[] };
    if (rollup) {
      // The rollup's rows of the periods and filters, summed by region first (one index range, whatever the
      // scope); then the scope and the region filter, which read the region alone, over those few sums.
      const inner = this.caseWhere({ sql: 'true', params: [] }, { ...filter, regionCode: null }, 'rollup');
      const outer = this.caseWhere(scope, { regionCode: filter.regionCode }, 'rollup');
      const keys = [...new Set(['region_code', ...raw])];
      // One index range per covering period (and the deltas not folded yet), in the cut the question needs.
      const cut = rollupCut(filter, groupBy);
      const parts = rollupParts(filter, groupBy);
      const ranges = parts.flatMap((p) =>
        ['case_statistics', 'case_statistics_delta'].map((t) => `select * from ${t} c where c.cut = '${cut}' and ${p.sql}`),
      );
      const rangeParams = parts.flatMap((p) => [...p.params, ...p.params]);
      base = `with agg as materialized (
          select ${keys.join(', ')}, ${sums} from (${ranges.join(' union all ')}) c
           where ${inner.sql} group by ${keys.join(', ')})
        select ${[...raw, sums].join(', ')} from agg c where ${outer.sql} ${raw.length ? `group by ${raw.join(', ')}` : ''}`;
      where = { sql: '', params: [...rangeParams, ...inner.params, ...outer.params] };
    } else {
      where = this.caseWhere(scope, filter, 'cases');
      base = `select ${[...raw, sums].join(', ')} from (${CASE_ROWS} where ${where.sql}) c ${raw.length ? `group by ${raw.join(', ')}` : ''}`;
    }
    const values = groupBy.map((d, i) => `${GROUP_SQL[d].value} as g${i}`);
    const needsRegion = groupBy.some((d) => d === 'DISTRICT' || d === 'STREET');
    const g = groupBy.map((_, i) => `g${i}`);
    const sql = `with b as (${base}),
      v as (select ${[...values, ...MEASURES.map((m) => `b.${m}`)].join(', ')} from b ${needsRegion ? 'left join region r on r.code = b.region_code' : ''})
      select ${[...g, ...MEASURES.map((m) => `coalesce(sum(v.${m}), 0)::text as ${m}`), g.length ? `grouping(${g.join(', ')}) as total_row` : '1 as total_row'].join(', ')}
      from v ${g.length ? `group by grouping sets ((${g.join(', ')}), ())` : ''}`;
    const rows = await ctx.em.getConnection().execute<Row[]>(sql, where.params);
    let totals = zeroFigures();
    const groups: StatisticsGroup[] = [];
    for (const r of rows) {
      const figures = toFigures(r);
      if (!groupBy.length || Number(r.total_row) !== 0) {
        totals = figures;
        continue;
      }
      // A key the rollup once held whose cases all moved on sums to nothing: not a group.
      if (Object.values(figures).every((v) => v === 0)) continue;
      const value = (d: StatisticsDimension): string | null => {
        const i = groupBy.indexOf(d);
        if (i < 0) return null;
        const v = r[`g${i}`];
        return v == null ? null : v instanceof Date ? v.toISOString().slice(0, 10) : String(v);
      };
      groups.push({
        districtCode: value('DISTRICT'),
        streetCode: value('STREET'),
        channel: value('CHANNEL') as StatisticsGroup['channel'],
        sector: value('SECTOR') as StatisticsGroup['sector'],
        status: value('STATUS') as StatisticsGroup['status'],
        owningAgencyId: value('OWNING_AGENCY'),
        period: value('DAY') ?? value('WEEK') ?? value('MONTH'),
        figures,
      });
    }
    groups.sort((a, b) => compareGroups(a, b));
    return { totals, groups };
  }

  /** The open cases among those counted, by where each stands against its own deadlines (the case's clock). */
  private async openByAge(ctx: ExecutionContext, scope: CaseScope, filter: StatisticsFilter, now: Date) {
    const where = this.caseWhere(scope, filter, 'cases');
    const handling = IN_HANDLING_STATUSES.map((s) => `'${s}'`).join(', ');
    // Counted side by side in one pass over the open cases' index (no grouping by a computed key).
    const buckets: Record<OpenCaseAge, string> = {
      AWAITING_ACCEPTANCE_IN_TIME: `c.status = 'RECEIVED' and c.acceptance_due >= ?`,
      AWAITING_ACCEPTANCE_OVERDUE: `c.status = 'RECEIVED' and c.acceptance_due < ?`,
      IN_HANDLING_IN_TIME: `c.status <> 'RECEIVED' and c.resolution_extended_due is null and coalesce(c.resolution_due >= ?, true)`,
      IN_HANDLING_EXTENDED: `c.status <> 'RECEIVED' and c.resolution_extended_due >= ?`,
      IN_HANDLING_OVERDUE: `c.status <> 'RECEIVED' and coalesce(c.resolution_extended_due, c.resolution_due) < ?`,
    };
    const [row] = await ctx.em.getConnection().execute<Array<Record<OpenCaseAge, string>>>(
      `select ${OPEN_CASE_AGES.map((b) => `count(*) filter (where ${buckets[b]}) as "${b}"`).join(', ')} from wage_case c
          where c.status in ('RECEIVED', ${handling}) and ${where.sql}`,
      [...OPEN_CASE_AGES.map(() => now), ...where.params],
    );
    const counts = new Map(OPEN_CASE_AGES.map((b) => [b, Number(row?.[b] ?? 0)]));
    return OPEN_CASE_AGES.map((bucket) => ({ bucket, count: counts.get(bucket) ?? 0 }));
  }

  /**
   * Open processes of the cases counted whose awaited step is past due, by the agency that must act: a party
   * (a dispatch's recipient, a mediation's invitee) past its own acknowledgement or report deadline; else, when
   * the process's own step is past due, the police it was sent to when it waits on the police, and otherwise the
   * case's inspection agency (its people, or its supervisor or director, must act or chase).
   */
  private async overdueSteps(ctx: ExecutionContext, scope: CaseScope, processes: ProcessScope, filter: StatisticsFilter, now: Date) {
    const where = this.caseWhere(scope, filter, 'cases');
    const rows = await ctx.em.getConnection().execute<Array<{ agency_id: string; kind: string; n: string }>>(
      `with open_cp as (
          select cp.id, cp.kind, cp.due_at, cp.waiting_on, cp.facts, c.owning_agency_id
            from case_process cp join wage_case c on c.id = cp.case_id
           where cp.ended_at is null and ${where.sql} and ${processes.sql}),
        late_party as (
          select distinct o.id, o.kind, pp.agency_id from open_cp o join process_party pp on pp.process_id = o.id
           where pp.agency_id is not null and (
             (pp.acknowledged_at is null and pp.acknowledge_due < ?) or (pp.reported_at is null and pp.report_due < ?))),
        late_process as (
          select o.id, o.kind, case when o.waiting_on = 'POLICE' and o.facts->>'policeAgencyId' is not null
                                    then (o.facts->>'policeAgencyId')::uuid else o.owning_agency_id end as agency_id
            from open_cp o where o.due_at < ? and not exists (select 1 from late_party l where l.id = o.id))
      select agency_id, kind, count(*) as n from (select * from late_party union all select * from late_process) s
       group by agency_id, kind order by count(*) desc, agency_id, kind`,
      [...where.params, ...processes.params, now, now, now],
    );
    return rows.map((r) => ({ agencyId: r.agency_id, processKind: r.kind, count: Number(r.n) }));
  }

  /** 回访 of the cases counted: scheduled, made, and what the complainants answered. */
  private async callbacks(
    ctx: ExecutionContext,
    scope: CaseScope,
    processes: ProcessScope,
    filter: StatisticsFilter,
  ): Promise<CallbackFigures> {
    const where = this.caseWhere(scope, filter, 'cases');
    const [r] = await ctx.em.getConnection().execute<Row[]>(
      `select count(*) as due,
              count(*) filter (where cp.facts->'callback' is not null) as done,
              count(*) filter (where (cp.facts->'callback'->>'reached')::boolean) as reached,
              count(*) filter (where (cp.facts->'callback'->>'wagesReceivedInFull')::boolean) as wages_in_full,
              count(*) filter (where cp.facts->'callback'->>'satisfaction' = 'SATISFIED') as satisfied,
              count(*) filter (where cp.facts->'callback'->>'satisfaction' = 'BASICALLY_SATISFIED') as basically,
              count(*) filter (where cp.facts->'callback'->>'satisfaction' = 'DISSATISFIED') as dissatisfied
         from case_process cp join wage_case c on c.id = cp.case_id
        where cp.kind = 'CALLBACK' and ${where.sql} and ${processes.sql}`,
      [...where.params, ...processes.params],
    );
    return {
      due: Number(r!.due),
      done: Number(r!.done),
      reached: Number(r!.reached),
      wagesReceivedInFull: Number(r!.wages_in_full),
      satisfied: Number(r!.satisfied),
      basicallySatisfied: Number(r!.basically),
      dissatisfied: Number(r!.dissatisfied),
    };
  }
}

type Grain = 'Y' | 'M' | 'D';

/**
 * Which rollup rows cover the days `from`..`to` (either may be open): the years wholly inside as year rows, then
 * the months wholly inside what is left as month rows, the rest as day rows. Grouped by DAY or WEEK, day rows
 * throughout; by MONTH, months and days.
 */
export function rollupPeriods(f: StatisticsFilter, groupBy: readonly StatisticsDimension[]): { sql: string; params: unknown[] } {
  const parts = rollupParts(f, groupBy);
  return { sql: `(${parts.map((p) => p.sql).join(' or ')})`, params: parts.flatMap((p) => p.params) };
}

/** The same as a list of conditions, each one index range. */
export function rollupParts(f: StatisticsFilter, groupBy: readonly StatisticsDimension[]): Array<{ sql: string; params: unknown[] }> {
  const grains: Grain[] =
    groupBy.includes('DAY') || groupBy.includes('WEEK') ? ['D'] : groupBy.includes('MONTH') ? ['M', 'D'] : ['Y', 'M', 'D'];
  return cover(f.from ?? null, f.to ?? null, grains);
}

/**
 * The rollup's cut for a question (see the case_statistics_cuts migration): by region and agency alone when it
 * asks nothing of channel, sector and status; with the one of them it asks about; every dimension otherwise.
 */
export function rollupCut(f: StatisticsFilter, groupBy: readonly StatisticsDimension[]): 'F' | 'R' | 'C' | 'S' | 'T' {
  const used = [
    f.channel || groupBy.includes('CHANNEL') ? 'C' : null,
    f.sector || groupBy.includes('SECTOR') ? 'S' : null,
    f.status || groupBy.includes('STATUS') ? 'T' : null,
  ].filter((c): c is 'C' | 'S' | 'T' => c !== null);
  return used.length === 0 ? 'R' : used.length === 1 ? used[0]! : 'F';
}

function cover(lo: string | null, hi: string | null, grains: Grain[]): Array<{ sql: string; params: unknown[] }> {
  const [grain, ...finer] = grains as [Grain, ...Grain[]];
  const rows = (from: string | null, to: string | null) => {
    const sql = [`c.grain = '${grain}'`];
    const params: unknown[] = [];
    if (from) {
      sql.push('c.period >= ?::date');
      params.push(from);
    }
    if (to) {
      sql.push('c.period <= ?::date');
      params.push(to);
    }
    return { sql: `(${sql.join(' and ')})`, params };
  };
  if (grain === 'D') return [rows(lo, hi)];
  // The first whole period from `lo`, and the start of the last whole one up to `hi`.
  const first = lo ? (startOf(grain, lo) === lo ? lo : add(grain, startOf(grain, lo), 1)) : null;
  const afterHi = hi ? addDays(hi, 1) : null;
  const last = hi ? (startOf(grain, afterHi!) === afterHi ? startOf(grain, hi) : add(grain, startOf(grain, hi), -1)) : null;
  if (lo && hi && first! > last!) return cover(lo, hi, finer);
  const parts = [rows(first, last)];
  if (lo && lo !== first) parts.push(...cover(lo, addDays(first!, -1), finer));
  if (hi && add(grain, last!, 1) !== afterHi) parts.push(...cover(add(grain, last!, 1), hi, finer));
  return parts;
}

function startOf(grain: 'Y' | 'M', day: string): string {
  return grain === 'Y' ? `${day.slice(0, 4)}-01-01` : `${day.slice(0, 7)}-01`;
}
function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}
/** `n` months or years after the first day of one. */
function add(grain: 'Y' | 'M', periodStart: string, n: number): string {
  const d = new Date(`${periodStart}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + (grain === 'Y' ? 12 * n : n));
  return d.toISOString().slice(0, 10);
}

function checkGroupBy(groupBy: readonly StatisticsDimension[]): StatisticsDimension[] {
  if (new Set(groupBy).size !== groupBy.length)
    throw badUserInput('groupBy', 'statistics.group-by.repeated', 'each dimension at most once');
  if (groupBy.filter((d) => d === 'DAY' || d === 'WEEK' || d === 'MONTH').length > 1)
    throw badUserInput('groupBy', 'statistics.group-by.periods', 'group by one period at most (DAY, WEEK or MONTH)');
  for (const d of groupBy)
    if (!STATISTICS_DIMENSIONS.includes(d)) throw badUserInput('groupBy', 'statistics.group-by.unknown', `unknown dimension ${String(d)}`);
  return [...groupBy];
}

function checkFilter(f: StatisticsFilter): void {
  // Calendar arithmetic on the days (the ends of months and years) stays inside four-digit years.
  for (const [field, day] of [
    ['filter.from', f.from],
    ['filter.to', f.to],
  ] as const)
    if (day && (day < '1900-01-01' || day > '2999-12-31'))
      throw badUserInput(field, 'statistics.filter.day', 'a day between 1900-01-01 and 2999-12-31');
  if (f.from && f.to && f.from > f.to) throw badUserInput('filter.to', 'statistics.filter.range', '`to` must not be before `from`');
}

function zeroFigures(): StatisticsFigures {
  return {
    casesReceived: 0,
    casesAccepted: 0,
    casesResolved: 0,
    casesClosed: 0,
    workersClaimed: 0,
    fenClaimed: 0,
    workersPaid: 0,
    fenRecovered: 0,
  };
}

/** A sum read as text (bigint and numeric), exact or a fault: never a rounded figure. */
function exact(v: unknown): number {
  const n = Number(v ?? 0);
  if (!Number.isSafeInteger(n)) throw new Error(`statistics: ${String(v)} is beyond an exact number`);
  return n;
}

function toFigures(r: Row): StatisticsFigures {
  return {
    casesReceived: exact(r.cases),
    casesAccepted: exact(r.accepted),
    casesResolved: exact(r.resolved),
    casesClosed: exact(r.closed),
    workersClaimed: exact(r.workers_claimed),
    fenClaimed: exact(r.fen_claimed),
    workersPaid: exact(r.workers_paid),
    fenRecovered: exact(r.fen_recovered),
  };
}

const GROUP_KEYS = ['period', 'districtCode', 'streetCode', 'channel', 'sector', 'status', 'owningAgencyId'] as const;

/** Groups in a stable order: by period, then by the other values (nulls last). */
function compareGroups(a: StatisticsGroup, b: StatisticsGroup): number {
  for (const k of GROUP_KEYS) {
    const x = a[k];
    const y = b[k];
    if (x === y) continue;
    if (x == null) return 1;
    if (y == null) return -1;
    return x < y ? -1 : 1;
  }
  return 0;
}
