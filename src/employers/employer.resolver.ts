import { MaxLength, MinLength } from 'class-validator';
import type { EmployerService } from './employer.service';
import { DateTimeResolver } from 'graphql-scalars';
import { Arg, Ctx, Field, ID, InputType, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../api/context';
import { BlacklistStatusEnum, CreditGradeEnum, SectorEnum } from '../api/enums';
import { requireExactlyOne } from '../domain/errors';
import { PageInfo, pageSize } from '../api/pagination';
import { DivisionCodeScalar } from '../api/scalars';
import { UsccScalar } from '../api/scalars/uscc.scalar';
import type { Sector } from '../agencies/agency.entity';
import type { CreditGrade, Employer } from './employer.entity';

@ObjectType('Employer', { description: '用人单位: an employer' })
export class EmployerType {
  @Field(() => ID)
  id!: string;

  @Field(() => UsccScalar)
  uscc!: string;

  @Field()
  name!: string;

  @Field(() => String, { nullable: true, description: '法定代表人' })
  legalRepresentative?: string | null;

  @Field(() => SectorEnum, { nullable: true })
  industry!: string | null;

  @Field(() => DivisionCodeScalar, { nullable: true })
  regionCode!: string | null;

  @Field(() => CreditGradeEnum, { nullable: true, description: '诚信等级' })
  creditGrade!: string | null;

  @Field(() => BlacklistStatusEnum, { description: '失信名单状态' })
  blacklistStatus!: string;

  @Field(() => DateTimeResolver, { description: 'When the employer was registered in Anxin (UTC)' })
  registeredAt!: Date;
}

@ObjectType()
export class EmployerConnection {
  @Field(() => [EmployerType])
  nodes!: EmployerType[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

@InputType()
export class RegisterEmployerInput {
  @Field(() => UsccScalar)
  uscc!: string;

  @Field()
  @MinLength(2, { message: 'must be at least 2 characters' })
  @MaxLength(200, { message: 'must be at most 200 characters' })
  name!: string;

  @Field(() => String, { nullable: true })
  @MaxLength(100, { message: 'must be at most 100 characters' })
  legalRepresentative?: string | null;

  @Field(() => SectorEnum, { nullable: true })
  industry?: Sector | null;

  @Field(() => DivisionCodeScalar, { nullable: true })
  regionCode?: string | null;

  @Field(() => CreditGradeEnum, { nullable: true })
  creditGrade?: CreditGrade | null;
}

export function toEmployerType(e: Employer): EmployerType {
  return {
    id: e.id,
    uscc: e.uscc,
    name: e.name,
    legalRepresentative: e.legalRepresentative ?? null,
    industry: e.industry ?? null,
    regionCode: e.region ?? null,
    creditGrade: e.creditGrade ?? null,
    blacklistStatus: e.blacklistStatus,
    registeredAt: e.createdAt,
  };
}

@Resolver(() => EmployerType)
export class EmployerResolver {
  constructor(private readonly employerService: EmployerService) {}

  @Query(() => EmployerType, { description: 'An employer by its unified social credit code or id; NOT_FOUND if unknown' })
  async employer(
    @Ctx() ctx: RequestContext,
    @Arg('uscc', () => UsccScalar, { nullable: true }) uscc?: string,
    @Arg('id', () => ID, { nullable: true }) id?: string,
  ): Promise<EmployerType> {
    requireExactlyOne({ uscc, id });
    return toEmployerType(uscc ? await this.employerService.byUscc(ctx, uscc) : await this.employerService.byId(ctx, id!));
  }

  @Query(() => EmployerConnection, { description: 'Employers by name, in a region (and below) or matching a name fragment' })
  async employers(
    @Ctx() ctx: RequestContext,
    @Arg('regionCode', () => DivisionCodeScalar, { nullable: true }) regionCode?: string,
    @Arg('nameContains', () => String, { nullable: true }) nameContains?: string,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<EmployerConnection> {
    const page = await this.employerService.list(ctx, { regionCode, nameContains, first: pageSize(first), after });
    return { nodes: page.nodes.map(toEmployerType), pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor } };
  }

  @Mutation(() => EmployerType, { description: 'Register an employer; CONFLICT if its code is already registered' })
  async registerEmployer(@Ctx() ctx: RequestContext, @Arg('input') input: RegisterEmployerInput): Promise<EmployerType> {
    return toEmployerType(await this.employerService.register(ctx, input));
  }
}
