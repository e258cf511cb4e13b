import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { RequestContext } from '../../api/context';
import { CaseProcessType, toProcessType } from '../process.types';
import type { OrderToPayService } from './order-to-pay.service';
import { IssueOrderToPayInput, OrderAdditionalCompensationInput, RecordOrderCompliedInput } from './order-to-pay.types';

@Resolver()
export class OrderToPayResolver {
  constructor(private readonly orders: OrderToPayService) {}

  @Mutation(() => CaseProcessType, {
    description: '限期支付: order the employer to pay each worker by a deadline day (a supervisor or director of the owning agency)',
  })
  async issueOrderToPay(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'The case, the workers and amounts, and the last day to pay' }) input: IssueOrderToPayInput,
  ): Promise<CaseProcessType> {
    return toProcessType(
      await this.orders.issue(ctx, {
        caseId: input.caseId,
        dueOn: input.dueOn,
        workers: input.workers.map((w) => ({ name: w.name, amountFen: w.amount })),
      }),
    );
  }

  @Mutation(() => CaseProcessType, {
    description: 'Record that the order was complied with: the case’s payments since the order reach the amount ordered',
  })
  async recordOrderComplied(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'The order and the day it was paid' }) input: RecordOrderCompliedInput,
  ): Promise<CaseProcessType> {
    return toProcessType(await this.orders.recordComplied(ctx, input));
  }

  @Mutation(() => CaseProcessType, { description: '加付赔偿金: order additional compensation of 50–100 % on a missed order to pay' })
  async orderAdditionalCompensation(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'The missed order and the rate' }) input: OrderAdditionalCompensationInput,
  ): Promise<CaseProcessType> {
    return toProcessType(await this.orders.orderAdditionalCompensation(ctx, input));
  }
}
