import { Arg, Ctx, Field, ID, ObjectType, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../api/context';
import { AgencyKindEnum, SectorEnum, UserRoleEnum } from '../api/enums';
import { DivisionCodeScalar } from '../api/scalars';
import { Agency, type AgencyKind, type User } from './agency.entity';
import { signedIn } from '../policy/signed-in';

@ObjectType('Agency', { description: '参与单位: an agency taking part in the work' })
export class AgencyType {
  @Field(() => ID)
  id!: string;

  @Field(() => AgencyKindEnum)
  kind!: string;

  @Field()
  name!: string;

  @Field(() => DivisionCodeScalar)
  regionCode!: string;

  @Field(() => ID, { nullable: true })
  parentId!: string | null;

  @Field(() => SectorEnum, { nullable: true, description: 'For an industry regulator: the sector it regulates' })
  sector!: string | null;
}

@ObjectType('User', { description: 'A person working for an agency' })
export class UserType {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field(() => ID)
  agencyId!: string;

  @Field(() => [UserRoleEnum])
  roles!: string[];
}

export function toAgencyType(a: Agency): AgencyType {
  return { id: a.id, kind: a.kind, name: a.name, regionCode: a.region, parentId: a.parent ?? null, sector: a.sector ?? null };
}

export function toUserType(u: User): UserType {
  return { id: u.id, name: u.name, agencyId: u.agency, roles: u.roles };
}

@Resolver(() => AgencyType)
export class AgencyResolver {
  @Query(() => [AgencyType], { description: 'Agencies, optionally of one kind, ordered by name' })
  async agencies(
    @Ctx() ctx: RequestContext,
    @Arg('kind', () => AgencyKindEnum, { nullable: true }) kind?: AgencyKind,
  ): Promise<AgencyType[]> {
    signedIn(ctx);
    const rows = await ctx.em.find(Agency, kind ? { kind } : {}, { orderBy: { name: 'asc' } });
    return rows.map(toAgencyType);
  }
}
