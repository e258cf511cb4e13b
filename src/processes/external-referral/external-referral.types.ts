import { MaxLength, MinLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { ProcessStepInput, StartProcessInput } from '../process.types';

@InputType({ description: '转介: refer a case to a body outside labour inspection, which acknowledges it' })
export class ReferCaseOutsideInspectionInput extends StartProcessInput {
  @Field(() => ID, {
    description:
      'The receiving body: an agency of kind COURT, JUSTICE_BUREAU (legal aid), LABOUR_ARBITRATION (劳动人事争议仲裁委员会) or WORK_INJURY_OFFICE (工伤认定)',
  })
  receiverAgencyId!: string;
  @Field({ description: 'Why the case is referred (a labour dispute for the court, legal aid for the workers …)' })
  @MinLength(4, { message: 'must be at least 4 characters' })
  @MaxLength(2000, { message: 'must be at most 2000 characters' })
  grounds!: string;
}

@InputType({ description: 'The receiving body acknowledges a referral' })
export class AcknowledgeExternalReferralInput extends ProcessStepInput {
  @Field({ description: 'What the receiving body does with it' })
  @MaxLength(2000, { message: 'must be at most 2000 characters' })
  note!: string;
  @Field(() => String, { nullable: true, description: 'The receiving body’s own file number (立案号, 援助案号 …)' })
  @MaxLength(100, { message: 'must be at most 100 characters' })
  reference?: string | null;
}
