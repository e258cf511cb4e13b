import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { RequestContext } from '../../api/context';
import { CaseProcessType, toProcessType } from '../process.types';
import type { ExternalReferralService } from './external-referral.service';
import { AcknowledgeExternalReferralInput, ReferCaseOutsideInspectionInput } from './external-referral.types';

@Resolver()
export class ExternalReferralResolver {
  constructor(private readonly referrals: ExternalReferralService) {}

  @Mutation(() => CaseProcessType, {
    description: '转介: refer a case to a court or justice bureau (legal aid), tracked until it acknowledges; silence is escalated once',
  })
  async referCaseOutsideInspection(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'What referCaseOutsideInspection needs (see ReferCaseOutsideInspectionInput)' })
    input: ReferCaseOutsideInspectionInput,
  ): Promise<CaseProcessType> {
    return toProcessType(await this.referrals.refer(ctx, input));
  }

  @Mutation(() => CaseProcessType, { description: 'The receiving body acknowledges a referral, with its own reference' })
  async acknowledgeExternalReferral(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'What acknowledgeExternalReferral needs (see AcknowledgeExternalReferralInput)' })
    input: AcknowledgeExternalReferralInput,
  ): Promise<CaseProcessType> {
    return toProcessType(await this.referrals.acknowledge(ctx, input));
  }
}
