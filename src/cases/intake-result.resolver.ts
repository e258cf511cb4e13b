import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../api/context';
import { AgencyType, toAgencyType } from '../agencies/agency.resolver';
import { IntakeResultType } from './case.types';

@Resolver(() => IntakeResultType)
export class IntakeResultResolver {
  @FieldResolver(() => AgencyType, { description: 'The inspection agency that owns the case (首问负责): whom to hand the complainant to' })
  async owningAgency(@Root() r: IntakeResultType, @Ctx() ctx: RequestContext): Promise<AgencyType> {
    return toAgencyType((await ctx.loaders.agency.load(r.owningAgencyId))!);
  }
}
