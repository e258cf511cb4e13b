import type { ExecutionContext } from '../core/execution-context';
import { OPEN_CASE_AGES, type OpenCaseAge } from '../statistics/statistics.model';
import type { StatisticsService } from '../statistics/statistics.service';

/**
 * The figures a daily report carries, in its order, with the Chinese labels the report prints (日通报's own terms).
 * `FEN` figures are integer fen; the printed report shows them in yuan, its label followed by （元）.
 */
export const REPORT_FIGURES = [
  { key: 'casesReceived', label: '收到投诉数（累计）', unit: 'COUNT' },
  { key: 'casesReceivedOnDay', label: '当日新收投诉数', unit: 'COUNT' },
  { key: 'casesAccepted', label: '案件受理数', unit: 'COUNT' },
  { key: 'casesResolved', label: '已解决案件数', unit: 'COUNT' },
  { key: 'casesClosed', label: '结案数', unit: 'COUNT' },
  { key: 'casesOpen', label: '在办案件数', unit: 'COUNT' },
  { key: 'casesOverdue', label: '超期案件数', unit: 'COUNT' },
  { key: 'stepsOverdue', label: '超期未办环节数', unit: 'COUNT' },
  { key: 'workersClaimed', label: '涉及劳动者人数', unit: 'COUNT' },
  { key: 'amountClaimedFen', label: '涉及欠薪金额', unit: 'FEN' },
  { key: 'workersRecovered', label: '已追发劳动者人数', unit: 'COUNT' },
  { key: 'amountRecoveredFen', label: '追发工资金额', unit: 'FEN' },
] as const;

export type ReportFigureKey = (typeof REPORT_FIGURES)[number]['key'];
export type ReportFigures = Record<ReportFigureKey, number>;

/**
 * Where a report's figures come from: the statistics an agency sees of its cases, as of now, for the report's day.
 * The context's actor is the reporting agency (its director's view), so the figures are scoped by the one policy.
 * `StatisticsFigureSource` below reads them from the statistics service.
 */
export interface ReportFigureSource {
  figures(ctx: ExecutionContext, query: { day: string }): Promise<ReportFigures>;
}

/**
 * The report's figures from the statistics service (`StatisticsService.figures`, the `statistics` query's own): the
 * totals of the agency's cases, its open cases by age and its overdue steps; and those received on the report's day
 * (`StatisticsService.totals`, the totals alone). The
 * same numbers the dashboard shows, counted one way.
 */
export class StatisticsFigureSource implements ReportFigureSource {
  constructor(private readonly statistics: StatisticsService) {}

  async figures(ctx: ExecutionContext, query: { day: string }): Promise<ReportFigures> {
    const [all, ofDay] = await Promise.all([
      this.statistics.figures(ctx, {}),
      // Of the day, only the count received is read: the totals alone, not the ages and overdue steps again.
      this.statistics.totals(ctx, { filter: { from: query.day, to: query.day } }),
    ]);
    const open = (buckets: readonly OpenCaseAge[]) =>
      all.openByAge.filter((b) => buckets.includes(b.bucket)).reduce((n, b) => n + b.count, 0);
    return {
      casesReceived: all.totals.casesReceived,
      casesReceivedOnDay: ofDay.casesReceived,
      casesAccepted: all.totals.casesAccepted,
      casesResolved: all.totals.casesResolved,
      casesClosed: all.totals.casesClosed,
      casesOpen: open(OPEN_CASE_AGES),
      casesOverdue: open(['AWAITING_ACCEPTANCE_OVERDUE', 'IN_HANDLING_OVERDUE']),
      stepsOverdue: all.overdueSteps.reduce((n, s) => n + s.count, 0),
      workersClaimed: all.totals.workersClaimed,
      amountClaimedFen: all.totals.fenClaimed,
      workersRecovered: all.totals.workersPaid,
      amountRecoveredFen: all.totals.fenRecovered,
    };
  }
}
