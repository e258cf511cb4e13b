import { Arg, Ctx, Field, ObjectType, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../api/context';
import { DivisionCodeScalar } from '../api/scalars';
import { Region } from './region.entity';
import { signedIn } from '../policy/signed-in';

@ObjectType('Region', { description: '行政区划: an administrative division (GB/T 2260)' })
export class RegionType {
  @Field(() => DivisionCodeScalar)
  code!: string;

  @Field()
  name!: string;

  @Field({ description: 'PROVINCE, CITY, DISTRICT, STREET or COMMUNITY' })
  level!: string;

  @Field(() => DivisionCodeScalar, { nullable: true })
  parentCode!: string | null;
}

export function toRegionType(r: Region): RegionType {
  return { code: r.code, name: r.name, level: r.level, parentCode: r.parent ?? null };
}

@Resolver(() => RegionType)
export class RegionResolver {
  @Query(() => [RegionType], { description: 'Regions below a parent (all top-level ones without it), ordered by code' })
  async regions(
    @Ctx() ctx: RequestContext,
    @Arg('parentCode', () => DivisionCodeScalar, { nullable: true }) parentCode?: string,
  ): Promise<RegionType[]> {
    signedIn(ctx);
    const rows = await ctx.em.find(Region, parentCode ? { parent: parentCode } : { parent: null }, { orderBy: { code: 'asc' } });
    return rows.map(toRegionType);
  }
}
