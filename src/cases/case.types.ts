import { DateTimeResolver, GraphQLJSONObject } from 'graphql-scalars';
import { ArrayMaxSize, IsOptional, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { overdueDeadlines } from './overdue';
import { limitationOf } from './limitation';
import { isProvisionalDeadline } from '../domain/working-days';
import {
  CaseSectorEnum,
  CaseStatusEnum,
  ChannelEnum,
  ContactKindEnum,
  ContactOutcomeEnum,
  IntakeOutcomeEnum,
  PaymentSourceEnum,
} from '../api/enums';
import { PageInfo } from '../api/pagination';
import type { FieldReads } from '../api/field-reads';
import { DivisionCodeScalar, LocalDateScalar, MobileScalar, MoneyScalar, ResidentIdScalar } from '../api/scalars';
import { UsccScalar } from '../api/scalars/uscc.scalar';
import type { Channel } from '../rules/case-deadlines';
import type { CaseRelation, RelatedRows } from './case-list';
import type {
  CaseEvent,
  CaseRecord,
  CaseSector,
  CaseStatus,
  Contact,
  ContactKind,
  ContactOutcome,
  Payment,
  PaymentSource,
} from './case.entity';

@ObjectType('CaseDeadlines', {
  description: 'The clocks of a case (UTC instants; days counted in Beijing, working days per the State Council calendar)',
})
export class CaseDeadlinesType {
  @Field(() => DateTimeResolver, { description: '首日对接: contact the complainant by' })
  sameDayContact!: Date;

  @Field(() => DateTimeResolver, { description: 'accept or reject by (5 working days, or the channel’s stricter clock)' })
  acceptance!: Date;

  @Field(() => DateTimeResolver, {
    nullable: true,
    description: 'resolve by (60 working days from acceptance, or the channel’s stricter clock)',
  })
  resolution!: Date | null;

  @Field(() => DateTimeResolver, { nullable: true, description: 'resolve by, after the one 30-working-day extension' })
  resolutionExtended!: Date | null;

  @Field(() => [String], { description: 'Names of the deadlines that have passed with their step still open' })
  overdue!: string[];

  @Field({
    description:
      'Whether the same-day contact deadline is provisional: it falls past the last day of the loaded State Council holiday ' +
      'schedule, so it was counted on weekdays only and moves when that year is loaded',
  })
  sameDayContactProvisional!: boolean;

  @Field({
    description: 'Whether the acceptance deadline is provisional (past the loaded holiday schedule; exact once its year is loaded)',
  })
  acceptanceProvisional!: boolean;

  @Field({
    description: 'Whether the resolution deadline is provisional (past the loaded holiday schedule; exact once its year is loaded)',
  })
  resolutionProvisional!: boolean;

  @Field({
    description:
      'Whether the extended resolution deadline is provisional (past the loaded holiday schedule; exact once its year is loaded)',
  })
  resolutionExtendedProvisional!: boolean;

  @Field({
    description:
      'Whether any deadline shown here is provisional: counted across days whose State Council holiday schedule is not loaded yet ' +
      '(weekdays only); loading that year counts it again and moves the clock',
  })
  provisional!: boolean;
}

/** The deadlines as shown, each with whether it is provisional on the holiday calendar loaded now. */
function deadlinesOf(c: CaseRecord): CaseDeadlinesType {
  const provisional = (d: Date | null | undefined) => !!d && isProvisionalDeadline(d);
  const flags = {
    sameDayContactProvisional: provisional(c.sameDayContactDue),
    acceptanceProvisional: provisional(c.acceptanceDue),
    resolutionProvisional: provisional(c.resolutionDue),
    resolutionExtendedProvisional: provisional(c.resolutionExtendedDue),
  };
  return {
    sameDayContact: c.sameDayContactDue,
    acceptance: c.acceptanceDue,
    resolution: c.resolutionDue ?? null,
    resolutionExtended: c.resolutionExtendedDue ?? null,
    overdue: overdueDeadlines(c),
    ...flags,
    provisional: Object.values(flags).some(Boolean),
  };
}

@ObjectType('Complainant', { description: 'A complainant on a case, with the channel they came through' })
export class ComplainantType {
  personId!: string;

  /** What this complaint said of its complainant (shown through the resolver, masked as the person is). */
  statedName!: string | null;

  statedResidentId!: string | null;

  /** Who this person is on this case: what labour inspection established here, else what its complaints here said. */
  identity!: { name: string | null; residentId: string | null };

  @Field(() => ChannelEnum, { description: 'The channel (渠道) this complainant came through' })
  channel!: string;

  @Field(() => String, { description: "The channel's own reference for this complaint", nullable: true })
  channelRef!: string | null;

  @Field(() => DateTimeResolver, { description: 'When this complaint joined the case (UTC)' })
  joinedAt!: Date;
}

@ObjectType('CaseEvent', { description: '案卷记录: one entry of the append-only case file' })
export class CaseEventType {
  @Field(() => Int, { description: '1, 2, 3 … = the case version this entry produced' })
  seq!: number;

  @Field({ description: 'What happened: the entry type (e.g. ACCEPTED, PAYMENT_RECORDED)' })
  type!: string;

  @Field(() => DateTimeResolver, { description: 'When it happened (UTC)' })
  at!: Date;

  @Field(() => ID, { description: "The user who did it; null for the system (a clock, an integrator's event)", nullable: true })
  actorUserId!: string | null;

  @Field(() => ID, { description: 'The agency the actor acted for', nullable: true })
  actorAgencyId!: string | null;

  @Field(() => GraphQLJSONObject, { description: "The entry's details (personal data masked for callers outside HRSS)" })
  payload!: Record<string, unknown>;

  @Field(() => GraphQLJSONObject, { description: 'The changed fields before the change, for a change', nullable: true })
  before!: Record<string, unknown> | null;

  @Field(() => GraphQLJSONObject, { description: 'The changed fields after the change, for a change', nullable: true })
  after!: Record<string, unknown> | null;
}

@ObjectType('Payment', { description: 'Wages paid to the workers of a case' })
export class PaymentType {
  @Field(() => ID, { description: "The payment's id" })
  id!: string;

  @Field(() => MoneyScalar, { description: 'The amount paid, in fen (分; 100 fen = 1 yuan)' })
  amount!: number;

  @Field(() => Int, { description: 'How many workers this payment paid' })
  workersPaid!: number;

  @Field(() => LocalDateScalar, { description: 'The day it was paid (Asia/Shanghai)' })
  paidOn!: string;

  @Field({ description: 'Who paid (name of the employer, contractor or fund)' })
  payer!: string;

  @Field(() => PaymentSourceEnum, { description: 'Where the money came from (资金来源)' })
  source!: string;
}

@ObjectType('Contact', { description: 'A call, visit or message with the complainant' })
export class ContactType {
  @Field(() => ID, { description: "The contact's id" })
  id!: string;

  @Field(() => ContactKindEnum, { description: 'How the complainant was contacted (call, visit, text)' })
  kind!: string;

  @Field(() => ContactOutcomeEnum, { description: 'Whether the complainant was reached' })
  outcome!: string;

  @Field(() => String, { description: 'What was said or noted', nullable: true })
  notes!: string | null;

  @Field(() => DateTimeResolver, { description: 'When the contact took place (UTC)' })
  at!: Date;
}

@ObjectType('CaseLimitation', {
  description: '查处时效: the two-year limit on investigating the violation (劳动保障监察条例 第二十条), once its period is recorded',
})
export class CaseLimitationType {
  @Field({ description: 'True when the violation ended more than two years before the first complaint was received' })
  expired!: boolean;

  @Field({ description: 'The rule applied, in words' })
  rule!: string;

  @Field({ description: 'The rule’s legal source, with the article’s text' })
  source!: string;

  @Field(() => LocalDateScalar, { description: 'The Beijing date the violation began' })
  startedOn!: string;

  @Field(() => LocalDateScalar, { nullable: true, description: 'The Beijing date the violation ended; null while it continues' })
  endedOn!: string | null;

  @Field(() => LocalDateScalar, {
    nullable: true,
    description: 'The last day on which a complaint was in time (two years after endedOn); null while the violation continues',
  })
  lastDay!: string | null;

  @Field(() => LocalDateScalar, { description: 'The Beijing date the case’s first complaint was received' })
  firstComplaintOn!: string;
}

@ObjectType('Case', { description: '案件: a wage-arrears case' })
export class CaseType {
  @Field(() => ID, { description: "The case's id" })
  id!: string;

  @Field({ description: 'Division code, year and sequence, e.g. 110102-2026-000123' })
  number!: string;

  @Field(() => ChannelEnum, { description: 'The channel (渠道) the case first arrived through' })
  channel!: string;

  @Field(() => String, { description: "The channel's own reference for the complaint (e.g. the 12345 work-order number)", nullable: true })
  channelRef!: string | null;

  @Field(() => DateTimeResolver, { description: 'When the complaint was received (UTC; days and deadlines count in Asia/Shanghai)' })
  receivedAt!: Date;

  @Field(() => CaseStatusEnum, { description: 'Where the case is in its lifecycle (案件状态)' })
  status!: string;

  @Field(() => CaseSectorEnum, { description: 'Whether the case is in construction (工程建设领域) or another industry' })
  sector!: string;

  @Field(() => Int, { description: 'How many workers are owed wages, when known', nullable: true })
  workersAffected!: number | null;

  @Field(() => MoneyScalar, { description: 'The wages claimed, in fen (分; 100 fen = 1 yuan), when known', nullable: true })
  amountClaimed!: number | null;

  @Field(() => MoneyScalar, { description: "The wages recovered so far, in fen (分): the sum of the case's payments" })
  amountRecovered!: number;

  @Field(() => String, { nullable: true, description: 'The employer as the complainant named it, while not identified' })
  employerNameGiven!: string | null;

  @Field({ description: 'What the complainant described' })
  description!: string;

  @Field(() => DateTimeResolver, { description: 'When the complainant was first reached (首日对接), UTC', nullable: true })
  firstContactAt!: Date | null;

  @Field(() => DateTimeResolver, { description: 'When the case was accepted (受理), UTC', nullable: true })
  acceptedAt!: Date | null;

  @Field(() => DateTimeResolver, { description: 'When the case was resolved (wages paid), UTC', nullable: true })
  resolvedAt!: Date | null;

  @Field(() => DateTimeResolver, { nullable: true, description: '结案: when the closing report was approved and the case became CLOSED' })
  closedAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'Reason for rejection or transfer' })
  outcomeNote!: string | null;

  @Field(() => String, {
    description: 'The body the case was transferred to (arbitration, court, another city), when transferred',
    nullable: true,
  })
  transferredTo!: string | null;

  @Field(() => CaseDeadlinesType, { description: "The case's statutory deadlines (contact, acceptance, resolution)" })
  deadlines!: CaseDeadlinesType;

  @Field(() => CaseLimitationType, {
    nullable: true,
    description: 'The two-year limit on the violation (劳动保障监察条例 第二十条); null until the violation period is recorded',
  })
  limitation!: CaseLimitationType | null;

  @Field(() => Int, { description: 'Optimistic-lock version: send it back as expectedVersion' })
  version!: number;

  regionCode!: string;
  owningAgencyId!: string;
  employerId!: string | null;
  projectId!: string | null;
  leadInspectorId!: string | null;

  /**
   * On a list page: the relations the page read for some of their fields only, for its field resolvers (never given
   * to the request's loaders, src/cases/case.resolver.ts `listedRow`).
   */
  listed?: { rows: RelatedRows; partial: ReadonlySet<CaseRelation> };
}

/**
 * A case's stored fields, as read: a managed entity, or a list row mapped without one (making 50 managed
 * entities for a page cost more than the page's SQL).
 */

export function toCaseType(c: CaseRecord): CaseType {
  return { ...storedFieldsOf(c), deadlines: deadlinesOf(c), limitation: limitationOf(c) };
}

/**
 * A case on a list page read for some fields only (`CASE_FIELD_READS`): its stored fields, and of the derived ones
 * only those the document asks for (`asked`), since the columns the others derive from were not read.
 */
export function toListedCaseType(c: CaseRecord, asked: ReadonlySet<string>): CaseType {
  const node = Object.assign(new CaseType(), storedFieldsOf(c));
  if (asked.has('deadlines')) node.deadlines = deadlinesOf(c);
  if (asked.has('limitation')) node.limitation = limitationOf(c);
  return node;
}

/**
 * The stored properties each field of Case reads (its own value, or what its field resolver needs of the case), for
 * the case list, which reads only the columns its document asks for (src/cases/case-list.ts). A field not listed
 * (another module's field resolver, a field added later) makes the list read whole rows: a missing entry costs
 * speed, never an answer. `test/cases.test.ts` checks every entry against the case read whole.
 */
export const CASE_FIELD_READS: FieldReads<CaseRecord> = new Map<string, Array<keyof CaseRecord & string>>([
  ['__typename', []],
  ['id', ['id']],
  ['number', ['number']],
  ['channel', ['channel']],
  ['channelRef', ['channelRef']],
  ['receivedAt', ['receivedAt']],
  ['status', ['status']],
  ['sector', ['sector']],
  ['workersAffected', ['workersAffected']],
  ['amountClaimed', ['amountClaimedFen']],
  ['amountRecovered', ['amountRecoveredFen']],
  ['employerNameGiven', ['employerNameGiven']],
  ['description', ['description']],
  ['firstContactAt', ['firstContactAt']],
  ['acceptedAt', ['acceptedAt']],
  ['resolvedAt', ['resolvedAt']],
  ['closedAt', ['closedAt']],
  ['outcomeNote', ['outcomeNote']],
  ['transferredTo', ['transferredTo']],
  // deadlinesOf: the four dues, the first contact (which ends the first) and the status (what is overdue).
  ['deadlines', ['status', 'sameDayContactDue', 'firstContactAt', 'acceptanceDue', 'resolutionDue', 'resolutionExtendedDue']],
  ['limitation', ['violationStartedOn', 'violationEndedOn', 'receivedAt']],
  ['version', ['version']],
  // The field resolvers of src/cases/case.resolver.ts: the key each loads by.
  ['region', ['region']],
  ['owningAgency', ['owningAgency']],
  ['employer', ['employer']],
  ['project', ['project']],
  ['leadInspector', ['leadInspector']],
  ['complainants', ['id']],
  ['events', ['id']],
  ['payments', ['id']],
  ['contacts', ['id']],
]);

/** A case's stored fields as the API shows them (what `toCaseType` adds is derived from several of them). */
function storedFieldsOf(c: CaseRecord): Omit<CaseType, 'deadlines' | 'limitation'> {
  return {
    id: c.id,
    number: c.number,
    channel: c.channel,
    channelRef: c.channelRef ?? null,
    receivedAt: c.receivedAt,
    status: c.status,
    sector: c.sector,
    workersAffected: c.workersAffected ?? null,
    amountClaimed: c.amountClaimedFen ?? null,
    amountRecovered: c.amountRecoveredFen,
    employerNameGiven: c.employerNameGiven ?? null,
    description: c.description,
    firstContactAt: c.firstContactAt ?? null,
    acceptedAt: c.acceptedAt ?? null,
    resolvedAt: c.resolvedAt ?? null,
    closedAt: c.closedAt ?? null,
    outcomeNote: c.outcomeNote ?? null,
    transferredTo: c.transferredTo ?? null,
    version: c.version,
    regionCode: c.region,
    owningAgencyId: c.owningAgency,
    employerId: c.employer ?? null,
    projectId: c.project ?? null,
    leadInspectorId: c.leadInspector ?? null,
  };
}

export function toCaseEventType(e: CaseEvent): CaseEventType {
  return {
    seq: e.seq,
    type: e.type,
    at: e.at,
    actorUserId: e.actorUserId ?? null,
    actorAgencyId: e.actorAgencyId ?? null,
    payload: e.payload,
    before: e.before ?? null,
    after: e.after ?? null,
  };
}

export function toPaymentType(p: Payment): PaymentType {
  return { id: p.id, amount: p.amountFen, workersPaid: p.workersPaid, paidOn: p.paidOn, payer: p.payer, source: p.source };
}

export function toContactType(c: Contact): ContactType {
  return { id: c.id, kind: c.kind, outcome: c.outcome, notes: c.notes ?? null, at: c.at };
}

@ObjectType('CaseEdge', { description: 'A case on a page, with its cursor' })
export class CaseEdge {
  @Field({ description: "This case's place in the list: pass it as `after` to continue after it" })
  cursor!: string;

  @Field(() => CaseType, { description: 'The case' })
  node!: CaseType;
}

@ObjectType('CaseConnection', { description: 'A page of cases (Relay cursor connection)' })
export class CaseConnection {
  @Field(() => [CaseEdge], { description: 'The cases on this page, each with its cursor' })
  edges!: CaseEdge[];

  @Field(() => PageInfo, { description: 'Where this page is in the whole list' })
  pageInfo!: PageInfo;

  /** Counted only when asked for: the count is the expensive part of a large list. */
  count!: () => Promise<number>;

  @Field(() => Int, { description: 'All cases matching the filter' })
  totalCount(): Promise<number> {
    return this.count();
  }
}

@ObjectType('InputWarning', {
  description: 'Something in the input that was not used, with the field and rule, though the request succeeded',
})
export class InputWarningType {
  @Field({ description: 'The input field the warning is about' })
  field!: string;

  @Field({ description: 'The rule it breaks (e.g. project.known)' })
  rule!: string;

  @Field({ description: 'What a person should know, in words' })
  message!: string;
}

@ObjectType('IntakeResult', { description: 'What intake did with the complaint' })
export class IntakeResultType {
  @Field(() => IntakeOutcomeEnum, {
    description: 'Whether a new case was opened, the request was a repeat, or the complaint joined an open case',
  })
  outcome!: string;

  @Field(() => CaseType, {
    nullable: true,
    description:
      'The case, when the caller may read it. A replay or a repeat complaint that lands on another agency’s case answers null here: caseNumber and owningAgency say whom to hand the complainant to (首问负责).',
  })
  case!: CaseType | null;

  @Field({ description: 'The number of the case the complaint was taken into' })
  caseNumber!: string;

  owningAgencyId!: string;

  @Field(() => [InputWarningType], { description: 'Codes given that name nothing known (the complaint is taken in without them)' })
  warnings!: InputWarningType[];
}

@ObjectType('CaseStatusLookup', { description: 'What a complainant may learn of their case: its status and next step, nothing personal' })
export class CaseStatusLookupType {
  @Field({ description: 'The case number (案件编号)' })
  number!: string;

  @Field(() => CaseStatusEnum, { description: 'Where the case is (案件状态)' })
  status!: string;

  @Field({ description: 'The next step, in words for the complainant' })
  nextStep!: string;

  @Field(() => DateTimeResolver, { description: 'When the complaint was received (UTC)' })
  receivedAt!: Date;

  @Field(() => String, {
    nullable: true,
    description: '告知: the latest notice to the complainant (accepted, resolved, closed, callback), in Chinese',
  })
  notice!: string | null;
}

@InputType({ description: 'Conditions on the cases listed; all given must hold' })
export class CaseFilter {
  @Field(() => [CaseStatusEnum], { description: 'Only cases in one of these statuses', nullable: true })
  statuses?: CaseStatus[];

  @Field(() => [ChannelEnum], { description: 'Only cases that arrived through one of these channels', nullable: true })
  channels?: Channel[];

  @Field(() => DivisionCodeScalar, { nullable: true, description: 'This region and every region below it' })
  regionCode?: string;

  @Field(() => ID, { nullable: true, description: 'The owning inspection agency' })
  agencyId?: string;

  @Field(() => ID, { description: 'Only cases against this employer', nullable: true })
  employerId?: string;

  @Field(() => ID, { description: 'Only cases on this project', nullable: true })
  projectId?: string;

  @Field(() => DateTimeResolver, { description: 'Only cases received at or after this instant', nullable: true })
  receivedFrom?: Date;

  @Field(() => DateTimeResolver, { description: 'Only cases received before this instant', nullable: true })
  receivedTo?: Date;

  @Field({ nullable: true, description: 'Only cases with (true) or without (false) a passed deadline on an open step' })
  overdue?: boolean;

  @Field({ nullable: true, description: 'Words in the description, the employer’s name or a complainant’s name' })
  @MaxLength(100, { message: 'must be at most 100 characters' })
  text?: string;
}

@InputType({
  description: 'A complaint (投诉) to take in. Zero threshold (零门槛): a way to reach the complainant and a description suffice',
})
export class IntakeComplaintInput {
  @Field(() => ChannelEnum, { description: 'The channel (渠道) the complaint arrived through' })
  channel!: Channel;

  @Field(() => String, { nullable: true, description: 'The channel’s own reference: the same reference twice returns the same case' })
  @MaxLength(100, { message: 'must be at most 100 characters' })
  channelRef?: string;

  @Field(() => String, { nullable: true, description: 'A client-chosen key: retrying with it never opens a second case' })
  @MaxLength(100, { message: 'must be at most 100 characters' })
  idempotencyKey?: string;

  @Field(() => DateTimeResolver, { nullable: true, description: 'When the channel received it; now if omitted' })
  receivedAt?: Date;

  @Field(() => MobileScalar, { description: 'A way to reach the complainant (required: zero threshold)' })
  contactPhone!: string;

  @Field(() => String, { description: "The complainant's name, when given", nullable: true })
  @MaxLength(100, { message: 'must be at most 100 characters' })
  complainantName?: string;

  @Field(() => ResidentIdScalar, {
    description: "The complainant's resident ID number (18 characters with a check character), when given",
    nullable: true,
  })
  complainantResidentId?: string;

  @Field({ description: 'What happened, in the complainant’s words (required: zero threshold)' })
  @MinLength(2, { message: 'must be at least 2 characters' })
  @MaxLength(5000, { message: 'must be at most 5000 characters' })
  description!: string;

  @Field(() => UsccScalar, { description: "The employer's USCC (统一社会信用代码), when known", nullable: true })
  employerUscc?: string;

  @Field(() => String, { nullable: true, description: 'The employer as named by the complainant' })
  @MaxLength(200, { message: 'must be at most 200 characters' })
  employerName?: string;

  @Field(() => String, { description: "The project's code, when known", nullable: true })
  @MaxLength(64, { message: 'must be at most 64 characters' })
  projectCode?: string;

  @Field(() => DivisionCodeScalar, { nullable: true, description: 'Where; needed when no known project or employer locates the case' })
  regionCode?: string;

  @Field(() => CaseSectorEnum, { description: 'Construction (工程建设领域) or another industry', nullable: true })
  sector?: CaseSector;

  @Field(() => Int, { description: 'How many workers are owed, when known', nullable: true })
  @IsOptional()
  @Min(1, { message: 'must be at least 1' })
  @Max(100_000, { message: 'must be at most 100,000' })
  workersAffected?: number;

  @Field(() => MoneyScalar, { description: 'The wages owed, in fen (分), when known', nullable: true })
  amountClaimed?: number;

  @Field(() => LocalDateScalar, {
    nullable: true,
    description:
      'When the wages began to be owed, as the complaint says (欠薪起始日期, a Beijing date): recorded as the violation period of a new case',
  })
  violationStartedOn?: string | null;

  @Field(() => LocalDateScalar, {
    nullable: true,
    description:
      'When the arrears ended (欠薪终止日期), if they have; with violationStartedOn. Ended more than two years before the complaint: a warning limitation.expired (查处时效, 劳动保障监察条例 第二十条)',
  })
  violationEndedOn?: string | null;
}

@InputType()
export class CaseRefInput {
  @Field(() => ID, { description: 'The case (案件) it concerns' })
  caseId!: string;

  @Field(() => Int, { nullable: true, description: 'The version last seen; CONFLICT if the case has changed since' })
  expectedVersion?: number;
}

@InputType({ description: 'A contact with the complainant (首日对接 and later)' })
export class RecordContactInput extends CaseRefInput {
  @Field(() => ContactKindEnum, { description: 'How the complainant was contacted' })
  kind!: ContactKind;

  @Field(() => ContactOutcomeEnum, { description: 'Whether they were reached' })
  outcome!: ContactOutcome;

  @Field(() => DateTimeResolver, { description: 'When (UTC); now when omitted', nullable: true })
  at?: Date;

  @Field(() => String, { description: 'What was said', nullable: true })
  @MaxLength(2000, { message: 'must be at most 2000 characters' })
  notes?: string;
}

@InputType({ description: 'Acceptance of a case (受理)' })
export class AcceptCaseInput extends CaseRefInput {
  @Field(() => UsccScalar, { nullable: true, description: 'Identify the employer now, if not yet' })
  employerUscc?: string;

  @Field(() => String, { description: 'The project the wages were earned on, when identified', nullable: true })
  projectCode?: string;
}

@InputType({ description: 'Refusal to accept a case (不予受理), in writing' })
export class RejectCaseInput extends CaseRefInput {
  @Field({ description: 'The written reason given to the complainant' })
  @MinLength(4, { message: 'must be at least 4 characters' })
  @MaxLength(2000, { message: 'must be at most 2000 characters' })
  reason!: string;
}

@InputType({ description: 'The period of the violation, as the caseworker established it' })
export class RecordViolationPeriodInput extends CaseRefInput {
  @Field(() => LocalDateScalar, { description: 'The Beijing date the violation began (or occurred, for a single act)' })
  startedOn!: string;

  @Field(() => LocalDateScalar, {
    nullable: true,
    description: 'The Beijing date the violation ended (the same as startedOn for a single act); omit while it continues',
  })
  endedOn?: string | null;
}

@InputType({ description: 'Transfer of a case to the competent body (移交)' })
export class TransferCaseInput extends CaseRefInput {
  @Field({ description: 'The competent body: arbitration commission, court, another city …' })
  @MinLength(2, { message: 'must be at least 2 characters' })
  @MaxLength(200, { message: 'must be at most 200 characters' })
  to!: string;

  @Field({ description: 'Why, and to which competent body (arbitration, court, another city)' })
  @MinLength(4, { message: 'must be at least 4 characters' })
  @MaxLength(2000, { message: 'must be at most 2000 characters' })
  reason!: string;
}

@InputType({ description: "The complainant's identity, recorded after intake" })
export class RecordComplainantIdentityInput extends CaseRefInput {
  @Field(() => ID, { description: 'The complainant (a person on this case)' })
  personId!: string;

  @Field(() => String, { description: "The complainant's name", nullable: true })
  @IsOptional()
  @MinLength(1, { message: 'must not be empty' })
  @MaxLength(100, { message: 'must be at most 100 characters' })
  name?: string;

  @Field(() => ResidentIdScalar, {
    description: "The complainant's resident ID number (18 characters with a check character)",
    nullable: true,
  })
  residentId?: string;
}

@InputType({ description: 'The inspector who leads a case (主办人)' })
export class AssignLeadInput extends CaseRefInput {
  @Field(() => ID, { description: 'The inspector who leads the case (主办人)' })
  inspectorId!: string;
}

@InputType({ description: 'The part of a payment that reached one worker of the case’s roster of owed workers' })
export class PaymentAllocationInput {
  @Field(() => ID, { description: 'The line of the roster (OwedWorker.id)' })
  owedWorkerId!: string;

  @Field(() => MoneyScalar, { description: 'What this worker was paid of the payment, in fen' })
  @Min(1, { message: 'must be at least 1 fen' })
  amount!: number;
}

@InputType({ description: 'A payment of owed wages' })
export class RecordPaymentInput extends CaseRefInput {
  @Field(() => MoneyScalar, { description: 'The amount paid, in fen (分; 100 fen = 1 yuan)' })
  @Min(1, { message: 'must be at least 1 fen' })
  amount!: number;

  @Field(() => Int, { description: 'How many workers it paid' })
  @Min(1, { message: 'must be at least 1' })
  @Max(100_000, { message: 'must be at most 100,000' })
  workersPaid!: number;

  @Field(() => LocalDateScalar, { description: 'The day it was paid (Asia/Shanghai)' })
  paidOn!: string;

  @Field({ description: 'Who paid' })
  @MinLength(2, { message: 'must be at least 2 characters' })
  @MaxLength(200, { message: 'must be at most 200 characters' })
  payer!: string;

  @Field(() => PaymentSourceEnum, { description: 'Where the money came from (资金来源)' })
  source!: PaymentSource;

  @Field({ nullable: true, description: 'Resolve the case with this payment even if less than claimed was paid' })
  settlesCase?: boolean;

  @Field(() => [PaymentAllocationInput], {
    nullable: true,
    description:
      '工资发放到人: what of the amount reached each worker of the case’s roster. The parts add up to the amount, one per worker, as many as workersPaid, none past what the worker is still owed; at most 100 parts (a larger payroll is recorded as several payments)',
  })
  @IsOptional()
  @ValidateNested({ each: true })
  @ArrayMaxSize(100, { message: 'must have at most 100 parts: record a larger payroll as several payments' })
  allocations?: PaymentAllocationInput[];
}
