import type { ExecutionContext } from '../core/execution-context';
import { OPEN_CASE_STATUSES } from '../domain/case-status';
import { caseScope } from '../policy/case-scope';
import { OVERDUE_SQL } from '../cases/overdue';

/**
 * The figures a daily report carries, in its order, with the Chinese labels the report prints (日通报's own terms).
 * `FEN` figures are integer fen, shown in yuan.
 */
export const REPORT_FIGURES = [
  { key: 'casesReceived', label: '收到投诉数（累计）', unit: 'COUNT' },
  { key: 'casesReceivedOnDay', label: '当日新收投诉数', unit: 'COUNT' },
  { key: 'casesAccepted', label: '案件受理数', unit: 'COUNT' },
  { key: 'casesResolved', label: '已解决案件数', unit: 'COUNT' },
  { key: 'casesClosed', label: '结案数', unit: 'COUNT' },
  { key: 'casesOpen', label: '在办案件数', unit: 'COUNT' },
  { key: 'casesOverdue', label: '超期案件数', unit: 'COUNT' },
  { key: 'workersClaimed', label: '涉及劳动者人数', unit: 'COUNT' },
  { key: 'amountClaimedFen', label: '涉及欠薪金额（元）', unit: 'FEN' },
  { key: 'workersRecovered', label: '已追发劳动者人数', unit: 'COUNT' },
  { key: 'amountRecoveredFen', label: '追发工资金额（元）', unit: 'FEN' },
] as const;

export type ReportFigureKey = (typeof REPORT_FIGURES)[number]['key'];
export type ReportFigures = Record<ReportFigureKey, number>;

/**
 * Where a report's figures come from: the statistics an agency sees of its cases, as of now, for the report's day.
 * The context's actor is the reporting agency (its director's view), so the figures are scoped by the one policy.
 * The statistics service (issue 15, branch i15-stats) is to provide them; until it lands, `CaseFigures` below.
 */
export interface ReportFigureSource {
  figures(ctx: ExecutionContext, query: { day: string }): Promise<ReportFigures>;
}

/**
 * Interim: the report's figures counted over the cases the actor may see (two statements, whatever the number of
 * cases), until the statistics service replaces it behind `ReportFigureSource`.
 */
export class CaseFigures implements ReportFigureSource {
  async figures(ctx: ExecutionContext, query: { day: string }): Promise<ReportFigures> {
    const scope = caseScope(ctx.actor);
    const conn = ctx.em.getConnection();
    const tx = ctx.em.getTransactionContext();
    const open = OPEN_CASE_STATUSES.map((s) => `'${s}'`).join(', ');
    const [cases] = await conn.execute<Array<Record<string, string | number>>>(
      `select count(*) as "casesReceived",
              count(*) filter (where c.received_at >= (?::date)::timestamp at time zone 'Asia/Shanghai'
                                 and c.received_at < (?::date + 1)::timestamp at time zone 'Asia/Shanghai') as "casesReceivedOnDay",
              count(c.accepted_at) as "casesAccepted",
              count(c.resolved_at) as "casesResolved",
              count(*) filter (where c.status = 'CLOSED') as "casesClosed",
              count(*) filter (where c.status in (${open})) as "casesOpen",
              count(*) filter (where ${OVERDUE_SQL}) as "casesOverdue",
              coalesce(sum(c.workers_affected), 0) as "workersClaimed",
              coalesce(sum(c.amount_claimed_fen), 0) as "amountClaimedFen"
         from wage_case c where ${scope.sql}`,
      [query.day, query.day, ...scope.params],
      'all',
      tx,
    );
    const [paid] = await conn.execute<Array<Record<string, string | number>>>(
      `select coalesce(sum(p.workers_paid), 0) as "workersRecovered", coalesce(sum(p.amount_fen), 0) as "amountRecoveredFen"
         from payment p join wage_case c on c.id = p.case_id where ${scope.sql}`,
      scope.params,
      'all',
      tx,
    );
    const row = { ...cases, ...paid };
    return Object.fromEntries(REPORT_FIGURES.map((f) => [f.key, Number(row[f.key] ?? 0)])) as ReportFigures;
  }
}
