import { Min, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import { LocalDateScalar, MoneyScalar } from '../../api/scalars';
import { ProcessStepInput } from '../process.types';

@InputType({ description: 'A payment a dispatch recipient reports' })
export class DispatchPaymentInput {
  @Field(() => MoneyScalar, { description: 'The amount paid, in fen (分)' }) @Min(1, { message: 'must be at least 1 fen' }) amount!: number;
  @Field(() => Int, { description: 'How many workers it paid' }) @Min(1, { message: 'must be at least 1' }) workersPaid!: number;
  @Field(() => LocalDateScalar, { description: 'The day it was paid (Asia/Shanghai)' }) paidOn!: string;
  @Field({ description: 'Who paid' })
  @MinLength(2, { message: 'must be at least 2 characters' })
  @MaxLength(200, { message: 'must be at most 200 characters' })
  payer!: string;
}

@InputType({ description: "A dispatch recipient's report (反馈)" })
export class ReportDispatchInput extends ProcessStepInput {
  @Field({ description: 'What the recipient did and found (处理情况)' })
  @MinLength(4, { message: 'must be at least 4 characters' })
  @MaxLength(4000, { message: 'must be at most 4000 characters' })
  report!: string;
  @Field(() => DispatchPaymentInput, { nullable: true, description: 'Wages paid as part of what was done: recorded on the case' })
  @ValidateNested()
  payment?: DispatchPaymentInput;
}
