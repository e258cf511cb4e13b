import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { RequestContext } from '../api/context';
import { CaseType, toCaseType } from '../cases/case.types';
import type { ProcessService } from './process.service';
import { ApproveExtensionInput } from './process.types';

/** 延期: a step of the case lifecycle's own clock, approved like a process step. */
@Resolver()
export class ExtensionResolver {
  constructor(private readonly processes: ProcessService) {}

  @Mutation(() => CaseType, {
    description: '延期: approve the one 30-working-day extension of the resolution deadline (supervisor or director)',
  })
  async approveExtension(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'What approveExtension needs (see ApproveExtensionInput)' }) input: ApproveExtensionInput,
  ): Promise<CaseType> {
    return toCaseType(await this.processes.approveExtension(ctx, input));
  }
}
