import { ArrayMaxSize, ArrayMinSize, MaxLength, MinLength } from 'class-validator';
import { DateTimeResolver } from 'graphql-scalars';
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { enumOf } from '../api/enums';
import { UserType } from '../agencies/agency.resolver';
import { CaseRefInput } from './case.types';
import { EVIDENCE_KINDS, type EvidenceKind } from './investigation.service';

export const EvidenceKindEnum = enumOf(
  'EvidenceKind',
  EVIDENCE_KINDS,
  {
    DOCUMENTARY: '书证',
    PHYSICAL: '物证',
    AUDIO_VISUAL: '视听资料',
    ELECTRONIC_DATA: '电子数据',
    WITNESS_TESTIMONY: '证人证言',
    PARTY_STATEMENT: '当事人的陈述',
    EXPERT_OPINION: '鉴定意见',
    INSPECTION_RECORD: '勘验笔录、现场笔录',
  },
  'Kinds of evidence (证据) gathered in an investigation',
);

@ObjectType('Inquiry', { description: '询问笔录: an inquiry made in the investigation, with the inspectors present' })
export class InquiryType {
  @Field(() => ID, { description: 'The inquiry’s id' })
  id!: string;
  @Field({ description: 'Who was asked (a worker, the employer’s representative, a witness …)' })
  personAsked!: string;
  @Field(() => String, { nullable: true, description: 'In what capacity they were asked' })
  capacity!: string | null;
  @Field(() => DateTimeResolver, { description: 'When they were asked' })
  askedAt!: Date;
  @Field({ description: 'Where they were asked' })
  place!: string;
  @Field(() => [UserType], { description: 'The inspectors present (two at least: 行政处罚法 第四十二条)' })
  inspectors!: UserType[];
  @Field({ description: 'Where the signed record is filed (document number or file reference)' })
  fileRef!: string;
  @Field(() => DateTimeResolver, { description: 'When it was put on the record' })
  recordedAt!: Date;
}

@ObjectType('EvidenceItem', { description: 'An item of evidence collected in the investigation' })
export class EvidenceItemType {
  @Field(() => ID, { description: 'The evidence item’s id' })
  id!: string;
  @Field(() => EvidenceKindEnum, { description: 'Its kind (行政诉讼法 第三十三条)' })
  kind!: EvidenceKind;
  @Field({ description: 'What it is' })
  description!: string;
  @Field(() => DateTimeResolver, { description: 'When it was collected' })
  collectedAt!: Date;
  @Field(() => [UserType], { description: 'The inspectors who collected it (two at least: 行政处罚法 第四十二条)' })
  collectedBy!: UserType[];
  @Field({ description: 'Where the item or its copy is filed (file reference)' })
  fileRef!: string;
  @Field(() => DateTimeResolver, { description: 'When it was put on the record' })
  recordedAt!: Date;
}

@ObjectType('Investigation', { description: '调查: the investigation on the record; labour inspection’s alone' })
export class InvestigationType {
  @Field(() => UserType, { nullable: true, description: '主办人: the lead inspector' })
  lead!: UserType | null;
  @Field(() => [UserType], { description: 'The investigating team besides the lead' })
  team!: UserType[];
  @Field(() => [InquiryType], { description: 'The inquiries made, oldest first' })
  inquiries!: InquiryType[];
  @Field(() => [EvidenceItemType], { description: 'The evidence collected, oldest first' })
  evidence!: EvidenceItemType[];
}

@InputType({ description: 'Name the investigating team of a case (replaces the team named before)' })
export class SetInvestigationTeamInput extends CaseRefInput {
  @Field(() => [ID], { description: 'Inspectors of the agency that owns the case' })
  @ArrayMinSize(1, { message: 'must name at least one inspector' })
  @ArrayMaxSize(20, { message: 'must have at most 20 inspectors' })
  inspectorIds!: string[];
}

@InputType({ description: 'Put an inquiry (询问笔录) on the record' })
export class RecordInquiryInput extends CaseRefInput {
  @Field({ description: 'Who was asked' })
  @MinLength(1, { message: 'must not be empty' })
  @MaxLength(200, { message: 'must be at most 200 characters' })
  personAsked!: string;
  @Field(() => String, { nullable: true, description: 'In what capacity (worker, employer’s representative, witness …)' })
  @MaxLength(200, { message: 'must be at most 200 characters' })
  capacity?: string;
  @Field(() => DateTimeResolver, { description: 'When they were asked' })
  askedAt!: Date;
  @Field({ description: 'Where they were asked' })
  @MinLength(2, { message: 'must be at least 2 characters' })
  @MaxLength(300, { message: 'must be at most 300 characters' })
  place!: string;
  @Field(() => [ID], { description: 'The inspectors present: two at least (行政处罚法 第四十二条)' })
  @ArrayMaxSize(10, { message: 'must have at most 10 inspectors' })
  inspectorIds!: string[];
  @Field({ description: 'Where the signed record is filed' })
  @MinLength(1, { message: 'must not be empty' })
  @MaxLength(500, { message: 'must be at most 500 characters' })
  fileRef!: string;
}

@InputType({ description: 'Put an evidence item on the record' })
export class RecordEvidenceInput extends CaseRefInput {
  @Field(() => EvidenceKindEnum, { description: 'Its kind' })
  kind!: EvidenceKind;
  @Field({ description: 'What it is' })
  @MinLength(2, { message: 'must be at least 2 characters' })
  @MaxLength(4000, { message: 'must be at most 4000 characters' })
  description!: string;
  @Field(() => DateTimeResolver, { description: 'When it was collected' })
  collectedAt!: Date;
  @Field(() => [ID], { description: 'The inspectors who collected it: two at least (行政处罚法 第四十二条)' })
  @ArrayMaxSize(10, { message: 'must have at most 10 inspectors' })
  collectedBy!: string[];
  @Field({ description: 'Where the item or its copy is filed' })
  @MinLength(1, { message: 'must not be empty' })
  @MaxLength(500, { message: 'must be at most 500 characters' })
  fileRef!: string;
}
