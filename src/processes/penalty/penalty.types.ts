import { ArrayMaxSize, ArrayMinSize, MaxLength, Min, MinLength } from 'class-validator';
import { DateTimeResolver } from 'graphql-scalars';
import { Field, InputType } from 'type-graphql';
import { enumOf } from '../../api/enums';
import { MoneyScalar } from '../../api/scalars';
import { ProcessStepInput, StartProcessInput } from '../process.types';

export const PenaltyDecisionEnum = enumOf(
  'PenaltyDecision',
  ['IMPOSE', 'NO_PENALTY'] as const,
  {
    IMPOSE: '给予行政处罚',
    NO_PENALTY: '不予行政处罚',
  },
  'The decision of an administrative penalty procedure (行政处罚)',
);

@InputType({ description: '行政处罚: propose a fine on a case being handled' })
export class ProposePenaltyInput extends StartProcessInput {
  @Field(() => MoneyScalar, { description: 'The fine proposed, in fen' })
  @Min(1, { message: 'must be at least 1 fen' })
  amount!: number;
  @Field({ description: 'The provision breached and the one the fine rests on (e.g. 劳动保障监察条例 第二十六条)' })
  @MinLength(2, { message: 'must be at least 2 characters' })
  @MaxLength(500, { message: 'must be at most 500 characters' })
  provision!: string;
  @Field(() => Boolean, {
    nullable: true,
    description:
      'A complex or serious case (行政处罚法 第五十七条): decided after collective deliberation. A fine at or above the configured figure is serious anyway.',
  })
  serious?: boolean;
}

@InputType({ description: '告知: the notice of the proposed penalty is served on the party now' })
export class ServePenaltyNoticeInput extends ProcessStepInput {
  @Field({ description: 'The notice’s document number' })
  @MinLength(1, { message: 'must not be empty' })
  @MaxLength(100, { message: 'must be at most 100 characters' })
  noticeRef!: string;
}

@InputType({ description: '陈述、申辩: what the party stated in its defence' })
export class RecordPenaltyStatementInput extends ProcessStepInput {
  @Field({ description: 'What the party stated' })
  @MinLength(2, { message: 'must be at least 2 characters' })
  @MaxLength(8000, { message: 'must be at most 8000 characters' })
  summary!: string;
}

@InputType({ description: '听证申请: the party requests a hearing (large fines, within 5 working days of the notice)' })
export class RequestPenaltyHearingInput extends ProcessStepInput {
  @Field({ description: 'Who requested it for the party' })
  @MinLength(1, { message: 'must not be empty' })
  @MaxLength(200, { message: 'must be at most 200 characters' })
  requestedBy!: string;
}

@InputType({ description: '听证: the hearing, held' })
export class RecordPenaltyHearingInput extends ProcessStepInput {
  @Field(() => DateTimeResolver, { description: 'When it was held' })
  heldAt!: Date;
  @Field({ description: 'What the hearing found' })
  @MinLength(2, { message: 'must be at least 2 characters' })
  @MaxLength(8000, { message: 'must be at most 8000 characters' })
  summary!: string;
}

@InputType({ description: '集体讨论: the collective deliberation of the agency’s heads on a serious case' })
export class RecordPenaltyDeliberationInput extends ProcessStepInput {
  @Field(() => DateTimeResolver, { description: 'When it was held' })
  heldAt!: Date;
  @Field(() => [String], { description: 'Who took part' })
  @ArrayMinSize(2, { message: 'must name at least 2 participants' })
  @ArrayMaxSize(30, { message: 'must have at most 30 participants' })
  participants!: string[];
  @Field({ description: 'What it concluded' })
  @MinLength(2, { message: 'must be at least 2 characters' })
  @MaxLength(8000, { message: 'must be at most 8000 characters' })
  conclusion!: string;
}

@InputType({ description: '处罚决定: the decision, by someone who did not investigate the case' })
export class DecidePenaltyInput extends ProcessStepInput {
  @Field(() => PenaltyDecisionEnum, { description: 'A fine, or no penalty' })
  decision!: 'IMPOSE' | 'NO_PENALTY';
  @Field(() => MoneyScalar, { nullable: true, description: 'The fine imposed, in fen: no more than the notice proposed' })
  amount?: number;
  @Field({ description: 'The decision’s document number' })
  @MinLength(1, { message: 'must not be empty' })
  @MaxLength(100, { message: 'must be at most 100 characters' })
  decisionRef!: string;
}

@InputType({ description: '送达: the decision is served on the party' })
export class ServePenaltyDecisionInput extends ProcessStepInput {
  @Field({ description: 'How it was served (in person, by post, by electronic means …)' })
  @MinLength(1, { message: 'must not be empty' })
  @MaxLength(200, { message: 'must be at most 200 characters' })
  method!: string;
}
