import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import type { Logger } from '../logger';
import type { DailyReportWorkflowInput } from './daily-report.contract';

/** The one schedule of the daily reports, whatever the number of API or worker processes that ensure it. */
export const DAILY_REPORT_SCHEDULE_ID = 'daily-report';
/** The workflow type the schedule starts (workflows/daily-report.ts). */
export const DAILY_REPORT_WORKFLOW_TYPE = 'dailyReport';

/**
 * The Temporal Schedule that makes each inspection agency's report at `time` Beijing time. It fires every day; the
 * workflow asks the holiday calendar in the database whether the day is a working day, so a holiday loaded after
 * the schedule was made is still kept. A run that would overlap a running one is skipped; a server that was down
 * catches up on the day's run within a day.
 */
export function dailyReportSchedule(opts: { taskQueue: string; time: { hour: number; minute: number } }): ScheduleOptions {
  const args: [DailyReportWorkflowInput] = [{}];
  return {
    scheduleId: DAILY_REPORT_SCHEDULE_ID,
    spec: {
      calendars: [{ hour: opts.time.hour, minute: opts.time.minute, comment: '日通报: each inspection agency’s daily report' }],
      timezone: 'Asia/Shanghai',
    },
    action: {
      type: 'startWorkflow',
      workflowType: DAILY_REPORT_WORKFLOW_TYPE,
      args,
      taskQueue: opts.taskQueue,
      workflowId: 'daily-report',
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
  };
}

/**
 * Creates the schedule, or brings an existing one to this configuration (the hour, the task queue): idempotent, so
 * every worker of a cluster may call it at start-up, and two racing end with the one schedule.
 */
export async function ensureDailyReportSchedule(
  client: Client,
  opts: { taskQueue: string; time: { hour: number; minute: number }; log: Logger },
): Promise<'created' | 'updated'> {
  const wanted = dailyReportSchedule(opts);
  let outcome: 'created' | 'updated' = 'created';
  try {
    await client.schedule.create(wanted);
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    outcome = 'updated';
    await client.schedule.getHandle(DAILY_REPORT_SCHEDULE_ID).update((current) => ({
      ...current,
      spec: wanted.spec,
      action: wanted.action,
      policies: { ...current.policies, ...wanted.policies },
    }));
  }
  opts.log.info(
    {
      scheduleId: DAILY_REPORT_SCHEDULE_ID,
      at: `${String(opts.time.hour).padStart(2, '0')}:${String(opts.time.minute).padStart(2, '0')} Asia/Shanghai`,
    },
    `daily report schedule ${outcome}`,
  );
  return outcome;
}
