import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { RequestContext } from '../../api/context';
import { CaseProcessType, toProcessType } from '../process.types';
import type { HandoverService } from './handover.service';
import { AcceptHandoverInput, HandOverCaseInput, ReturnHandoverInput } from './handover.types';

@Resolver()
export class HandoverResolver {
  constructor(private readonly handovers: HandoverService) {}

  @Mutation(() => CaseProcessType, {
    description:
      '移交 (首问负责): hand a case to another labour inspection agency; the owner changes only when it accepts. The tracked way to hand a case on (transferCase records a free-text destination only)',
  })
  async handOverCase(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'What handOverCase needs (see HandOverCaseInput)' }) input: HandOverCaseInput,
  ): Promise<CaseProcessType> {
    return toProcessType(await this.handovers.handOver(ctx, input));
  }

  @Mutation(() => CaseProcessType, {
    description: 'The receiving agency’s supervisor or director accepts a handover: it now owns the case',
  })
  async acceptHandover(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'What acceptHandover needs (see AcceptHandoverInput)' }) input: AcceptHandoverInput,
  ): Promise<CaseProcessType> {
    return toProcessType(await this.handovers.accept(ctx, input));
  }

  @Mutation(() => CaseProcessType, { description: 'The receiving agency’s supervisor or director returns a handover, with the reason' })
  async returnHandover(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'What returnHandover needs (see ReturnHandoverInput)' }) input: ReturnHandoverInput,
  ): Promise<CaseProcessType> {
    return toProcessType(await this.handovers.returnCase(ctx, input));
  }
}
