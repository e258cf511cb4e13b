import { Arg, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../api/context';
import { AgencyType, toAgencyType } from '../agencies/agency.resolver';
import { RegionType, toRegionType } from '../regions/region.resolver';
import { OPEN_CASE_AGE_LABELS, type StatisticsDimension } from './statistics.model';
import type { StatisticsService } from './statistics.service';
import { CaseStatisticsType, OverdueStepsType, StatisticsDimensionEnum, StatisticsFilter, StatisticsGroupType } from './statistics.types';

@Resolver()
export class StatisticsResolver {
  constructor(private readonly service: StatisticsService) {}

  @Query(() => CaseStatisticsType, {
    description:
      '统计: cases received, accepted, resolved and closed, workers and money claimed and recovered, open cases by age, overdue steps and callbacks, over the cases the caller may see, optionally grouped',
  })
  async statistics(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => StatisticsFilter, { nullable: true, description: 'Which cases to count' }) filter?: StatisticsFilter,
    @Arg('groupBy', () => [StatisticsDimensionEnum], { nullable: true, description: 'The dimensions of the groups, each at most once' })
    groupBy?: StatisticsDimension[],
  ): Promise<CaseStatisticsType> {
    const r = await this.service.figures(ctx, { filter, groupBy });
    return { ...r, openByAge: r.openByAge.map((a) => ({ ...a, label: OPEN_CASE_AGE_LABELS[a.bucket] })) };
  }
}

/** The regions and agencies of the groups, loaded in one batch each. */
@Resolver(() => StatisticsGroupType)
export class StatisticsGroupResolver {
  @FieldResolver(() => RegionType, { nullable: true, description: 'The district (DISTRICT)' })
  async district(@Root() g: StatisticsGroupType, @Ctx() ctx: RequestContext): Promise<RegionType | null> {
    const r = g.districtCode ? await ctx.loaders.region.load(g.districtCode) : null;
    return r ? toRegionType(r) : null;
  }

  @FieldResolver(() => RegionType, { nullable: true, description: 'The street (STREET); null for cases placed at district level' })
  async street(@Root() g: StatisticsGroupType, @Ctx() ctx: RequestContext): Promise<RegionType | null> {
    const r = g.streetCode ? await ctx.loaders.region.load(g.streetCode) : null;
    return r ? toRegionType(r) : null;
  }

  @FieldResolver(() => AgencyType, { nullable: true, description: 'The owning inspection agency (OWNING_AGENCY)' })
  async owningAgency(@Root() g: StatisticsGroupType, @Ctx() ctx: RequestContext): Promise<AgencyType | null> {
    const a = g.owningAgencyId ? await ctx.loaders.agency.load(g.owningAgencyId) : null;
    return a ? toAgencyType(a) : null;
  }
}

@Resolver(() => OverdueStepsType)
export class OverdueStepsResolver {
  @FieldResolver(() => AgencyType, { description: 'The agency whose step is overdue' })
  async agency(@Root() o: OverdueStepsType, @Ctx() ctx: RequestContext): Promise<AgencyType> {
    return toAgencyType((await ctx.loaders.agency.load(o.agencyId))!);
  }
}
