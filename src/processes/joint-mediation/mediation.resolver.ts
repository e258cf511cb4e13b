import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { RequestContext } from '../../api/context';
import { CaseProcessType, toProcessType } from '../process.types';
import type { MediationService } from './mediation.service';
import {
  ConfirmAttendanceInput,
  ConveneMediationInput,
  RecordAgreementInput,
  RecordInstalmentPaidInput,
  RecordSessionInput,
} from './mediation.types';

@Resolver()
export class MediationResolver {
  constructor(private readonly mediation: MediationService) {}

  @Mutation(() => CaseProcessType, { description: '联合调处: convene the parties and agencies' })
  async conveneMediation(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'What conveneMediation needs (see ConveneMediationInput)' }) input: ConveneMediationInput,
  ): Promise<CaseProcessType> {
    return toProcessType(
      await this.mediation.conveneMediation(ctx, { caseId: input.caseId, parties: input.parties, agencyIds: input.agencyIds }),
    );
  }

  @Mutation(() => CaseProcessType, { description: 'An invitee confirms attendance (an agency for itself; HRSS for a party)' })
  async confirmMediationAttendance(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'What confirmMediationAttendance needs (see ConfirmAttendanceInput)' }) input: ConfirmAttendanceInput,
  ): Promise<CaseProcessType> {
    return toProcessType(await this.mediation.confirmAttendance(ctx, input));
  }

  @Mutation(() => CaseProcessType, { description: 'Record a mediation session with its minutes' })
  async recordMediationSession(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'What recordMediationSession needs (see RecordSessionInput)' }) input: RecordSessionInput,
  ): Promise<CaseProcessType> {
    return toProcessType(await this.mediation.recordSession(ctx, { ...input, heldAt: input.heldAt.toISOString() }));
  }

  @Mutation(() => CaseProcessType, { description: 'Record the agreement and its payment plan; each instalment is checked when due' })
  async recordMediationAgreement(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'What recordMediationAgreement needs (see RecordAgreementInput)' }) input: RecordAgreementInput,
  ): Promise<CaseProcessType> {
    return toProcessType(
      await this.mediation.recordAgreement(ctx, {
        ...input,
        instalments: input.instalments.map((i) => ({ dueOn: i.dueOn, amountFen: i.amount })),
      }),
    );
  }

  @Mutation(() => CaseProcessType, { description: 'Record an instalment paid; it is recorded on the case as a payment' })
  async recordInstalmentPaid(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'What recordInstalmentPaid needs (see RecordInstalmentPaidInput)' }) input: RecordInstalmentPaidInput,
  ): Promise<CaseProcessType> {
    return toProcessType(await this.mediation.recordInstalmentPaid(ctx, input));
  }
}
