import { executionContext } from '../app/execution';
import { loadHolidayCalendar } from '../calendar/calendar-store';
import type { Orm } from '../db/database';
import { isWorkingDay } from '../domain/working-days';
import type { Logger } from '../logger';
import type { DailyReportActivities } from '../reports/daily-report.contract';
import type { DailyReportService } from '../reports/daily-report.service';
import { atWorkerEdge } from './worker-edge';

/** The activities of the `dailyReport` workflow: the working-day check against the database, and one agency's report. */
export function createDailyReportActivities(deps: { orm: Orm; log: Logger; reports: DailyReportService }): DailyReportActivities {
  return {
    planDailyReports({ day }) {
      return atWorkerEdge(async () => {
        const em = deps.orm.em.fork();
        // The calendar as the database holds it now: a year loaded since this worker started counts.
        await loadHolidayCalendar(em, deps.log);
        const workingDay = isWorkingDay(day);
        if (!workingDay) deps.log.info({ day }, 'not a working day: no daily report');
        return { workingDay, agencyIds: workingDay ? await deps.reports.reportingAgencyIds(em) : [] };
      });
    },
    makeDailyReport({ agencyId, day }) {
      return atWorkerEdge(async () => {
        const ctx = executionContext({ em: deps.orm.em.fork(), log: deps.log, operation: 'workflow:dailyReport' });
        const { report, made } = await deps.reports.make(ctx, { agencyId, day });
        return { id: report.id, made };
      });
    },
  };
}
