import { proxyActivities } from '@temporalio/workflow';
import type { DailyReportActivities, DailyReportWorkflowInput, DailyReportWorkflowResult } from '../src/reports/daily-report.contract';

const { planDailyReports, makeDailyReport } = proxyActivities<DailyReportActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { maximumInterval: '1 minute' },
});

const BEIJING_OFFSET_MS = 8 * 3_600_000;

/**
 * 日通报: one run of the daily-report schedule (src/reports/daily-report-schedule.ts). The day is the Beijing day the
 * workflow's clock says (the schedule's firing time) unless a backfill names one; the holiday calendar in the
 * database decides whether it is a working day, and on a working day each inspection agency's report is made by its
 * own activity, once (a retried activity or a second run finds the report made and returns it).
 */
export async function dailyReport(input: DailyReportWorkflowInput = {}): Promise<DailyReportWorkflowResult> {
  const day = input.day ?? new Date(Date.now() + BEIJING_OFFSET_MS).toISOString().slice(0, 10);
  const plan = await planDailyReports({ day });
  if (!plan.workingDay) return { day, workingDay: false, reportIds: [] };
  const made = await Promise.all(plan.agencyIds.map((agencyId) => makeDailyReport({ agencyId, day })));
  return { day, workingDay: true, reportIds: made.map((m) => m.id) };
}
