import { allHandlersFinished, ApplicationFailure, condition, defineQuery, defineUpdate, patched, setHandler } from '@temporalio/workflow';
import type { ProcessEffect } from '../src/processes/process-step.contract';
import {
  caseTagsSettled,
  caseEndedSignal,
  deadlineOperation,
  Deadlines,
  requireMember,
  StepWriter,
  stepKey,
  type StepActor,
  tagWithCase,
} from './process-kit';
import { DELIBERATION_RECORDERS, investigatedTheCase, PENALTY_CASEWORKERS, PENALTY_DECIDERS } from '../src/policy/investigation';

/**
 * 行政处罚 (administrative penalty, 行政处罚法 2021): a proposal (amount, provision breached) → the notice of the
 * proposed penalty to the party (告知, 第四十四条) → the time for statement and defence (第四十五条) and, for a
 * large fine, the window to request a hearing: 5 working days after the notice (第六十四条, 第八十五条) → a hearing
 * held, or the window passed → collective deliberation for a serious case (第五十七条第二款) → the decision, by
 * someone who did not investigate the case → service of the decision (送达, 7 working days: 第六十一条). The API
 * works the working-day deadlines out on the holiday calendar and passes them in as instants.
 */
export interface PenaltyInput {
  caseId: string;
  caseNumber: string;
  processId: string;
  hrssAgencyId: string;
  proposedBy: string;
  amountFen: number;
  provision: string;
  /** 较大数额罚款 (provincial configuration): the party may request a hearing. */
  largeFine: boolean;
  /** 情节复杂或者重大违法行为 (provincial configuration, or marked so): the decision needs collective deliberation. */
  serious: boolean;
}

export type PenaltyStatus =
  'PROPOSED' | 'NOTICE_SERVED' | 'HEARING_REQUESTED' | 'HEARING_HELD' | 'AWAITING_DECISION' | 'DECIDED' | 'SERVED' | 'CLOSED_WITH_CASE';

export interface PenaltyState {
  status: PenaltyStatus;
  statementDue?: string;
  hearingRequestDue?: string | null;
  statements: number;
  deliberated: boolean;
  decision?: 'IMPOSE' | 'NO_PENALTY';
  serviceDue?: string;
  overdue: string[];
}

export const servePenaltyNoticeUpdate = defineUpdate<
  PenaltyState,
  [{ actor: StepActor; noticeRef: string; statementDue: string; hearingRequestDue: string | null }]
>('servePenaltyNotice');
export const recordPenaltyStatementUpdate = defineUpdate<PenaltyState, [{ actor: StepActor; summary: string }]>('recordPenaltyStatement');
export const requestPenaltyHearingUpdate = defineUpdate<PenaltyState, [{ actor: StepActor; requestedBy: string }]>('requestPenaltyHearing');
export const recordPenaltyHearingUpdate = defineUpdate<PenaltyState, [{ actor: StepActor; heldAt: string; summary: string }]>(
  'recordPenaltyHearing',
);
export const recordPenaltyDeliberationUpdate = defineUpdate<
  PenaltyState,
  [{ actor: StepActor; heldAt: string; participants: string[]; conclusion: string }]
>('recordPenaltyDeliberation');
export const decidePenaltyUpdate = defineUpdate<
  PenaltyState,
  [
    {
      actor: StepActor;
      decision: 'IMPOSE' | 'NO_PENALTY';
      amountFen: number;
      decisionRef: string;
      serviceDue: string;
      investigators: string[];
    },
  ]
>('decidePenalty');
export const servePenaltyDecisionUpdate = defineUpdate<PenaltyState, [{ actor: StepActor; method: string }]>('servePenaltyDecision');
export const penaltyStateQuery = defineQuery<PenaltyState>('penaltyState');

/** A refusal with the field and the rule (the caller's DomainError carries both). */
function refuse(code: 'FORBIDDEN' | 'CONFLICT' | 'BAD_USER_INPUT', rule: string, message: string, field?: string): never {
  throw ApplicationFailure.create({ type: code, message, nonRetryable: true, details: [{ rule, ...(field ? { field } : {}) }] });
}

export async function penalty(input: PenaltyInput): Promise<PenaltyState> {
  const steps = new StepWriter({ caseId: input.caseId, processId: input.processId });
  tagWithCase(input.caseId);
  const deadlines = new Deadlines();
  let status: PenaltyStatus = 'PROPOSED';
  let statementDue: string | undefined;
  let hearingRequestDue: string | null | undefined;
  let statementOver = false;
  let hearingWindowOver = false;
  let statements = 0;
  let deliberated = false;
  let decision: PenaltyState['decision'];
  let serviceDue: string | undefined;
  const overdue: string[] = [];
  let busy = false;
  let proposalRecorded = false;
  let caseEnded: string | undefined;

  const state = (): PenaltyState => ({
    status,
    statementDue,
    hearingRequestDue,
    statements,
    deliberated,
    decision,
    serviceDue,
    overdue: [...overdue],
  });
  const ended = () => status === 'SERVED' || status === 'CLOSED_WITH_CASE';
  /** A penalty whose notice was served goes on after the case ends (the violation is punished even once wages are paid). */
  const outlivesCase = () => status !== 'PROPOSED';

  async function take(run: () => Promise<void>): Promise<PenaltyState> {
    busy = true;
    try {
      // The proposal is on the record before any step: a notice served at once after the start otherwise raced the
      // proposal's entry, and the proposal's status could overwrite the notice's. Patched: older histories replay as
      // they ran.
      if (patched('penalty-proposal-before-steps')) await condition(() => proposalRecorded);
      await run();
    } finally {
      busy = false;
    }
    return state();
  }
  function expect(...allowed: PenaltyStatus[]): void {
    if (caseEnded && !outlivesCase())
      refuse('CONFLICT', 'process.case-ended', `the case has ended (${caseEnded}); this penalty is closing`);
    if (busy) refuse('CONFLICT', 'process.busy', 'another step of this penalty is being recorded; try again');
    if (!allowed.includes(status)) refuse('CONFLICT', 'penalty.order', `the penalty is ${status}; this step needs ${allowed.join(' or ')}`);
  }
  const caseworker = (actor: StepActor, doing: string) => requireMember(actor, input.hrssAgencyId, PENALTY_CASEWORKERS, doing);
  const text = (v: string, field: string, what: string) => {
    if (!v.trim()) refuse('BAD_USER_INPUT', 'required', what, field);
  };

  /** When both windows after the notice have passed and no hearing is pending, the penalty awaits its decision. */
  async function windowsPassed(): Promise<void> {
    if (status !== 'NOTICE_SERVED' || !statementOver || !hearingWindowOver) return;
    status = 'AWAITING_DECISION';
    await steps.write({
      operation: deadlineOperation(),
      stepKey: `${input.processId}:awaiting-decision`,
      event: { type: 'PENALTY_AWAITING_DECISION', payload: { statements, hearingRequested: false, serious: input.serious } },
      effects: [{ kind: 'process', status, dueAt: null, waitingOn: input.serious ? 'COLLECTIVE_DELIBERATION' : 'DECIDER' }],
    });
  }

  setHandler(penaltyStateQuery, state);
  setHandler(caseEndedSignal, ({ reason }) => {
    caseEnded ??= reason;
  });

  setHandler(
    servePenaltyNoticeUpdate,
    ({ actor, noticeRef, statementDue: sDue, hearingRequestDue: hDue }) =>
      take(async () => {
        const windowEnd = hDue && hDue > sDue ? hDue : sDue;
        await steps.write({
          stepKey: stepKey(input.processId, 'notice'),
          actor,
          event: {
            type: 'PENALTY_NOTICE_SERVED',
            payload: { noticeRef, amountFen: input.amountFen, provision: input.provision, statementDue: sDue, hearingRequestDue: hDue },
          },
          effects: [
            {
              kind: 'process',
              status: 'NOTICE_SERVED',
              dueAt: windowEnd,
              waitingOn: 'PARTY',
              facts: { noticeRef, noticeServedAt: new Date().toISOString(), statementDue: sDue, hearingRequestDue: hDue },
            },
          ],
        });
        status = 'NOTICE_SERVED';
        statementDue = sDue;
        hearingRequestDue = hDue;
        hearingWindowOver = hDue === null;
        deadlines.at(sDue, async () => {
          await condition(() => !busy);
          statementOver = true;
          if (ended()) return;
          await steps.write({
            operation: deadlineOperation(),
            stepKey: `${input.processId}:statement-period-ended`,
            event: { type: 'PENALTY_STATEMENT_PERIOD_ENDED', payload: { statementDue: sDue, statements } },
            effects: [],
          });
          await windowsPassed();
        });
        if (hDue) {
          deadlines.at(hDue, async () => {
            await condition(() => !busy); // a hearing request being recorded as the window closes is let finish
            hearingWindowOver = true;
            if (status !== 'NOTICE_SERVED') return;
            await steps.write({
              operation: deadlineOperation(),
              stepKey: `${input.processId}:hearing-window-passed`,
              event: { type: 'PENALTY_HEARING_WINDOW_PASSED', payload: { hearingRequestDue: hDue } },
              effects: [],
            });
            await windowsPassed();
          });
        }
      }),
    {
      validator: ({ actor, noticeRef, statementDue: sDue, hearingRequestDue: hDue }) => {
        caseworker(actor, 'serve the notice of a proposed penalty');
        expect('PROPOSED');
        text(noticeRef, 'input.noticeRef', 'give the notice’s document number');
        if (!(Date.parse(sDue) > Date.now()))
          refuse('BAD_USER_INPUT', 'penalty.deadline', 'the statement period ends after now', 'statementDue');
        if (input.largeFine !== (hDue !== null))
          refuse(
            'BAD_USER_INPUT',
            'penalty.hearing-window',
            'a hearing window goes with a large fine, and only with one',
            'hearingRequestDue',
          );
      },
    },
  );

  setHandler(
    recordPenaltyStatementUpdate,
    ({ actor, summary }) =>
      take(async () => {
        const late = statementOver;
        await steps.write({
          stepKey: stepKey(input.processId, 'statement'),
          actor,
          event: { type: 'PENALTY_STATEMENT_RECORDED', payload: { summary, late } },
          effects: [],
        });
        statements++;
      }),
    {
      validator: ({ actor, summary }) => {
        caseworker(actor, 'record the party’s statement and defence');
        // Heard until the decision: the agency must consider what the party says (第四十五条).
        expect('NOTICE_SERVED', 'HEARING_REQUESTED', 'HEARING_HELD', 'AWAITING_DECISION');
        text(summary, 'input.summary', 'say what the party stated');
      },
    },
  );

  setHandler(
    requestPenaltyHearingUpdate,
    ({ actor, requestedBy }) =>
      take(async () => {
        await steps.write({
          stepKey: stepKey(input.processId, 'hearing-request'),
          actor,
          event: { type: 'PENALTY_HEARING_REQUESTED', payload: { requestedBy, hearingRequestDue } },
          effects: [{ kind: 'process', status: 'HEARING_REQUESTED', dueAt: null, waitingOn: 'HRSS' }],
        });
        status = 'HEARING_REQUESTED';
      }),
    {
      validator: ({ actor, requestedBy }) => {
        caseworker(actor, 'record a request for a hearing');
        if (!input.largeFine)
          refuse('BAD_USER_INPUT', 'penalty.hearing-large-fine', 'a hearing is for a large fine (行政处罚法 第六十三条)');
        expect('NOTICE_SERVED');
        if (hearingWindowOver || (hearingRequestDue && Date.now() > Date.parse(hearingRequestDue)))
          refuse('CONFLICT', 'penalty.hearing-window', `the hearing could be requested until ${hearingRequestDue} (行政处罚法 第六十四条)`);
        text(requestedBy, 'input.requestedBy', 'say who requested the hearing');
      },
    },
  );

  setHandler(
    recordPenaltyHearingUpdate,
    ({ actor, heldAt, summary }) =>
      take(async () => {
        await steps.write({
          stepKey: stepKey(input.processId, 'hearing'),
          actor,
          event: { type: 'PENALTY_HEARING_HELD', payload: { heldAt, summary } },
          effects: [
            {
              kind: 'process',
              status: 'HEARING_HELD',
              waitingOn: input.serious ? 'COLLECTIVE_DELIBERATION' : 'DECIDER',
              facts: { hearingHeldAt: heldAt },
            },
          ],
        });
        status = 'HEARING_HELD';
      }),
    {
      validator: ({ actor, heldAt, summary }) => {
        caseworker(actor, 'record the hearing');
        expect('HEARING_REQUESTED');
        if (!(Date.parse(heldAt) <= Date.now()))
          refuse('BAD_USER_INPUT', 'time.not-future', 'a hearing is recorded once held', 'input.heldAt');
        text(summary, 'input.summary', 'say what the hearing found');
      },
    },
  );

  setHandler(
    recordPenaltyDeliberationUpdate,
    ({ actor, heldAt, participants, conclusion }) =>
      take(async () => {
        await steps.write({
          stepKey: stepKey(input.processId, 'deliberation'),
          actor,
          event: { type: 'PENALTY_DELIBERATED', payload: { heldAt, participants, conclusion } },
          effects: [{ kind: 'process', waitingOn: 'DECIDER', facts: { deliberatedAt: heldAt } }],
        });
        deliberated = true;
      }),
    {
      validator: ({ actor, heldAt, participants, conclusion }) => {
        requireMember(actor, input.hrssAgencyId, DELIBERATION_RECORDERS, 'record the collective deliberation');
        expect('AWAITING_DECISION', 'HEARING_HELD');
        if (deliberated) refuse('CONFLICT', 'penalty.deliberated', 'the collective deliberation is already on record');
        if (!(Date.parse(heldAt) <= Date.now()))
          refuse('BAD_USER_INPUT', 'time.not-future', 'a deliberation is recorded once held', 'input.heldAt');
        if (participants.filter((p: string) => p.trim()).length < 2)
          refuse(
            'BAD_USER_INPUT',
            'penalty.collective',
            'a collective deliberation has several of the agency’s heads',
            'input.participants',
          );
        text(conclusion, 'input.conclusion', 'say what the deliberation concluded');
      },
    },
  );

  setHandler(
    decidePenaltyUpdate,
    ({ actor, decision: d, amountFen, decisionRef, serviceDue: due }) =>
      take(async () => {
        const effects: ProcessEffect[] = [
          {
            kind: 'process',
            status: 'DECIDED',
            dueAt: due,
            waitingOn: 'HRSS',
            facts: {
              penaltyDecision: d,
              decidedAmountFen: d === 'IMPOSE' ? amountFen : 0,
              decisionRef,
              decidedBy: actor.userId,
              serviceDue: due,
            },
          },
        ];
        await steps.write({
          stepKey: stepKey(input.processId, 'decision'),
          actor,
          event: {
            type: 'PENALTY_DECIDED',
            payload: { decision: d, amountFen: d === 'IMPOSE' ? amountFen : 0, decisionRef, serviceDue: due },
          },
          effects,
        });
        status = 'DECIDED';
        decision = d;
        serviceDue = due;
        deadlines.at(due, async () => {
          await condition(() => !busy);
          if (status !== 'DECIDED') return;
          overdue.push('PENALTY_DECISION_SERVICE_OVERDUE');
          await steps.write({
            operation: deadlineOperation(),
            stepKey: `${input.processId}:service-overdue`,
            event: { type: 'ESCALATED', payload: { kind: 'PENALTY_DECISION_SERVICE_OVERDUE', deadline: due, escalateTo: 'SUPERVISOR' } },
            effects: [{ kind: 'process', waitingOn: 'SUPERVISOR' }],
          });
        });
      }),
    {
      validator: ({ actor, decision: d, amountFen, decisionRef, serviceDue: due, investigators }) => {
        requireMember(actor, input.hrssAgencyId, PENALTY_DECIDERS, 'decide a penalty');
        if (investigatedTheCase(actor.userId, [...investigators, input.proposedBy]))
          refuse(
            'FORBIDDEN',
            'penalty.separation',
            'who investigated the case (its lead, its team, the proposer) may not decide its penalty',
          );
        expect('AWAITING_DECISION', 'HEARING_HELD');
        if (!statementOver) refuse('CONFLICT', 'penalty.statement-period', `the party may state its case until ${statementDue}`);
        if (input.serious && !deliberated)
          refuse(
            'CONFLICT',
            'penalty.collective-deliberation',
            'a serious case is decided after collective deliberation (行政处罚法 第五十七条)',
          );
        if (d === 'IMPOSE' && (!Number.isSafeInteger(amountFen) || amountFen <= 0 || amountFen > input.amountFen))
          refuse(
            'BAD_USER_INPUT',
            'penalty.within-notice',
            'the fine is a positive amount, no more than the notice proposed',
            'input.amount',
          );
        text(decisionRef, 'input.decisionRef', 'give the decision’s document number');
        if (!(Date.parse(due) > Date.now()))
          refuse('BAD_USER_INPUT', 'penalty.deadline', 'the service deadline is after now', 'serviceDue');
      },
    },
  );

  setHandler(
    servePenaltyDecisionUpdate,
    ({ actor, method }) =>
      take(async () => {
        const outcome = decision === 'IMPOSE' ? 'IMPOSED' : 'NO_PENALTY';
        await steps.write({
          stepKey: stepKey(input.processId, 'decision-served'),
          actor,
          event: { type: 'PENALTY_DECISION_SERVED', payload: { method, late: overdue.includes('PENALTY_DECISION_SERVICE_OVERDUE') } },
          effects: [{ kind: 'process', status: 'SERVED', facts: { decisionServedAt: new Date().toISOString() }, end: { outcome } }],
        });
        status = 'SERVED';
      }),
    {
      validator: ({ actor, method }) => {
        caseworker(actor, 'serve the penalty decision');
        expect('DECIDED');
        text(method, 'input.method', 'say how the decision was served');
      },
    },
  );

  await steps.write({
    stepKey: `${input.processId}:proposed`,
    event: {
      type: 'PENALTY_PROPOSAL_RECORDED',
      payload: { amountFen: input.amountFen, largeFine: input.largeFine, serious: input.serious },
    },
    effects: [{ kind: 'process', status: 'PROPOSED', waitingOn: 'HRSS' }],
  });
  proposalRecorded = true;

  await condition(() => ended() || (caseEnded !== undefined && !outlivesCase() && !busy));
  await condition(() => deadlines.idle && allHandlersFinished());
  if (!ended()) {
    await steps.write({
      stepKey: `${input.processId}:closed-with-case`,
      event: { type: 'PENALTY_CLOSED', payload: { reason: caseEnded, statusWhenClosed: status } },
      effects: [{ kind: 'process', status: 'CLOSED_WITH_CASE', end: { outcome: 'CLOSED_WITH_CASE' } }],
    });
    status = 'CLOSED_WITH_CASE';
  }
  await caseTagsSettled();
  return state();
}
