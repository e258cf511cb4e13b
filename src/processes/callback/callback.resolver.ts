import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { RequestContext } from '../../api/context';
import { CaseProcessType, toProcessType } from '../process.types';
import type { CallbackService } from './callback.service';
import { RecordCallbackInput, ReviewCallbackInput } from './callback.types';

@Resolver()
export class CallbackResolver {
  constructor(private readonly callbacks: CallbackService) {}

  @Mutation(() => CaseProcessType, {
    description:
      '回访: record a call to the complainant of a closed case; wages not received in full or 不满意 opens the supervisor’s review',
  })
  async recordCallback(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'What recordCallback needs (see RecordCallbackInput)' }) input: RecordCallbackInput,
  ): Promise<CaseProcessType> {
    return toProcessType(await this.callbacks.recordCallback(ctx, input));
  }

  @Mutation(() => CaseProcessType, { description: 'The supervisor’s review of a callback: the closing upheld, or follow-up ordered' })
  async reviewCallback(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'What reviewCallback needs (see ReviewCallbackInput)' }) input: ReviewCallbackInput,
  ): Promise<CaseProcessType> {
    return toProcessType(await this.callbacks.reviewCallback(ctx, input));
  }
}
