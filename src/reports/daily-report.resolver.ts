import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../api/context';
import { pageSize } from '../api/pagination';
import { LocalDateScalar } from '../api/scalars';
import type { DailyReportService } from './daily-report.service';
import { DailyReportConnection, DailyReportType, toDailyReportConnection, toDailyReportType } from './daily-report.types';

/** 日通报: the inspection agencies' daily reports, read and made on demand through the one policy. */
@Resolver()
export class DailyReportResolver {
  constructor(private readonly reports: DailyReportService) {}

  @Query(() => DailyReportConnection, {
    description:
      'An inspection agency’s daily reports (日通报), newest day first: its own staff and the directors of the agencies above it read them',
  })
  async dailyReports(
    @Ctx() ctx: RequestContext,
    @Arg('agencyId', () => ID, { description: 'The inspection agency' }) agencyId: string,
    @Arg('first', () => Int, { nullable: true, description: 'How many (1–200, default 20)' }) first?: number,
    @Arg('after', () => String, { nullable: true, description: 'The cursor of the last report of the previous page' }) after?: string,
  ): Promise<DailyReportConnection> {
    return toDailyReportConnection({ ...(await this.reports.list(ctx, { agencyId, first: pageSize(first, 20), after })), after });
  }

  @Query(() => DailyReportType, { description: 'One daily report (日通报), as it was made' })
  async dailyReport(@Ctx() ctx: RequestContext, @Arg('id', () => ID, { description: 'The report' }) id: string): Promise<DailyReportType> {
    return toDailyReportType(await this.reports.get(ctx, id));
  }

  @Mutation(() => DailyReportType, {
    description:
      'Makes an agency’s daily report now (a director of the agency or of one above it); a day already reported answers with that report, unchanged',
  })
  async makeDailyReport(
    @Ctx() ctx: RequestContext,
    @Arg('agencyId', () => ID, { description: 'The inspection agency' }) agencyId: string,
    @Arg('day', () => LocalDateScalar, { nullable: true, description: 'The Beijing day to report on (default today; never a future day)' })
    day?: string,
  ): Promise<DailyReportType> {
    return toDailyReportType(await this.reports.makeOnDemand(ctx, { agencyId, day }));
  }
}
