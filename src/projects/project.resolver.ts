import { Max, MaxLength, Min, MinLength } from 'class-validator';
import type { ProjectService } from './project.service';
import { Arg, Ctx, Field, FieldResolver, ID, InputType, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../api/context';
import { ProjectStatusEnum, TeamRoleEnum } from '../api/enums';
import { requireExactlyOne } from '../domain/errors';
import { pageSize } from '../api/pagination';
import { DivisionCodeScalar, MobileScalar, MoneyScalar } from '../api/scalars';
import { UsccScalar } from '../api/scalars/uscc.scalar';
import { AgencyType, toAgencyType } from '../agencies/agency.resolver';
import { EmployerType, toEmployerType } from '../employers/employer.resolver';
import { RegionType, toRegionType } from '../regions/region.resolver';
import { mask, seesPersonalData } from '../policy/personal-data';
import type { Project, ProjectStatus, TeamRole } from './project.entity';
import type { FieldReads } from '../api/field-reads';

@ObjectType('TeamMember', { description: '五员: one of the five-member project team' })
export class TeamMemberType {
  @Field(() => TeamRoleEnum, { description: "The member's role in the project team (五员)" })
  role!: string;

  @Field({ description: "The member's name" })
  name!: string;

  /** Shown through TeamMemberResolver: whole to labour inspection, masked to everyone else. */
  mobile!: string | null;

  @Field(() => ID, { description: "The member's user account in Anxin, if they have one", nullable: true })
  userId!: string | null;
}

@Resolver(() => TeamMemberType)
export class TeamMemberResolver {
  @FieldResolver(() => String, {
    nullable: true,
    description: 'Mobile number (11 digits) for labour inspection; its masked form (138****1234) for every other agency',
  })
  mobile(@Root() m: TeamMemberType, @Ctx() ctx: RequestContext): string | null {
    if (!m.mobile) return null;
    return seesPersonalData(ctx.actor) ? m.mobile : mask.mobile(m.mobile);
  }
}

@ObjectType('Project', { description: '工程建设项目: a construction project' })
export class ProjectType {
  @Field(() => ID, { description: "The project's id" })
  id!: string;

  @Field({ description: "The project's code (项目编号), unique in the city" })
  code!: string;

  @Field({ description: "The project's name" })
  name!: string;

  regionCode!: string;
  constructionUnitId!: string | null;
  generalContractorId!: string | null;
  labourSubcontractorIds!: string[];
  regulatorId!: string | null;

  @Field(() => [TeamMemberType], {
    description:
      'The five-member project team (五员管理): street officer, regulator supervisor, labour inspector, project manager, labour-wage specialist',
  })
  team!: TeamMemberType[];

  @Field(() => MoneyScalar, { nullable: true, description: '工资专用账户余额 (fen)' })
  wageAccountBalance!: number | null;

  @Field(() => MoneyScalar, { nullable: true, description: '工资保证金 (fen)' })
  wageDeposit!: number | null;

  @Field(() => Int, { description: 'How many workers are on the project, when known', nullable: true })
  workerCount!: number | null;

  @Field(() => ProjectStatusEnum, { description: 'Construction status (施工状态)' })
  status!: string;

  @Field(() => Int, { description: 'Optimistic-lock version: send it back with updateProject' })
  version!: number;
}

/** What each field of Project reads (`FieldReads`): a case list reads only those columns of its projects. */
export const PROJECT_FIELD_READS: FieldReads<Project> = new Map<string, Array<keyof Project & string>>([
  ['__typename', []],
  ['id', ['id']],
  ['code', ['code']],
  ['name', ['name']],
  ['team', ['team']],
  ['wageAccountBalance', ['wageAccountBalanceFen']],
  ['wageDeposit', ['wageDepositFen']],
  ['workerCount', ['workerCount']],
  ['status', ['status']],
  ['version', ['version']],
  // The field resolvers below: the keys they load by.
  ['region', ['region']],
  ['constructionUnit', ['constructionUnit']],
  ['generalContractor', ['generalContractor']],
  ['labourSubcontractors', ['labourSubcontractors']],
  ['regulator', ['regulator']],
]);

export function toProjectType(p: Project): ProjectType {
  return {
    id: p.id,
    code: p.code,
    name: p.name,
    regionCode: p.region,
    constructionUnitId: p.constructionUnit ?? null,
    generalContractorId: p.generalContractor ?? null,
    labourSubcontractorIds: p.labourSubcontractors,
    regulatorId: p.regulator ?? null,
    // Absent when a list read only the columns of other fields (`PROJECT_FIELD_READS`).
    team: (p.team ?? []).map((m) => ({ role: m.role, name: m.name, mobile: m.mobile ?? null, userId: m.userId ?? null })),
    wageAccountBalance: p.wageAccountBalanceFen ?? null,
    wageDeposit: p.wageDepositFen ?? null,
    workerCount: p.workerCount ?? null,
    status: p.status,
    version: p.version,
  };
}

@InputType({ description: 'A member of the five-member project team (五员)' })
export class TeamMemberInput {
  @Field(() => TeamRoleEnum, { description: "The member's role (五员)" })
  role!: TeamRole;

  @Field({ description: "The member's name" })
  @MinLength(1, { message: 'must not be empty' })
  @MaxLength(100, { message: 'must be at most 100 characters' })
  name!: string;

  @Field(() => MobileScalar, { description: "The member's mobile number (11 digits starting with 1)", nullable: true })
  mobile?: string;

  @Field(() => ID, { description: "The member's user account in Anxin, if any", nullable: true })
  userId?: string;
}

@InputType()
class ProjectFieldsInput {
  @Field(() => UsccScalar, { description: 'USCC of the construction unit (建设单位, the owner)', nullable: true })
  constructionUnitUscc?: string;

  @Field(() => UsccScalar, { description: 'USCC of the general contractor (施工总承包单位)', nullable: true })
  generalContractorUscc?: string;

  @Field(() => [UsccScalar], { description: 'USCCs of the labour subcontractors (劳务分包单位)', nullable: true })
  labourSubcontractorUsccs?: string[];

  @Field(() => ID, { description: 'The industry regulator (行业主管部门) of the project', nullable: true })
  regulatorAgencyId?: string;

  @Field(() => [TeamMemberInput], { description: 'The five-member project team (五员)', nullable: true })
  team?: TeamMemberInput[];

  @Field(() => MoneyScalar, { description: 'Balance of the wage special account (工资专用账户), in fen (分)', nullable: true })
  wageAccountBalance?: number;

  @Field(() => MoneyScalar, { description: 'The wage guarantee deposit (工资保证金), in fen (分)', nullable: true })
  wageDeposit?: number;

  @Field(() => Int, { description: 'How many workers are on the project', nullable: true })
  @Min(0, { message: 'must not be negative' })
  @Max(1_000_000, { message: 'must be at most 1,000,000' })
  workerCount?: number;

  @Field(() => ProjectStatusEnum, { description: 'Construction status (施工状态)', nullable: true })
  status?: ProjectStatus;
}

@InputType({ description: 'A project (工程项目) to register' })
export class RegisterProjectInput extends ProjectFieldsInput {
  @Field({ description: "The project's code (项目编号), unique in the city" })
  @MinLength(2, { message: 'must be at least 2 characters' })
  @MaxLength(64, { message: 'must be at most 64 characters' })
  code!: string;

  @Field({ description: "The project's name" })
  @MinLength(2, { message: 'must be at least 2 characters' })
  @MaxLength(200, { message: 'must be at most 200 characters' })
  name!: string;

  @Field(() => DivisionCodeScalar, { description: 'The division (行政区划代码) where the project is' })
  regionCode!: string;
}

@InputType({ description: 'Changes to a project; omitted fields stay as they are' })
export class UpdateProjectInput extends ProjectFieldsInput {
  @Field(() => ID, { description: 'The project to change' })
  id!: string;

  @Field(() => Int, { description: 'The version read before the change; a different current version refuses the change (CONFLICT)' })
  expectedVersion!: number;

  @Field({ description: 'The new name', nullable: true })
  @MinLength(2, { message: 'must be at least 2 characters' })
  @MaxLength(200, { message: 'must be at most 200 characters' })
  name?: string;

  @Field(() => DivisionCodeScalar, { description: 'The new division (行政区划代码)', nullable: true })
  regionCode?: string;
}

function fields(input: ProjectFieldsInput & { name?: string; regionCode?: string }) {
  return { ...input, wageAccountBalanceFen: input.wageAccountBalance, wageDepositFen: input.wageDeposit };
}

@Resolver(() => ProjectType)
export class ProjectResolver {
  constructor(private readonly projectService: ProjectService) {}

  @Query(() => ProjectType, { description: 'A project by id or code; NOT_FOUND if unknown' })
  async project(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { description: "The project's id (give this or `code`)", nullable: true }) id?: string,
    @Arg('code', () => String, { description: "The project's code (项目编号; give this or `id`)", nullable: true }) code?: string,
  ): Promise<ProjectType> {
    requireExactlyOne({ id, code });
    return toProjectType(id ? await this.projectService.byId(ctx, id) : await this.projectService.byCode(ctx, code!));
  }

  @Query(() => [ProjectType], { description: 'Projects in a region (and below) or of a general contractor, by code' })
  async projects(
    @Ctx() ctx: RequestContext,
    @Arg('regionCode', () => DivisionCodeScalar, { description: 'Only projects in this division (行政区划) or below it', nullable: true })
    regionCode?: string,
    @Arg('generalContractorId', () => ID, { description: 'Only projects of this general contractor (施工总承包单位)', nullable: true })
    generalContractorId?: string,
    @Arg('first', () => Int, { description: 'At most this many projects', nullable: true }) first?: number,
  ): Promise<ProjectType[]> {
    return (await this.projectService.list(ctx, { regionCode, generalContractorId, first: pageSize(first) })).map(toProjectType);
  }

  @Mutation(() => ProjectType, { description: 'Register a construction project; CONFLICT if its code is taken' })
  async registerProject(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'What registerProject needs (see RegisterProjectInput)' }) input: RegisterProjectInput,
  ): Promise<ProjectType> {
    return toProjectType(await this.projectService.register(ctx, fields(input) as never));
  }

  @Mutation(() => ProjectType, { description: 'Change a project; CONFLICT if expectedVersion is not the current one' })
  async updateProject(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'What updateProject needs (see UpdateProjectInput)' }) input: UpdateProjectInput,
  ): Promise<ProjectType> {
    return toProjectType(await this.projectService.update(ctx, fields(input) as never));
  }

  @FieldResolver(() => RegionType, { description: 'The division (行政区划) where the project is' })
  async region(@Root() p: ProjectType, @Ctx() ctx: RequestContext): Promise<RegionType> {
    return toRegionType((await ctx.loaders.region.load(p.regionCode))!);
  }

  @FieldResolver(() => EmployerType, { nullable: true, description: '建设单位' })
  async constructionUnit(@Root() p: ProjectType, @Ctx() ctx: RequestContext): Promise<EmployerType | null> {
    const e = p.constructionUnitId ? await ctx.loaders.employer.load(p.constructionUnitId) : null;
    return e ? toEmployerType(e) : null;
  }

  @FieldResolver(() => EmployerType, { nullable: true, description: '施工总承包单位' })
  async generalContractor(@Root() p: ProjectType, @Ctx() ctx: RequestContext): Promise<EmployerType | null> {
    const e = p.generalContractorId ? await ctx.loaders.employer.load(p.generalContractorId) : null;
    return e ? toEmployerType(e) : null;
  }

  @FieldResolver(() => [EmployerType], { description: '劳务分包单位' })
  async labourSubcontractors(@Root() p: ProjectType, @Ctx() ctx: RequestContext): Promise<EmployerType[]> {
    const rows = await ctx.loaders.employer.loadMany(p.labourSubcontractorIds);
    return rows
      .filter((e): e is NonNullable<typeof e> & { id: string } => !!e && !(e instanceof Error))
      .map((e) => toEmployerType(e as never));
  }

  @FieldResolver(() => AgencyType, { nullable: true, description: '行业主管部门' })
  async regulator(@Root() p: ProjectType, @Ctx() ctx: RequestContext): Promise<AgencyType | null> {
    const a = p.regulatorId ? await ctx.loaders.agency.load(p.regulatorId) : null;
    return a ? toAgencyType(a) : null;
  }
}
