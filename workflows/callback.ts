import { allHandlersFinished, condition, defineQuery, defineUpdate, setHandler } from '@temporalio/workflow';
import { CALLBACK_REVIEWERS, CALLBACK_STAFF } from '../src/policy/roles';
import { noticePayload } from '../src/rules/complainant-notices';
import {
  caseTagsSettled,
  deadlineOperation,
  Deadlines,
  refuse,
  requireMember,
  StepWriter,
  stepKey,
  type StepActor,
  tagWithCase,
} from './process-kit';

/**
 * 回访 / 回头看: after a case is closed, labour inspection calls the complainant back and asks whether the wages
 * were received in full and whether they are satisfied. A call that does not reach them is recorded and the callback
 * stays open; no reached callback by the deadline escalates once, to the supervisor. "Not received in full" or
 * "dissatisfied" opens the supervisor's review, with its own deadline, escalated once to the director if missed.
 * Started by the closing approval through the outbox (the case's lifecycle workflow has ended by then), not as a
 * child. Deadlines are computed by the API on the working-day calendar and arrive as instants.
 */
export interface CallbackInput {
  caseId: string;
  caseNumber: string;
  processId: string;
  /** The inspection agency that owns the case: its staff call back, its supervisor reviews. */
  hrssAgencyId: string;
  callbackDue: string;
}

/** 满意 / 基本满意 / 不满意. */
export const SATISFACTION_LEVELS = ['SATISFIED', 'BASICALLY_SATISFIED', 'DISSATISFIED'] as const;
export type Satisfaction = (typeof SATISFACTION_LEVELS)[number];

export const REVIEW_DECISIONS = ['CLOSURE_UPHELD', 'FOLLOW_UP_ORDERED'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

export type CallbackStatus = 'WAITING' | 'OVERDUE' | 'UNDER_REVIEW' | 'DONE';

export interface CallbackState {
  status: CallbackStatus;
  attempts: number;
  escalations: string[];
}

export interface RecordCallbackArgs {
  actor: StepActor;
  reached: boolean;
  wagesReceivedInFull?: boolean | null;
  satisfaction?: Satisfaction | null;
  notes?: string | null;
  /** Computed by the API (working days from now): the review's deadline, used if this callback opens a review. */
  reviewDue: string;
}

export const recordCallbackUpdate = defineUpdate<{ status: CallbackStatus }, [RecordCallbackArgs]>('recordCallback');
export const reviewCallbackUpdate = defineUpdate<
  { status: CallbackStatus },
  [{ actor: StepActor; decision: ReviewDecision; findings: string }]
>('reviewCallback');
export const callbackStateQuery = defineQuery<CallbackState>('callbackState');

export async function callback(input: CallbackInput): Promise<CallbackState> {
  const steps = new StepWriter({ caseId: input.caseId, processId: input.processId }, { opensWith: true });
  tagWithCase(input.caseId);
  // The complainant's notice belongs to the case, not to the process: every agency that sees the case sees it.
  const notices = new StepWriter({ caseId: input.caseId });
  const deadlines = new Deadlines();
  let status: CallbackStatus = 'WAITING';
  let attempts = 0;
  let busy = false;
  const escalations: string[] = [];

  setHandler(callbackStateQuery, () => ({ status, attempts, escalations: [...escalations] }));

  setHandler(
    recordCallbackUpdate,
    async ({ actor, reached, wagesReceivedInFull, satisfaction, notes, reviewDue }) => {
      busy = true;
      try {
        attempts++;
        if (!reached) {
          await steps.write({
            stepKey: stepKey(input.processId, 'attempt'),
            actor,
            event: { type: 'CALLBACK_ATTEMPTED', payload: { reached: false, notes: notes ?? null, attempt: attempts } },
            effects: [{ kind: 'process', facts: { attempts } }],
          });
          return { status };
        }
        const review = wagesReceivedInFull === false || satisfaction === 'DISSATISFIED';
        const onTime = Date.now() <= Date.parse(input.callbackDue);
        const outcome = { reached: true, wagesReceivedInFull, satisfaction, notes: notes ?? null, onTime };
        status = review ? 'UNDER_REVIEW' : 'DONE';
        await steps.write({
          stepKey: stepKey(input.processId, 'callback'),
          actor,
          event: { type: 'CALLBACK_RECORDED', payload: outcome },
          alsoEvents: review
            ? [
                {
                  type: 'CALLBACK_REVIEW_OPENED',
                  payload: { reviewDue, wagesReceivedInFull, satisfaction, waitingOn: 'SUPERVISOR' },
                },
              ]
            : [],
          effects: [
            review
              ? { kind: 'process', status, dueAt: reviewDue, waitingOn: 'SUPERVISOR', facts: { attempts, callback: outcome } }
              : { kind: 'process', status, facts: { attempts, callback: outcome }, end: { outcome: 'CALLBACK_DONE' } },
          ],
        });
        await notices.write({
          stepKey: stepKey(input.processId, 'notice'),
          actor,
          event: { type: 'NOTICE', payload: noticePayload(review ? 'CALLBACK_UNDER_REVIEW' : 'CALLBACK_DONE') },
          effects: [],
        });
        if (review) {
          deadlines.at(reviewDue, async () => {
            if (status !== 'UNDER_REVIEW') return;
            escalations.push('CALLBACK_REVIEW_OVERDUE');
            await steps.write({
              operation: deadlineOperation(),
              stepKey: `${input.processId}:review-overdue`,
              event: { type: 'ESCALATED', payload: { kind: 'CALLBACK_REVIEW_OVERDUE', deadline: reviewDue, escalateTo: 'DIRECTOR' } },
              effects: [{ kind: 'process', facts: { reviewEscalated: true } }],
            });
          });
        }
        return { status };
      } finally {
        busy = false;
      }
    },
    {
      validator: ({ actor, reached, wagesReceivedInFull, satisfaction, notes, reviewDue }) => {
        requireMember(actor, input.hrssAgencyId, CALLBACK_STAFF, 'record the callback');
        if (busy) refuse('CONFLICT', 'another callback of this case is being recorded; try again');
        if (status !== 'WAITING' && status !== 'OVERDUE') refuse('CONFLICT', `the callback is ${status}: it has been made`);
        if (notes != null && notes.length > 2000) refuse('BAD_USER_INPUT', 'notes are at most 2000 characters', 'input.notes');
        if (reached) {
          if (typeof wagesReceivedInFull !== 'boolean')
            refuse('BAD_USER_INPUT', 'a reached callback says whether the wages were received in full', 'input.wagesReceivedInFull');
          if (!satisfaction || !(SATISFACTION_LEVELS as readonly string[]).includes(satisfaction))
            refuse('BAD_USER_INPUT', 'a reached callback records the satisfaction (满意 / 基本满意 / 不满意)', 'input.satisfaction');
          if (Number.isNaN(Date.parse(reviewDue))) refuse('BAD_USER_INPUT', 'the review deadline is an instant', 'input.reviewDue');
        } else if (wagesReceivedInFull != null || satisfaction != null) {
          refuse('BAD_USER_INPUT', 'a callback that did not reach the complainant records no answers', 'input.reached');
        }
      },
    },
  );

  setHandler(
    reviewCallbackUpdate,
    async ({ actor, decision, findings }) => {
      status = 'DONE';
      await steps.write({
        stepKey: stepKey(input.processId, 'review'),
        actor,
        event: { type: 'CALLBACK_REVIEWED', payload: { decision, findings } },
        effects: [{ kind: 'process', status, facts: { review: { decision, findings } }, end: { outcome: decision } }],
      });
      return { status };
    },
    {
      validator: ({ actor, decision, findings }) => {
        requireMember(actor, input.hrssAgencyId, CALLBACK_REVIEWERS, 'review the callback');
        if (status !== 'UNDER_REVIEW') refuse('CONFLICT', `the callback is ${status}: there is no review to decide`);
        if (!(REVIEW_DECISIONS as readonly string[]).includes(decision)) refuse('BAD_USER_INPUT', 'unknown decision', 'input.decision');
        if (!findings.trim()) refuse('BAD_USER_INPUT', 'the review records its findings', 'input.findings');
      },
    },
  );

  await steps.open({
    stepKey: `${input.processId}:scheduled`,
    event: { type: 'CALLBACK_SCHEDULED', payload: { callbackDue: input.callbackDue } },
    effects: [{ kind: 'process', status: 'WAITING', dueAt: input.callbackDue, waitingOn: 'INSPECTION' }],
  });
  deadlines.at(input.callbackDue, async () => {
    if (status !== 'WAITING') return;
    status = 'OVERDUE';
    escalations.push('CALLBACK_OVERDUE');
    await steps.write({
      operation: deadlineOperation(),
      stepKey: `${input.processId}:overdue`,
      event: { type: 'ESCALATED', payload: { kind: 'CALLBACK_OVERDUE', deadline: input.callbackDue, escalateTo: 'SUPERVISOR' } },
      effects: [{ kind: 'process', status, waitingOn: 'SUPERVISOR' }],
    });
  });

  await condition(() => status === 'DONE');
  await condition(() => deadlines.idle && allHandlersFinished());
  await caseTagsSettled();
  return { status, attempts, escalations };
}
