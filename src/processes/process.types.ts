import { MaxLength, MinLength } from 'class-validator';
import { GraphQLJSONObject, DateTimeResolver } from 'graphql-scalars';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { LocalDateScalar, MoneyScalar } from '../api/scalars';
import type { CaseProcess, ProcessInstalment, ProcessParty } from './process.entity';

/** `ProcessKind`: the kinds of the registered processes, filled from the registry before the schema is built. */
export const ProcessKindEnum: Record<string, string> = {};
const processKindLabels: Record<string, { description: string }> = {};
registerEnumType(ProcessKindEnum, {
  name: 'ProcessKind',
  description: 'The cross-agency processes (三交办, 移送, 联合调处 …) a case can run',
  valuesConfig: processKindLabels,
});

export function registerProcessKinds(definitions: ReadonlyArray<{ kind: string; label: string }>): void {
  for (const kind of Object.keys(ProcessKindEnum)) delete ProcessKindEnum[kind];
  for (const d of definitions) {
    ProcessKindEnum[d.kind] = d.kind;
    processKindLabels[d.kind] = { description: d.label };
  }
}

@ObjectType('ProcessParty', { description: 'A recipient of a dispatch, an invitee of a mediation, or the police of a referral' })
export class ProcessPartyType {
  @Field(() => ID, { description: "The party's id" }) id!: string;
  @Field({ description: 'DISTRICT_GOVERNMENT, INDUSTRY_REGULATOR, CONTRACTOR_HQ; a mediation party role or agency kind; POLICE' })
  role!: string;
  @Field(() => ID, {
    description: "The agency this party is, when it is an agency (a party may be a company or workers' representative)",
    nullable: true,
  })
  agencyId!: string | null;
  @Field({ description: "The party's name" }) name!: string;
  @Field({ description: 'SENT, ACKNOWLEDGED, REPORTED, OVERDUE (dispatch); INVITED, CONFIRMED (mediation)' }) status!: string;
  @Field(() => DateTimeResolver, { description: 'When the party must acknowledge by (UTC)', nullable: true }) acknowledgeDue!: Date | null;
  @Field(() => DateTimeResolver, { description: 'When the party must report by (UTC)', nullable: true }) reportDue!: Date | null;
  @Field(() => DateTimeResolver, { description: 'When the party acknowledged (UTC)', nullable: true }) acknowledgedAt!: Date | null;
  @Field(() => DateTimeResolver, { description: 'When the party reported (UTC)', nullable: true }) reportedAt!: Date | null;
  @Field(() => String, { description: 'What the party reported', nullable: true }) report!: string | null;
  @Field(() => String, { nullable: true, description: 'How far silence has climbed: REMINDER, SUPERVISOR, CITY_DAILY_REPORT' })
  escalationLevel!: string | null;
}

@ObjectType('Instalment', { description: 'One payment of a mediation agreement, checked on its due date' })
export class InstalmentType {
  @Field(() => Int, { description: "The instalment's number in the payment plan, from 1" }) seq!: number;
  @Field(() => LocalDateScalar, { description: 'The day it is due (Asia/Shanghai); checked at the end of that day' }) dueOn!: string;
  @Field(() => MoneyScalar, { description: 'The amount due, in fen (分)' }) amount!: number;
  @Field({ description: 'PENDING, PAID, MISSED' }) status!: string;
  @Field(() => LocalDateScalar, { description: 'The day it was paid (Asia/Shanghai); null until paid', nullable: true }) paidOn!:
    string | null;
}

@ObjectType('CaseProcess', { description: 'A cross-agency process on a case; its workflow holds the clock, this is where it stands' })
export class CaseProcessType {
  @Field(() => ID, { description: "The process's id" }) id!: string;
  @Field(() => ID, { description: 'The case the process runs on' }) caseId!: string;
  @Field(() => ProcessKindEnum, { description: 'Which cross-agency process this is (三交办, 移送, 联合调处 …)' }) kind!: string;
  @Field({ description: 'The Temporal workflow running it (see the Temporal UI)' }) workflowId!: string;
  @Field({ description: "The process's state, in its own terms (e.g. IN_PROGRESS, AWAITING_APPROVAL, ENDED)" }) status!: string;
  @Field(() => DateTimeResolver, { description: 'When the process started (UTC)' }) startedAt!: Date;
  @Field(() => DateTimeResolver, { description: 'When the process ended (UTC); null while it runs', nullable: true }) endedAt!: Date | null;
  @Field(() => String, { description: 'How the process ended, in its own terms; null while it runs', nullable: true }) outcome!:
    string | null;
  @Field(() => DateTimeResolver, { nullable: true, description: 'The deadline of the step awaited now' }) dueAt!: Date | null;
  @Field(() => String, { nullable: true, description: 'Who the process waits on now' }) waitingOn!: string | null;
  @Field(() => GraphQLJSONObject, { description: 'Referral and mediation facts: team, decision and reasons, sessions …' }) facts!: Record<
    string,
    unknown
  >;
}

export function toProcessType(p: CaseProcess): CaseProcessType {
  return {
    id: p.id,
    caseId: p.case,
    kind: p.kind,
    workflowId: p.workflowId,
    status: p.status,
    startedAt: p.startedAt,
    endedAt: p.endedAt ?? null,
    outcome: p.outcome ?? null,
    dueAt: p.dueAt ?? null,
    waitingOn: p.waitingOn ?? null,
    facts: p.facts as Record<string, unknown>,
  };
}

export function toPartyType(p: ProcessParty): ProcessPartyType {
  return {
    id: p.id,
    role: p.role,
    agencyId: p.agency ?? null,
    name: p.name,
    status: p.status,
    acknowledgeDue: p.acknowledgeDue ?? null,
    reportDue: p.reportDue ?? null,
    acknowledgedAt: p.acknowledgedAt ?? null,
    reportedAt: p.reportedAt ?? null,
    report: p.report ?? null,
    escalationLevel: p.escalationLevel ?? null,
  };
}

export function toInstalmentType(i: ProcessInstalment): InstalmentType {
  return { seq: i.seq, dueOn: i.dueOn, amount: i.amountFen, status: i.status, paidOn: i.paidOn ?? null };
}

@InputType({ description: 'The case a process is started on' })
export class StartProcessInput {
  @Field(() => ID, { description: 'The case (案件) it concerns' }) caseId!: string;
}

@InputType({ description: 'A step of a running process. Retrying with the same idempotencyKey takes the step once.' })
export class ProcessStepInput {
  @Field(() => ID, { description: 'The process the step is taken in' }) processId!: string;
  @Field(() => String, { description: 'A key the client chooses: the same step repeated with the same key is taken once', nullable: true })
  @MaxLength(100, { message: 'must be at most 100 characters' })
  idempotencyKey?: string;
}

@InputType({ description: 'Approval to extend the investigation by 30 working days (延期)' })
export class ApproveExtensionInput {
  @Field(() => ID, { description: 'The case (案件) it concerns' }) caseId!: string;
  @Field({ description: 'Why the investigation needs 30 more working days (劳动保障监察条例 art. 17)' })
  @MinLength(4, { message: 'must be at least 4 characters' })
  @MaxLength(2000, { message: 'must be at most 2000 characters' })
  reason!: string;
  @Field(() => String, {
    description: 'A key the client chooses: the same request repeated with the same key is done once',
    nullable: true,
  })
  @MaxLength(100, { message: 'must be at most 100 characters' })
  idempotencyKey?: string;
}
