import type { Duration } from '@temporalio/common';

/**
 * Deadlines that come from law or local policy, as data with their source named. A city changes them here
 * (or, later, through configuration), never inside the workflows: workflows receive them in their input.
 */
export interface DeadlineRule {
  /** A calendar-time clock, as a Temporal duration ("3 days"). */
  duration: Duration;
  source: string;
}

export const policeDecisionDeadline: DeadlineRule = {
  duration: '3 days',
  source: '行政执法机关移送涉嫌犯罪案件的规定 第八条 (police decide on a referral within 3 days of receiving it)',
};
