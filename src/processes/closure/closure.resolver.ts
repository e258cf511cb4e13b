import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { RequestContext } from '../../api/context';
import { CaseType, toCaseType } from '../../cases/case.types';
import type { ClosureService } from './closure.service';
import { ApproveClosingInput, SubmitClosingReportInput } from './closure.types';

@Resolver()
export class ClosureResolver {
  constructor(private readonly closure: ClosureService) {}

  @Mutation(() => CaseType, {
    description:
      '结案报告: a caseworker of the owning agency submits the closing report of a resolved case (refused while a process is open)',
  })
  async submitClosingReport(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'What submitClosingReport needs (see SubmitClosingReportInput)' }) input: SubmitClosingReportInput,
  ): Promise<CaseType> {
    return toCaseType(await this.closure.submitClosingReport(ctx, input));
  }

  @Mutation(() => CaseType, {
    description: '结案: a supervisor or director (not the report’s author) approves it; the case is CLOSED and its callback scheduled',
  })
  async approveClosing(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'What approveClosing needs (see ApproveClosingInput)' }) input: ApproveClosingInput,
  ): Promise<CaseType> {
    return toCaseType(await this.closure.approveClosing(ctx, input));
  }
}
