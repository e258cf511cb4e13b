import { ArrayMaxSize, ArrayMinSize, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import { LocalDateScalar, MoneyScalar } from '../../api/scalars';
import { ProcessStepInput, StartProcessInput } from '../process.types';

@InputType({ description: 'One worker the order names, with the wages the employer is ordered to pay them' })
export class OrderedWorkerInput {
  @Field({ description: 'The worker’s name (kept in the order’s facts, seen by labour inspection only)' })
  @MinLength(1, { message: 'must not be empty' })
  @MaxLength(100, { message: 'must be at most 100 characters' })
  name!: string;
  @Field(() => MoneyScalar, { description: 'The wages ordered paid to this worker, in fen' })
  @Min(1, { message: 'must be at least 1 fen' })
  amount!: number;
}

@InputType({
  description: '限期支付 (劳动保障监察限期改正指令书, 劳动保障监察条例 第二十六条): the amount per worker and the last day to pay',
})
export class IssueOrderToPayInput extends StartProcessInput {
  @Field(() => [OrderedWorkerInput], { description: 'The workers and the amount ordered paid to each (the case may have no roster yet)' })
  @ArrayMinSize(1, { message: 'must name at least one worker' })
  @ArrayMaxSize(2000, { message: 'must have at most 2000 workers' })
  @ValidateNested({ each: true })
  workers!: OrderedWorkerInput[];
  @Field(() => LocalDateScalar, { description: 'The last day to pay (Beijing): the order is missed at 24:00 of that day' })
  dueOn!: string;
}

@InputType({ description: 'The employer paid what the order named, in time: the order ends COMPLIED' })
export class RecordOrderCompliedInput extends ProcessStepInput {
  @Field(() => LocalDateScalar, { description: 'The day the ordered wages were paid (Beijing)' }) paidOn!: string;
  @Field(() => String, { nullable: true, description: 'What was checked (payslips, bank records …)' })
  @MaxLength(2000, { message: 'must be at most 2000 characters' })
  note?: string;
}

@InputType({ description: '加付赔偿金 on a missed order (劳动保障监察条例 第二十六条 / 劳动合同法 第八十五条)' })
export class OrderAdditionalCompensationInput extends ProcessStepInput {
  @Field(() => Int, { description: 'The rate, a whole percentage of the amount ordered, from 50 to 100' }) ratePercent!: number;
}
