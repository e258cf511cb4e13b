import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { CaseSectorEnum, CaseStatusEnum, ChannelEnum } from '../api/enums';
import { DivisionCodeScalar, LocalDateScalar, MoneyScalar } from '../api/scalars';
import type { CaseSector, CaseStatus } from '../cases/case.entity';
import { ProcessKindEnum } from '../processes/process.types';
import type { Channel } from '../rules/case-deadlines';
import {
  OPEN_CASE_AGE_LABELS,
  OPEN_CASE_AGES,
  STATISTICS_DIMENSIONS,
  type OpenCaseAge,
  type StatisticsDimension,
} from './statistics.model';

/** An enum with a description of its own and of each value (Chinese term first). */
function describedEnum<T extends string>(name: string, description: string, values: readonly T[], labels: Record<T, string>): Record<T, T> {
  const e = Object.fromEntries(values.map((v) => [v, v])) as Record<T, T>;
  registerEnumType(e, {
    name,
    description,
    valuesConfig: Object.fromEntries(values.map((v) => [v, { description: labels[v] }])) as never,
  });
  return e;
}

export const StatisticsDimensionEnum = describedEnum(
  'StatisticsDimension',
  '分组维度: what the statistics are grouped by',
  STATISTICS_DIMENSIONS,
  {
    DISTRICT: '区: by the district of the case’s region',
    STREET: '街道: by the street of the case’s region (none for a case placed only at district level)',
    CHANNEL: '来源渠道: by the channel the case came in on',
    SECTOR: '行业领域: construction or other',
    STATUS: '案件状态: by the case’s status now',
    OWNING_AGENCY: '承办单位: by the inspection agency that owns the case',
    DAY: '按日: by Beijing day of receipt',
    WEEK: '按周: by week of receipt (weeks start on Monday, Beijing days)',
    MONTH: '按月: by month of receipt (Beijing days)',
  },
);

export const OpenCaseAgeEnum = describedEnum(
  'OpenCaseAge',
  '在办案件账龄: where an open case stands against its own acceptance and resolution deadlines',
  OPEN_CASE_AGES,
  OPEN_CASE_AGE_LABELS,
);

@InputType({ description: '统计范围: which cases the statistics count; every condition narrows, none counts all the caller may see' })
export class StatisticsFilter {
  @Field(() => LocalDateScalar, { nullable: true, description: 'First Beijing day of receipt (inclusive)' })
  from?: string;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Last Beijing day of receipt (inclusive)' })
  to?: string;

  @Field(() => DivisionCodeScalar, {
    nullable: true,
    description: '行政区划: a district or street; its cases and those of every region below it',
  })
  regionCode?: string;

  @Field(() => ChannelEnum, { nullable: true, description: '来源渠道: only cases that came in on this channel' })
  channel?: Channel;

  @Field(() => CaseSectorEnum, { nullable: true, description: '行业领域: only cases of this sector' })
  sector?: CaseSector;

  @Field(() => CaseStatusEnum, { nullable: true, description: '案件状态: only cases in this status now' })
  status?: CaseStatus;

  @Field(() => ID, { nullable: true, description: '承办单位: only cases owned by this inspection agency' })
  owningAgencyId?: string;
}

@ObjectType('StatisticsFigures', { description: '统计数字: the figures of a set of cases (those received in the range), summed' })
export class StatisticsFiguresType {
  @Field(() => Int, { description: '收案数: cases received' })
  casesReceived!: number;

  @Field(() => Int, { description: '受理数: of those, cases accepted (filed) at some time' })
  casesAccepted!: number;

  @Field(() => Int, { description: '解决数: of those, cases resolved (wages paid) at some time' })
  casesResolved!: number;

  @Field(() => Int, { description: '结案数: of those, cases closed' })
  casesClosed!: number;

  @Field(() => Int, { description: '涉及人数: workers the complaints said were owed (as given; an unknown count adds nothing)' })
  workersClaimed!: number;

  @Field(() => MoneyScalar, { description: '投诉金额: amounts the complaints claimed, in fen (as given; an unknown amount adds nothing)' })
  fenClaimed!: number;

  @Field(() => Int, { description: '支付人数: workers recorded as paid (the sum of the payments’ worker counts)' })
  workersPaid!: number;

  @Field(() => MoneyScalar, { description: '追发金额: the sum of the payments recorded, in fen' })
  fenRecovered!: number;
}

@ObjectType('StatisticsGroup', { description: '分组统计: one group of the cases counted; only the grouped-by fields are set' })
export class StatisticsGroupType {
  @Field(() => DivisionCodeScalar, { nullable: true, description: 'The district (DISTRICT)' })
  districtCode!: string | null;

  @Field(() => DivisionCodeScalar, { nullable: true, description: 'The street (STREET); null for cases placed at district level' })
  streetCode!: string | null;

  @Field(() => ChannelEnum, { nullable: true, description: 'The channel (CHANNEL)' })
  channel!: string | null;

  @Field(() => CaseSectorEnum, { nullable: true, description: 'The sector (SECTOR)' })
  sector!: string | null;

  @Field(() => CaseStatusEnum, { nullable: true, description: 'The status now (STATUS)' })
  status!: string | null;

  @Field(() => LocalDateScalar, {
    nullable: true,
    description: 'First Beijing day of the period (DAY, WEEK starting Monday, or MONTH)',
  })
  period!: string | null;

  @Field(() => StatisticsFiguresType, { description: 'The figures of this group' })
  figures!: StatisticsFiguresType;

  owningAgencyId!: string | null;
}

@ObjectType('OpenCasesByAge', { description: '在办案件账龄: open cases by where they stand against their own statutory deadlines' })
export class OpenCasesByAgeType {
  @Field(() => OpenCaseAgeEnum, { description: 'Where the cases stand against their clock' })
  bucket!: OpenCaseAge;

  @Field({ description: 'The bucket in words (Chinese, with the clock it is measured against)' })
  label!: string;

  @Field(() => Int, { description: 'Open cases in the bucket' })
  count!: number;
}

@ObjectType('OverdueSteps', {
  description: '超期环节: open processes whose awaited step is past its due time, for one agency and process kind',
})
export class OverdueStepsType {
  @Field(() => ProcessKindEnum, { description: 'The kind of process' })
  processKind!: string;

  @Field(() => Int, { description: 'Processes waiting on this agency past their due time' })
  count!: number;

  agencyId!: string;
}

@ObjectType('CallbackFigures', { description: '回访情况: the callbacks of the cases counted and what the complainants answered' })
export class CallbackFiguresType {
  @Field(() => Int, { description: '应回访: callbacks scheduled' })
  due!: number;

  @Field(() => Int, { description: '已回访: callbacks made (the complainant reached and the answers recorded)' })
  done!: number;

  @Field(() => Int, { description: '联系上: callbacks that reached the complainant' })
  reached!: number;

  @Field(() => Int, { description: '工资足额到位: complainants who said the wages arrived in full' })
  wagesReceivedInFull!: number;

  @Field(() => Int, { description: '满意' })
  satisfied!: number;

  @Field(() => Int, { description: '基本满意' })
  basicallySatisfied!: number;

  @Field(() => Int, { description: '不满意' })
  dissatisfied!: number;
}

@ObjectType('CaseStatistics', { description: '案件统计: figures over the cases the caller may see (the case list’s scope)' })
export class CaseStatisticsType {
  @Field(() => StatisticsFiguresType, { description: 'The figures of all cases counted (the sum of every grouping)' })
  totals!: StatisticsFiguresType;

  @Field(() => [StatisticsGroupType], { description: 'The figures by the requested dimensions; empty without groupBy' })
  groups!: StatisticsGroupType[];

  @Field(() => [OpenCasesByAgeType], { description: 'The open cases among those counted, by age against their deadlines' })
  openByAge!: OpenCasesByAgeType[];

  @Field(() => [OverdueStepsType], { description: 'Overdue steps of the open processes of the cases counted, by agency and kind' })
  overdueSteps!: OverdueStepsType[];

  @Field(() => CallbackFiguresType, { description: 'The callbacks of the cases counted' })
  callbacks!: CallbackFiguresType;
}

export type { StatisticsDimension };
