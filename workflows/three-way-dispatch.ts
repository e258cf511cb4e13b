import { allHandlersFinished, condition, defineQuery, defineUpdate, setHandler } from '@temporalio/workflow';
import {
  caseTagsSettled,
  caseEndedSignal,
  deadlineOperation,
  Deadlines,
  refuse,
  requireActor,
  StepWriter,
  stepKey,
  type StepActor,
  tagWithCase,
} from './process-kit';

/**
 * 三交办 (three-way dispatch, Qingdao): the case goes at once to the district government, the project's industry
 * regulator and the general contractor's HQ. Each recipient acknowledges, then reports what it did, each against
 * its own deadlines; silence climbs the escalation ladder (reminder → supervisor → city daily report). Wages paid
 * by anyone end it: the case lifecycle sends `caseEnded` when the case resolves.
 */
export type DispatchRole = 'DISTRICT_GOVERNMENT' | 'INDUSTRY_REGULATOR' | 'CONTRACTOR_HQ';

export interface DispatchRecipient {
  partyId: string;
  role: DispatchRole;
  agencyId: string;
  name: string;
  acknowledgeDue: string;
  reportDue: string;
  /** The escalation ladder as instants, computed by the API on the working-day calendar. */
  ladder: Array<{ level: string; acknowledgeAt: string; reportAt: string }>;
}

export interface ThreeWayDispatchInput {
  caseId: string;
  caseNumber: string;
  processId: string;
  recipients: DispatchRecipient[];
}

export interface RecipientState {
  partyId: string;
  role: DispatchRole;
  status: 'SENT' | 'ACKNOWLEDGED' | 'REPORTED' | 'OVERDUE';
  acknowledged: boolean;
  reported: boolean;
  escalations: string[];
}

export interface DispatchState {
  ready: boolean;
  ended: string | null;
  recipients: RecipientState[];
}

export interface DispatchPayment {
  amountFen: number;
  workersPaid: number;
  paidOn: string;
  payer: string;
  /** 工资发放到人: the parts per worker of the case's roster (checked when the payment is recorded on the case). */
  allocations?: Array<{ owedWorkerId: string; amountFen: number }>;
}

export const acknowledgeDispatchUpdate = defineUpdate<RecipientState, [{ actor: StepActor }]>('acknowledgeDispatch');
export const reportDispatchUpdate = defineUpdate<RecipientState, [{ actor: StepActor; report: string; payment?: DispatchPayment }]>(
  'reportDispatch',
);
export const dispatchStateQuery = defineQuery<DispatchState>('dispatchState');

export async function threeWayDispatch(input: ThreeWayDispatchInput): Promise<DispatchState> {
  const steps = new StepWriter({ caseId: input.caseId, processId: input.processId });
  tagWithCase(input.caseId);
  const deadlines = new Deadlines();
  const state = new Map<string, RecipientState & { busy: boolean }>(
    input.recipients.map((r) => [
      r.partyId,
      { partyId: r.partyId, role: r.role, status: 'SENT', acknowledged: false, reported: false, escalations: [], busy: false },
    ]),
  );
  let ready = false;
  let ended: string | undefined;
  const view = (s: RecipientState): RecipientState => ({
    partyId: s.partyId,
    role: s.role,
    status: s.status,
    acknowledged: s.acknowledged,
    reported: s.reported,
    escalations: [...s.escalations],
  });
  const snapshot = (): DispatchState => ({ ready, ended: ended ?? null, recipients: [...state.values()].map(view) });

  /** The recipient the actor speaks for; a stranger is refused. */
  function recipientOf(actor: StepActor | undefined) {
    const a = requireActor(actor);
    const r = input.recipients.find((x) => x.agencyId === a.agencyId);
    if (!r) refuse('FORBIDDEN', `agency ${a.agencyId} is not a recipient of this dispatch`);
    return { r, s: state.get(r.partyId)! };
  }

  /** The earliest deadline still open, for the dashboard's "due" and "waiting on". */
  function nextDue(): { dueAt: string | null; waitingOn: string | null } {
    let best: { dueAt: string; waitingOn: string } | undefined;
    for (const r of input.recipients) {
      const s = state.get(r.partyId)!;
      const due = !s.acknowledged ? r.acknowledgeDue : !s.reported ? r.reportDue : undefined;
      if (due && (!best || Date.parse(due) < Date.parse(best.dueAt))) best = { dueAt: due, waitingOn: r.role };
    }
    return best ?? { dueAt: null, waitingOn: null };
  }

  // Registered before the first await: a step that arrives while the dispatch is still being sent waits for it.
  setHandler(caseEndedSignal, ({ reason }) => {
    ended ??= reason;
  });
  setHandler(dispatchStateQuery, snapshot);
  setHandler(
    acknowledgeDispatchUpdate,
    async ({ actor }) => {
      const { r, s } = recipientOf(actor);
      s.busy = true;
      try {
        await condition(() => ready);
        s.acknowledged = true; // counted before writing, so nextDue() moves on to the report
        try {
          await steps.write({
            stepKey: stepKey(input.processId, `ack:${r.partyId}`),
            actor,
            event: {
              type: 'DISPATCH_ACKNOWLEDGED',
              payload: { partyId: r.partyId, role: r.role, onTime: Date.now() <= Date.parse(r.acknowledgeDue) },
            },
            effects: [
              { kind: 'party', partyId: r.partyId, status: 'ACKNOWLEDGED', acknowledged: true },
              { kind: 'process', status: 'IN_PROGRESS', ...nextDue() },
            ],
          });
        } catch (err) {
          s.acknowledged = false;
          throw err;
        }
        s.status = 'ACKNOWLEDGED';
        return view(s);
      } finally {
        s.busy = false;
      }
    },
    {
      validator: ({ actor }) => {
        if (ended) refuse('CONFLICT', `the dispatch has ended (${ended})`);
        const { s } = recipientOf(actor);
        if (s.acknowledged || s.busy) refuse('CONFLICT', 'this recipient has already acknowledged the dispatch');
      },
    },
  );
  setHandler(
    reportDispatchUpdate,
    async ({ actor, report, payment }) => {
      const { r, s } = recipientOf(actor);
      s.busy = true;
      try {
        const wasReported = s.reported;
        s.reported = true;
        try {
          await steps.write({
            stepKey: stepKey(input.processId, `report:${r.partyId}`),
            actor,
            event: {
              type: 'DISPATCH_REPORTED',
              payload: {
                partyId: r.partyId,
                role: r.role,
                report,
                onTime: Date.now() <= Date.parse(r.reportDue),
                ...(payment ? { payment } : {}),
              },
            },
            effects: [
              { kind: 'party', partyId: r.partyId, status: 'REPORTED', reported: true, report },
              { kind: 'process', ...nextDue() },
              ...(payment
                ? [
                    {
                      kind: 'payment' as const,
                      ...payment,
                      inputField: 'input.payment',
                      source: r.role === 'CONTRACTOR_HQ' ? ('GENERAL_CONTRACTOR' as const) : ('OTHER' as const),
                    },
                  ]
                : []),
            ],
          });
        } catch (err) {
          s.reported = wasReported;
          throw err;
        }
        s.status = 'REPORTED';
        return view(s);
      } finally {
        s.busy = false;
      }
    },
    {
      validator: ({ actor, report, payment }) => {
        if (ended) refuse('CONFLICT', `the dispatch has ended (${ended})`);
        const { s } = recipientOf(actor);
        if (!s.acknowledged || s.busy) refuse('CONFLICT', 'acknowledge the dispatch before reporting on it');
        // Wages reported paid once are on the case; a second report carrying them again would pay them twice.
        if (payment && s.reported) refuse('CONFLICT', 'this recipient has already reported; record further payments on the case');
        if (!report.trim()) refuse('BAD_USER_INPUT', 'the report must say what was done', 'input.report');
      },
    },
  );

  // Sending the handover sheets; steps that arrive meanwhile wait in their handlers (kept, not dropped).
  await steps.write({
    stepKey: `${input.processId}:sent`,
    event: {
      type: 'DISPATCH_SENT',
      payload: {
        recipients: input.recipients.map((r) => ({
          partyId: r.partyId,
          role: r.role,
          agencyId: r.agencyId,
          acknowledgeDue: r.acknowledgeDue,
          reportDue: r.reportDue,
        })),
      },
    },
    effects: [{ kind: 'process', status: 'SENT', ...nextDue() }],
  });
  ready = true;

  for (const r of input.recipients) {
    const s = state.get(r.partyId)!;
    for (const rung of r.ladder) {
      deadlines.at(rung.acknowledgeAt, () =>
        !ended && !s.acknowledged ? escalate(r, s, 'ACKNOWLEDGE', rung.level, r.acknowledgeDue) : undefined,
      );
      deadlines.at(rung.reportAt, () => (!ended && !s.reported ? escalate(r, s, 'REPORT', rung.level, r.reportDue) : undefined));
    }
  }

  async function escalate(
    r: DispatchRecipient,
    s: RecipientState,
    stage: 'ACKNOWLEDGE' | 'REPORT',
    level: string,
    deadline: string,
  ): Promise<void> {
    const kind = `DISPATCH_${stage}_OVERDUE`;
    s.escalations.push(`${kind}:${level}`);
    s.status = 'OVERDUE';
    await steps.write({
      operation: deadlineOperation(),
      stepKey: `${input.processId}:${r.partyId}:${stage}:${level}`,
      event: { type: 'ESCALATED', payload: { kind, level, escalateTo: level, partyId: r.partyId, role: r.role, deadline } },
      effects: [{ kind: 'party', partyId: r.partyId, status: 'OVERDUE', escalationLevel: level }],
    });
  }

  await condition(() => ended !== undefined);
  await condition(() => deadlines.idle && allHandlersFinished());
  await steps.write({
    stepKey: `${input.processId}:ended`,
    event: { type: 'DISPATCH_ENDED', payload: { reason: ended } },
    effects: [{ kind: 'process', status: 'ENDED', end: { outcome: ended! } }],
  });
  await caseTagsSettled();
  return snapshot();
}
