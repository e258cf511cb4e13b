import { MaxLength, MinLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { CaseRefInput } from '../../cases/case.types';

@InputType({ description: '结案报告: the closing report of a resolved case, for a supervisor’s or director’s approval' })
export class SubmitClosingReportInput extends CaseRefInput {
  @Field({ description: 'What the investigation found (查明的事实)' })
  @MinLength(4, { message: 'must be at least 4 characters' })
  @MaxLength(4000, { message: 'must be at most 4000 characters' })
  findings!: string;

  @Field({ description: 'What was recovered, for whom (追回工资情况)' })
  @MinLength(2, { message: 'must be at least 2 characters' })
  @MaxLength(2000, { message: 'must be at most 2000 characters' })
  recovery!: string;

  @Field({ description: 'The outcome of the case (处理结果)' })
  @MinLength(2, { message: 'must be at least 2 characters' })
  @MaxLength(2000, { message: 'must be at most 2000 characters' })
  outcome!: string;
}

@InputType({ description: 'Approval of the latest closing report by a supervisor or director who did not write it' })
export class ApproveClosingInput extends CaseRefInput {
  @Field(() => String, { nullable: true, description: 'The approver’s note' })
  @MaxLength(2000, { message: 'must be at most 2000 characters' })
  note?: string | null;
}
