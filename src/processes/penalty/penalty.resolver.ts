import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { RequestContext } from '../../api/context';
import { CaseProcessType, toProcessType } from '../process.types';
import type { PenaltyService } from './penalty.service';
import {
  DecidePenaltyInput,
  ProposePenaltyInput,
  RecordPenaltyDeliberationInput,
  RecordPenaltyHearingInput,
  RecordPenaltyStatementInput,
  RequestPenaltyHearingInput,
  ServePenaltyDecisionInput,
  ServePenaltyNoticeInput,
} from './penalty.types';

@Resolver()
export class PenaltyResolver {
  constructor(private readonly penalties: PenaltyService) {}

  @Mutation(() => CaseProcessType, { description: '行政处罚: propose a fine (amount, provision breached)' })
  async proposePenalty(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'What proposePenalty needs (see ProposePenaltyInput)' }) input: ProposePenaltyInput,
  ): Promise<CaseProcessType> {
    return toProcessType(
      await this.penalties.proposePenalty(ctx, {
        caseId: input.caseId,
        amountFen: input.amount,
        provision: input.provision,
        serious: input.serious,
      }),
    );
  }

  @Mutation(() => CaseProcessType, { description: '告知: serve the notice of the proposed penalty; its periods run from today' })
  async servePenaltyNotice(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'What servePenaltyNotice needs (see ServePenaltyNoticeInput)' }) input: ServePenaltyNoticeInput,
  ): Promise<CaseProcessType> {
    return toProcessType(await this.penalties.serveNotice(ctx, input));
  }

  @Mutation(() => CaseProcessType, { description: '陈述、申辩: record what the party stated' })
  async recordPenaltyStatement(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'What recordPenaltyStatement needs (see RecordPenaltyStatementInput)' })
    input: RecordPenaltyStatementInput,
  ): Promise<CaseProcessType> {
    return toProcessType(await this.penalties.recordStatement(ctx, input));
  }

  @Mutation(() => CaseProcessType, { description: '听证申请: record the party’s request for a hearing' })
  async requestPenaltyHearing(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'What requestPenaltyHearing needs (see RequestPenaltyHearingInput)' }) input: RequestPenaltyHearingInput,
  ): Promise<CaseProcessType> {
    return toProcessType(await this.penalties.requestHearing(ctx, input));
  }

  @Mutation(() => CaseProcessType, { description: '听证: record the hearing held' })
  async recordPenaltyHearing(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'What recordPenaltyHearing needs (see RecordPenaltyHearingInput)' }) input: RecordPenaltyHearingInput,
  ): Promise<CaseProcessType> {
    return toProcessType(await this.penalties.recordHearing(ctx, { ...input, heldAt: input.heldAt.toISOString() }));
  }

  @Mutation(() => CaseProcessType, { description: '集体讨论: record the collective deliberation on a serious case' })
  async recordPenaltyDeliberation(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'What recordPenaltyDeliberation needs (see RecordPenaltyDeliberationInput)' })
    input: RecordPenaltyDeliberationInput,
  ): Promise<CaseProcessType> {
    return toProcessType(await this.penalties.recordDeliberation(ctx, { ...input, heldAt: input.heldAt.toISOString() }));
  }

  @Mutation(() => CaseProcessType, { description: '处罚决定: decide (not by who investigated the case)' })
  async decidePenalty(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'What decidePenalty needs (see DecidePenaltyInput)' }) input: DecidePenaltyInput,
  ): Promise<CaseProcessType> {
    return toProcessType(await this.penalties.decide(ctx, { ...input, amountFen: input.amount }));
  }

  @Mutation(() => CaseProcessType, { description: '送达: record the decision served on the party' })
  async servePenaltyDecision(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'What servePenaltyDecision needs (see ServePenaltyDecisionInput)' }) input: ServePenaltyDecisionInput,
  ): Promise<CaseProcessType> {
    return toProcessType(await this.penalties.serveDecision(ctx, input));
  }
}
