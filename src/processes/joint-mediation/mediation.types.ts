import { ArrayMaxSize, ArrayMinSize, IsOptional, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { PaymentAllocationInput } from '../../cases/case.types';
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
);

@InputType()
export class MediationPartyInput {
  @Field(() => MediationPartyRoleEnum) role!: string;
  @Field()
  @MinLength(2, { message: 'must be at least 2 characters' })
  @MaxLength(200, { message: 'must be at most 200 characters' })
  name!: string;
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
  @Field()
  @MinLength(4, { message: 'must be at least 4 characters' })
  @MaxLength(8000, { message: 'must be at most 8000 characters' })
  summary!: string;
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
  @Field()
  @MinLength(2, { message: 'must be at least 2 characters' })
  @MaxLength(200, { message: 'must be at most 200 characters' })
  payer!: string;
  @Field(() => Int) @Min(1, { message: 'must be at least 1' }) workersPaid!: number;
  @Field(() => [PaymentAllocationInput], {
    nullable: true,
    description:
      '工资发放到人: what of the instalment reached each worker of the case’s roster of owed workers, checked as recordPayment checks its allocations (the parts add up to the amount, one per worker, as many as workersPaid, none past what the worker is still owed); at most 100 parts',
  })
  @IsOptional()
  @ValidateNested({ each: true })
  @ArrayMaxSize(100, { message: 'must have at most 100 parts: record a larger payroll as several payments' })
  allocations?: PaymentAllocationInput[];
}
