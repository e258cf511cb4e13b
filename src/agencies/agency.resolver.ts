import { Arg, Ctx, Field, ID, ObjectType, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../api/context';
import { AgencyKindEnum, SectorEnum, UserRoleEnum } from '../api/enums';
import { DivisionCodeScalar } from '../api/scalars';
import { Agency, type AgencyKind, type User } from './agency.entity';
import type { FieldReads } from '../api/field-reads';
import { signedIn } from '../policy/signed-in';

@ObjectType('Agency', { description: '参与单位: an agency taking part in the work' })
export class AgencyType {
  @Field(() => ID, { description: "The agency's id" })
  id!: string;

  @Field(() => AgencyKindEnum, { description: 'What kind of agency it is (机构类别)' })
  kind!: string;

  @Field({ description: "The agency's name in Chinese" })
  name!: string;

  @Field(() => DivisionCodeScalar, { description: 'The division (行政区划代码) whose matters the agency handles' })
  regionCode!: string;

  @Field(() => ID, { description: "The agency above this one (a district bureau's city bureau), if any", nullable: true })
  parentId!: string | null;

  @Field(() => SectorEnum, { nullable: true, description: 'For an industry regulator: the sector it regulates' })
  sector!: string | null;
}

@ObjectType('User', { description: 'A person working for an agency' })
export class UserType {
  @Field(() => ID, { description: "The user's id" })
  id!: string;

  @Field({ description: "The user's name" })
  name!: string;

  @Field(() => ID, { description: 'The agency the user works for' })
  agencyId!: string;

  @Field(() => [UserRoleEnum], { description: "The user's roles in their agency" })
  roles!: string[];
}

/** What each field of Agency reads (`FieldReads`): a case list reads only those columns of its owning agencies. */
export const AGENCY_FIELD_READS: FieldReads<Agency> = new Map<string, Array<keyof Agency & string>>([
  ['__typename', []],
  ['id', ['id']],
  ['kind', ['kind']],
  ['name', ['name']],
  ['regionCode', ['region']],
  ['parentId', ['parent']],
  ['sector', ['sector']],
]);

/** What each field of User reads (`FieldReads`): a case list reads only those columns of its lead inspectors. */
export const USER_FIELD_READS: FieldReads<User> = new Map<string, Array<keyof User & string>>([
  ['__typename', []],
  ['id', ['id']],
  ['name', ['name']],
  ['agencyId', ['agency']],
  ['roles', ['roles']],
]);

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
    @Arg('kind', () => AgencyKindEnum, { description: 'Only agencies of this kind (机构类别); all kinds when omitted', nullable: true })
    kind?: AgencyKind,
  ): Promise<AgencyType[]> {
    signedIn(ctx);
    const rows = await ctx.em.find(Agency, kind ? { kind } : {}, { orderBy: { name: 'asc' } });
    return rows.map(toAgencyType);
  }
}
