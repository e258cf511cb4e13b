import { IsOptional, Max, MaxLength, Min, MinLength } from 'class-validator';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { MobileScalar, MoneyScalar, ResidentIdScalar } from '../api/scalars';
import { CaseRefInput } from './case.types';

@ObjectType('OwedWorker', {
  description:
    'A line of the roster of owed workers of a case (who is owed what). Name, phone and ID number are whole for labour inspection, masked for every other agency (张*, 138****1234, 110***********1234).',
})
export class OwedWorkerType {
  @Field(() => ID, { description: 'The line’s id (used in payment allocations)' })
  id!: string;

  @Field({ description: 'The worker’s name, or its masked form' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'Resident ID number (18 characters), or its masked form' })
  residentId!: string | null;

  @Field(() => String, { nullable: true, description: 'Mobile number (11 digits), or its masked form' })
  mobile!: string | null;

  @Field(() => Int, { description: 'Months of wages owed' })
  monthsOwed!: number;

  @Field(() => MoneyScalar, { description: 'Wages owed to this worker, in fen' })
  amountOwed!: number;

  @Field(() => MoneyScalar, { description: 'What the payments of the case allocated to this worker add up to, in fen' })
  amountPaid!: number;

  @Field({ description: 'Settled for less than owed (an agreement the worker accepted): done, for resolving the case' })
  settled!: boolean;

  @Field({ description: 'Paid in full or settled' })
  done!: boolean;

  @Field(() => ID, { nullable: true, description: 'The complainant of the case (person id) this line belongs to, if any' })
  complainantPersonId!: string | null;
}

@InputType({ description: 'A worker owed wages, added to the roster of a case' })
export class AddOwedWorkerInput extends CaseRefInput {
  @Field({ description: 'The worker’s name' })
  @MinLength(1, { message: 'must not be empty' })
  @MaxLength(100, { message: 'must be at most 100 characters' })
  name!: string;

  @Field(() => ResidentIdScalar, { nullable: true, description: 'The worker’s resident ID number' })
  residentId?: string;

  @Field(() => MobileScalar, { nullable: true, description: 'The worker’s mobile number' })
  mobile?: string;

  @Field(() => Int, { description: 'Months of wages owed (at least 1)' })
  @Min(1, { message: 'must be at least 1' })
  @Max(600, { message: 'must be at most 600' })
  monthsOwed!: number;

  @Field(() => MoneyScalar, { description: 'Wages owed to this worker, in fen' })
  @Min(1, { message: 'must be at least 1 fen' })
  amountOwed!: number;

  @Field(() => ID, { nullable: true, description: 'The complainant of this case (person id) the line belongs to; each has one line' })
  personId?: string;
}

@InputType({ description: 'Corrections to a line of the roster: only the fields given change' })
export class CorrectOwedWorkerInput extends CaseRefInput {
  @Field(() => ID, { description: 'The line of the roster' })
  owedWorkerId!: string;

  @Field(() => String, { nullable: true, description: 'The worker’s name' })
  @IsOptional()
  @MinLength(1, { message: 'must not be empty' })
  @MaxLength(100, { message: 'must be at most 100 characters' })
  name?: string;

  @Field(() => ResidentIdScalar, { nullable: true, description: 'The worker’s resident ID number' })
  residentId?: string;

  @Field(() => MobileScalar, { nullable: true, description: 'The worker’s mobile number' })
  mobile?: string;

  @Field(() => Int, { nullable: true, description: 'Months of wages owed (at least 1)' })
  @IsOptional()
  @Min(1, { message: 'must be at least 1' })
  @Max(600, { message: 'must be at most 600' })
  monthsOwed?: number;

  @Field(() => MoneyScalar, { nullable: true, description: 'Wages owed, in fen; not less than already paid to this worker' })
  @IsOptional()
  @Min(1, { message: 'must be at least 1 fen' })
  amountOwed?: number;

  @Field(() => ID, { nullable: true, description: 'The complainant of this case (person id) the line belongs to' })
  personId?: string;

  @Field({ nullable: true, description: 'Settled for less than owed (an agreement the worker accepted), or not' })
  settled?: boolean;
}

@InputType({ description: 'A line taken off the roster (entered by mistake); a worker already paid on the case stays' })
export class RemoveOwedWorkerInput extends CaseRefInput {
  @Field(() => ID, { description: 'The line of the roster' })
  owedWorkerId!: string;

  @Field({ description: 'Why the line is removed (kept in the case file)' })
  @MinLength(2, { message: 'must be at least 2 characters' })
  @MaxLength(2000, { message: 'must be at most 2000 characters' })
  reason!: string;
}
