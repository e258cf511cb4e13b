import { randomUUID } from 'node:crypto';
import { BigIntType, Entity, Enum, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Agency, User } from '../agencies/agency.entity';
import { Employer } from '../employers/employer.entity';
import { Person } from '../people/person.entity';
import { Project } from '../projects/project.entity';
import { Region } from '../regions/region.entity';
import type { Channel } from '../rules/case-deadlines';

export const CHANNELS: Channel[] = [
  'HOTLINE_12345',
  'HOTLINE_12333',
  'NATIONAL_PLATFORM',
  'PROVINCIAL_SYSTEM',
  'QR_FORM',
  'WALK_IN',
  'GRID_PATROL',
  'POLICE_ALERT',
];
export const CASE_STATUSES = ['RECEIVED', 'ACCEPTED', 'REJECTED', 'TRANSFERRED', 'IN_PROGRESS', 'RESOLVED', 'CLOSED'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export type CaseSector = 'CONSTRUCTION' | 'OTHER';

/** A wage-arrears case (案件): one file, one timeline. Table `wage_case`, as CASE is an SQL keyword. */
@Entity({ tableName: 'wage_case' })
export class Case {
  [OptionalProps]?: 'id' | 'version' | 'status' | 'amountRecoveredFen' | 'createdAt' | 'updatedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** Human-readable number: district division code, year, sequence: 110102-2026-000123. */
  @Property({ type: 'string', length: 24, unique: true })
  number!: string;

  @Enum({ items: () => CHANNELS })
  channel!: Channel;

  /** The channel's own reference (hotline ticket number …); unique per channel. */
  @Property({ type: 'string', length: 100, nullable: true })
  channelRef?: string;

  /** A client's key for retrying an intake; unique per agency that sent it (idempotencyAgencyId). */
  @Property({ type: 'string', length: 100, nullable: true })
  idempotencyKey?: string;

  @Property({ type: 'uuid', nullable: true })
  idempotencyAgencyId?: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  receivedAt!: Date;

  @Enum({ items: () => [...CASE_STATUSES] })
  status: CaseStatus = 'RECEIVED';

  @Enum({ items: ['CONSTRUCTION', 'OTHER'] })
  sector!: CaseSector;

  @ManyToOne(() => Region, { mapToPk: true, fieldName: 'region_code' })
  region!: string;

  /** The HRSS inspection agency that owns the case (first-contact responsibility). */
  @ManyToOne(() => Agency, { mapToPk: true })
  owningAgency!: string;

  @ManyToOne(() => Person, { mapToPk: true })
  primaryComplainant!: string;

  @Property({ type: 'integer', nullable: true })
  workersAffected?: number;

  @Property({ type: new BigIntType('number'), nullable: true })
  amountClaimedFen?: number;

  @Property({ type: new BigIntType('number') })
  amountRecoveredFen: number = 0;

  @ManyToOne(() => Employer, { mapToPk: true, nullable: true })
  employer?: string;

  /** As the complainant named it when the employer is not identified yet. */
  @Property({ type: 'string', length: 200, nullable: true })
  employerNameGiven?: string;

  @ManyToOne(() => Project, { mapToPk: true, nullable: true })
  project?: string;

  @Property({ type: 'text' })
  description!: string;

  @ManyToOne(() => User, { mapToPk: true, nullable: true })
  leadInspector?: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  sameDayContactDue!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  firstContactAt?: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  acceptanceDue!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  acceptedAt?: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  resolutionDue?: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  resolutionExtendedDue?: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  resolvedAt?: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  closedAt?: Date;

  /** Why it was rejected, or to whom and why it was transferred. */
  @Property({ type: 'text', nullable: true })
  outcomeNote?: string;

  @Property({ type: 'string', length: 200, nullable: true })
  transferredTo?: string;

  /** The Beijing date the violation began, as the caseworker established it (劳动保障监察条例 第二十条). */
  @Property({ type: 'date', nullable: true })
  violationStartedOn?: string;

  /** The Beijing date the violation ended; null while it continues. Its two-year limit counts from this day. */
  @Property({ type: 'date', nullable: true })
  violationEndedOn?: string;

  @Property({ type: 'integer', version: true })
  version: number = 1;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}

/** One arrival of a complaint on a case: the first, and each repeat that joined it (another channel, another day). */
@Entity({ tableName: 'case_complainant' })
export class CaseComplainant {
  [OptionalProps]?: 'id' | 'joinedAt';

  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @ManyToOne(() => Case, { mapToPk: true, fieldName: 'case_id' })
  case!: string;

  @ManyToOne(() => Person, { mapToPk: true, fieldName: 'person_id' })
  person!: string;

  @Enum({ items: () => CHANNELS })
  channel!: Channel;

  @Property({ type: 'string', length: 100, nullable: true })
  channelRef?: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  joinedAt: Date = new Date();

  /** What this complaint said of its complainant: kept with it, never written over the person (the phone's link). */
  @Property({ type: 'string', length: 100, nullable: true })
  statedName?: string;

  @Property({ type: 'string', length: 18, nullable: true })
  statedResidentId?: string;

  /** What labour inspection established on this case (recordComplainantIdentity); shown before what was stated. */
  @Property({ type: 'string', length: 100, nullable: true })
  identifiedName?: string;

  @Property({ type: 'string', length: 18, nullable: true })
  identifiedResidentId?: string;
}

export type CaseEventType =
  | 'RECEIVED'
  | 'COMPLAINANT_JOINED'
  | 'COMPLAINANT_IDENTIFIED'
  | 'CONTACT_RECORDED'
  | 'ACCEPTED'
  | 'REJECTED'
  | 'TRANSFERRED'
  | 'LEAD_ASSIGNED'
  | 'PAYMENT_RECORDED'
  | 'OWED_WORKER_ADDED'
  | 'OWED_WORKER_CORRECTED'
  | 'OWED_WORKER_REMOVED'
  | 'RESOLVED'
  | 'CLOSED'
  | 'ESCALATED'
  | 'RESOLUTION_EXTENDED'
  | 'CLOSING_REPORT_SUBMITTED'
  | 'NOTICE'
  | 'VIOLATION_PERIOD_RECORDED'
  /** Provisional deadlines counted again when a year of the holiday calendar was loaded. */
  | 'DEADLINES_RECOUNTED'
  | ProcessEventType;

/** Entries the cross-agency processes write into the case file. */
export type ProcessEventType =
  | 'DISPATCH_REQUESTED'
  | 'DISPATCH_SENT'
  | 'DISPATCH_ACKNOWLEDGED'
  | 'DISPATCH_REPORTED'
  | 'DISPATCH_ENDED'
  | 'REFERRAL_PROPOSED'
  | 'REFERRAL_SUBMITTED_FOR_APPROVAL'
  | 'REFERRAL_APPROVED'
  | 'REFERRAL_REFUSED'
  | 'REFERRAL_SENT'
  | 'REFERRAL_DECIDED'
  | 'RECONSIDERATION_REQUESTED'
  | 'RECONSIDERATION_DECIDED'
  | 'RECONSIDERATION_WINDOW_CLOSED'
  | 'SUPERVISION_REQUESTED'
  | 'CRIMINAL_OUTCOME_RECORDED'
  | 'REFERRAL_CLOSED'
  | 'BLACKLIST_PATH_OPENED'
  | 'MEDIATION_CONVENED'
  | 'MEDIATION_INVITATIONS_SENT'
  | 'MEDIATION_ATTENDANCE_CONFIRMED'
  | 'MEDIATION_SESSION_RECORDED'
  | 'MEDIATION_AGREEMENT_RECORDED'
  | 'INSTALMENT_PAID'
  | 'MEDIATION_ENDED'
  | 'CALLBACK_SCHEDULED'
  | 'CALLBACK_ATTEMPTED'
  | 'CALLBACK_RECORDED'
  | 'CALLBACK_REVIEW_OPENED'
  | 'CALLBACK_REVIEWED';

/** The case file (档案): append-only; the database refuses UPDATE and DELETE on this table. */
@Entity({ tableName: 'case_event' })
export class CaseEvent {
  [OptionalProps]?: 'id' | 'at';

  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @ManyToOne(() => Case, { mapToPk: true, fieldName: 'case_id' })
  case!: string;

  /** 1, 2, 3 … within the case. */
  @Property({ type: 'integer' })
  seq!: number;

  @Property({ type: 'string', length: 40 })
  type!: CaseEventType;

  @Property({ type: 'uuid', nullable: true })
  actorUserId?: string;

  @Property({ type: 'uuid', nullable: true })
  actorAgencyId?: string;

  /** What wrote it: the GraphQL mutation, or `workflow:<step>` for a step a workflow recorded. */
  @Property({ type: 'string', length: 80, nullable: true })
  operation?: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  at: Date = new Date();

  @Property({ type: 'json' })
  payload: Record<string, unknown> = {};

  @Property({ type: 'json', nullable: true })
  before?: Record<string, unknown>;

  @Property({ type: 'json', nullable: true })
  after?: Record<string, unknown>;
}

export type PaymentSource = 'EMPLOYER' | 'GENERAL_CONTRACTOR' | 'CONSTRUCTION_UNIT' | 'WAGE_DEPOSIT' | 'WAGE_ACCOUNT' | 'OTHER';

/** Wages paid to the workers of a case. */
@Entity({ tableName: 'payment' })
export class Payment {
  [OptionalProps]?: 'id' | 'recordedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Case, { mapToPk: true, fieldName: 'case_id' })
  case!: string;

  @Property({ type: new BigIntType('number') })
  amountFen!: number;

  @Property({ type: 'integer' })
  workersPaid!: number;

  /** The Beijing date the money reached the workers. */
  @Property({ type: 'date' })
  paidOn!: string;

  @Property({ type: 'string', length: 200 })
  payer!: string;

  @Enum({ items: ['EMPLOYER', 'GENERAL_CONTRACTOR', 'CONSTRUCTION_UNIT', 'WAGE_DEPOSIT', 'WAGE_ACCOUNT', 'OTHER'] })
  source!: PaymentSource;

  @Property({ type: 'uuid', nullable: true })
  recordedBy?: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  recordedAt: Date = new Date();
}

export type ContactKind = 'CALL' | 'VISIT' | 'SMS';
export type ContactOutcome = 'REACHED' | 'NO_ANSWER' | 'WRONG_NUMBER' | 'CALLBACK_REQUESTED';

/** A call or visit with a complainant. */
@Entity({ tableName: 'contact' })
export class Contact {
  [OptionalProps]?: 'id';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Case, { mapToPk: true, fieldName: 'case_id' })
  case!: string;

  @ManyToOne(() => Person, { mapToPk: true, nullable: true })
  person?: string;

  @Enum({ items: ['CALL', 'VISIT', 'SMS'] })
  kind!: ContactKind;

  @Enum({ items: ['REACHED', 'NO_ANSWER', 'WRONG_NUMBER', 'CALLBACK_REQUESTED'] })
  outcome!: ContactOutcome;

  @Property({ type: 'text', nullable: true })
  notes?: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  at!: Date;

  @Property({ type: 'uuid', nullable: true })
  recordedBy?: string;
}

/** A case row as a plain record (mapped from SQL without the ORM's identity map): what the API shows. */
export type CaseRecord = Omit<Case, typeof OptionalProps> &
  Pick<Case, 'id' | 'version' | 'status' | 'amountRecoveredFen' | 'createdAt' | 'updatedAt'>;
