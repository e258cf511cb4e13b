import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { RequestContext } from '../../api/context';
import { CaseProcessType, ProcessStepInput, toProcessType } from '../process.types';
import type { ReferralService } from './referral.service';
import {
  ApprovePoliceReferralInput,
  DecidePoliceReferralInput,
  DecideReconsiderationInput,
  ProposePoliceReferralInput,
  RecordCriminalOutcomeInput,
  RequestReconsiderationInput,
  RequestSupervisionInput,
} from './referral.types';

@Resolver()
export class ReferralResolver {
  constructor(private readonly referrals: ReferralService) {}

  @Mutation(() => CaseProcessType, {
    description: '移送: propose a police referral (order to pay ignored, crime threshold met, team of 2+)',
  })
  async proposePoliceReferral(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'What proposePoliceReferral needs (see ProposePoliceReferralInput)' }) input: ProposePoliceReferralInput,
  ): Promise<CaseProcessType> {
    return toProcessType(await this.referrals.proposePoliceReferral(ctx, input));
  }

  @Mutation(() => CaseProcessType, { description: 'The director approves (or refuses, in writing) a referral' })
  async approvePoliceReferral(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'What approvePoliceReferral needs (see ApprovePoliceReferralInput)' }) input: ApprovePoliceReferralInput,
  ): Promise<CaseProcessType> {
    return toProcessType(await this.referrals.approve(ctx, input));
  }

  @Mutation(() => CaseProcessType, { description: 'The referral team sends the approved referral to the police' })
  async sendPoliceReferral(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'What sendPoliceReferral needs (see ProcessStepInput)' }) input: ProcessStepInput,
  ): Promise<CaseProcessType> {
    return toProcessType(await this.referrals.send(ctx, input));
  }

  @Mutation(() => CaseProcessType, { description: 'The police decide: filed, or declined with written reasons' })
  async decidePoliceReferral(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'What decidePoliceReferral needs (see DecidePoliceReferralInput)' }) input: DecidePoliceReferralInput,
  ): Promise<CaseProcessType> {
    return toProcessType(await this.referrals.decide(ctx, input));
  }

  @Mutation(() => CaseProcessType, { description: 'HRSS asks the police to reconsider a declined referral (within 3 days)' })
  async requestReconsideration(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'What requestReconsideration needs (see RequestReconsiderationInput)' })
    input: RequestReconsiderationInput,
  ): Promise<CaseProcessType> {
    return toProcessType(await this.referrals.requestReconsideration(ctx, input));
  }

  @Mutation(() => CaseProcessType, { description: 'The police decide the reconsideration' })
  async decideReconsideration(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'What decideReconsideration needs (see DecideReconsiderationInput)' }) input: DecideReconsiderationInput,
  ): Promise<CaseProcessType> {
    return toProcessType(await this.referrals.decideReconsideration(ctx, input));
  }

  @Mutation(() => CaseProcessType, { description: '立案监督: HRSS asks the procuratorate to supervise' })
  async requestProcuratorateSupervision(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'What requestProcuratorateSupervision needs (see RequestSupervisionInput)' })
    input: RequestSupervisionInput,
  ): Promise<CaseProcessType> {
    return toProcessType(await this.referrals.requestSupervision(ctx, input));
  }

  @Mutation(() => CaseProcessType, { description: 'The police record the outcome of the criminal case' })
  async recordCriminalOutcome(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'What recordCriminalOutcome needs (see RecordCriminalOutcomeInput)' }) input: RecordCriminalOutcomeInput,
  ): Promise<CaseProcessType> {
    return toProcessType(await this.referrals.recordCriminalOutcome(ctx, input));
  }
}
