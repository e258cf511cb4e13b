import { LOCAL_CONFIGURATION_NO_SOURCE } from './process-rules';

/**
 * 日通报: the daily report of wage-arrears cases. Seed 003 (欠薪案件线索办理情况日通报制度: the handling of the clues
 * reported daily to the city government's leaders and the districts' heads) and seed 000 (the weekly dispatch
 * meeting, 调度会) name the practice; neither gives an hour or a format.
 */
export const dailyReportRules = {
  /** When the schedule makes the reports, Beijing time, on working days (`DAILY_REPORT_TIME` overrides it). */
  defaultTime: '08:00',
  defaultTimeSource: `${LOCAL_CONFIGURATION_NO_SOURCE} (seed 003 names the daily report, 日通报制度, and no hour; 08:00 is before the working day begins)`,
  /** Items of each kind (escalations, overdue cases) a report lists at most; its figures count them all. */
  maxItems: 1000,
  maxItemsSource: `${LOCAL_CONFIGURATION_NO_SOURCE} (a report printed on paper)`,
  workingDaysSource:
    'seed 003 (日通报 on the working days of the city government); the working days are the State Council schedule in the database (src/domain/working-days.ts)',
} as const;
