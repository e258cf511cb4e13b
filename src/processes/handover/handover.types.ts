import { MaxLength, MinLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { ProcessStepInput, StartProcessInput } from '../process.types';

@InputType({ description: '移交: hand a case to another labour inspection agency, which accepts or returns it' })
export class HandOverCaseInput extends StartProcessInput {
  @Field(() => ID, { description: 'The receiving labour inspection agency (a district brigade, the city corps, another city’s brigade)' })
  toAgencyId!: string;
  @Field({ description: 'Why the case is handed over (jurisdiction, 协查 for a cross-region employer …)' })
  @MinLength(4, { message: 'must be at least 4 characters' })
  @MaxLength(2000, { message: 'must be at most 2000 characters' })
  reason!: string;
}

@InputType({ description: 'The receiving agency accepts a handover: the case becomes its own' })
export class AcceptHandoverInput extends ProcessStepInput {
  @Field({ description: 'Who takes the case up, or what the receiver will do first' })
  @MaxLength(2000, { message: 'must be at most 2000 characters' })
  note!: string;
}

@InputType({ description: 'The receiving agency returns a handover: the case stays with the sender' })
export class ReturnHandoverInput extends ProcessStepInput {
  @Field({ description: 'Why the case is returned' })
  @MinLength(4, { message: 'must be at least 4 characters' })
  @MaxLength(2000, { message: 'must be at most 2000 characters' })
  reason!: string;
}
