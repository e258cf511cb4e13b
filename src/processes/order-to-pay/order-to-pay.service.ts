import { Case } from '../../cases/case.entity';
import type { ExecutionContext } from '../../core/execution-context';
import { IN_HANDLING_STATUSES as IN_HANDLING } from '../../domain/case-status';
import { badUserInput, forbidden } from '../../domain/errors';
import { beijingDate } from '../../domain/working-days';
import { CASEWORKERS, hasRole, ORDER_ISSUERS, ownsCase } from '../../policy/roles';
import { orderToPayRules } from '../../rules/order-to-pay';
import { orderAdditionalCompensationUpdate, recordOrderCompliedUpdate, type OrderToPayInput } from '../../../workflows/order-to-pay';
import { CaseProcess } from '../process.entity';
import type { ProcessService } from '../process.service';
import { orderToPayProcess } from './order-to-pay.definition';

type StepRef = { processId: string; idempotencyKey?: string | null };

/** What an order to pay records in `case_process.facts`. */
export interface OrderToPayFacts {
  issuedOn: string;
  dueOn: string;
  workers: Array<{ name: string; amountFen: number }>;
  totalFen: number;
  /** The case's recovered amount when the order was issued: payments after it count towards the order. */
  recoveredAtIssueFen: number;
  missedAt?: string;
  compliedOn?: string;
}

export class OrderToPayService {
  constructor(private readonly processes: ProcessService) {}

  /** 限期支付 on an accepted case: the workers and amounts (sum > 0), and the last day to pay, after today. */
  issue(
    ctx: ExecutionContext,
    input: { caseId: string; workers: Array<{ name: string; amountFen: number }>; dueOn: string },
  ): Promise<CaseProcess> {
    return this.processes.start(ctx, orderToPayProcess, input.caseId, IN_HANDLING, async (c, em, { processId, workflowId, actor }) => {
      if (!hasRole(actor, ORDER_ISSUERS))
        throw forbidden(`an order to pay is issued by the role ${ORDER_ISSUERS.join(' or ')} (${orderToPayRules.order.source})`);
      if (input.workers.length === 0) throw badUserInput('input.workers', 'required', 'an order names the workers to be paid');
      const workers = input.workers.map((w, i) => {
        if (!w.name.trim()) throw badUserInput(`input.workers.${i}.name`, 'required', 'name the worker');
        if (!Number.isSafeInteger(w.amountFen) || w.amountFen <= 0)
          throw badUserInput(`input.workers.${i}.amount`, 'amount.positive', 'each worker is owed a positive amount in fen');
        return { name: w.name.trim(), amountFen: w.amountFen };
      });
      const totalFen = workers.reduce((s, w) => s + w.amountFen, 0);
      if (!Number.isSafeInteger(totalFen)) throw badUserInput('input.workers', 'amount.total', 'the total is out of range');
      const issuedOn = beijingDate(ctx.clock.now());
      if (!/^\d{4}-\d{2}-\d{2}$/.test(input.dueOn) || input.dueOn <= issuedOn)
        throw badUserInput('input.dueOn', 'order-to-pay.period', `the last day to pay comes after the order’s issue (${issuedOn})`);
      const facts: OrderToPayFacts = { issuedOn, dueOn: input.dueOn, workers, totalFen, recoveredAtIssueFen: c.amountRecoveredFen };
      em.create(CaseProcess, {
        id: processId,
        case: c.id,
        kind: orderToPayProcess.kind,
        workflowId,
        status: 'REQUESTED',
        startedBy: actor.userId,
        waitingOn: 'EMPLOYER',
        facts: facts as CaseProcess['facts'],
      });
      await em.flush();
      const wfInput: OrderToPayInput = {
        caseId: c.id,
        caseNumber: c.number,
        processId,
        hrssAgencyId: c.owningAgency,
        issuedOn,
        dueOn: input.dueOn,
        workers,
        totalFen,
      };
      // The case file carries the count and the total; the names stay in the order's facts (labour inspection only).
      return {
        type: 'ORDER_TO_PAY_ISSUED',
        payload: { processId, issuedOn, dueOn: input.dueOn, workers: workers.length, totalFen, source: orderToPayRules.order.source },
        input: wfInput,
      };
    });
  }

  /** The ordered wages were paid in time: the case's payments since the order must reach the amount ordered. */
  async recordComplied(ctx: ExecutionContext, input: StepRef & { paidOn: string; note?: string | null }): Promise<CaseProcess> {
    const p = await this.processes.byId(ctx, input.processId);
    if (p.kind === orderToPayProcess.kind) {
      const facts = p.facts as unknown as OrderToPayFacts;
      const c = await ctx.em.findOneOrFail(Case, { id: p.case });
      // Who may take the step is the workflow's rule too; asked first here, so a stranger learns nothing of the payments.
      const actor = ctx.actor;
      if (!actor || !ownsCase(actor, c) || !hasRole(actor, CASEWORKERS))
        throw forbidden(`recording compliance takes the role ${CASEWORKERS.join(' or ')} in the agency that owns the case`);
      const paidSince = c.amountRecoveredFen - (facts.recoveredAtIssueFen ?? 0);
      if (paidSince < facts.totalFen)
        throw badUserInput(
          'input.processId',
          'order-to-pay.unpaid',
          `payments recorded on the case since the order (${paidSince} fen) do not reach the amount ordered (${facts.totalFen} fen): record the payments first`,
        );
    }
    return this.processes.step(ctx, {
      processId: input.processId,
      update: recordOrderCompliedUpdate,
      args: { paidOn: input.paidOn, ...(input.note ? { note: input.note } : {}) },
      idempotencyKey: input.idempotencyKey,
    });
  }

  /** 加付赔偿金 on a missed order: a whole percentage from 50 to 100 of the amount ordered. */
  orderAdditionalCompensation(ctx: ExecutionContext, input: StepRef & { ratePercent: number }): Promise<CaseProcess> {
    return this.processes.step(ctx, {
      processId: input.processId,
      update: orderAdditionalCompensationUpdate,
      args: { ratePercent: input.ratePercent },
      idempotencyKey: input.idempotencyKey,
    });
  }
}
