/**
 * What the `dailyReport` workflow (workflows/daily-report.ts) asks of its activities: types only, the workflow
 * imports nothing else from here. The worker's implementations are in `daily-report-activities.ts`.
 */
export interface DailyReportWorkflowInput {
  /**
   * The Beijing day to report on. The schedule leaves it out (the day the run was scheduled for, from the workflow's
   * clock); a backfill names its day.
   */
  day?: string;
}

export interface DailyReportWorkflowResult {
  day: string;
  /** Whether the holiday calendar counts the day as a working day (no report is made on any other day). */
  workingDay: boolean;
  /** The reports of the day, one per inspection agency, whether this run made them or found them made. */
  reportIds: string[];
}

export interface DailyReportActivities {
  /** Whether `day` is a working day by the holiday calendar in the database, and the agencies that report. */
  planDailyReports(input: { day: string }): Promise<{ workingDay: boolean; agencyIds: string[] }>;
  /** One agency's report of `day`: made once; a retry (or a second run) finds it and returns it. */
  makeDailyReport(input: { agencyId: string; day: string }): Promise<{ id: string; made: boolean }>;
}
