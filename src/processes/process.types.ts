import { ArrayMaxSize, ArrayMinSize, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { GraphQLJSONObject, DateTimeResolver } from 'graphql-scalars';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { enumOf } from '../api/enums';
import { LocalDateScalar, MoneyScalar } from '../api/scalars';
import { PROCESS_KINDS, type CaseProcess, type ProcessInstalment, type ProcessParty } from './process.entity';

export const ProcessKindEnum = enumOf('ProcessKind', PROCESS_KINDS, { DISPATCH: '三交办', POLICE_REFERRAL: '移送公安', MEDIATION: '联合调处' });
export const ReferralDecisionEnum = enumOf('ReferralDecision', ['FILED', 'DECLINED'] as const, { FILED: '立案', DECLINED: '不予立案' });
export const ReconsiderationDecisionEnum = enumOf('ReconsiderationDecision', ['FILED', 'UPHELD'] as const, { FILED: '复议后立案', UPHELD: '维持不予立案' });
export const MediationPartyRoleEnum = enumOf('MediationPartyRole', ['CONSTRUCTION_UNIT', 'GENERAL_CONTRACTOR', 'LABOUR_SUBCONTRACTOR', 'WORKER_REPRESENTATIVE'] as const, {
  CONSTRUCTION_UNIT: '建设单位',
  GENERAL_CONTRACTOR: '施工总承包单位',
  LABOUR_SUBCONTRACTOR: '劳务分包单位',
  WORKER_REPRESENTATIVE: '农民工代表',
});

@ObjectType('ProcessParty', { description: 'A recipient of a dispatch, an invitee of a mediation, or the police of a referral' })
export class ProcessPartyType {
  @Field(() => ID) id!: string;
  @Field({ description: 'DISTRICT_GOVERNMENT, INDUSTRY_REGULATOR, CONTRACTOR_HQ; a mediation party role or agency kind; POLICE' }) role!: string;
  @Field(() => ID, { nullable: true }) agencyId!: string | null;
  @Field() name!: string;
  @Field({ description: 'SENT, ACKNOWLEDGED, REPORTED, OVERDUE (dispatch); INVITED, CONFIRMED (mediation)' }) status!: string;
  @Field(() => DateTimeResolver, { nullable: true }) acknowledgeDue!: Date | null;
  @Field(() => DateTimeResolver, { nullable: true }) reportDue!: Date | null;
  @Field(() => DateTimeResolver, { nullable: true }) acknowledgedAt!: Date | null;
  @Field(() => DateTimeResolver, { nullable: true }) reportedAt!: Date | null;
  @Field(() => String, { nullable: true }) report!: string | null;
  @Field(() => String, { nullable: true, description: 'How far silence has climbed: REMINDER, SUPERVISOR, CITY_DAILY_REPORT' }) escalationLevel!: string | null;
}

@ObjectType('Instalment', { description: 'One payment of a mediation agreement, checked on its due date' })
export class InstalmentType {
  @Field(() => Int) seq!: number;
  @Field(() => LocalDateScalar) dueOn!: string;
  @Field(() => MoneyScalar) amount!: number;
  @Field({ description: 'PENDING, PAID, MISSED' }) status!: string;
  @Field(() => LocalDateScalar, { nullable: true }) paidOn!: string | null;
}

@ObjectType('CaseProcess', { description: 'A cross-agency process on a case; its workflow holds the clock, this is where it stands' })
export class CaseProcessType {
  @Field(() => ID) id!: string;
  @Field(() => ID) caseId!: string;
  @Field(() => ProcessKindEnum) kind!: string;
  @Field({ description: 'The Temporal workflow running it (see the Temporal UI)' }) workflowId!: string;
  @Field() status!: string;
  @Field(() => DateTimeResolver) startedAt!: Date;
  @Field(() => DateTimeResolver, { nullable: true }) endedAt!: Date | null;
  @Field(() => String, { nullable: true }) outcome!: string | null;
  @Field(() => DateTimeResolver, { nullable: true, description: 'The deadline of the step awaited now' }) dueAt!: Date | null;
  @Field(() => String, { nullable: true, description: 'Who the process waits on now' }) waitingOn!: string | null;
  @Field(() => GraphQLJSONObject, { description: 'Referral and mediation facts: team, decision and reasons, sessions …' }) facts!: Record<string, unknown>;
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

@InputType()
export class StartProcessInput {
  @Field(() => ID) caseId!: string;
}

@InputType({ description: 'A step of a running process. Retrying with the same idempotencyKey takes the step once.' })
export class ProcessStepInput {
  @Field(() => ID) processId!: string;
  @Field(() => String, { nullable: true }) @MaxLength(100, { message: 'must be at most 100 characters' }) idempotencyKey?: string;
}

@InputType()
export class DispatchPaymentInput {
  @Field(() => MoneyScalar) @Min(1, { message: 'must be at least 1 fen' }) amount!: number;
  @Field(() => Int) @Min(1, { message: 'must be at least 1' }) workersPaid!: number;
  @Field(() => LocalDateScalar) paidOn!: string;
  @Field() @MinLength(2, { message: 'must be at least 2 characters' }) @MaxLength(200, { message: 'must be at most 200 characters' }) payer!: string;
}

@InputType()
export class ReportDispatchInput extends ProcessStepInput {
  @Field() @MinLength(4, { message: 'must be at least 4 characters' }) @MaxLength(4000, { message: 'must be at most 4000 characters' }) report!: string;
  @Field(() => DispatchPaymentInput, { nullable: true, description: 'Wages paid as part of what was done: recorded on the case' })
  @ValidateNested()
  payment?: DispatchPaymentInput;
}

@InputType()
export class ProposePoliceReferralInput extends StartProcessInput {
  @Field(() => [ID], { description: 'The referral team: at least two inspectors of the owning agency' })
  @ArrayMaxSize(20, { message: 'must have at most 20 members' })
  team!: string[];
  @Field(() => ID) policeAgencyId!: string;
  @Field(() => LocalDateScalar, { description: 'When the order to pay (责令支付) was issued' }) orderToPayIssuedOn!: string;
  @Field(() => LocalDateScalar, { description: 'The order’s deadline, passed unpaid' }) orderToPayDueOn!: string;
  @Field() @MinLength(4, { message: 'must be at least 4 characters' }) @MaxLength(4000, { message: 'must be at most 4000 characters' }) grounds!: string;
}

@InputType()
export class ApprovePoliceReferralInput extends ProcessStepInput {
  @Field() approve!: boolean;
  @Field(() => String, { nullable: true }) @MaxLength(2000, { message: 'must be at most 2000 characters' }) note?: string;
}

@InputType()
export class DecidePoliceReferralInput extends ProcessStepInput {
  @Field(() => ReferralDecisionEnum) decision!: 'FILED' | 'DECLINED';
  @Field(() => String, { nullable: true, description: 'Required when declining: the written reasons' }) @MaxLength(4000, { message: 'must be at most 4000 characters' }) reasons?: string;
}

@InputType()
export class RequestReconsiderationInput extends ProcessStepInput {
  @Field() @MinLength(4, { message: 'must be at least 4 characters' }) @MaxLength(4000, { message: 'must be at most 4000 characters' }) grounds!: string;
}

@InputType()
export class DecideReconsiderationInput extends ProcessStepInput {
  @Field(() => ReconsiderationDecisionEnum) decision!: 'FILED' | 'UPHELD';
  @Field(() => String, { nullable: true }) @MaxLength(4000, { message: 'must be at most 4000 characters' }) reasons?: string;
}

@InputType()
export class RequestSupervisionInput extends ProcessStepInput {
  @Field(() => ID) procuratorateAgencyId!: string;
  @Field() @MinLength(4, { message: 'must be at least 4 characters' }) @MaxLength(4000, { message: 'must be at most 4000 characters' }) grounds!: string;
}

@InputType()
export class RecordCriminalOutcomeInput extends ProcessStepInput {
  @Field() @MinLength(2, { message: 'must be at least 2 characters' }) @MaxLength(4000, { message: 'must be at most 4000 characters' }) outcome!: string;
}

@InputType()
export class MediationPartyInput {
  @Field(() => MediationPartyRoleEnum) role!: string;
  @Field() @MinLength(2, { message: 'must be at least 2 characters' }) @MaxLength(200, { message: 'must be at most 200 characters' }) name!: string;
}

@InputType()
export class ConveneMediationInput extends StartProcessInput {
  @Field(() => [MediationPartyInput])
  @ArrayMinSize(1, { message: 'must name at least one party' })
  @ArrayMaxSize(50, { message: 'must have at most 50 parties' })
  @ValidateNested({ each: true })
  parties!: MediationPartyInput[];
  @Field(() => [ID], { description: 'Agencies invited: housing, petition office, police, justice bureau, union …' })
  @ArrayMaxSize(20, { message: 'must have at most 20 agencies' })
  agencyIds!: string[];
}

@InputType()
export class ConfirmAttendanceInput extends ProcessStepInput {
  @Field(() => ID) partyId!: string;
}

@InputType()
export class RecordSessionInput extends ProcessStepInput {
  @Field(() => DateTimeResolver) heldAt!: Date;
  @Field() @MinLength(4, { message: 'must be at least 4 characters' }) @MaxLength(8000, { message: 'must be at most 8000 characters' }) summary!: string;
  @Field(() => [ID]) @ArrayMaxSize(70, { message: 'must have at most 70 attendees' }) attendeePartyIds!: string[];
}

@InputType()
export class InstalmentInput {
  @Field(() => LocalDateScalar) dueOn!: string;
  @Field(() => MoneyScalar) @Min(1, { message: 'must be at least 1 fen' }) amount!: number;
}

@InputType()
export class RecordAgreementInput extends ProcessStepInput {
  @Field(() => [InstalmentInput])
  @ArrayMinSize(1, { message: 'must have at least one instalment' })
  @ArrayMaxSize(36, { message: 'must have at most 36 instalments' })
  @ValidateNested({ each: true })
  instalments!: InstalmentInput[];
}

@InputType()
export class RecordInstalmentPaidInput extends ProcessStepInput {
  @Field(() => Int) @Min(1, { message: 'must be at least 1' }) seq!: number;
  @Field(() => LocalDateScalar) paidOn!: string;
  @Field() @MinLength(2, { message: 'must be at least 2 characters' }) @MaxLength(200, { message: 'must be at most 200 characters' }) payer!: string;
  @Field(() => Int) @Min(1, { message: 'must be at least 1' }) workersPaid!: number;
}

@InputType()
export class ApproveExtensionInput {
  @Field(() => ID) caseId!: string;
  @Field() @MinLength(4, { message: 'must be at least 4 characters' }) @MaxLength(2000, { message: 'must be at most 2000 characters' }) reason!: string;
  @Field(() => String, { nullable: true }) @MaxLength(100, { message: 'must be at most 100 characters' }) idempotencyKey?: string;
}
