import { ArrayMaxSize, ArrayMinSize, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { DateTimeResolver } from 'graphql-scalars';
import { Field, ID, InputType, Int } from 'type-graphql';
import { enumOf } from '../../api/enums';
import { LocalDateScalar, MoneyScalar } from '../../api/scalars';
import { ProcessStepInput, StartProcessInput } from '../process.types';

export const MediationPartyRoleEnum = enumOf(
  'MediationPartyRole',
  ['CONSTRUCTION_UNIT', 'GENERAL_CONTRACTOR', 'LABOUR_SUBCONTRACTOR', 'WORKER_REPRESENTATIVE'] as const,
  {
    CONSTRUCTION_UNIT: '建设单位',
    GENERAL_CONTRACTOR: '施工总承包单位',
    LABOUR_SUBCONTRACTOR: '劳务分包单位',
    WORKER_REPRESENTATIVE: '农民工代表',
  },
  "A party's role in a joint mediation",
);

@InputType({ description: 'A party invited to a mediation' })
export class MediationPartyInput {
  @Field(() => MediationPartyRoleEnum, { description: "The party's role in the mediation" }) role!: string;
  @Field({ description: "The party's name" })
  @MinLength(2, { message: 'must be at least 2 characters' })
  @MaxLength(200, { message: 'must be at most 200 characters' })
  name!: string;
}

@InputType({ description: 'A joint mediation (联合调处) to convene on a case' })
export class ConveneMediationInput extends StartProcessInput {
  @Field(() => [MediationPartyInput], {
    description: "The parties and agencies invited (建设单位, 总包, 劳务分包, workers' representatives, agencies)",
  })
  @ArrayMinSize(1, { message: 'must name at least one party' })
  @ArrayMaxSize(50, { message: 'must have at most 50 parties' })
  @ValidateNested({ each: true })
  parties!: MediationPartyInput[];
  @Field(() => [ID], { description: 'Agencies invited: housing, petition office, police, justice bureau, union …' })
  @ArrayMaxSize(20, { message: 'must have at most 20 agencies' })
  agencyIds!: string[];
}

@InputType({ description: 'An invited party confirms it will attend' })
export class ConfirmAttendanceInput extends ProcessStepInput {
  @Field(() => ID, { description: 'The invited party that confirms' }) partyId!: string;
}

@InputType({ description: 'A mediation session held' })
export class RecordSessionInput extends ProcessStepInput {
  @Field(() => DateTimeResolver, { description: 'When the session was held (UTC)' }) heldAt!: Date;
  @Field({ description: "The session's minutes (记录)" })
  @MinLength(4, { message: 'must be at least 4 characters' })
  @MaxLength(8000, { message: 'must be at most 8000 characters' })
  summary!: string;
  @Field(() => [ID], { description: 'The parties that attended' })
  @ArrayMaxSize(70, { message: 'must have at most 70 attendees' })
  attendeePartyIds!: string[];
}

@InputType({ description: 'One instalment of a payment plan' })
export class InstalmentInput {
  @Field(() => LocalDateScalar, { description: 'The day it is due (Asia/Shanghai)' }) dueOn!: string;
  @Field(() => MoneyScalar, { description: 'The amount due, in fen (分)' }) @Min(1, { message: 'must be at least 1 fen' }) amount!: number;
}

@InputType({ description: 'The mediation agreement (调解协议) and its payment plan' })
export class RecordAgreementInput extends ProcessStepInput {
  @Field(() => [InstalmentInput], { description: "The payment plan (还款计划): each instalment's due day and amount" })
  @ArrayMinSize(1, { message: 'must have at least one instalment' })
  @ArrayMaxSize(36, { message: 'must have at most 36 instalments' })
  @ValidateNested({ each: true })
  instalments!: InstalmentInput[];
}

@InputType({ description: 'An instalment paid' })
export class RecordInstalmentPaidInput extends ProcessStepInput {
  @Field(() => Int, { description: 'The instalment paid (its number in the plan)' })
  @Min(1, { message: 'must be at least 1' })
  seq!: number;
  @Field(() => LocalDateScalar, { description: 'The day it was paid (Asia/Shanghai)' }) paidOn!: string;
  @Field({ description: 'Who paid' })
  @MinLength(2, { message: 'must be at least 2 characters' })
  @MaxLength(200, { message: 'must be at most 200 characters' })
  payer!: string;
  @Field(() => Int, { description: 'How many workers it paid' }) @Min(1, { message: 'must be at least 1' }) workersPaid!: number;
}
