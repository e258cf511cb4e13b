import { randomUUID } from 'node:crypto';
import { BigIntType, Entity, Enum, ManyToOne, OptionalProps, PrimaryKey, PrimaryKeyProp, Property } from '@mikro-orm/core';
import { Agency, User } from '../agencies/agency.entity';
import { Case } from '../cases/case.entity';

/** A process's kind: one of the registry's definitions (src/processes/registry.ts). */
export type ProcessKind = string;

/** What a police referral records besides its status (移送 file facts). */
export interface ReferralFacts {
  team?: string[];
  policeAgencyId?: string;
  grounds?: string;
  orderToPayIssuedOn?: string;
  orderToPayDueOn?: string;
  approvedBy?: string;
  approvedAt?: string;
  sentAt?: string;
  decision?: 'FILED' | 'DECLINED';
  decisionReasons?: string;
  decidedAt?: string;
  reconsiderationRequestedAt?: string;
  reconsiderationDecision?: 'FILED' | 'UPHELD';
  reconsiderationReasons?: string;
  supervisionRequestedAt?: string;
  procuratorateAgencyId?: string;
  criminalOutcome?: string;
}

export interface MediationFacts {
  sessions?: Array<{ heldAt: string; summary: string; attendeePartyIds: string[] }>;
  agreedAt?: string;
}

export type ProcessFacts = ReferralFacts & MediationFacts;

/**
 * One cross-agency process on a case: a three-way dispatch, a police referral or a joint mediation. Its workflow
 * (id `workflowId`) holds the clock; this row holds where it stands, for the dashboards.
 */
@Entity({ tableName: 'case_process' })
export class CaseProcess {
  [OptionalProps]?: 'id' | 'facts' | 'startedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Case, { mapToPk: true, fieldName: 'case_id' })
  case!: string;

  @Property({ type: 'text' })
  kind!: ProcessKind;

  @Property({ type: 'string', unique: true })
  workflowId!: string;

  @Property({ type: 'string', length: 40 })
  status!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  startedAt: Date = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  endedAt?: Date;

  @Property({ type: 'string', length: 40, nullable: true })
  outcome?: string;

  /** The deadline of the step the process waits on now. */
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  dueAt?: Date;

  @Property({ type: 'string', length: 40, nullable: true })
  waitingOn?: string;

  @Property({ type: 'json' })
  facts: ProcessFacts = {};

  @ManyToOne(() => User, { mapToPk: true, nullable: true, fieldName: 'started_by' })
  startedBy?: string;
}

export type PartyStatus = 'SENT' | 'ACKNOWLEDGED' | 'REPORTED' | 'OVERDUE' | 'INVITED' | 'CONFIRMED';

/** A recipient of a dispatch or an invitee of a mediation, with its own status and deadlines. */
@Entity({ tableName: 'process_party' })
export class ProcessParty {
  [OptionalProps]?: 'id';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => CaseProcess, { mapToPk: true, fieldName: 'process_id' })
  process!: string;

  /** DISTRICT_GOVERNMENT, INDUSTRY_REGULATOR, CONTRACTOR_HQ; or a mediation party/agency role. */
  @Property({ type: 'string', length: 40 })
  role!: string;

  @ManyToOne(() => Agency, { mapToPk: true, nullable: true, fieldName: 'agency_id' })
  agency?: string;

  @Property({ type: 'string', length: 200 })
  name!: string;

  @Property({ type: 'string', length: 20 })
  status!: PartyStatus;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  acknowledgeDue?: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  reportDue?: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  acknowledgedAt?: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  reportedAt?: Date;

  @Property({ type: 'text', nullable: true })
  report?: string;

  @Property({ type: 'string', length: 40, nullable: true })
  escalationLevel?: string;
}

export type InstalmentStatus = 'PENDING' | 'PAID' | 'MISSED';

/** One payment of a mediation agreement's plan, checked on its due date. */
@Entity({ tableName: 'process_instalment' })
export class ProcessInstalment {
  [PrimaryKeyProp]?: ['process', 'seq'];
  [OptionalProps]?: 'status';

  @ManyToOne(() => CaseProcess, { mapToPk: true, primary: true, fieldName: 'process_id' })
  process!: string;

  @PrimaryKey({ type: 'integer' })
  seq!: number;

  @Property({ type: 'date' })
  dueOn!: string;

  @Property({ type: new BigIntType('number') })
  amountFen!: number;

  @Enum({ items: ['PENDING', 'PAID', 'MISSED'] })
  status: InstalmentStatus = 'PENDING';

  @Property({ type: 'date', nullable: true })
  paidOn?: string;
}
