import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { authorizeDailyReportMaking, requireReadableDailyReports, reportingAgency } from '../auth/access';
import { decodeCursor, encodeCursor } from '../db/cursor';
import type { Actor, ExecutionContext } from '../core/execution-context';
import { badUserInput, notFound } from '../domain/errors';
import { beijingDate } from '../domain/working-days';
import { mayReadDailyReports } from '../policy/daily-report';
import { caseScope } from '../policy/case-scope';
import { signedIn } from '../policy/signed-in';
import { dailyReportRules } from '../rules/daily-report';
import { OVERDUE_SQL, overdueDeadlines } from '../cases/overdue';
import type { CaseRecord, CaseStatus } from '../cases/case.entity';
import { REPORT_FIGURES, type ReportFigureSource, type ReportFigures } from './report-figures';

/** One item flagged for the report: an escalation addressed to the daily report, or a case past one of its deadlines. */
export interface DailyReportItem {
  /** ESCALATED: an escalation flagged for the daily report since the previous report; OVERDUE: a case overdue now. */
  kind: 'ESCALATED' | 'OVERDUE';
  caseId: string;
  caseNumber: string;
  /** The escalation's kind (DISPATCH_REPORT_OVERDUE, POLICE_DECISION_OVERDUE …) or the overdue deadline (acceptance …). */
  what: string;
  /** Who was waiting or is to act: the dispatch recipient's role, the police … (escalations only). */
  party: string | null;
  escalateTo: string | null;
  deadline: string | null;
  /** When the escalation was recorded (escalations only). */
  at: string | null;
}

/** What a report holds, frozen when it is made (the `content` column). */
export interface DailyReportContent {
  figures: ReportFigures;
  /** Each figure minus the agency's previous report's (null on an agency's first report). */
  deltas: ReportFigures | null;
  previous: { id: string; day: string; madeAt: string } | null;
  items: DailyReportItem[];
  /**
   * The last case-file entry the report had seen (case_event id): the next report lists the escalations after it,
   * so an escalation is reported once, whatever the clocks say.
   */
  caseFileWatermark: string;
  /** Whether items were left out past `MAX_REPORT_ITEMS` of a kind (the figures still count them). */
  itemsTruncated: boolean;
}

export interface DailyReportRecord {
  id: string;
  agencyId: string;
  agencyName: string;
  day: string;
  madeAt: Date;
  madeBy: string | null;
  content: DailyReportContent;
}

/** Items of each kind a report lists, at most (local practice: a printable report; the figures count them all). */
export const MAX_REPORT_ITEMS = dailyReportRules.maxItems;

const SELECT = `select r.id, r.agency_id, a.name as agency_name, to_char(r.report_day, 'YYYY-MM-DD') as day, r.made_at, r.made_by, r.content
  from daily_report r join agency a on a.id = r.agency_id`;

type Row = {
  id: string;
  agency_id: string;
  agency_name: string;
  day: string;
  made_at: Date | string;
  made_by: string | null;
  content: DailyReportContent | string;
};

function record(r: Row): DailyReportRecord {
  return {
    id: r.id,
    agencyId: r.agency_id,
    agencyName: r.agency_name,
    day: r.day,
    madeAt: new Date(r.made_at),
    madeBy: r.made_by,
    content: typeof r.content === 'string' ? (JSON.parse(r.content) as DailyReportContent) : r.content,
  };
}

/** The acting agency as its reports see the cases: its director's view (the one policy's case scope). */
function agencyActor(agencyId: string): Actor {
  return { userId: `daily-report:${agencyId}`, agencyId, agencyKind: 'HRSS_INSPECTION', roles: ['DIRECTOR'] };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * 日通报: each labour inspection agency's daily report. Made once per agency per Beijing day (by the schedule's
 * workflow, or by a director on demand) and frozen: later cases change the next report, never this one.
 */
export class DailyReportService {
  constructor(private readonly figureSource: ReportFigureSource) {}

  /** The agencies that report: every labour inspection agency. */
  async reportingAgencyIds(em: EntityManager): Promise<string[]> {
    const rows = await em
      .getConnection()
      .execute<Array<{ id: string }>>(
        `select id from agency where kind = 'HRSS_INSPECTION' order by id`,
        [],
        'all',
        em.getTransactionContext(),
      );
    return rows.map((r) => r.id);
  }

  /**
   * The agency's report of `day`: the one already made, or a new one made now. The unique key (agency, day) decides a
   * race: the loser's insert does nothing and it returns the winner's report.
   */
  async make(
    ctx: ExecutionContext,
    input: { agencyId: string; day: string; madeBy?: string },
  ): Promise<{ report: DailyReportRecord; made: boolean }> {
    const existing = await this.find(ctx.em, `r.agency_id = ? and r.report_day = ?::date`, [input.agencyId, input.day]);
    if (existing) return { report: existing, made: false };
    const conn = ctx.em.getConnection();
    const tx = ctx.em.getTransactionContext();
    const previous = await this.find(ctx.em, `r.agency_id = ? and r.report_day < ?::date order by r.report_day desc limit 1`, [
      input.agencyId,
      input.day,
    ]);
    const madeAt = ctx.clock.now();
    const view: ExecutionContext = { ...ctx, actor: agencyActor(input.agencyId) };
    const figures = await this.figureSource.figures(view, { day: input.day });
    const deltas = previous
      ? (Object.fromEntries(REPORT_FIGURES.map((f) => [f.key, figures[f.key] - (previous.content.figures[f.key] ?? 0)])) as ReportFigures)
      : null;
    const { items, truncated, watermark } = await this.flaggedItems(view, previous?.content.caseFileWatermark ?? null, madeAt);
    const content: DailyReportContent = {
      figures,
      deltas,
      previous: previous ? { id: previous.id, day: previous.day, madeAt: previous.madeAt.toISOString() } : null,
      items,
      caseFileWatermark: watermark,
      itemsTruncated: truncated,
    };
    const inserted = await conn.execute<Array<{ id: string }>>(
      `insert into daily_report (id, agency_id, report_day, made_at, made_by, content) values (?, ?, ?::date, ?, ?, ?::jsonb)
       on conflict (agency_id, report_day) do nothing returning id`,
      [randomUUID(), input.agencyId, input.day, madeAt, input.madeBy ?? null, JSON.stringify(content)],
      'all',
      tx,
    );
    const report = await this.find(ctx.em, `r.agency_id = ? and r.report_day = ?::date`, [input.agencyId, input.day]);
    if (!report) throw new Error(`daily report of ${input.agencyId} for ${input.day} vanished`);
    if (inserted.length > 0) ctx.log.info({ agencyId: input.agencyId, day: input.day, reportId: report.id }, 'daily report made');
    return { report, made: inserted.length > 0 };
  }

  /** `makeDailyReport`: a director's report on demand (idempotent: the day's report if there is one). */
  async makeOnDemand(ctx: ExecutionContext, input: { agencyId: string; day?: string | null }): Promise<DailyReportRecord> {
    await authorizeDailyReportMaking(ctx, input.agencyId);
    const today = beijingDate(ctx.clock.now());
    const day = input.day ?? today;
    if (day > today) throw badUserInput('day', 'dailyReport.day.notFuture', 'a report is made for today or a past day, not a future one');
    return (await this.make(ctx, { agencyId: input.agencyId, day, madeBy: UUID.test(ctx.actor!.userId) ? ctx.actor!.userId : undefined }))
      .report;
  }

  /** An agency's reports, newest day first; NOT_FOUND for an agency whose reports the caller may not read. */
  async list(
    ctx: ExecutionContext,
    input: { agencyId: string; first: number; after?: string | null },
  ): Promise<{ nodes: DailyReportRecord[]; hasNextPage: boolean; totalCount: number }> {
    await requireReadableDailyReports(ctx, input.agencyId);
    const params: unknown[] = [input.agencyId];
    let after = '';
    if (input.after) {
      const [day, id] = decodeCursor(input.after, ['string', 'uuid']);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(day!)) throw badUserInput('after', 'cursor.valid', 'is not a cursor this list gave out');
      after = ` and (r.report_day, r.id) < (?::date, ?::uuid)`;
      params.push(day, id);
    }
    const rows = await ctx.em
      .getConnection()
      .execute<Row[]>(
        `${SELECT} where r.agency_id = ?${after} order by r.report_day desc, r.id desc limit ${input.first + 1}`,
        params,
        'all',
        ctx.em.getTransactionContext(),
      );
    const [count] = await ctx.em
      .getConnection()
      .execute<Array<{ n: string }>>(
        `select count(*) as n from daily_report where agency_id = ?`,
        [input.agencyId],
        'all',
        ctx.em.getTransactionContext(),
      );
    return { nodes: rows.slice(0, input.first).map(record), hasNextPage: rows.length > input.first, totalCount: Number(count?.n ?? 0) };
  }

  /** One report, if the caller may read its agency's reports; otherwise NOT_FOUND. */
  async get(ctx: ExecutionContext, id: string): Promise<DailyReportRecord> {
    signedIn(ctx);
    const report = UUID.test(id) ? await this.find(ctx.em, `r.id = ?`, [id]) : null;
    const agency = report && ctx.actor?.agencyKind ? await reportingAgency(ctx.em, report.agencyId) : null;
    if (!report || !agency || !mayReadDailyReports(ctx.actor, agency)) throw notFound('dailyReport', id);
    return report;
  }

  static cursorOf(r: DailyReportRecord): string {
    return encodeCursor([r.day, r.id]);
  }

  private async find(em: EntityManager, where: string, params: unknown[]): Promise<DailyReportRecord | null> {
    const rows = await em.getConnection().execute<Row[]>(`${SELECT} where ${where}`, params, 'all', em.getTransactionContext());
    return rows[0] ? record(rows[0]) : null;
  }

  /**
   * What the report flags, in the agency's case scope: every escalation addressed to the daily report (a dispatch
   * recipient's silence on the ladder's last rung, a late police decision …) entered in a case file after the previous report's watermark, and
   * every case now past one of its deadlines.
   */
  private async flaggedItems(
    view: ExecutionContext,
    after: string | null,
    now: Date,
  ): Promise<{ items: DailyReportItem[]; truncated: boolean; watermark: string }> {
    const scope = caseScope(view.actor);
    const conn = view.em.getConnection();
    const tx = view.em.getTransactionContext();
    const [top] = await conn.execute<Array<{ id: string | null }>>(`select max(id)::text as id from case_event`, [], 'all', tx);
    const watermark = top?.id ?? '0';
    const escalations = await conn.execute<Array<{ case_id: string; number: string; at: Date | string; payload: Record<string, unknown> }>>(
      `select e.case_id, c.number, e.at, e.payload from case_event e join wage_case c on c.id = e.case_id
        where e.type = 'ESCALATED' and (e.payload->>'escalateTo' = 'CITY_DAILY_REPORT' or e.payload->>'dailyReport' = 'true')
          and e.id > ?::bigint and e.id <= ?::bigint and ${scope.sql}
        order by e.id limit ${MAX_REPORT_ITEMS + 1}`,
      [after ?? '0', watermark, ...scope.params],
      'all',
      tx,
    );
    const overdue = await conn.execute<
      Array<{
        id: string;
        number: string;
        status: CaseStatus;
        first_contact_at: Date | null;
        same_day_contact_due: Date;
        acceptance_due: Date;
        resolution_due: Date | null;
        resolution_extended_due: Date | null;
      }>
    >(
      `select c.id, c.number, c.status, c.first_contact_at, c.same_day_contact_due, c.acceptance_due, c.resolution_due, c.resolution_extended_due
         from wage_case c where ${scope.sql} and ${OVERDUE_SQL}
        order by c.number limit ${MAX_REPORT_ITEMS + 1}`,
      scope.params,
      'all',
      tx,
    );
    const iso = (d: unknown) => (d ? new Date(d as string).toISOString() : null);
    const str = (v: unknown) => (typeof v === 'string' ? v : null);
    const items: DailyReportItem[] = escalations.slice(0, MAX_REPORT_ITEMS).map((e) => ({
      kind: 'ESCALATED',
      caseId: e.case_id,
      caseNumber: e.number,
      what: str(e.payload.kind) ?? 'ESCALATED',
      party: str(e.payload.role) ?? str(e.payload.waitingOn),
      escalateTo: str(e.payload.escalateTo),
      deadline: str(e.payload.deadline),
      at: iso(e.at),
    }));
    for (const c of overdue.slice(0, MAX_REPORT_ITEMS)) {
      const asCase = {
        status: c.status,
        firstContactAt: c.first_contact_at ?? undefined,
        sameDayContactDue: new Date(c.same_day_contact_due),
        acceptanceDue: new Date(c.acceptance_due),
        resolutionDue: c.resolution_due ? new Date(c.resolution_due) : undefined,
        resolutionExtendedDue: c.resolution_extended_due ? new Date(c.resolution_extended_due) : undefined,
      } as CaseRecord;
      const dueOf = {
        sameDayContact: c.same_day_contact_due,
        acceptance: c.acceptance_due,
        resolution: c.resolution_extended_due ?? c.resolution_due,
      };
      for (const d of overdueDeadlines(asCase, now))
        items.push({
          kind: 'OVERDUE',
          caseId: c.id,
          caseNumber: c.number,
          what: d,
          party: null,
          escalateTo: null,
          deadline: iso(dueOf[d]),
          at: null,
        });
    }
    return { items, truncated: escalations.length > MAX_REPORT_ITEMS || overdue.length > MAX_REPORT_ITEMS, watermark };
  }
}
