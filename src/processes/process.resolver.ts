import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../api/context';
import { visibleProcesses } from './process-visibility';
import { AgencyType, toAgencyType } from '../agencies/agency.resolver';
import { CaseType } from '../cases/case.types';
import type { ProcessService } from './process.service';
import { CaseProcessType, InstalmentType, ProcessPartyType, toInstalmentType, toPartyType, toProcessType } from './process.types';

/**
 * Reading the cross-agency processes, whatever their kind. Starting one and taking its steps are each process's
 * own resolver (`src/processes/<kind>/`); each step is a Workflow Update, refused at once with FORBIDDEN, CONFLICT
 * or BAD_USER_INPUT when the process cannot take it.
 */
@Resolver(() => CaseProcessType)
export class ProcessResolver {
  constructor(private readonly processes: ProcessService) {}

  @Query(() => CaseProcessType, { description: 'A process by id; NOT_FOUND if unknown' })
  async process(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { description: "The process's id" }) id: string,
  ): Promise<CaseProcessType> {
    return toProcessType(await this.processes.byId(ctx, id));
  }

  @FieldResolver(() => [ProcessPartyType], { description: 'Recipients, invitees or the police, each with its own status' })
  async parties(@Ctx() ctx: RequestContext, @Root() p: CaseProcessType): Promise<ProcessPartyType[]> {
    return (await ctx.loaders.processParties.load(p.id)).map(toPartyType);
  }

  @FieldResolver(() => [InstalmentType], { description: 'A mediation agreement’s payment plan' })
  async instalments(@Ctx() ctx: RequestContext, @Root() p: CaseProcessType): Promise<InstalmentType[]> {
    return (await ctx.loaders.processInstalments.load(p.id)).map(toInstalmentType);
  }
}

@Resolver(() => ProcessPartyType)
export class ProcessPartyResolver {
  @FieldResolver(() => AgencyType, { description: 'The agency this party is, when it is an agency', nullable: true })
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
