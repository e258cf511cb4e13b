import { ArrayMaxSize, MaxLength, MinLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { enumOf } from '../../api/enums';
import { LocalDateScalar } from '../../api/scalars';
import { ProcessStepInput, StartProcessInput } from '../process.types';

export const ReferralDecisionEnum = enumOf('ReferralDecision', ['FILED', 'DECLINED'] as const, { FILED: '立案', DECLINED: '不予立案' });
export const ReconsiderationDecisionEnum = enumOf('ReconsiderationDecision', ['FILED', 'UPHELD'] as const, {
  FILED: '复议后立案',
  UPHELD: '维持不予立案',
});

@InputType()
export class ProposePoliceReferralInput extends StartProcessInput {
  @Field(() => [ID], { description: 'The referral team: at least two inspectors of the owning agency' })
  @ArrayMaxSize(20, { message: 'must have at most 20 members' })
  team!: string[];
  @Field(() => ID) policeAgencyId!: string;
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
  @Field()
  @MinLength(4, { message: 'must be at least 4 characters' })
  @MaxLength(4000, { message: 'must be at most 4000 characters' })
  grounds!: string;
}

@InputType()
export class ApprovePoliceReferralInput extends ProcessStepInput {
  @Field() approve!: boolean;
  @Field(() => String, { nullable: true }) @MaxLength(2000, { message: 'must be at most 2000 characters' }) note?: string;
}

@InputType()
export class DecidePoliceReferralInput extends ProcessStepInput {
  @Field(() => ReferralDecisionEnum) decision!: 'FILED' | 'DECLINED';
  @Field(() => String, { nullable: true, description: 'Required when declining: the written reasons' })
  @MaxLength(4000, { message: 'must be at most 4000 characters' })
  reasons?: string;
}

@InputType()
export class RequestReconsiderationInput extends ProcessStepInput {
  @Field()
  @MinLength(4, { message: 'must be at least 4 characters' })
  @MaxLength(4000, { message: 'must be at most 4000 characters' })
  grounds!: string;
}

@InputType()
export class DecideReconsiderationInput extends ProcessStepInput {
  @Field(() => ReconsiderationDecisionEnum) decision!: 'FILED' | 'UPHELD';
  @Field(() => String, { nullable: true }) @MaxLength(4000, { message: 'must be at most 4000 characters' }) reasons?: string;
}

@InputType()
export class RequestSupervisionInput extends ProcessStepInput {
  @Field(() => ID) procuratorateAgencyId!: string;
  @Field()
  @MinLength(4, { message: 'must be at least 4 characters' })
  @MaxLength(4000, { message: 'must be at most 4000 characters' })
  grounds!: string;
}

@InputType()
export class RecordCriminalOutcomeInput extends ProcessStepInput {
  @Field()
  @MinLength(2, { message: 'must be at least 2 characters' })
  @MaxLength(4000, { message: 'must be at most 4000 characters' })
  outcome!: string;
}
