import type { Duration } from '@temporalio/common';
import { msToNumber } from '@temporalio/common/lib/time';
import { condition, defineQuery, defineSignal, setHandler, workflowInfo } from '@temporalio/workflow';

/**
 * The police's decision on a referred case (移送): they must decide within a statutory time of receiving the
 * file (3 days by default; 行政执法机关移送涉嫌犯罪案件的规定 art. 8) and answer in writing. This workflow holds
 * that clock: it ends with the decision if it arrives in time, or as OVERDUE when the deadline passes first.
 * The deadline comes in the input, from configuration, so a running referral keeps the rule it started under.
 */
export type PoliceDecisionKind = 'FILED' | 'DECLINED';

export interface PoliceDecision {
  decision: PoliceDecisionKind;
  /** Written reasons; required when declining. */
  reasons?: string;
  decidedBy: string;
}

export interface PoliceDecisionDeadlineInput {
  caseNumber: string;
  decisionDeadline: Duration;
}

export type PoliceDecisionDeadlineResult =
  | { outcome: 'DECIDED'; decision: PoliceDecision; decidedAtMs: number }
  | { outcome: 'OVERDUE'; deadlineAtMs: number };

export const policeDecisionSignal = defineSignal<[PoliceDecision]>('policeDecision');
export const policeDecisionStateQuery = defineQuery<{ waitingFor: 'police' | null; deadlineAtMs: number }>('policeDecisionState');

export async function policeDecisionDeadline(input: PoliceDecisionDeadlineInput): Promise<PoliceDecisionDeadlineResult> {
  const startedAtMs = workflowInfo().startTime.getTime();
  let decided: { decision: PoliceDecision; atMs: number } | undefined;
  let deadlineAtMs = startedAtMs;

  // The first decision counts; a later one does not overwrite what the police already put in writing.
  setHandler(policeDecisionSignal, (decision) => {
    decided ??= { decision, atMs: Date.now() };
  });
  setHandler(policeDecisionStateQuery, () => ({ waitingFor: decided ? null : 'police', deadlineAtMs }));

  deadlineAtMs = Date.now() + msToNumber(input.decisionDeadline);
  const inTime = await condition(() => decided !== undefined, input.decisionDeadline);
  if (inTime && decided) return { outcome: 'DECIDED', decision: decided.decision, decidedAtMs: decided.atMs };
  return { outcome: 'OVERDUE', deadlineAtMs };
}

