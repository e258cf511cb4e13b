import {
  allHandlersFinished,
  condition,
  defineQuery,
  defineSignal,
  defineUpdate,
  ParentClosePolicy,
  patched,
  proxyActivities,
  isCancellation,
  proxyLocalActivities,
  setHandler,
  sleep,
  startChild,
  type ChildWorkflowHandle,
} from '@temporalio/workflow';
import type { ProcessActivities } from '../src/processes/process-step.contract';
import { EXTENSION_APPROVERS, hasRole } from '../src/policy/roles';
import {
  caseTagsSettled,
  caseEndedSignal,
  caseFactsChangedSignal,
  refreshCaseTags,
  refuse,
  requireActor,
  StepWriter,
  tagWithCase,
  type StepActor,
} from './process-kit';

/**
 * One per case (workflow id `case-<case id>`, so a retried start never makes a second). It sets the case's
 * clocks — same-day contact, acceptance, resolution with its one extension — each in the deadline group of its
 * instant (workflows/deadline-group.ts), which escalates every case of that instant still open at it; a deadline
 * minutes away keeps a timer of the case's own, which escalates through a local activity. It
 * starts the cross-agency processes (dispatch, referral, mediation) as child workflows and tells them when the
 * case ends. The deadlines are computed by the API from the rule table and the working-day calendar and arrive
 * as instants; the workflow only waits. The database stays the record: every step lands in the case file.
 */
export type CaseStep = 'CONTACT_REACHED' | 'ACCEPTED' | 'REJECTED' | 'TRANSFERRED' | 'RESOLVED' | 'CLOSED';

export interface CaseStepSignal {
  /** The outbox row that carried this signal: deliveries are at-least-once, steps are applied once. */
  deliveryId: number;
  step: CaseStep;
  /** With ACCEPTED: when the resolution clock runs out. */
  resolutionDue?: string;
}

/** A cross-agency process to run as a child of this case (sent through the outbox by the API). */
export interface StartProcessSignal {
  deliveryId: number;
  /** A process workflow of the registry (src/processes/registry.ts), by its type name. */
  workflowType: string;
  workflowId: string;
  input: unknown;
}

export interface CaseLifecycleInput {
  caseId: string;
  /** For people reading the workflow; absent when the case is numbered as its intake commits, after this is queued. */
  caseNumber?: string;
  sameDayContactDue: string;
  acceptanceDue: string;
  /** Where the case already stands when its workflow starts (a case taken in before its workflow existed). */
  contacted?: boolean;
  /** Set when the case is already accepted: its resolution deadline. */
  resolutionDue?: string;
}

type ProcessWorkflow = (input: unknown) => Promise<unknown>;

export type Phase = 'AWAITING_ACCEPTANCE' | 'IN_HANDLING' | 'ENDED';

export interface CaseLifecycleState {
  phase: Phase;
  contacted: boolean;
  extended: boolean;
  openDeadlines: Array<{ name: 'sameDayContact' | 'acceptance' | 'resolution'; due: string; waitingOn: string }>;
  /**
   * The escalations this workflow's own timers recorded. A clock held by a deadline group is escalated by the group,
   * into the case file only: the case file is where every escalation is read.
   */
  escalations: string[];
  processes: Array<{ workflowType: string; workflowId: string }>;
}

/**
 * The holiday calendar gained a year (an administrator loaded the State Council's notice), and the deadlines the
 * API had counted across it on weekdays only were counted again: the new instants of the ones that moved. Only
 * the due values change; the running clock wakes and waits for the new one.
 */
export interface DeadlinesMovedSignal {
  deliveryId: number;
  /** The new acceptance deadline, when the case awaits acceptance. */
  acceptanceDue?: string;
  /** The new resolution deadline (the extended one, once extended), when the case is in handling. */
  resolutionDue?: string;
}

export const caseStepSignal = defineSignal<[CaseStepSignal]>('caseStep');
export const deadlinesMovedSignal = defineSignal<[DeadlinesMovedSignal]>('deadlinesMoved');
export const startProcessSignal = defineSignal<[StartProcessSignal]>('startProcess');
export const caseLifecycleStateQuery = defineQuery<CaseLifecycleState>('caseLifecycleState');
/** 延期: the one 30-working-day extension, approved by a supervisor or director; `extendedDue` is computed by the API. */
export const approveExtensionUpdate = defineUpdate<{ resolutionDue: string }, [{ actor: StepActor; extendedDue: string; reason: string }]>(
  'approveExtension',
);

/** Histories recorded before LOCAL_ESCALATION_PATCH escalate through this (an activity task on the server). */
const { recordEscalation } = proxyActivities<ProcessActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/**
 * The escalation as a local activity: the worker runs it inside the workflow task the fired timer started and
 * completes that task with the result recorded as a marker, so an escalation is one workflow task on the server
 * instead of two plus an activity task (the deadline storm: BENCHMARKS.md). It is a short, idempotent database
 * write (the activity finds an entry already written and stops), so a retry, or a replay after a worker died
 * between writing and completing the task, writes nothing twice. Its retries are bounded (5 s in all): a worker
 * waits for its local activities before it shuts down, and one retrying against a database that is gone (an
 * outage during the shutdown) would hold it for ever; past the bound the escalation goes to the
 * activity task, whose retries the server holds (see the clock below).
 */
const { recordEscalation: recordEscalationLocally } = proxyLocalActivities<ProcessActivities>({
  startToCloseTimeout: '2 seconds',
  scheduleToCloseTimeout: '5 seconds',
  retry: { initialInterval: '500 milliseconds', maximumInterval: '2 seconds' },
});

/**
 * Joins the deadline group of an instant (workflows/deadline-group.ts): a local activity, so joining adds a marker to
 * the workflow task that set the clock and no task of its own. The worker answers from memory after the first case
 * of an instant. Bounded: past the bound the clock keeps a timer of its own instead.
 */
const { joinDeadlineGroup } = proxyLocalActivities<ProcessActivities>({
  startToCloseTimeout: '10 seconds',
  scheduleToCloseTimeout: '30 seconds',
  retry: { initialInterval: '500 milliseconds', maximumInterval: '5 seconds' },
});

/**
 * The patch after which a clock is held by the deadline group of its instant, not by a timer of the case's own:
 * histories recorded before it replay their timers. Asked once, in the first workflow task.
 */
export const DEADLINE_GROUPS_PATCH = 'lifecycle-deadline-groups';

/**
 * A deadline closer than this when its clock is set keeps a timer of the case's own (a complaint taken in at 23:58
 * has its same-day contact clock two minutes away): a group is joined only while its sweep is surely still ahead,
 * with room for the join's own bounded retries (30 s).
 */
export const DEADLINE_GROUP_MIN_LEAD_MS = 5 * 60_000;

/** The patch that moved the escalation to a local activity: histories recorded before it replay the activity task. */
export const LOCAL_ESCALATION_PATCH = 'escalation-local-activity';

/**
 * The patch after which a step heard of only at or after its clock's deadline has the case file judge the clock
 * (escalate_clock_at): before it, such a step ended the clock with no escalation even when taken late.
 */
export const LATE_STEP_AS_OF_PATCH = 'clock-late-step-as-of';

/** The patch after which a clock already done at its start (same-day contact of a case contacted at intake) sets no timer. */
export const SKIP_DONE_CLOCK_PATCH = 'clock-skips-done-step';

export async function caseLifecycle(input: CaseLifecycleInput): Promise<{ phase: Phase; escalations: string[] }> {
  const seen = new Set<number>();
  const steps = new Set<CaseStep>();
  let resolutionDue: string | undefined = input.resolutionDue;
  let acceptanceDue: string = input.acceptanceDue;
  /** Set when a deadline was moved (deadlinesMoved), so the running clock wakes and re-reads its due value. */
  let moved = false;
  let extended = false;
  let extending = false;
  const escalations: string[] = [];
  const children: Array<{ workflowType: string; workflowId: string; handle?: ChildWorkflowHandle<ProcessWorkflow> }> = [];
  const writer = new StepWriter({ caseId: input.caseId });
  tagWithCase(input.caseId); // search attributes: case number, region, owner, status (read again on each status signal)
  if (input.contacted) steps.add('CONTACT_REACHED');
  if (input.resolutionDue) steps.add('ACCEPTED');

  const ended = () => steps.has('REJECTED') || steps.has('TRANSFERRED') || steps.has('RESOLVED') || steps.has('CLOSED');
  const decided = () => steps.has('ACCEPTED') || ended();
  // Asked in the first task as well as at the escalation: a new workflow's first task then carries the patch's marker
  // and its TemporalChangeVersion upsert, and the escalation's task — thousands at one instant in a deadline storm —
  // neither. The answer here decides nothing: a history recorded with the marker at its escalation replays (false
  // here, no command; true at the escalation, where its marker is).
  patched(LOCAL_ESCALATION_PATCH);
  const grouped = patched(DEADLINE_GROUPS_PATCH);

  // Registered before anything waits: a step that arrives early is kept, not dropped.
  setHandler(caseStepSignal, (s) => {
    if (seen.has(s.deliveryId)) return;
    seen.add(s.deliveryId);
    steps.add(s.step);
    if (s.step === 'ACCEPTED' && s.resolutionDue) resolutionDue = s.resolutionDue;
    refreshCaseTags(); // the case's status moved
  });
  setHandler(caseFactsChangedSignal, refreshCaseTags); // a handover changed the case's owner
  setHandler(deadlinesMovedSignal, (s) => {
    if (seen.has(s.deliveryId)) return;
    seen.add(s.deliveryId);
    if (s.acceptanceDue && !decided()) acceptanceDue = s.acceptanceDue;
    if (s.resolutionDue && steps.has('ACCEPTED') && !ended()) resolutionDue = s.resolutionDue;
    moved = true;
  });
  setHandler(startProcessSignal, async (s) => {
    if (seen.has(s.deliveryId) || children.some((c) => c.workflowId === s.workflowId)) return;
    seen.add(s.deliveryId);
    const child: (typeof children)[number] = { workflowType: s.workflowType, workflowId: s.workflowId };
    children.push(child);
    refreshCaseTags(); // a process started: the case may have moved on (IN_PROGRESS)
    // ABANDON: a referral the police hold outlives the case; the others end themselves when told the case ended.
    child.handle = await startChild<ProcessWorkflow>(s.workflowType, {
      workflowId: s.workflowId,
      args: [s.input],
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
  });
  setHandler(
    approveExtensionUpdate,
    async ({ actor, extendedDue, reason }) => {
      extending = true;
      try {
        await writer.write({
          stepKey: 'resolution-extension',
          actor,
          event: { type: 'RESOLUTION_EXTENDED', payload: { from: resolutionDue, to: extendedDue, reason } },
          effects: [{ kind: 'extension', resolutionExtendedDue: extendedDue }],
        });
        resolutionDue = extendedDue;
        extended = true;
        return { resolutionDue: extendedDue };
      } finally {
        extending = false;
      }
    },
    {
      validator: ({ actor, extendedDue, reason }) => {
        const a = requireActor(actor);
        if (!hasRole(a, EXTENSION_APPROVERS))
          refuse('FORBIDDEN', 'an extension needs a supervisor’s or director’s approval (劳动保障监察条例 第十七条)');
        if (!steps.has('ACCEPTED') || ended() || !resolutionDue)
          refuse('CONFLICT', 'only an accepted case still in handling can be extended');
        if (extended || extending) refuse('CONFLICT', 'the statute allows one extension, and this case has had it');
        if (Date.now() > Date.parse(resolutionDue))
          refuse('CONFLICT', 'the resolution deadline has passed: an extension is approved before it runs out');
        if (!(Date.parse(extendedDue) > Date.parse(resolutionDue)))
          refuse('BAD_USER_INPUT', 'the extended deadline must fall after the current one', 'input.extendedDue');
        if (!reason.trim()) refuse('BAD_USER_INPUT', 'an extension needs its reason on record', 'input.reason');
      },
    },
  );

  setHandler(caseLifecycleStateQuery, () => {
    const open: CaseLifecycleState['openDeadlines'] = [];
    if (!steps.has('CONTACT_REACHED') && !decided())
      open.push({ name: 'sameDayContact', due: input.sameDayContactDue, waitingOn: 'intake clerk' });
    if (!decided()) open.push({ name: 'acceptance', due: acceptanceDue, waitingOn: 'inspection agency' });
    if (steps.has('ACCEPTED') && !ended() && resolutionDue)
      open.push({ name: 'resolution', due: resolutionDue, waitingOn: 'lead inspector' });
    return {
      phase: ended() ? 'ENDED' : steps.has('ACCEPTED') ? 'IN_HANDLING' : 'AWAITING_ACCEPTANCE',
      contacted: steps.has('CONTACT_REACHED'),
      extended,
      openDeadlines: open,
      escalations: [...escalations],
      processes: children.map((c) => ({ workflowType: c.workflowType, workflowId: c.workflowId })),
    };
  });

  /**
   * Waits for `done` until the deadline `due()` (which an extension may move); if the clock runs out first,
   * escalates once and returns. The timer is left to run out rather than cancelled when `done` comes first:
   * Temporal's time-skipping test server (1.38) rejects a workflow task that cancels one timer and starts the
   * next, and a timer that fires with nothing waiting on it costs one history event. A deadline moved by the
   * calendar (deadlinesMoved) wakes the clock at once, which then waits for the new deadline (a later one, or an
   * earlier one, which the old timer would have let pass).
   */
  /** Joins the group of the instant; false when the server did not answer in time (the clock keeps a timer of its own). */
  async function joinedGroup(due: string): Promise<boolean> {
    try {
      await joinDeadlineGroup({ due });
      return true;
    } catch (err) {
      if (isCancellation(err)) throw err;
      return false;
    }
  }

  async function clock(name: string, due: () => string, escalateTo: string, done: () => boolean): Promise<void> {
    // A clock whose step is already done (a complainant reached at intake) sets no timer: at its deadline, every case of
    // that day would wake at the same 24:00 for nothing. Histories from before the patch replay their timer.
    if (done() && patched(SKIP_DONE_CLOCK_PATCH)) {
      // Done, but heard of only at or after the deadline (the start and the step's signal in one task, a worker down
      // since intake): the case file says whether it was done in time.
      if (Date.now() >= Date.parse(due()) && patched(LATE_STEP_AS_OF_PATCH)) await escalate(name, due(), escalateTo);
      return;
    }
    for (;;) {
      const target = due();
      if (grouped && Date.parse(target) - Date.now() > DEADLINE_GROUP_MIN_LEAD_MS && (await joinedGroup(target))) {
        // The group of the instant holds the clock and escalates from the case as it stood at the instant: this
        // workflow only waits for the step, or for the deadline to move (an extension, the calendar), and then joins
        // the new instant's group.
        await condition(() => done() || due() !== target);
        if (done()) return;
        continue;
      }
      let expired = false;
      moved = false;
      void sleep(Math.max(1, Date.parse(target) - Date.now())).then(() => (expired = true));
      await condition(() => done() || moved || (expired && !extending)); // an extension being recorded is let finish
      if (done()) {
        // The step was heard of only at or after the deadline (a worker down at the instant gets the timer and the
        // signal together): the case file says whether it was taken in time. Histories from before the patch returned.
        if (due() === target && Date.now() >= Date.parse(target) && patched(LATE_STEP_AS_OF_PATCH))
          await escalate(name, target, escalateTo);
        return;
      }
      if (due() !== target) continue; // extended or moved meanwhile: wait for the new deadline
      if (!expired) continue; // woken by a move of another deadline: this one still stands
      await escalate(name, target, escalateTo);
      return;
    }
  }

  /**
   * Escalates a clock whose own timer ran out, as the case stood at the deadline (the activity asks the case file;
   * it answers `escalated` false when the step was taken by then). A history without the local-escalation patch's
   * marker (a workflow started before it) escalates through the activity task.
   */
  async function escalate(name: string, target: string, escalateTo: string): Promise<void> {
    const escalation = { caseId: input.caseId, kind: name, deadline: target, escalateTo };
    let result: { escalated?: boolean };
    if (patched(LOCAL_ESCALATION_PATCH)) {
      try {
        result = await recordEscalationLocally(escalation);
      } catch (err) {
        if (isCancellation(err)) throw err;
        result = await recordEscalation(escalation); // the local attempts ran out: the server's retries from here
      }
    } else {
      result = await recordEscalation(escalation);
    }
    // Absent in a result recorded before the activity judged the instant: it escalated then.
    if (result.escalated ?? true) escalations.push(name);
  }

  const sameDayContact = () =>
    clock(
      'SAME_DAY_CONTACT_MISSED',
      () => input.sameDayContactDue,
      'SUPERVISOR',
      () => steps.has('CONTACT_REACHED') || decided(),
    );
  const acceptance = () => clock('ACCEPTANCE_OVERDUE', () => acceptanceDue, 'SUPERVISOR', decided);
  if (grouped) {
    // Held by groups, a clock returns only when its step is taken: the two run side by side, so an unreached
    // complainant does not keep the acceptance clock from being set.
    await Promise.all([sameDayContact(), acceptance()]);
  } else {
    await sameDayContact(); // same-day contact always falls due before acceptance
    await acceptance();
  }
  await condition(decided);

  if (steps.has('ACCEPTED') && !ended()) {
    await condition(() => resolutionDue !== undefined || ended());
    if (resolutionDue) await clock('RESOLUTION_OVERDUE', () => resolutionDue!, 'DIRECTOR', ended);
    await condition(ended);
  }

  // The processes end with the case (wages paid end a dispatch; a referral with the police goes on).
  await condition(allHandlersFinished);
  const reason = steps.has('RESOLVED')
    ? 'WAGES_PAID'
    : steps.has('CLOSED')
      ? 'CASE_CLOSED'
      : steps.has('TRANSFERRED')
        ? 'CASE_TRANSFERRED'
        : 'CASE_REJECTED';
  for (const child of children) {
    try {
      await child.handle?.signal(caseEndedSignal, { reason });
    } catch {
      // The child has already finished: nothing to tell it.
    }
  }
  await caseTagsSettled(); // the status the case ended in is the one its tags show
  return { phase: 'ENDED', escalations };
}
