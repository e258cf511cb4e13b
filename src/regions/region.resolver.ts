import { Arg, Ctx, Field, ObjectType, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../api/context';
import { DivisionCodeScalar } from '../api/scalars';
import { Region } from './region.entity';
import type { FieldReads } from '../api/field-reads';
import { signedIn } from '../policy/signed-in';

@ObjectType('Region', { description: '行政区划: an administrative division (GB/T 2260)' })
export class RegionType {
  @Field(() => DivisionCodeScalar, {
    description: 'Division code (行政区划代码, GB/T 2260: 6 digits, 9 or 12 for streets and communities)',
  })
  code!: string;

  @Field({ description: "The division's name in Chinese" })
  name!: string;

  @Field({ description: 'PROVINCE, CITY, DISTRICT, STREET or COMMUNITY' })
  level!: string;

  @Field(() => DivisionCodeScalar, { description: 'The code of the division above this one; null for the top level', nullable: true })
  parentCode!: string | null;
}

/** What each field of Region reads (`FieldReads`): a case list reads only those columns of its regions. */
export const REGION_FIELD_READS: FieldReads<Region> = new Map<string, Array<keyof Region & string>>([
  ['__typename', []],
  ['code', ['code']],
  ['name', ['name']],
  ['level', ['level']],
  ['parentCode', ['parent']],
]);

export function toRegionType(r: Region): RegionType {
  return { code: r.code, name: r.name, level: r.level, parentCode: r.parent ?? null };
}

@Resolver(() => RegionType)
export class RegionResolver {
  @Query(() => [RegionType], { description: 'Regions below a parent (all top-level ones without it), ordered by code' })
  async regions(
    @Ctx() ctx: RequestContext,
    @Arg('parentCode', () => DivisionCodeScalar, {
      description: 'The divisions directly under this one; the top-level divisions when omitted',
      nullable: true,
    })
    parentCode?: string,
  ): Promise<RegionType[]> {
    signedIn(ctx);
    const rows = await ctx.em.find(Region, parentCode ? { parent: parentCode } : { parent: null }, { orderBy: { code: 'asc' } });
    return rows.map(toRegionType);
  }
}
