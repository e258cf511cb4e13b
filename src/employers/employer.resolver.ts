import { MaxLength, MinLength } from 'class-validator';
import type { EmployerService } from './employer.service';
import { DateTimeResolver } from 'graphql-scalars';
import { Arg, Ctx, Field, ID, InputType, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../api/context';
import { BlacklistStatusEnum, CreditGradeEnum, SectorEnum } from '../api/enums';
import { requireExactlyOne } from '../domain/errors';
import { forwardPageInfo, PageInfo, pageSize } from '../api/pagination';
import { DivisionCodeScalar } from '../api/scalars';
import { UsccScalar } from '../api/scalars/uscc.scalar';
import type { Sector } from '../agencies/agency.entity';
import type { CreditGrade, Employer } from './employer.entity';
import type { FieldReads } from '../api/field-reads';

@ObjectType('Employer', { description: '用人单位: an employer' })
export class EmployerType {
  @Field(() => ID, { description: "The employer's id" })
  id!: string;

  @Field(() => UsccScalar, { description: 'Unified social credit code (统一社会信用代码), 18 characters with a check character' })
  uscc!: string;

  @Field({ description: "The employer's registered name" })
  name!: string;

  @Field(() => String, { nullable: true, description: '法定代表人' })
  legalRepresentative?: string | null;

  @Field(() => SectorEnum, { description: 'The industry (行业) the employer works in, when known', nullable: true })
  industry!: string | null;

  @Field(() => DivisionCodeScalar, {
    description: 'The division (行政区划代码) where the employer is registered, when known',
    nullable: true,
  })
  regionCode!: string | null;

  @Field(() => CreditGradeEnum, { nullable: true, description: '诚信等级' })
  creditGrade!: string | null;

  @Field(() => BlacklistStatusEnum, { description: '失信名单状态' })
  blacklistStatus!: string;

  @Field(() => DateTimeResolver, { description: 'When the employer was registered in Anxin (UTC)' })
  registeredAt!: Date;
}

@ObjectType({ description: 'An employer on a page, with its cursor (Relay edge)' })
export class EmployerEdge {
  @Field({ description: "This employer's place in the list: pass it as `after` to continue after it" })
  cursor!: string;

  @Field(() => EmployerType, { description: 'The employer' })
  node!: EmployerType;
}

@ObjectType({ description: 'A page of employers (Relay cursor connection)' })
export class EmployerConnection {
  @Field(() => [EmployerEdge], { description: 'The employers on this page, each with its cursor (Relay connection)' })
  edges!: EmployerEdge[];

  @Field(() => [EmployerType], { description: 'The employers on this page (the same as `edges.node`)' })
  nodes!: EmployerType[];

  @Field(() => PageInfo, { description: 'Where this page is in the whole list' })
  pageInfo!: PageInfo;
}

@InputType({ description: 'An employer (用人单位) to register' })
export class RegisterEmployerInput {
  @Field(() => UsccScalar, { description: 'Unified social credit code (统一社会信用代码), 18 characters with a valid check character' })
  uscc!: string;

  @Field({ description: 'The registered name' })
  @MinLength(2, { message: 'must be at least 2 characters' })
  @MaxLength(200, { message: 'must be at most 200 characters' })
  name!: string;

  @Field(() => String, { description: 'The legal representative (法定代表人)', nullable: true })
  @MaxLength(100, { message: 'must be at most 100 characters' })
  legalRepresentative?: string | null;

  @Field(() => SectorEnum, { description: 'The industry (行业)', nullable: true })
  industry?: Sector | null;

  @Field(() => DivisionCodeScalar, { description: 'The division (行政区划代码) where it is registered', nullable: true })
  regionCode?: string | null;

  @Field(() => CreditGradeEnum, { description: 'Its compliance credit grade (诚信等级), when graded', nullable: true })
  creditGrade?: CreditGrade | null;
}

/** What each field of Employer reads (`FieldReads`): a case list reads only those columns of its employers. */
export const EMPLOYER_FIELD_READS: FieldReads<Employer> = new Map<string, Array<keyof Employer & string>>([
  ['__typename', []],
  ['id', ['id']],
  ['uscc', ['uscc']],
  ['name', ['name']],
  ['legalRepresentative', ['legalRepresentative']],
  ['industry', ['industry']],
  ['regionCode', ['region']],
  ['creditGrade', ['creditGrade']],
  ['blacklistStatus', ['blacklistStatus']],
  ['registeredAt', ['createdAt']],
]);

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
    @Arg('uscc', () => UsccScalar, {
      description: "The employer's unified social credit code (统一社会信用代码, 18 characters; give this or `id`)",
      nullable: true,
    })
    uscc?: string,
    @Arg('id', () => ID, { description: "The employer's id (give this or `uscc`)", nullable: true }) id?: string,
  ): Promise<EmployerType> {
    requireExactlyOne({ uscc, id });
    return toEmployerType(uscc ? await this.employerService.byUscc(ctx, uscc) : await this.employerService.byId(ctx, id!));
  }

  @Query(() => EmployerConnection, { description: 'Employers by name, in a region (and below) or matching a name fragment' })
  async employers(
    @Ctx() ctx: RequestContext,
    @Arg('regionCode', () => DivisionCodeScalar, {
      description: 'Only employers registered in this division (行政区划) or below it',
      nullable: true,
    })
    regionCode?: string,
    @Arg('nameContains', () => String, { description: 'Only employers whose name contains this text', nullable: true })
    nameContains?: string,
    @Arg('first', () => Int, { description: 'Page size (default 50, at most 200)', nullable: true }) first?: number,
    @Arg('after', () => String, {
      description: 'Relay cursor: the `endCursor` of the previous page; the first page when omitted',
      nullable: true,
    })
    after?: string,
  ): Promise<EmployerConnection> {
    const page = await this.employerService.list(ctx, { regionCode, nameContains, first: pageSize(first), after });
    const nodes = page.nodes.map(toEmployerType);
    return {
      edges: nodes.map((node, i) => ({ cursor: page.cursors[i]!, node })),
      nodes,
      pageInfo: forwardPageInfo(page.cursors, page.hasNextPage, after),
    };
  }

  @Mutation(() => EmployerType, { description: 'Register an employer; CONFLICT if its code is already registered' })
  async registerEmployer(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'What registerEmployer needs (see RegisterEmployerInput)' }) input: RegisterEmployerInput,
  ): Promise<EmployerType> {
    return toEmployerType(await this.employerService.register(ctx, input));
  }
}
