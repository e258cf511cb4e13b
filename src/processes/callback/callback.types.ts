import { MaxLength, MinLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { enumOf } from '../../api/enums';
import { ProcessStepInput } from '../process.types';
import { REVIEW_DECISIONS, SATISFACTION_LEVELS, type ReviewDecision, type Satisfaction } from '../../../workflows/callback';

export const SatisfactionEnum = enumOf(
  'Satisfaction',
  SATISFACTION_LEVELS,
  {
    SATISFIED: '满意',
    BASICALLY_SATISFIED: '基本满意',
    DISSATISFIED: '不满意',
  },
  "The complainant's satisfaction at the callback (回访)",
);

export const CallbackReviewDecisionEnum = enumOf(
  'CallbackReviewDecision',
  REVIEW_DECISIONS,
  {
    CLOSURE_UPHELD: '维持结案: the closing stands',
    FOLLOW_UP_ORDERED: '责令跟进: the supervisor orders further action on the complainant’s answer',
  },
  "The supervisor's decision on a callback that found a problem",
);

@InputType({ description: '回访: a call to the complainant of a closed case, reached or not' })
export class RecordCallbackInput extends ProcessStepInput {
  @Field({ description: 'Whether the complainant was reached; a call that was not is recorded and the callback stays open' })
  reached!: boolean;
  @Field(() => Boolean, { nullable: true, description: 'Reached: whether the wages were received in full (工资是否足额到位)' })
  wagesReceivedInFull?: boolean | null;
  @Field(() => SatisfactionEnum, { nullable: true, description: 'Reached: the complainant’s satisfaction (满意 / 基本满意 / 不满意)' })
  satisfaction?: Satisfaction | null;
  @Field(() => String, { nullable: true, description: 'What was said, in words' })
  @MaxLength(2000, { message: 'must be at most 2000 characters' })
  notes?: string | null;
}

@InputType({ description: 'The supervisor’s review of a callback that found wages not received in full or the complainant dissatisfied' })
export class ReviewCallbackInput extends ProcessStepInput {
  @Field(() => CallbackReviewDecisionEnum, { description: 'What the review decided' })
  decision!: ReviewDecision;
  @Field({ description: 'What the review found, in words' })
  @MinLength(2, { message: 'must be at least 2 characters' })
  @MaxLength(4000, { message: 'must be at most 4000 characters' })
  findings!: string;
}
