import { ArrayMaxSize, MaxLength, MinLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { enumOf } from '../../api/enums';
import { LocalDateScalar } from '../../api/scalars';
import { ProcessStepInput, StartProcessInput } from '../process.types';

export const ReferralDecisionEnum = enumOf(
  'ReferralDecision',
  ['FILED', 'DECLINED'] as const,
  { FILED: '立案', DECLINED: '不予立案' },
  "The police's decision on a referral",
);
export const ReconsiderationDecisionEnum = enumOf(
  'ReconsiderationDecision',
  ['FILED', 'UPHELD'] as const,
  {
    FILED: '复议后立案',
    UPHELD: '维持不予立案',
  },
  "The police's reconsidered decision on a declined referral",
);

@InputType({ description: 'A proposed police referral (移送), written by a team of 2+ inspectors' })
export class ProposePoliceReferralInput extends StartProcessInput {
  @Field(() => [ID], { description: 'The referral team: at least two inspectors of the owning agency' })
  @ArrayMaxSize(20, { message: 'must have at most 20 members' })
  team!: string[];
  @Field(() => ID, { description: 'The police agency (公安机关) the referral is for' }) policeAgencyId!: string;
  @Field(() => LocalDateScalar, {
    nullable: true,
    description:
      'When the order to pay (责令支付) was issued, for an order issued outside Anxin; omit it when the case has a missed order to pay (issueOrderToPay)',
  })
  orderToPayIssuedOn?: string | null;
  @Field(() => LocalDateScalar, {
    nullable: true,
    description: 'The order’s deadline, passed unpaid, for an order issued outside Anxin; omit it when the case has a missed order to pay',
  })
  orderToPayDueOn?: string | null;
  @Field({ description: 'Why the facts suggest the crime of refusing to pay wages (拒不支付劳动报酬罪)' })
  @MinLength(4, { message: 'must be at least 4 characters' })
  @MaxLength(4000, { message: 'must be at most 4000 characters' })
  grounds!: string;
}

@InputType({ description: "The director's approval or refusal of a police referral (within 3 days)" })
export class ApprovePoliceReferralInput extends ProcessStepInput {
  @Field({ description: 'True to approve the referral, false to refuse it' }) approve!: boolean;
  @Field(() => String, { description: "The director's note", nullable: true })
  @MaxLength(2000, { message: 'must be at most 2000 characters' })
  note?: string;
}

@InputType({ description: "The police's decision on a referral (within 3 days of receipt)" })
export class DecidePoliceReferralInput extends ProcessStepInput {
  @Field(() => ReferralDecisionEnum, { description: "The police's decision: file a criminal case (立案) or decline" }) decision!:
    'FILED' | 'DECLINED';
  @Field(() => String, { nullable: true, description: 'Required when declining: the written reasons' })
  @MaxLength(4000, { message: 'must be at most 4000 characters' })
  reasons?: string;
}

@InputType({ description: 'HRSS asks the police to reconsider a declined referral (复议, within 3 days)' })
export class RequestReconsiderationInput extends ProcessStepInput {
  @Field({ description: 'Why HRSS asks the police to reconsider (复议)' })
  @MinLength(4, { message: 'must be at least 4 characters' })
  @MaxLength(4000, { message: 'must be at most 4000 characters' })
  grounds!: string;
}

@InputType({ description: "The police's reconsidered decision (within 3 days)" })
export class DecideReconsiderationInput extends ProcessStepInput {
  @Field(() => ReconsiderationDecisionEnum, { description: "The police's reconsidered decision" }) decision!: 'FILED' | 'UPHELD';
  @Field(() => String, { description: "The police's reasons", nullable: true })
  @MaxLength(4000, { message: 'must be at most 4000 characters' })
  reasons?: string;
}

@InputType({ description: 'HRSS asks the procuratorate to supervise (立案监督)' })
export class RequestSupervisionInput extends ProcessStepInput {
  @Field(() => ID, { description: 'The procuratorate (检察院) asked to supervise (立案监督)' }) procuratorateAgencyId!: string;
  @Field({ description: 'Why supervision is asked' })
  @MinLength(4, { message: 'must be at least 4 characters' })
  @MaxLength(4000, { message: 'must be at most 4000 characters' })
  grounds!: string;
}

@InputType({ description: 'The outcome of a filed criminal case' })
export class RecordCriminalOutcomeInput extends ProcessStepInput {
  @Field({ description: "The criminal case's outcome (e.g. prosecuted, convicted, wages paid)" })
  @MinLength(2, { message: 'must be at least 2 characters' })
  @MaxLength(4000, { message: 'must be at most 4000 characters' })
  outcome!: string;
}
