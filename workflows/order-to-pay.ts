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
import { CASEWORKERS, ORDER_ISSUERS } from '../src/policy/roles';
import { orderToPayRules, percentOfFen } from '../src/rules/order-to-pay';

/**
 * 限期支付 (order to pay, 劳动保障监察限期改正指令书, 劳动保障监察条例 第二十六条): labour inspection orders the
 * employer to pay each worker the amount owed by a deadline day. The clock runs to the end of that day (Beijing).
 * Paid in time — the case resolved (wages paid) or the inspector recording compliance — ends it COMPLIED. Missed,
 * it is escalated once and stays open as MISSED: its facts (issuedOn, dueOn, amount, missedAt) are what a police
 * referral and the blacklist need, and the agency may order additional compensation (加付赔偿金, 50–100 %) on it.
 * It ends with the case.
 */
export interface OrderedWorker {
  name: string;
  amountFen: number;
}

export interface OrderToPayInput {
  caseId: string;
  caseNumber: string;
  processId: string;
  hrssAgencyId: string;
  /** Beijing dates: the order's issue and the last day to pay. */
  issuedOn: string;
  dueOn: string;
  workers: OrderedWorker[];
  totalFen: number;
}

export type OrderToPayStatus = 'ISSUED' | 'COMPLIED' | 'MISSED' | 'COMPENSATION_ORDERED' | 'CLOSED_WITH_CASE';

export interface OrderToPayState {
  status: OrderToPayStatus;
  dueOn: string;
  totalFen: number;
  missedAt?: string;
  compensation?: { ratePercent: number; totalFen: number };
}

export const recordOrderCompliedUpdate = defineUpdate<OrderToPayState, [{ actor: StepActor; paidOn: string; note?: string }]>(
  'recordOrderComplied',
);
export const orderAdditionalCompensationUpdate = defineUpdate<OrderToPayState, [{ actor: StepActor; ratePercent: number }]>(
  'orderAdditionalCompensation',
);
export const orderToPayStateQuery = defineQuery<OrderToPayState>('orderToPayState');

export async function orderToPay(input: OrderToPayInput): Promise<OrderToPayState> {
  const steps = new StepWriter({ caseId: input.caseId, processId: input.processId }, { opensWith: true });
  tagWithCase(input.caseId);
  const deadlines = new Deadlines();
  const deadline = new Date(endOfBeijingDay(input.dueOn)).toISOString();
  let status: OrderToPayStatus = 'ISSUED';
  let missedAt: string | undefined;
  let compensation: OrderToPayState['compensation'];
  let busy = false;
  let caseEnded: string | undefined;
  const state = (): OrderToPayState => ({
    status,
    dueOn: input.dueOn,
    totalFen: input.totalFen,
    ...(missedAt ? { missedAt } : {}),
    ...(compensation ? { compensation: { ...compensation } } : {}),
  });

  async function take(run: () => Promise<void>): Promise<OrderToPayState> {
    busy = true;
    try {
      await run();
      return state();
    } finally {
      busy = false;
    }
  }
  function expect(...allowed: OrderToPayStatus[]): void {
    if (caseEnded) refuse('CONFLICT', `the case has ended (${caseEnded}); the order is closing`);
    if (busy) refuse('CONFLICT', 'another step of this order is being recorded; try again');
    if (!allowed.includes(status)) refuse('CONFLICT', `the order to pay is ${status}; this step needs ${allowed.join(' or ')}`);
  }

  setHandler(orderToPayStateQuery, state);
  setHandler(caseEndedSignal, ({ reason }) => {
    caseEnded ??= reason;
  });
  setHandler(
    recordOrderCompliedUpdate,
    ({ actor, paidOn, note }) =>
      take(async () => {
        await steps.write({
          stepKey: stepKey(input.processId, 'complied'),
          actor,
          event: { type: 'ORDER_TO_PAY_COMPLIED', payload: { paidOn, dueOn: input.dueOn, totalFen: input.totalFen, note: note ?? null } },
          effects: [{ kind: 'process', status: 'COMPLIED', facts: { compliedOn: paidOn }, end: { outcome: 'COMPLIED' } }],
        });
        status = 'COMPLIED';
      }),
    {
      validator: ({ actor, paidOn }) => {
        requireMember(actor, input.hrssAgencyId, CASEWORKERS, 'record that the order was complied with');
        expect('ISSUED');
        if (!/^\d{4}-\d{2}-\d{2}$/.test(paidOn) || paidOn > beijingToday() || paidOn < input.issuedOn)
          refuse('BAD_USER_INPUT', 'the payment date is between the order’s issue and today', 'input.paidOn');
      },
    },
  );
  setHandler(
    orderAdditionalCompensationUpdate,
    ({ actor, ratePercent }) =>
      take(async () => {
        const perWorker = input.workers.map((w) => ({ name: w.name, amountFen: percentOfFen(w.amountFen, ratePercent) }));
        const totalFen = perWorker.reduce((s, w) => s + w.amountFen, 0);
        const rules = orderToPayRules.additionalCompensation;
        await steps.write({
          stepKey: stepKey(input.processId, 'additional-compensation'),
          actor,
          event: {
            type: 'ADDITIONAL_COMPENSATION_ORDERED',
            payload: {
              ratePercent,
              orderedFen: input.totalFen,
              totalFen,
              workers: perWorker.length,
              rounding: rules.rounding,
              source: rules.source,
            },
          },
          effects: [
            {
              kind: 'process',
              status: 'COMPENSATION_ORDERED',
              facts: { additionalCompensation: { ratePercent, totalFen, perWorker, orderedAt: new Date().toISOString() } },
            },
          ],
        });
        compensation = { ratePercent, totalFen };
        status = 'COMPENSATION_ORDERED';
      }),
    {
      validator: ({ actor, ratePercent }) => {
        requireMember(actor, input.hrssAgencyId, ORDER_ISSUERS, 'order additional compensation');
        expect('MISSED');
        const { minPercent, maxPercent, source } = orderToPayRules.additionalCompensation;
        if (!Number.isInteger(ratePercent) || ratePercent < minPercent || ratePercent > maxPercent)
          refuse('BAD_USER_INPUT', `the rate is a whole percentage from ${minPercent} to ${maxPercent} (${source})`, 'input.ratePercent');
      },
    },
  );

  await steps.open({
    stepKey: `${input.processId}:issued`,
    event: { type: 'ORDER_TO_PAY_CLOCK_STARTED', payload: { dueOn: input.dueOn, deadline, source: orderToPayRules.deadline.source } },
    effects: [{ kind: 'process', status: 'ISSUED', dueAt: deadline, waitingOn: 'EMPLOYER' }],
  });
  deadlines.at(deadline, async () => {
    // A compliance being recorded as the day ends is let finish first.
    await condition(() => !busy);
    if (status !== 'ISSUED' || caseEnded) return;
    status = 'MISSED';
    missedAt = new Date().toISOString();
    await steps.write({
      operation: deadlineOperation(),
      stepKey: `${input.processId}:missed`,
      event: {
        type: 'ESCALATED',
        payload: {
          kind: 'ORDER_TO_PAY_MISSED',
          issuedOn: input.issuedOn,
          dueOn: input.dueOn,
          amountFen: input.totalFen,
          deadline,
          missedAt,
          escalateTo: 'ADDITIONAL_COMPENSATION_OR_POLICE_REFERRAL',
        },
      },
      effects: [{ kind: 'process', status: 'MISSED', dueAt: null, waitingOn: 'HRSS', facts: { missedAt } }],
    });
  });

  // Ends when complied with, or with the case: wages paid before the deadline are compliance.
  await condition(() => status === 'COMPLIED' || (caseEnded !== undefined && !busy));
  await condition(() => deadlines.idle && allHandlersFinished());
  const reached = status as OrderToPayStatus; // set by the handlers, not by the code above
  if (reached === 'ISSUED' && caseEnded === 'WAGES_PAID') {
    await steps.write({
      stepKey: `${input.processId}:complied-with-case`,
      event: { type: 'ORDER_TO_PAY_COMPLIED', payload: { dueOn: input.dueOn, totalFen: input.totalFen, by: 'CASE_RESOLVED' } },
      effects: [{ kind: 'process', status: 'COMPLIED', end: { outcome: 'COMPLIED' } }],
    });
    status = 'COMPLIED';
  } else if (reached !== 'COMPLIED') {
    const outcome = reached === 'ISSUED' ? 'CLOSED_WITH_CASE' : 'MISSED';
    await steps.write({
      stepKey: `${input.processId}:closed-with-case`,
      event: { type: 'ORDER_TO_PAY_ENDED', payload: { outcome, reason: caseEnded } },
      effects: [{ kind: 'process', end: { outcome } }],
    });
    if (reached === 'ISSUED') status = 'CLOSED_WITH_CASE';
  }
  await caseTagsSettled();
  return state();
}
