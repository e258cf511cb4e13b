import type { Duration } from '@temporalio/common';
import { msToNumber } from '@temporalio/common/lib/time';
import { allHandlersFinished, condition, defineQuery, defineUpdate, setHandler } from '@temporalio/workflow';
import type { ProcessEffect } from '../src/processes/process-step.contract';
import {
  caseTagsSettled,
  caseEndedSignal,
  deadlineOperation,
  Deadlines,
  refuse,
  requireMember,
  StepWriter,
  stepKey,
  type StepActor,
  tagWithCase,
} from './process-kit';
import { CASEWORKERS, POLICE_DECIDERS, REFERRAL_APPROVERS } from '../src/policy/roles';

/**
 * 移送 (police referral, two-law linkage). Inside HRSS: a team of inspectors proposes it, the director approves
 * within 3 days, it is sent to police within 24 hours of approval. Police decide within 3 days of receipt, in
 * writing: filed (tracked to its outcome; the employer enters the blacklist path) or declined with reasons
 * (HRSS may ask for reconsideration within 3 days, decided within 3 days, and may ask the procuratorate to
 * supervise; the case goes on administratively). Every clock arrives from the rule table: the day clocks as the
 * instant they end (counted by the API on the State Council calendar, 民法典 arts. 201–203), in the input for the
 * approval and as an argument of the step that starts each later one; the 24-hour send as a duration. A workflow
 * given no instant (histories recorded before instants were passed) waits the duration, as it did then.
 */
export type ReferralStatus =
  | 'AWAITING_APPROVAL'
  | 'APPROVED'
  | 'SENT'
  | 'FILED'
  | 'DECLINED'
  | 'RECONSIDERATION_REQUESTED'
  | 'UPHELD'
  | 'SUPERVISION_REQUESTED'
  | 'REFUSED'
  | 'CONCLUDED'
  | 'CLOSED_WITH_CASE';

export interface PoliceReferralInput {
  caseId: string;
  caseNumber: string;
  processId: string;
  hrssAgencyId: string;
  policeAgencyId: string;
  team: string[];
  clocks: {
    approval: Duration;
    send: Duration;
    policeDecision: Duration;
    reconsiderationRequest: Duration;
    reconsiderationDecision: Duration;
    /** When the director's 3 calendar days end (absent in workflows started before instants were passed). */
    approvalDueAt?: string;
  };
}

export interface ReferralState {
  status: ReferralStatus;
  dueAt: string | null;
  waitingOn: string | null;
  overdue: string[];
}

export const approveReferralUpdate = defineUpdate<ReferralState, [{ actor: StepActor; approve: boolean; note?: string }]>(
  'approveReferral',
);
/** `policeDecisionDueAt`: when the police's 3 calendar days end, counted by the API from the sending. */
export const sendReferralUpdate = defineUpdate<ReferralState, [{ actor: StepActor; policeDecisionDueAt?: string }]>('sendReferral');
/** `reconsiderationRequestDueAt`: when HRSS's 3 calendar days to ask for reconsideration of a decline end. */
export const decideReferralUpdate = defineUpdate<
  ReferralState,
  [{ actor: StepActor; decision: 'FILED' | 'DECLINED'; reasons?: string; reconsiderationRequestDueAt?: string }]
>('decideReferral');
/** `reconsiderationDecisionDueAt`: when the police's 3 calendar days to decide the reconsideration end. */
export const requestReconsiderationUpdate = defineUpdate<
  ReferralState,
  [{ actor: StepActor; grounds: string; reconsiderationDecisionDueAt?: string }]
>('requestReconsideration');
export const decideReconsiderationUpdate = defineUpdate<
  ReferralState,
  [{ actor: StepActor; decision: 'FILED' | 'UPHELD'; reasons?: string }]
>('decideReconsideration');
export const requestSupervisionUpdate = defineUpdate<ReferralState, [{ actor: StepActor; procuratorateAgencyId: string; grounds: string }]>(
  'requestSupervision',
);
export const recordCriminalOutcomeUpdate = defineUpdate<ReferralState, [{ actor: StepActor; outcome: string }]>('recordCriminalOutcome');
export const referralStateQuery = defineQuery<ReferralState>('referralState');

const HRSS_INSPECTORS = CASEWORKERS;

/**
 * Listing on a police filing is seed 002's local rule (涉嫌犯拒不支付劳动报酬罪被公安机关立案侦查的 … 直接列入黑名单). The
 * national rule (MOHRSS order 45) lists after a missed order to pay when the arrears reach the crime threshold, by
 * the enforcing agency's own decision, not on the filing itself.
 */
const BLACKLIST_ON_FILING = 'criminal case filed on a referral';
const BLACKLIST_ON_FILING_SOURCE =
  'seed 002 (local rule): an employer whose suspected 拒不支付劳动报酬罪 the police file for investigation is listed directly; MOHRSS order 45 lists only by the enforcing agency’s decision after a missed order to pay';

/** A due instant the API counted must be an instant still ahead: a step cannot start a clock that has run out. */
function requireFutureInstant(dueAt: string | undefined, field: string): void {
  if (dueAt === undefined) return;
  const at = Date.parse(dueAt);
  if (Number.isNaN(at)) refuse('BAD_USER_INPUT', `${field} is not an instant`, `input.${field}`);
  if (at <= Date.now()) refuse('BAD_USER_INPUT', `${field} (${dueAt}) is not in the future`, `input.${field}`);
}
const POLICE_OFFICERS = POLICE_DECIDERS;

export async function policeReferral(input: PoliceReferralInput): Promise<ReferralState> {
  const steps = new StepWriter({ caseId: input.caseId, processId: input.processId }, { opensWith: true });
  tagWithCase(input.caseId);
  const deadlines = new Deadlines();
  let status: ReferralStatus = 'AWAITING_APPROVAL';
  let busy = false;
  let due: { at: string; waitingOn: string } | undefined;
  const overdue: string[] = [];
  const state = (): ReferralState => ({ status, dueAt: due?.at ?? null, waitingOn: due?.waitingOn ?? null, overdue: [...overdue] });
  const ended = () => status === 'REFUSED' || status === 'SUPERVISION_REQUESTED' || status === 'CONCLUDED' || status === 'CLOSED_WITH_CASE';
  // A referral the police hold (or track as a criminal case) outlives the administrative case; others end with it.
  const withPolice = () => status === 'SENT' || status === 'FILED' || status === 'RECONSIDERATION_REQUESTED';
  let caseEnded: string | undefined;

  /**
   * Starts the clock of the step now awaited; missing it escalates once, to whom the rule names. It ends at `dueAt`
   * when the API counted it (calendar days), else `clock` from now (hours, and workflows started before instants).
   */
  function awaitStep(
    clock: Duration,
    dueAt: string | undefined,
    waitingOn: string,
    awaited: ReferralStatus,
    kind: string,
    escalateTo: string,
  ): ProcessEffect {
    const at = dueAt !== undefined ? new Date(dueAt).toISOString() : new Date(Date.now() + msToNumber(clock)).toISOString();
    due = { at, waitingOn };
    deadlines.at(at, async () => {
      await condition(() => !busy); // a step being recorded as the clock runs out is let finish: it may be this one
      if (status !== awaited) return;
      overdue.push(kind);
      await steps.write({
        operation: deadlineOperation(),
        stepKey: `${input.processId}:${kind}`,
        event: { type: 'ESCALATED', payload: { kind, deadline: at, escalateTo, waitingOn, dailyReport: true } },
        effects: [],
      });
    });
    return { kind: 'process', dueAt: at, waitingOn };
  }

  /** Runs one step: the validator has checked it; `busy` keeps a second step from slipping in meanwhile. */
  async function take(
    name: string,
    actor: StepActor,
    next: ReferralStatus,
    event: Parameters<StepWriter['write']>[0]['event'],
    extra: ProcessEffect[],
    also?: Parameters<StepWriter['write']>[0]['alsoEvents'],
  ): Promise<ReferralState> {
    busy = true;
    try {
      const closing: ProcessEffect[] = ['REFUSED', 'SUPERVISION_REQUESTED', 'CONCLUDED'].includes(next)
        ? [{ kind: 'process', end: { outcome: next } }]
        : [];
      await steps.write({
        stepKey: stepKey(input.processId, name),
        actor,
        event,
        effects: [{ kind: 'process', status: next }, ...extra, ...closing],
        alsoEvents: also,
      });
      status = next;
      if (closing.length) due = undefined;
      return state();
    } finally {
      busy = false;
    }
  }

  function expect(...allowed: ReferralStatus[]): void {
    if (caseEnded && !withPolice()) refuse('CONFLICT', `the case has ended (${caseEnded}); this referral is closing`);
    if (busy) refuse('CONFLICT', 'another step of this referral is being recorded; try again');
    if (!allowed.includes(status)) refuse('CONFLICT', `the referral is ${status}; this step needs ${allowed.join(' or ')}`);
  }

  setHandler(referralStateQuery, state);
  setHandler(caseEndedSignal, ({ reason }) => {
    caseEnded ??= reason;
  });
  setHandler(
    approveReferralUpdate,
    ({ actor, approve, note }) =>
      approve
        ? take('approve', actor, 'APPROVED', { type: 'REFERRAL_APPROVED', payload: { note } }, [
            { kind: 'process', facts: { approvedBy: actor.userId, approvedAt: new Date().toISOString() } },
            awaitStep(input.clocks.send, undefined, 'HRSS_TEAM', 'APPROVED', 'REFERRAL_SEND_OVERDUE', 'DIRECTOR'),
          ])
        : take('refuse', actor, 'REFUSED', { type: 'REFERRAL_REFUSED', payload: { note } }, []),
    {
      validator: ({ actor, approve, note }) => {
        requireMember(actor, input.hrssAgencyId, REFERRAL_APPROVERS, 'approve a referral');
        expect('AWAITING_APPROVAL');
        if (!approve && !note?.trim()) refuse('BAD_USER_INPUT', 'a refused referral needs the reason in writing', 'input.note');
      },
    },
  );
  setHandler(
    sendReferralUpdate,
    ({ actor, policeDecisionDueAt }) =>
      take('send', actor, 'SENT', { type: 'REFERRAL_SENT', payload: { policeAgencyId: input.policeAgencyId } }, [
        { kind: 'process', facts: { sentAt: new Date().toISOString() } },
        awaitStep(input.clocks.policeDecision, policeDecisionDueAt, 'POLICE', 'SENT', 'POLICE_DECISION_OVERDUE', 'PROCURATORATE'),
      ]),
    {
      validator: ({ actor, policeDecisionDueAt }) => {
        requireMember(actor, input.hrssAgencyId, HRSS_INSPECTORS, 'send a referral');
        if (!input.team.includes(actor.userId) && !actor.roles.includes('DIRECTOR'))
          refuse('FORBIDDEN', 'only a member of the referral team sends it');
        expect('APPROVED');
        requireFutureInstant(policeDecisionDueAt, 'policeDecisionDueAt');
      },
    },
  );
  setHandler(
    decideReferralUpdate,
    ({ actor, decision, reasons, reconsiderationRequestDueAt }) =>
      decision === 'FILED'
        ? take(
            'decide',
            actor,
            'FILED',
            { type: 'REFERRAL_DECIDED', payload: { decision, reasons } },
            [
              {
                kind: 'process',
                facts: { decision, decisionReasons: reasons, decidedAt: new Date().toISOString() },
                dueAt: null,
                waitingOn: 'POLICE',
              },
            ],
            [{ type: 'BLACKLIST_PATH_OPENED', payload: { reason: BLACKLIST_ON_FILING, source: BLACKLIST_ON_FILING_SOURCE } }],
          )
        : take('decide', actor, 'DECLINED', { type: 'REFERRAL_DECIDED', payload: { decision, reasons } }, [
            { kind: 'process', facts: { decision, decisionReasons: reasons, decidedAt: new Date().toISOString() } },
            awaitStep(
              input.clocks.reconsiderationRequest,
              reconsiderationRequestDueAt,
              'HRSS',
              'DECLINED',
              'RECONSIDERATION_WINDOW_CLOSED',
              'NONE',
            ),
          ]),
    {
      validator: ({ actor, decision, reasons, reconsiderationRequestDueAt }) => {
        requireMember(actor, input.policeAgencyId, POLICE_OFFICERS, 'decide on this referral');
        expect('SENT');
        if (decision === 'DECLINED' && !reasons?.trim())
          refuse('BAD_USER_INPUT', 'a declined referral needs written reasons', 'input.reasons');
        requireFutureInstant(reconsiderationRequestDueAt, 'reconsiderationRequestDueAt');
      },
    },
  );
  setHandler(
    requestReconsiderationUpdate,
    ({ actor, grounds, reconsiderationDecisionDueAt }) =>
      take('reconsider', actor, 'RECONSIDERATION_REQUESTED', { type: 'RECONSIDERATION_REQUESTED', payload: { grounds } }, [
        { kind: 'process', facts: { reconsiderationRequestedAt: new Date().toISOString() } },
        awaitStep(
          input.clocks.reconsiderationDecision,
          reconsiderationDecisionDueAt,
          'POLICE',
          'RECONSIDERATION_REQUESTED',
          'RECONSIDERATION_DECISION_OVERDUE',
          'PROCURATORATE',
        ),
      ]),
    {
      validator: ({ actor, grounds, reconsiderationDecisionDueAt }) => {
        requireMember(actor, input.hrssAgencyId, HRSS_INSPECTORS, 'ask for reconsideration');
        expect('DECLINED');
        if (overdue.includes('RECONSIDERATION_WINDOW_CLOSED'))
          refuse('CONFLICT', 'the 3 days to ask for reconsideration have passed; ask the procuratorate to supervise instead');
        if (!grounds.trim()) refuse('BAD_USER_INPUT', 'give the grounds for reconsideration', 'input.grounds');
        requireFutureInstant(reconsiderationDecisionDueAt, 'reconsiderationDecisionDueAt');
      },
    },
  );
  setHandler(
    decideReconsiderationUpdate,
    ({ actor, decision, reasons }) =>
      decision === 'FILED'
        ? take(
            'reconsidered',
            actor,
            'FILED',
            { type: 'RECONSIDERATION_DECIDED', payload: { decision, reasons } },
            [
              {
                kind: 'process',
                facts: { reconsiderationDecision: decision, reconsiderationReasons: reasons },
                dueAt: null,
                waitingOn: 'POLICE',
              },
            ],
            [
              {
                type: 'BLACKLIST_PATH_OPENED',
                payload: { reason: 'criminal case filed on reconsideration', source: BLACKLIST_ON_FILING_SOURCE },
              },
            ],
          )
        : take('reconsidered', actor, 'UPHELD', { type: 'RECONSIDERATION_DECIDED', payload: { decision, reasons } }, [
            {
              kind: 'process',
              facts: { reconsiderationDecision: decision, reconsiderationReasons: reasons },
              dueAt: null,
              waitingOn: 'HRSS',
            },
          ]),
    {
      validator: ({ actor, decision, reasons }) => {
        requireMember(actor, input.policeAgencyId, POLICE_OFFICERS, 'decide the reconsideration');
        expect('RECONSIDERATION_REQUESTED');
        if (decision === 'UPHELD' && !reasons?.trim())
          refuse('BAD_USER_INPUT', 'upholding a refusal needs written reasons', 'input.reasons');
      },
    },
  );
  setHandler(
    requestSupervisionUpdate,
    ({ actor, procuratorateAgencyId, grounds }) =>
      take('supervision', actor, 'SUPERVISION_REQUESTED', { type: 'SUPERVISION_REQUESTED', payload: { procuratorateAgencyId, grounds } }, [
        { kind: 'process', facts: { supervisionRequestedAt: new Date().toISOString(), procuratorateAgencyId } },
      ]),
    {
      validator: ({ actor, grounds }) => {
        requireMember(actor, input.hrssAgencyId, HRSS_INSPECTORS, 'ask the procuratorate to supervise');
        // 立案监督: after police declined or upheld a refusal, or let a decision go overdue.
        const lateDecision =
          (status === 'SENT' && overdue.includes('POLICE_DECISION_OVERDUE')) ||
          (status === 'RECONSIDERATION_REQUESTED' && overdue.includes('RECONSIDERATION_DECISION_OVERDUE'));
        if (!lateDecision) expect('DECLINED', 'UPHELD');
        if (!grounds.trim()) refuse('BAD_USER_INPUT', 'give the grounds for supervision', 'input.grounds');
      },
    },
  );
  setHandler(
    recordCriminalOutcomeUpdate,
    ({ actor, outcome }) =>
      take('outcome', actor, 'CONCLUDED', { type: 'CRIMINAL_OUTCOME_RECORDED', payload: { outcome } }, [
        { kind: 'process', facts: { criminalOutcome: outcome } },
      ]),
    {
      validator: ({ actor, outcome }) => {
        requireMember(actor, input.policeAgencyId, POLICE_OFFICERS, 'record the outcome of the criminal case');
        expect('FILED');
        if (!outcome.trim()) refuse('BAD_USER_INPUT', 'describe the outcome', 'input.outcome');
      },
    },
  );

  const first = awaitStep(
    input.clocks.approval,
    input.clocks.approvalDueAt,
    'DIRECTOR',
    'AWAITING_APPROVAL',
    'REFERRAL_APPROVAL_OVERDUE',
    'PARENT_AGENCY',
  );
  await steps.open({
    stepKey: `${input.processId}:opened`,
    event: { type: 'REFERRAL_SUBMITTED_FOR_APPROVAL', payload: { approvalDue: first.kind === 'process' ? first.dueAt : null } },
    effects: [{ kind: 'process', status: 'AWAITING_APPROVAL' }, first],
  });

  // A declined or upheld referral stays open for HRSS's next step (reconsideration, supervision) until the case ends.
  await condition(() => ended() || (caseEnded !== undefined && !withPolice() && !busy));
  await condition(() => deadlines.idle && allHandlersFinished());
  if (!ended()) {
    await steps.write({
      stepKey: `${input.processId}:closed-with-case`,
      event: { type: 'REFERRAL_CLOSED', payload: { reason: caseEnded, statusWhenClosed: status } },
      effects: [{ kind: 'process', status: 'CLOSED_WITH_CASE', end: { outcome: 'CLOSED_WITH_CASE' } }],
    });
    status = 'CLOSED_WITH_CASE';
  }
  await caseTagsSettled();
  return state();
}
