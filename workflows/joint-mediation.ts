import type { Duration } from '@temporalio/common';
import { msToNumber } from '@temporalio/common/lib/time';
import { allHandlersFinished, condition, defineQuery, defineUpdate, setHandler } from '@temporalio/workflow';
import {
  caseTagsSettled,
  beijingToday,
  caseEndedSignal,
  deadlineOperation,
  Deadlines,
  endOfBeijingDay,
  refuse,
  requireMember,
  StepWriter,
  stepKey,
  type StepActor,
  tagWithCase,
} from './process-kit';
import { MEDIATION_STAFF } from '../src/policy/roles';

/**
 * 联合调处 (joint mediation, Jinan / Zibo "1+X"): HRSS convenes the parties and the agencies; each invitee
 * confirms; sessions are recorded; the outcome is an agreement with a payment plan whose instalments are each
 * checked when due. A missed instalment escalates (enforcement or police referral). No agreement within the
 * window (15 days) ends the mediation with the arbitration route noted.
 */
export interface MediationInvitee {
  partyId: string;
  /** CONSTRUCTION_UNIT, GENERAL_CONTRACTOR, LABOUR_SUBCONTRACTOR, WORKER_REPRESENTATIVE, or an agency's kind. */
  role: string;
  /** Agencies confirm for themselves; parties without an account are confirmed by HRSS on their word. */
  agencyId?: string;
  name: string;
}

export interface JointMediationInput {
  caseId: string;
  caseNumber: string;
  processId: string;
  hrssAgencyId: string;
  invitees: MediationInvitee[];
  agreementWindow: Duration;
  /**
   * When the 15 calendar days end, counted by the API (民法典 arts. 201–203); absent in workflows started before
   * instants were passed, which wait `agreementWindow` from their start.
   */
  agreementDueAt?: string;
}

export interface Instalment {
  seq: number;
  dueOn: string;
  amountFen: number;
  status: 'PENDING' | 'PAID' | 'MISSED';
}

export interface MediationState {
  status: 'CONVENED' | 'AGREED' | 'COMPLETED' | 'NO_AGREEMENT' | 'BREACHED' | 'CLOSED_WITH_CASE';
  confirmed: string[];
  sessions: number;
  instalments: Instalment[];
  agreementDue: string;
}

export const confirmAttendanceUpdate = defineUpdate<MediationState, [{ actor: StepActor; partyId: string }]>('confirmAttendance');
export const recordSessionUpdate = defineUpdate<
  MediationState,
  [{ actor: StepActor; heldAt: string; summary: string; attendeePartyIds: string[] }]
>('recordSession');
export const recordAgreementUpdate = defineUpdate<
  MediationState,
  [{ actor: StepActor; instalments: Array<{ dueOn: string; amountFen: number }> }]
>('recordAgreement');
export const recordInstalmentPaidUpdate = defineUpdate<
  MediationState,
  [
    {
      actor: StepActor;
      seq: number;
      paidOn: string;
      payer: string;
      workersPaid: number;
      /** 工资发放到人: the instalment's parts per worker of the case's roster (checked when recorded on the case). */
      allocations?: Array<{ owedWorkerId: string; amountFen: number }>;
    },
  ]
>('recordInstalmentPaid');
export const mediationStateQuery = defineQuery<MediationState>('mediationState');

const HRSS_STAFF = MEDIATION_STAFF;

export async function jointMediation(input: JointMediationInput): Promise<MediationState> {
  const steps = new StepWriter({ caseId: input.caseId, processId: input.processId }, { opensWith: true });
  tagWithCase(input.caseId);
  const deadlines = new Deadlines();
  const agreementDue = new Date(input.agreementDueAt ?? Date.now() + msToNumber(input.agreementWindow)).toISOString();
  let status: MediationState['status'] = 'CONVENED';
  const confirmed = new Set<string>();
  let sessions = 0;
  let instalments: Instalment[] = [];
  let busy = false;
  let caseEnded: string | undefined;
  const state = (): MediationState => ({
    status,
    confirmed: [...confirmed],
    sessions,
    instalments: instalments.map((i) => ({ ...i })),
    agreementDue,
  });
  const over = () => status !== 'CONVENED' && status !== 'AGREED';

  async function take<T>(run: () => Promise<T>): Promise<MediationState> {
    busy = true;
    try {
      await run();
      return state();
    } finally {
      busy = false;
    }
  }
  function expect(...allowed: Array<MediationState['status']>): void {
    if (caseEnded) refuse('CONFLICT', `the case has ended (${caseEnded}); the mediation is closing`);
    if (busy) refuse('CONFLICT', 'another step of this mediation is being recorded; try again');
    if (!allowed.includes(status)) refuse('CONFLICT', `the mediation is ${status}; this step needs ${allowed.join(' or ')}`);
  }
  const hrss = (actor: StepActor, doing: string) => requireMember(actor, input.hrssAgencyId, HRSS_STAFF, doing);

  setHandler(mediationStateQuery, state);
  setHandler(caseEndedSignal, ({ reason }) => {
    caseEnded ??= reason;
  });
  setHandler(
    confirmAttendanceUpdate,
    ({ actor, partyId }) =>
      take(async () => {
        await steps.write({
          stepKey: stepKey(input.processId, `confirm:${partyId}`),
          actor,
          event: { type: 'MEDIATION_ATTENDANCE_CONFIRMED', payload: { partyId } },
          effects: [{ kind: 'party', partyId, status: 'CONFIRMED', acknowledged: true }],
        });
        confirmed.add(partyId);
      }),
    {
      validator: ({ actor, partyId }) => {
        const invitee = input.invitees.find((i) => i.partyId === partyId);
        if (!invitee) refuse('BAD_USER_INPUT', `party ${partyId} is not invited to this mediation`, 'input.partyId');
        if (invitee.agencyId && actor.agencyId !== invitee.agencyId)
          requireMember(actor, input.hrssAgencyId, HRSS_STAFF, `confirm for ${invitee.name}`);
        if (!invitee.agencyId) hrss(actor, `confirm for ${invitee.name}`);
        expect('CONVENED');
        if (confirmed.has(partyId)) refuse('CONFLICT', `${invitee.name} has already confirmed`);
      },
    },
  );
  setHandler(
    recordSessionUpdate,
    ({ actor, heldAt, summary, attendeePartyIds }) =>
      take(async () => {
        await steps.write({
          stepKey: stepKey(input.processId, 'session'),
          actor,
          event: { type: 'MEDIATION_SESSION_RECORDED', payload: { heldAt, summary, attendeePartyIds } },
          effects: [{ kind: 'process', facts: { sessions: [{ heldAt, summary, attendeePartyIds }] } }],
        });
        sessions++;
      }),
    {
      validator: ({
        actor,
        heldAt,
        summary,
        attendeePartyIds,
      }: {
        actor: StepActor;
        heldAt: string;
        summary: string;
        attendeePartyIds: string[];
      }) => {
        hrss(actor, 'record a mediation session');
        expect('CONVENED', 'AGREED');
        if (Number.isNaN(Date.parse(heldAt)) || Date.parse(heldAt) > Date.now() + 60_000)
          refuse('BAD_USER_INPUT', 'the session must have been held, not be in the future', 'input.heldAt');
        if (!summary.trim()) refuse('BAD_USER_INPUT', 'the minutes must say what was discussed', 'input.summary');
        const stranger = attendeePartyIds.find((id) => !input.invitees.some((i) => i.partyId === id));
        if (stranger) refuse('BAD_USER_INPUT', `party ${stranger} is not invited to this mediation`, 'input.attendeePartyIds');
      },
    },
  );
  setHandler(
    recordAgreementUpdate,
    ({ actor, instalments: plan }) =>
      take(async () => {
        const numbered = plan.map((p, i) => ({ seq: i + 1, dueOn: p.dueOn, amountFen: p.amountFen }));
        await steps.write({
          stepKey: stepKey(input.processId, 'agreement'),
          actor,
          event: {
            type: 'MEDIATION_AGREEMENT_RECORDED',
            payload: { instalments: numbered, totalFen: numbered.reduce((s, i) => s + i.amountFen, 0) },
          },
          effects: [
            { kind: 'instalments', plan: numbered },
            {
              kind: 'process',
              status: 'AGREED',
              facts: { agreedAt: new Date().toISOString() },
              dueAt: new Date(endOfBeijingDay(numbered[0]!.dueOn)).toISOString(),
              waitingOn: 'PAYER',
            },
          ],
        });
        instalments = numbered.map((i) => ({ ...i, status: 'PENDING' }));
        status = 'AGREED';
        for (const i of instalments) deadlines.at(endOfBeijingDay(i.dueOn), () => checkInstalment(i));
      }),
    {
      validator: ({ actor, instalments: plan }: { actor: StepActor; instalments: Array<{ dueOn: string; amountFen: number }> }) => {
        hrss(actor, 'record the agreement');
        expect('CONVENED');
        if (plan.length === 0) refuse('BAD_USER_INPUT', 'an agreement has at least one instalment', 'input.instalments');
        let previous = beijingToday();
        plan.forEach((p, i) => {
          if (!Number.isSafeInteger(p.amountFen) || p.amountFen <= 0)
            refuse('BAD_USER_INPUT', 'each instalment is a positive amount in fen', `input.instalments.${i}.amountFen`);
          if (!/^\d{4}-\d{2}-\d{2}$/.test(p.dueOn) || p.dueOn < previous)
            refuse('BAD_USER_INPUT', 'due dates run forward from today, in order', `input.instalments.${i}.dueOn`);
          previous = p.dueOn;
        });
      },
    },
  );
  setHandler(
    recordInstalmentPaidUpdate,
    ({ actor, seq, paidOn, payer, workersPaid, allocations }) =>
      take(async () => {
        const i = instalments.find((x) => x.seq === seq)!;
        const last = instalments.every((x) => x.seq === seq || x.status === 'PAID');
        const next = instalments.find((x) => x.seq !== seq && x.status === 'PENDING');
        await steps.write({
          stepKey: stepKey(input.processId, `instalment:${seq}`),
          actor,
          event: { type: 'INSTALMENT_PAID', payload: { seq, amountFen: i.amountFen, dueOn: i.dueOn, paidOn, late: i.status === 'MISSED' } },
          effects: [
            { kind: 'instalment', seq, status: 'PAID', paidOn },
            last
              ? { kind: 'process', status: 'COMPLETED', end: { outcome: 'COMPLETED' } }
              : { kind: 'process', dueAt: next ? new Date(endOfBeijingDay(next.dueOn)).toISOString() : null },
            {
              kind: 'payment',
              amountFen: i.amountFen,
              workersPaid,
              paidOn,
              payer,
              source: 'OTHER',
              ...(allocations && allocations.length > 0 ? { allocations } : {}),
            },
          ],
        });
        i.status = 'PAID';
        if (last) status = 'COMPLETED';
      }),
    {
      validator: ({ actor, seq, paidOn }) => {
        hrss(actor, 'record an instalment paid');
        expect('AGREED', 'BREACHED');
        const i = instalments.find((x) => x.seq === seq);
        if (!i) refuse('BAD_USER_INPUT', `the agreement has no instalment ${seq}`, 'input.seq');
        if (i.status === 'PAID') refuse('CONFLICT', `instalment ${seq} is already paid`);
        if (!/^\d{4}-\d{2}-\d{2}$/.test(paidOn) || paidOn > beijingToday())
          refuse('BAD_USER_INPUT', 'the payment date is a past or present day', 'input.paidOn');
      },
    },
  );

  async function checkInstalment(i: Instalment): Promise<void> {
    // A payment being recorded as the day ends is let finish first: it may be this very instalment.
    await condition(() => !busy);
    if (i.status !== 'PENDING' || caseEnded) return;
    i.status = 'MISSED';
    await steps.write({
      operation: deadlineOperation(),
      stepKey: `${input.processId}:instalment-missed:${i.seq}`,
      event: {
        type: 'ESCALATED',
        payload: {
          kind: 'INSTALMENT_MISSED',
          seq: i.seq,
          dueOn: i.dueOn,
          amountFen: i.amountFen,
          deadline: new Date(endOfBeijingDay(i.dueOn)).toISOString(),
          escalateTo: 'ENFORCEMENT_OR_POLICE_REFERRAL',
        },
      },
      effects: [
        { kind: 'instalment', seq: i.seq, status: 'MISSED' },
        { kind: 'process', status: 'BREACHED', waitingOn: 'HRSS' },
      ],
    });
    status = 'BREACHED';
  }

  await steps.open({
    stepKey: `${input.processId}:convened`,
    event: { type: 'MEDIATION_INVITATIONS_SENT', payload: { invitees: input.invitees.map((i) => i.partyId), agreementDue } },
    effects: [{ kind: 'process', status: 'CONVENED', dueAt: agreementDue, waitingOn: 'PARTIES' }],
  });
  deadlines.at(agreementDue, async () => {
    await condition(() => !busy); // an agreement being recorded as the window closes is let finish
    if (status !== 'CONVENED' || caseEnded) return;
    status = 'NO_AGREEMENT';
    await steps.write({
      operation: deadlineOperation(),
      stepKey: `${input.processId}:no-agreement`,
      event: {
        type: 'MEDIATION_ENDED',
        payload: {
          outcome: 'NO_AGREEMENT',
          route: 'ARBITRATION',
          note: 'no agreement within the window: the workers may apply for labour arbitration (劳动争议调解仲裁法 第十四条)',
        },
      },
      effects: [{ kind: 'process', status: 'NO_AGREEMENT', end: { outcome: 'NO_AGREEMENT' } }],
    });
  });

  // Ends when every instalment is paid, when the window closes without agreement, or with the case. A breached
  // plan stays open: a late instalment can still be recorded while enforcement runs.
  await condition(() => status === 'COMPLETED' || status === 'NO_AGREEMENT' || (caseEnded !== undefined && !busy));
  await condition(() => deadlines.idle && allHandlersFinished());
  if (!over() || (status as MediationState['status']) === 'BREACHED') {
    await steps.write({
      stepKey: `${input.processId}:closed-with-case`,
      event: { type: 'MEDIATION_ENDED', payload: { outcome: 'CLOSED_WITH_CASE', reason: caseEnded } },
      effects: [{ kind: 'process', status: 'CLOSED_WITH_CASE', end: { outcome: 'CLOSED_WITH_CASE' } }],
    });
    status = 'CLOSED_WITH_CASE';
  }
  await caseTagsSettled();
  return state();
}
