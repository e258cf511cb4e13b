import { condition, defineQuery, defineSignal, proxyActivities, setHandler, sleep } from '@temporalio/workflow';
import type { CaseActivities } from '../src/worker/case-activities';

/**
 * One per case (workflow id `case-<case id>`, so a retried start never makes a second). It holds the case's
 * clocks — same-day contact, acceptance, resolution — and escalates each one missed. The deadlines are computed
 * by the service from the rule table and the working-day calendar and arrive as instants; the workflow only
 * waits. The database stays the record: every escalation lands in the case file through an activity.
 */
export type CaseStep = 'CONTACT_REACHED' | 'ACCEPTED' | 'REJECTED' | 'TRANSFERRED' | 'RESOLVED' | 'CLOSED';

export interface CaseStepSignal {
  /** The outbox row that carried this signal: deliveries are at-least-once, steps are applied once. */
  deliveryId: number;
  step: CaseStep;
  /** With ACCEPTED: when the resolution clock runs out. */
  resolutionDue?: string;
}

export interface CaseLifecycleInput {
  caseId: string;
  caseNumber: string;
  sameDayContactDue: string;
  acceptanceDue: string;
  /** Where the case already stands when its workflow starts (a case taken in before its workflow existed). */
  contacted?: boolean;
  /** Set when the case is already accepted: its resolution deadline. */
  resolutionDue?: string;
}

export type Phase = 'AWAITING_ACCEPTANCE' | 'IN_HANDLING' | 'ENDED';

export interface CaseLifecycleState {
  phase: Phase;
  contacted: boolean;
  openDeadlines: Array<{ name: 'sameDayContact' | 'acceptance' | 'resolution'; due: string; waitingOn: string }>;
  escalations: string[];
}

export const caseStepSignal = defineSignal<[CaseStepSignal]>('caseStep');
export const caseLifecycleStateQuery = defineQuery<CaseLifecycleState>('caseLifecycleState');

const { recordEscalation } = proxyActivities<CaseActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

export async function caseLifecycle(input: CaseLifecycleInput): Promise<{ phase: Phase; escalations: string[] }> {
  const seen = new Set<number>();
  const steps = new Set<CaseStep>();
  let resolutionDue: string | undefined = input.resolutionDue;
  const escalations: string[] = [];
  if (input.contacted) steps.add('CONTACT_REACHED');
  if (input.resolutionDue) steps.add('ACCEPTED');

  // Registered before anything waits: a step that arrives early is kept, not dropped.
  setHandler(caseStepSignal, (s) => {
    if (seen.has(s.deliveryId)) return;
    seen.add(s.deliveryId);
    steps.add(s.step);
    if (s.step === 'ACCEPTED' && s.resolutionDue) resolutionDue = s.resolutionDue;
  });
  const ended = () => steps.has('REJECTED') || steps.has('TRANSFERRED') || steps.has('RESOLVED') || steps.has('CLOSED');
  const decided = () => steps.has('ACCEPTED') || ended();

  setHandler(caseLifecycleStateQuery, () => {
    const open: CaseLifecycleState['openDeadlines'] = [];
    if (!steps.has('CONTACT_REACHED') && !decided()) open.push({ name: 'sameDayContact', due: input.sameDayContactDue, waitingOn: 'intake clerk' });
    if (!decided()) open.push({ name: 'acceptance', due: input.acceptanceDue, waitingOn: 'inspection agency' });
    if (steps.has('ACCEPTED') && !ended() && resolutionDue) open.push({ name: 'resolution', due: resolutionDue, waitingOn: 'lead inspector' });
    return { phase: ended() ? 'ENDED' : steps.has('ACCEPTED') ? 'IN_HANDLING' : 'AWAITING_ACCEPTANCE', contacted: steps.has('CONTACT_REACHED'), openDeadlines: open, escalations: [...escalations] };
  });

  /**
   * Waits for `done` until `due`; if the clock runs out first, escalates once and returns.
   * The timer is left to run out rather than cancelled when `done` comes first: Temporal's time-skipping test
   * server (1.38) rejects a workflow task that cancels one timer and starts the next, and a timer that fires
   * with nothing waiting on it costs one history event.
   */
  async function clock(name: string, due: string, escalateTo: string, done: () => boolean): Promise<void> {
    let expired = false;
    void sleep(Math.max(1, Date.parse(due) - Date.now())).then(() => (expired = true));
    await condition(() => done() || expired);
    if (done()) return;
    await recordEscalation({ caseId: input.caseId, kind: name, deadline: due, escalateTo });
    escalations.push(name);
  }

  // Same-day contact always falls due before acceptance, so the clocks run one after the other.
  await clock('SAME_DAY_CONTACT_MISSED', input.sameDayContactDue, 'SUPERVISOR', () => steps.has('CONTACT_REACHED') || decided());
  await clock('ACCEPTANCE_OVERDUE', input.acceptanceDue, 'SUPERVISOR', decided);
  await condition(decided);

  if (steps.has('ACCEPTED') && !ended()) {
    await condition(() => resolutionDue !== undefined || ended());
    if (resolutionDue) await clock('RESOLUTION_OVERDUE', resolutionDue, 'DIRECTOR', ended);
    await condition(ended);
  }
  return { phase: 'ENDED', escalations };
}
