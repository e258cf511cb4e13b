import { proxyActivities, sleep } from '@temporalio/workflow';
import type { ProcessActivities } from '../src/processes/process-step.contract';

/**
 * 到期分组: one timer for every case clock that runs out at the same instant. Deadlines fall due in crowds — every
 * case taken in on one busy Monday reaches its 5-working-day acceptance clock at the same Beijing 24:00 — and one
 * timer per case meant one workflow task per case on the Temporal server at that instant (10,000 cases: minutes of
 * the server's CPU, BENCHMARKS.md "deadline storm"). A case's lifecycle workflow joins the group of each of its
 * deadlines (`joinDeadlineGroup`, which starts this workflow unless it runs) and then only waits for its steps; this
 * workflow sleeps until the instant and escalates, in batches, every clock still open on the case rows at that
 * instant (`escalateDueClocks`). The database decides what ran out: a case accepted, contacted, ended, extended or
 * moved by the calendar before the instant no longer matches, and a retried batch finds its entries written.
 */
export interface DeadlineGroupInput {
  /** The instant the group's clocks run out (ISO 8601, UTC). */
  due: string;
}

/**
 * One group per instant and task queue, so a second join finds the first's run (the start is refused: already
 * running). The task queue is the lifecycle workers' (one in a deployment): the group runs where its cases' workers do.
 */
export function deadlineGroupId(taskQueue: string, due: string): string {
  return `deadlines-${taskQueue}-${new Date(due).toISOString()}`;
}

// Batches of at most a few thousand cases each; a worker that dies mid-sweep leaves the rest to the retry.
const { escalateDueClocks } = proxyActivities<ProcessActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

export async function deadlineGroup(input: DeadlineGroupInput): Promise<{ escalated: number; failed: number }> {
  await sleep(Math.max(1, Date.parse(input.due) - Date.now()));
  return await escalateDueClocks({ due: input.due });
}
