import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import { Arg, Ctx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { CaseService } from './case.service';
import type { IntakeService } from './intake.service';
import type { CaseStatusAttempts } from './case-status-attempts';
import { LATEST_NOTICE_SQL } from './case-status-notice';
import type { RequestContext } from '../api/context';
import { CaseOrderEnum } from '../api/enums';
import { notFound, requireExactlyOne } from '../domain/errors';
import { encodeCursor } from '../db/cursor';
import { forwardPageInfo, pageSize } from '../api/pagination';
import { propertiesRead, type FieldReads } from '../api/field-reads';
import { MobileScalar } from '../api/scalars';
import { AGENCY_FIELD_READS, AgencyType, USER_FIELD_READS, UserType, toAgencyType, toUserType } from '../agencies/agency.resolver';
import { EMPLOYER_FIELD_READS, EmployerType, toEmployerType } from '../employers/employer.resolver';
import { PROJECT_FIELD_READS, ProjectType, toProjectType } from '../projects/project.resolver';
import { REGION_FIELD_READS, RegionType, toRegionType } from '../regions/region.resolver';
import type { CaseOrder, CaseRelation, CaseRelations, RelatedRows, RelationProperties } from './case-list';
import { entryPayloadFor } from '../events/case-entry-view';
import { visibleEntries } from '../processes/process-visibility';
import { CaseComplainant, type CaseStatus } from './case.entity';
import { answerFor } from './intake.service';
import {
  AcceptCaseInput,
  AssignLeadInput,
  CASE_FIELD_READS,
  CaseConnection,
  CaseEventType,
  CaseFilter,
  CaseStatusLookupType,
  CaseType,
  ComplainantType,
  ContactType,
  IntakeComplaintInput,
  IntakeResultType,
  PaymentType,
  RecordComplainantIdentityInput,
  RecordContactInput,
  RecordPaymentInput,
  RecordViolationPeriodInput,
  RejectCaseInput,
  TransferCaseInput,
  toCaseEventType,
  toCaseType,
  toListedCaseType,
  toContactType,
  toPaymentType,
} from './case.types';

/** A case number: district, Beijing year, sequence (`110102-2026-000123`). */
const CASE_NUMBER = /^\d{6}-\d{4}-\d{6,9}$/;

/** What the complainant is told comes next, by status (public status lookup). */
const NEXT_STEP: Record<CaseStatus, string> = {
  RECEIVED: '已收到您的投诉，工作人员将尽快与您联系并决定是否受理。',
  ACCEPTED: '已受理，监察员将开展调查。',
  REJECTED: '不予受理，书面理由已告知，可咨询其他救济途径。',
  TRANSFERRED: '已移交有管辖权的部门办理。',
  IN_PROGRESS: '正在办理中，监察员将督促用人单位支付工资。',
  RESOLVED: '工资已支付，将进行回访。',
  CLOSED: '已办结。',
};

@Resolver(() => CaseType)
export class CaseResolver {
  constructor(
    private readonly caseService: CaseService,
    private readonly intake: IntakeService,
    private readonly caseStatusAttempts: CaseStatusAttempts,
  ) {}

  @Query(() => CaseType, { description: 'A case by id or number; NOT_FOUND if unknown' })
  async case(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { description: "The case's id (give this or `number`)", nullable: true }) id?: string,
    @Arg('number', () => String, { description: 'The case number (案件编号, e.g. 110102-2026-000123; give this or `id`)', nullable: true })
    number?: string,
  ): Promise<CaseType> {
    requireExactlyOne({ id, number });
    return toCaseType(id ? await this.caseService.byId(ctx, id) : await this.caseService.byNumber(ctx, number!));
  }

  @Query(() => [UserType], {
    description:
      '主办人候选: the inspectors who may be named the lead of a case (assignLead), of its owning agency first, then of the caller’s; for a caller who may assign the lead (FORBIDDEN otherwise, NOT_FOUND out of scope)',
  })
  async leadCandidates(
    @Ctx() ctx: RequestContext,
    @Arg('caseId', () => ID, { description: 'The case (案件) whose lead is to be named' }) caseId: string,
  ): Promise<UserType[]> {
    return (await this.caseService.leadCandidates(ctx, caseId)).map(toUserType);
  }

  @Query(() => CaseConnection, { description: 'Cases matching a filter, a page at a time (cursor connection)' })
  async cases(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => CaseFilter, { description: 'Conditions the cases must all meet', nullable: true }) filter?: CaseFilter,
    @Arg('orderBy', () => CaseOrderEnum, { description: 'Order of the cases by time received (default newest first)', nullable: true })
    orderBy?: CaseOrder,
    @Arg('first', () => Int, { description: 'Page size (default 50, at most 200)', nullable: true }) first?: number,
    @Arg('after', () => String, {
      description: 'Relay cursor: the `endCursor` of the previous page; the first page when omitted',
      nullable: true,
    })
    after?: string,
    @Info() info?: GraphQLResolveInfo,
  ): Promise<CaseConnection> {
    const list = this.caseService.list(ctx, filter ?? {});
    // The relations the document asks of each case are read with the page, in its statement, and handed to the
    // loaders the field resolvers below read them from: a page with its employers, projects, leads and regions is
    // one round trip to the database instead of one per relation.
    // The count too, when asked for.
    const asked = info ? selectedFields(info, ['edges', 'node']) : new Set<string>();
    const include = CASE_RELATIONS.filter((r) => asked.has(r));
    const withCount = !!info && selectedFields(info, []).has('totalCount');
    // Only the columns the document's fields read, of the cases and of each relation, where every field it asks of
    // them is one whose reads are known (`FieldReads`); otherwise whole rows.
    const properties = info ? propertiesRead(CASE_FIELD_READS, asked) : undefined;
    const relationProperties: RelationProperties = {};
    for (const r of include) {
      const read = info ? propertiesRead<string>(RELATION_FIELD_READS[r], selectedFields(info, ['edges', 'node', r])) : undefined;
      if (read) relationProperties[r] = read;
    }
    const page = await list.page({
      first: pageSize(first),
      after,
      order: orderBy ?? 'RECEIVED_AT_DESC',
      include,
      withCount,
      relationProperties,
      ...(properties ? { properties } : {}),
    });
    // Whole rows prime the request's loaders; partial ones stay with this page's cases (`listedRow`).
    primeLoaders(ctx, page.related, page.partial);
    const listed = page.partial.size ? { rows: page.related, partial: page.partial } : undefined;
    const connection = new CaseConnection();
    // Instances of CaseType: the field resolvers' @Root() then takes each as it is (type-graphql copies a plain object
    // into a new instance for every field resolver it runs).
    connection.edges = page.nodes.map((c) => {
      const node = properties ? toListedCaseType(c, asked) : Object.assign(new CaseType(), toCaseType(c));
      node.listed = listed;
      return { cursor: encodeCursor([c.receivedAt.toISOString(), c.id]), node };
    });
    connection.pageInfo = forwardPageInfo(
      connection.edges.map((e) => e.cursor),
      page.hasNextPage,
      after,
    );
    connection.count = () => list.count();
    return connection;
  }

  @Query(() => CaseStatusLookupType, {
    description: 'Public: a complainant looks up their case by number and the phone they gave. NOT_FOUND unless both match.',
  })
  async caseStatus(
    @Ctx() ctx: RequestContext,
    @Arg('number', { description: 'The case number the complainant was told (案件编号)' }) number: string,
    @Arg('phone', () => MobileScalar, { description: "The complainant's mobile number given at intake (11 digits)" }) phone: string,
  ): Promise<CaseStatusLookupType> {
    // Not a case number's shape: no case has it, and it is not kept as a key of the attempt counters.
    if (!CASE_NUMBER.test(number)) throw notFound('case', number.slice(0, 40));
    // Every lookup spends an attempt of the number and of the caller, on every transport (see CaseStatusAttempts).
    await this.caseStatusAttempts.spend(number, ctx.actor ? `user:${ctx.actor.userId}` : `address:${ctx.clientAddress ?? 'unknown'}`);
    const rows = await ctx.em
      .getConnection()
      .execute<Array<{ number: string; status: CaseStatus; received_at: Date; notice: string | null }>>(
        `select c.number, c.status, c.received_at, ${LATEST_NOTICE_SQL} as notice from wage_case c
        where c.number = ? and exists (select 1 from case_complainant cc join person p on p.id = cc.person_id where cc.case_id = c.id and p.mobile = ?)`,
        [number, phone],
      );
    // The same answer for an unknown number and a wrong phone: the lookup must not confirm that a case exists.
    const row = rows[0];
    if (!row) throw notFound('case', number);
    const c = { number: row.number, status: row.status, receivedAt: new Date(row.received_at) };
    return { number: c.number, status: c.status, nextStep: NEXT_STEP[c.status], receivedAt: c.receivedAt, notice: row.notice ?? null };
  }

  @Mutation(() => IntakeResultType, {
    description: '零门槛受理: take in a complaint with only a phone and a description. Idempotent; a repeat complaint joins the open case.',
  })
  async intakeComplaint(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'What intakeComplaint needs (see IntakeComplaintInput)' }) input: IntakeComplaintInput,
  ): Promise<IntakeResultType> {
    const answer = answerFor(await this.intake.intake(ctx, { ...input, amountClaimedFen: input.amountClaimed }));
    return { ...answer, case: answer.case && toCaseType(answer.case) };
  }

  @Mutation(() => CaseType, { description: 'Record a call or visit with the complainant (首日对接 counts the first one reached)' })
  async recordContact(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'What recordContact needs (see RecordContactInput)' }) input: RecordContactInput,
  ): Promise<CaseType> {
    return toCaseType(await this.caseService.recordContact(ctx, input));
  }

  @Mutation(() => CaseType, {
    description: 'Labour inspection records who a complainant is, after checking it; the case file notes which fields changed',
  })
  async recordComplainantIdentity(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'What recordComplainantIdentity needs (see RecordComplainantIdentityInput)' })
    input: RecordComplainantIdentityInput,
  ): Promise<CaseType> {
    return toCaseType(await this.caseService.recordComplainantIdentity(ctx, input));
  }

  @Mutation(() => CaseType, { description: '受理: accept a received case; the employer must be identified' })
  async acceptCase(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'What acceptCase needs (see AcceptCaseInput)' }) input: AcceptCaseInput,
  ): Promise<CaseType> {
    return toCaseType(await this.caseService.acceptCase(ctx, input));
  }

  @Mutation(() => CaseType, { description: '不予受理: reject a received case with a written reason' })
  async rejectCase(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'What rejectCase needs (see RejectCaseInput)' }) input: RejectCaseInput,
  ): Promise<CaseType> {
    return toCaseType(await this.caseService.rejectCase(ctx, input));
  }

  @Mutation(() => CaseType, {
    description:
      'Record the period of the violation (labour inspection caseworkers); the case then shows whether the two-year limit of 劳动保障监察条例 第二十条 has run out',
  })
  async recordViolationPeriod(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'What recordViolationPeriod needs (see RecordViolationPeriodInput)' }) input: RecordViolationPeriodInput,
  ): Promise<CaseType> {
    return toCaseType(await this.caseService.recordViolationPeriod(ctx, input));
  }

  @Mutation(() => CaseType, { description: '移交: transfer a case to the competent body' })
  async transferCase(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'What transferCase needs (see TransferCaseInput)' }) input: TransferCaseInput,
  ): Promise<CaseType> {
    return toCaseType(await this.caseService.transferCase(ctx, input));
  }

  @Mutation(() => CaseType, { description: '确定主办人: assign the lead inspector' })
  async assignLead(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'What assignLead needs (see AssignLeadInput)' }) input: AssignLeadInput,
  ): Promise<CaseType> {
    return toCaseType(await this.caseService.assignLead(ctx, input));
  }

  @Mutation(() => CaseType, {
    description:
      'Record wages paid, in total and per worker of the roster (allocations); resolves the case when every worker on the roster is paid or settled (without a roster: when all claimed is paid), or when settlesCase is set',
  })
  async recordPayment(
    @Ctx() ctx: RequestContext,
    @Arg('input', { description: 'What recordPayment needs (see RecordPaymentInput)' }) input: RecordPaymentInput,
  ): Promise<CaseType> {
    return toCaseType(
      await this.caseService.recordPayment(ctx, {
        ...input,
        amountFen: input.amount,
        allocations: input.allocations?.map((a) => ({ owedWorkerId: a.owedWorkerId, amountFen: a.amount })),
      }),
    );
  }

  @FieldResolver(() => RegionType, { description: 'The division (行政区划) the case belongs to' })
  async region(@Root() c: CaseType, @Ctx() ctx: RequestContext): Promise<RegionType> {
    return toRegionType((listedRow(c, 'region', c.regionCode) ?? (await ctx.loaders.region.load(c.regionCode)))!);
  }

  @FieldResolver(() => AgencyType, { description: 'The inspection agency that owns the case (首问负责)' })
  async owningAgency(@Root() c: CaseType, @Ctx() ctx: RequestContext): Promise<AgencyType> {
    return toAgencyType((listedRow(c, 'owningAgency', c.owningAgencyId) ?? (await ctx.loaders.agency.load(c.owningAgencyId)))!);
  }

  @FieldResolver(() => EmployerType, { description: 'The employer complained about (用人单位), once identified', nullable: true })
  async employer(@Root() c: CaseType, @Ctx() ctx: RequestContext): Promise<EmployerType | null> {
    const e = c.employerId ? (listedRow(c, 'employer', c.employerId) ?? (await ctx.loaders.employer.load(c.employerId))) : null;
    return e ? toEmployerType(e) : null;
  }

  @FieldResolver(() => ProjectType, { description: 'The project (工程项目) the wages were earned on, once identified', nullable: true })
  async project(@Root() c: CaseType, @Ctx() ctx: RequestContext): Promise<ProjectType | null> {
    const p = c.projectId ? (listedRow(c, 'project', c.projectId) ?? (await ctx.loaders.project.load(c.projectId))) : null;
    return p ? toProjectType(p) : null;
  }

  @FieldResolver(() => UserType, { nullable: true, description: '主办人: the lead inspector' })
  async leadInspector(@Root() c: CaseType, @Ctx() ctx: RequestContext): Promise<UserType | null> {
    const u = c.leadInspectorId
      ? (listedRow(c, 'leadInspector', c.leadInspectorId) ?? (await ctx.loaders.user.load(c.leadInspectorId)))
      : null;
    return u ? toUserType(u) : null;
  }

  @FieldResolver(() => [ComplainantType], {
    description: 'Everyone whose complaint is in this case (the first and those who joined); personal data masked outside HRSS',
  })
  async complainants(@Root() c: CaseType, @Ctx() ctx: RequestContext): Promise<ComplainantType[]> {
    const rows = await ctx.loaders.complainants.load(c.id);
    return rows.map((cc: CaseComplainant) => ({
      personId: cc.person,
      channel: cc.channel,
      channelRef: cc.channelRef ?? null,
      joinedAt: cc.joinedAt,
      statedName: cc.statedName ?? null,
      statedResidentId: cc.statedResidentId ?? null,
      identity: identityOnCase(rows.filter((r) => r.person === cc.person)),
    }));
  }

  @FieldResolver(() => [CaseEventType], { description: '案卷: the case file, oldest first' })
  async events(@Root() c: CaseType, @Ctx() ctx: RequestContext): Promise<CaseEventType[]> {
    return (await visibleEntries(ctx, c.id)).map((e) => ({ ...toCaseEventType(e), payload: entryPayloadFor(ctx.actor, e.payload) }));
  }

  @FieldResolver(() => [PaymentType], { description: 'The payments of wages recorded on the case, oldest first' })
  async payments(@Root() c: CaseType, @Ctx() ctx: RequestContext): Promise<PaymentType[]> {
    return (await ctx.loaders.payments.load(c.id)).map(toPaymentType);
  }

  @FieldResolver(() => [ContactType], { description: 'The contacts with the complainant (calls, visits, texts), oldest first' })
  async contacts(@Root() c: CaseType, @Ctx() ctx: RequestContext): Promise<ContactType[]> {
    return (await ctx.loaders.contacts.load(c.id)).map(toContactType);
  }
}

/** The relations of a case that the list reads with its page (`CaseList.page`'s `include`), by their field names. */
const CASE_RELATIONS: ReadonlyArray<CaseRelation> = ['employer', 'project', 'leadInspector', 'region', 'owningAgency'];

/**
 * The fields a document asks for at a path below this field (`['edges', 'node']`: of each case on a page), through
 * fragments. Directives are not read: a field under `@skip` still counts (it only costs a join or the count).
 */
function selectedFields(info: GraphQLResolveInfo, path: readonly string[]): Set<string> {
  const names = new Set<string>();
  const walk = (set: SelectionSetNode | undefined, rest: readonly string[]): void => {
    if (!set) return;
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        if (rest.length === 0) names.add(sel.name.value);
        else if (sel.name.value === rest[0]) walk(sel.selectionSet, rest.slice(1));
      } else if (sel.kind === Kind.INLINE_FRAGMENT) walk(sel.selectionSet, rest);
      else walk(info.fragments[sel.name.value]?.selectionSet, rest);
    }
  };
  for (const node of info.fieldNodes) walk(node.selectionSet, path);
  return names;
}

/** What each relation's fields read, by the relation's field name on Case. */
const RELATION_FIELD_READS: { [R in CaseRelation]: FieldReads<CaseRelations[R]> } = {
  employer: EMPLOYER_FIELD_READS,
  project: PROJECT_FIELD_READS,
  leadInspector: USER_FIELD_READS,
  region: REGION_FIELD_READS,
  owningAgency: AGENCY_FIELD_READS,
};

/**
 * The whole rows read with a page, given to the request's loaders: the field resolvers then find them without a
 * query. Partial rows are not: another field of the same request loading the same employer must get all of it.
 */
function primeLoaders(ctx: RequestContext, related: RelatedRows, partial: ReadonlySet<CaseRelation>): void {
  if (!partial.has('employer')) for (const [id, e] of related.employer) ctx.loaders.employer.prime(id, e);
  if (!partial.has('project')) for (const [id, p] of related.project) ctx.loaders.project.prime(id, p);
  if (!partial.has('leadInspector')) for (const [id, u] of related.leadInspector) ctx.loaders.user.prime(id, u);
  if (!partial.has('region')) for (const [code, r] of related.region) ctx.loaders.region.prime(code, r);
  if (!partial.has('owningAgency')) for (const [id, a] of related.owningAgency) ctx.loaders.agency.prime(id, a);
}

/** A relation's partial row that the case's list page read for the fields asked of it, if it did. */
function listedRow<R extends CaseRelation>(c: CaseType, relation: R, key: string): CaseRelations[R] | undefined {
  return c.listed?.partial.has(relation) ? c.listed.rows[relation].get(key) : undefined;
}

/**
 * Who a person is on one case, from this case's rows alone (never from the person record, which other agencies'
 * complaints share): what labour inspection established here, else what the person's first complaint here said.
 * A later complaint that joins (from anyone) keeps its statement to itself (`stated`): it renames no one.
 */
function identityOnCase(rows: CaseComplainant[]): { name: string | null; residentId: string | null } {
  const identified = rows.find((r) => r.identifiedName || r.identifiedResidentId);
  const first = rows[0];
  return {
    name: identified?.identifiedName ?? first?.statedName ?? null,
    residentId: identified?.identifiedResidentId ?? first?.statedResidentId ?? null,
  };
}
