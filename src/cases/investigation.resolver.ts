import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../api/context';
import { toUserType, UserType } from '../agencies/agency.resolver';
import { CaseType, toCaseType } from './case.types';
import type { InvestigationService } from './investigation.service';
import { InvestigationType, RecordEvidenceInput, RecordInquiryInput, SetInvestigationTeamInput } from './investigation.types';

@Resolver(() => CaseType)
export class InvestigationResolver {
  constructor(private readonly investigations: InvestigationService) {}

  @FieldResolver(() => InvestigationType, {
    nullable: true,
    description: '调查: the team, inquiries and evidence; null for agencies outside labour inspection',
  })
  async investigation(@Root() c: CaseType, @Ctx() ctx: RequestContext): Promise<InvestigationType | null> {
    const found = await this.investigations.investigationOf(ctx, c);
    if (!found) return null;
    const users = async (ids: string[]): Promise<UserType[]> =>
      (await Promise.all(ids.map((id) => ctx.loaders.user.load(id)))).flatMap((u) => (u ? [toUserType(u)] : []));
    return {
      lead: found.leadId ? ((await users([found.leadId]))[0] ?? null) : null,
      team: await users(found.teamIds),
      inquiries: await Promise.all(
        found.inquiries.map(async ({ inspectorIds, recordedBy: _by, ...i }) => ({ ...i, inspectors: await users(inspectorIds) })),
      ),
      evidence: await Promise.all(
        found.evidence.map(async ({ collectedBy, recordedBy: _by, ...e }) => ({ ...e, collectedBy: await users(collectedBy) })),
      ),
    };
  }

  @Query(() => [UserType], {
    description:
      '调查人员: the owning agency’s inspectors, supervisors and directors a caseworker of it may name on the case’s team, at an inquiry, on evidence or on a police referral’s team; FORBIDDEN for any other agency',
  })
  async investigatorCandidates(
    @Ctx() ctx: RequestContext,
    @Arg('caseId', () => ID, { description: 'The case (案件) being investigated' }) caseId: string,
  ): Promise<UserType[]> {
    return (await this.investigations.candidates(ctx, caseId)).map(toUserType);
  }

  @Mutation(() => CaseType, { description: '调查组: name the inspectors investigating the case with its lead' })
  async setInvestigationTeam(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'What setInvestigationTeam needs (see SetInvestigationTeamInput)' }) input: SetInvestigationTeamInput,
  ): Promise<CaseType> {
    return toCaseType(await this.investigations.setTeam(ctx, input));
  }

  @Mutation(() => CaseType, { description: '询问笔录: put an inquiry on the record (two inspectors present)' })
  async recordInquiry(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'What recordInquiry needs (see RecordInquiryInput)' }) input: RecordInquiryInput,
  ): Promise<CaseType> {
    return toCaseType(await this.investigations.recordInquiry(ctx, input));
  }

  @Mutation(() => CaseType, { description: 'Put an evidence item on the record (two inspectors collecting it)' })
  async recordEvidence(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'What recordEvidence needs (see RecordEvidenceInput)' }) input: RecordEvidenceInput,
  ): Promise<CaseType> {
    return toCaseType(await this.investigations.recordEvidence(ctx, input));
  }
}
