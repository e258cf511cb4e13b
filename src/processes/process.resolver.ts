import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../api/context';
import { visibleProcesses } from './process-visibility';
import { AgencyType, toAgencyType } from '../agencies/agency.resolver';
import { CaseType, toCaseType } from '../cases/case.types';
import {
  ApproveExtensionInput,
  ApprovePoliceReferralInput,
  CaseProcessType,
  ConfirmAttendanceInput,
  ConveneMediationInput,
  DecidePoliceReferralInput,
  DecideReconsiderationInput,
  InstalmentType,
  ProcessPartyType,
  ProcessStepInput,
  ProposePoliceReferralInput,
  RecordAgreementInput,
  RecordCriminalOutcomeInput,
  RecordInstalmentPaidInput,
  RecordSessionInput,
  ReportDispatchInput,
  RequestReconsiderationInput,
  RequestSupervisionInput,
  StartProcessInput,
  toInstalmentType,
  toPartyType,
  toProcessType,
} from './process.types';

/**
 * The cross-agency processes in the API: starting them, taking their steps (each a Workflow Update, refused at
 * once with FORBIDDEN, CONFLICT or BAD_USER_INPUT when the process cannot take it), and reading where they stand.
 */
@Resolver(() => CaseProcessType)
export class ProcessResolver {
  @Query(() => CaseProcessType, { description: 'A process by id; NOT_FOUND if unknown' })
  async process(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<CaseProcessType> {
    return toProcessType(await ctx.services.processes.byId(ctx, id));
  }

  @FieldResolver(() => [ProcessPartyType], { description: 'Recipients, invitees or the police, each with its own status' })
  async parties(@Ctx() ctx: RequestContext, @Root() p: CaseProcessType): Promise<ProcessPartyType[]> {
    return (await ctx.loaders.processParties.load(p.id)).map(toPartyType);
  }

  @FieldResolver(() => [InstalmentType], { description: 'A mediation agreement’s payment plan' })
  async instalments(@Ctx() ctx: RequestContext, @Root() p: CaseProcessType): Promise<InstalmentType[]> {
    return (await ctx.loaders.processInstalments.load(p.id)).map(toInstalmentType);
  }

  @Mutation(() => CaseProcessType, { description: '三交办: hand the case to the district government, the industry regulator and the general contractor’s HQ at once' })
  async dispatchCase(@Ctx() ctx: RequestContext, @Arg('input') input: StartProcessInput): Promise<CaseProcessType> {
    return toProcessType(await ctx.services.processes.dispatchCase(ctx, input));
  }

  @Mutation(() => CaseProcessType, { description: 'A dispatch recipient acknowledges (as its own agency)' })
  async acknowledgeDispatch(@Ctx() ctx: RequestContext, @Arg('input') input: ProcessStepInput): Promise<CaseProcessType> {
    return this.step(ctx, input, 'acknowledgeDispatch', {});
  }

  @Mutation(() => CaseProcessType, { description: 'A dispatch recipient reports what it did; a payment in the report is recorded on the case' })
  async reportDispatch(@Ctx() ctx: RequestContext, @Arg('input') input: ReportDispatchInput): Promise<CaseProcessType> {
    const payment = input.payment ? { amountFen: input.payment.amount, workersPaid: input.payment.workersPaid, paidOn: input.payment.paidOn, payer: input.payment.payer } : undefined;
    return this.step(ctx, input, 'reportDispatch', { report: input.report, ...(payment ? { payment } : {}) });
  }

  @Mutation(() => CaseProcessType, { description: '移送: propose a police referral (order to pay ignored, crime threshold met, team of 2+)' })
  async proposePoliceReferral(@Ctx() ctx: RequestContext, @Arg('input') input: ProposePoliceReferralInput): Promise<CaseProcessType> {
    return toProcessType(await ctx.services.processes.proposePoliceReferral(ctx, input));
  }

  @Mutation(() => CaseProcessType, { description: 'The director approves (or refuses, in writing) a referral' })
  async approvePoliceReferral(@Ctx() ctx: RequestContext, @Arg('input') input: ApprovePoliceReferralInput): Promise<CaseProcessType> {
    return this.step(ctx, input, 'approveReferral', { approve: input.approve, note: input.note });
  }

  @Mutation(() => CaseProcessType, { description: 'The referral team sends the approved referral to the police' })
  async sendPoliceReferral(@Ctx() ctx: RequestContext, @Arg('input') input: ProcessStepInput): Promise<CaseProcessType> {
    return this.step(ctx, input, 'sendReferral', {});
  }

  @Mutation(() => CaseProcessType, { description: 'The police decide: filed, or declined with written reasons' })
  async decidePoliceReferral(@Ctx() ctx: RequestContext, @Arg('input') input: DecidePoliceReferralInput): Promise<CaseProcessType> {
    return this.step(ctx, input, 'decideReferral', { decision: input.decision, reasons: input.reasons });
  }

  @Mutation(() => CaseProcessType, { description: 'HRSS asks the police to reconsider a declined referral (within 3 days)' })
  async requestReconsideration(@Ctx() ctx: RequestContext, @Arg('input') input: RequestReconsiderationInput): Promise<CaseProcessType> {
    return this.step(ctx, input, 'requestReconsideration', { grounds: input.grounds });
  }

  @Mutation(() => CaseProcessType, { description: 'The police decide the reconsideration' })
  async decideReconsideration(@Ctx() ctx: RequestContext, @Arg('input') input: DecideReconsiderationInput): Promise<CaseProcessType> {
    return this.step(ctx, input, 'decideReconsideration', { decision: input.decision, reasons: input.reasons });
  }

  @Mutation(() => CaseProcessType, { description: '立案监督: HRSS asks the procuratorate to supervise' })
  async requestProcuratorateSupervision(@Ctx() ctx: RequestContext, @Arg('input') input: RequestSupervisionInput): Promise<CaseProcessType> {
    return this.step(ctx, input, 'requestSupervision', { procuratorateAgencyId: input.procuratorateAgencyId, grounds: input.grounds });
  }

  @Mutation(() => CaseProcessType, { description: 'The police record the outcome of the criminal case' })
  async recordCriminalOutcome(@Ctx() ctx: RequestContext, @Arg('input') input: RecordCriminalOutcomeInput): Promise<CaseProcessType> {
    return this.step(ctx, input, 'recordCriminalOutcome', { outcome: input.outcome });
  }

  @Mutation(() => CaseProcessType, { description: '联合调处: convene the parties and agencies' })
  async conveneMediation(@Ctx() ctx: RequestContext, @Arg('input') input: ConveneMediationInput): Promise<CaseProcessType> {
    return toProcessType(await ctx.services.processes.conveneMediation(ctx, { caseId: input.caseId, parties: input.parties, agencyIds: input.agencyIds }));
  }

  @Mutation(() => CaseProcessType, { description: 'An invitee confirms attendance (an agency for itself; HRSS for a party)' })
  async confirmMediationAttendance(@Ctx() ctx: RequestContext, @Arg('input') input: ConfirmAttendanceInput): Promise<CaseProcessType> {
    return this.step(ctx, input, 'confirmAttendance', { partyId: input.partyId });
  }

  @Mutation(() => CaseProcessType, { description: 'Record a mediation session with its minutes' })
  async recordMediationSession(@Ctx() ctx: RequestContext, @Arg('input') input: RecordSessionInput): Promise<CaseProcessType> {
    return this.step(ctx, input, 'recordSession', { heldAt: input.heldAt.toISOString(), summary: input.summary, attendeePartyIds: input.attendeePartyIds });
  }

  @Mutation(() => CaseProcessType, { description: 'Record the agreement and its payment plan; each instalment is checked when due' })
  async recordMediationAgreement(@Ctx() ctx: RequestContext, @Arg('input') input: RecordAgreementInput): Promise<CaseProcessType> {
    return this.step(ctx, input, 'recordAgreement', { instalments: input.instalments.map((i) => ({ dueOn: i.dueOn, amountFen: i.amount })) });
  }

  @Mutation(() => CaseProcessType, { description: 'Record an instalment paid; it is recorded on the case as a payment' })
  async recordInstalmentPaid(@Ctx() ctx: RequestContext, @Arg('input') input: RecordInstalmentPaidInput): Promise<CaseProcessType> {
    return this.step(ctx, input, 'recordInstalmentPaid', { seq: input.seq, paidOn: input.paidOn, payer: input.payer, workersPaid: input.workersPaid });
  }

  @Mutation(() => CaseType, { description: '延期: approve the one 30-working-day extension of the resolution deadline (supervisor or director)' })
  async approveExtension(@Ctx() ctx: RequestContext, @Arg('input') input: ApproveExtensionInput): Promise<CaseType> {
    return toCaseType(await ctx.services.processes.approveExtension(ctx, input));
  }

  private async step(ctx: RequestContext, input: ProcessStepInput, update: string, args: Record<string, unknown>): Promise<CaseProcessType> {
    return toProcessType(await ctx.services.processes.step(ctx, { processId: input.processId, update, args, idempotencyKey: input.idempotencyKey }));
  }
}

@Resolver(() => ProcessPartyType)
export class ProcessPartyResolver {
  @FieldResolver(() => AgencyType, { nullable: true })
  async agency(@Ctx() ctx: RequestContext, @Root() p: ProcessPartyType): Promise<AgencyType | null> {
    if (!p.agencyId) return null;
    const a = await ctx.loaders.agency.load(p.agencyId);
    return a ? toAgencyType(a) : null;
  }
}

@Resolver(() => CaseType)
export class CaseProcessesResolver {
  @FieldResolver(() => [CaseProcessType], { description: 'The cross-agency processes on this case, oldest first' })
  async processes(@Ctx() ctx: RequestContext, @Root() c: CaseType): Promise<CaseProcessType[]> {
    return (await visibleProcesses(ctx, c.id)).map(toProcessType);
  }
}
