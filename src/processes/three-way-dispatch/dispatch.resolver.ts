import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { RequestContext } from '../../api/context';
import { CaseProcessType, ProcessStepInput, StartProcessInput, toProcessType } from '../process.types';
import type { DispatchService } from './dispatch.service';
import { ReportDispatchInput } from './dispatch.types';

@Resolver()
export class DispatchResolver {
  constructor(private readonly dispatch: DispatchService) {}

  @Mutation(() => CaseProcessType, {
    description: '三交办: hand the case to the district government, the industry regulator and the general contractor’s HQ at once',
  })
  async dispatchCase(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'What dispatchCase needs (see StartProcessInput)' }) input: StartProcessInput,
  ): Promise<CaseProcessType> {
    return toProcessType(await this.dispatch.dispatchCase(ctx, input));
  }

  @Mutation(() => CaseProcessType, { description: 'A dispatch recipient acknowledges (as its own agency)' })
  async acknowledgeDispatch(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'What acknowledgeDispatch needs (see ProcessStepInput)' }) input: ProcessStepInput,
  ): Promise<CaseProcessType> {
    return toProcessType(await this.dispatch.acknowledge(ctx, input));
  }

  @Mutation(() => CaseProcessType, {
    description: 'A dispatch recipient reports what it did; a payment in the report is recorded on the case',
  })
  async reportDispatch(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'What reportDispatch needs (see ReportDispatchInput)' }) input: ReportDispatchInput,
  ): Promise<CaseProcessType> {
    const payment = input.payment
      ? {
          amountFen: input.payment.amount,
          workersPaid: input.payment.workersPaid,
          paidOn: input.payment.paidOn,
          payer: input.payment.payer,
        }
      : undefined;
    return toProcessType(
      await this.dispatch.report(ctx, {
        processId: input.processId,
        idempotencyKey: input.idempotencyKey,
        report: input.report,
        ...(payment ? { payment } : {}),
      }),
    );
  }
}
