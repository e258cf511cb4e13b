import { DateTimeResolver } from 'graphql-scalars';
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { LocalDateScalar } from '../api/scalars';
import { forwardPageInfo, PageInfo } from '../api/pagination';
import { REPORT_FIGURES } from './report-figures';
import { DailyReportService, type DailyReportRecord } from './daily-report.service';

@ObjectType('DailyReportFigure', {
  description: 'One figure of a daily report (日通报), with its change since the agency’s previous report',
})
export class DailyReportFigureType {
  @Field({ description: 'The figure’s key: casesReceived, casesAccepted, amountRecoveredFen …' })
  key!: string;

  @Field({ description: 'The figure’s Chinese label as the report prints it (案件受理数 …)' })
  label!: string;

  @Field({ description: 'COUNT (cases or workers) or FEN (money, integer fen; the printed report shows yuan)' })
  unit!: string;

  @Field(() => Float, { description: 'The figure when the report was made' })
  value!: number;

  @Field(() => Float, { nullable: true, description: 'The figure minus the previous report’s (较上次); null on the agency’s first report' })
  delta!: number | null;
}

@ObjectType('DailyReportItem', {
  description: 'An item the daily report flags (督办事项): an escalation addressed to the daily report, or a case past a deadline',
})
export class DailyReportItemType {
  @Field({
    description:
      'ESCALATED (升级督办: an escalation flagged for the daily report since the previous report) or OVERDUE (超期: a case past a deadline when the report was made)',
  })
  kind!: string;

  @Field(() => ID, { description: 'The case' })
  caseId!: string;

  @Field({ description: 'The case’s number (案件编号)' })
  caseNumber!: string;

  @Field({
    description: 'What is late: the escalation’s kind (DISPATCH_REPORT_OVERDUE …) or the deadline (sameDayContact, acceptance, resolution)',
  })
  what!: string;

  @Field(() => String, {
    nullable: true,
    description: 'Who was to act, when the escalation names them (a dispatch recipient’s role, POLICE …)',
  })
  party!: string | null;

  @Field(() => String, { nullable: true, description: 'Whom the escalation went to (CITY_DAILY_REPORT, PROCURATORATE …)' })
  escalateTo!: string | null;

  @Field(() => DateTimeResolver, { nullable: true, description: 'The deadline that passed' })
  deadline!: Date | null;

  @Field(() => DateTimeResolver, { nullable: true, description: 'When the escalation was recorded in the case file' })
  at!: Date | null;
}

@ObjectType('DailyReport', {
  description:
    'An inspection agency’s daily report (日通报), frozen when made: its figures, their change since the previous report, and the flagged items',
})
export class DailyReportType {
  @Field(() => ID, { description: 'The report' })
  id!: string;

  @Field(() => ID, { description: 'The inspection agency it reports on' })
  agencyId!: string;

  @Field({ description: 'The agency’s name' })
  agencyName!: string;

  @Field(() => LocalDateScalar, { description: 'The Beijing day it reports on (one report per agency per day)' })
  day!: string;

  @Field(() => DateTimeResolver, { description: 'When it was made; its figures are as of this instant' })
  madeAt!: Date;

  @Field(() => LocalDateScalar, { nullable: true, description: 'The day of the previous report its changes are counted against' })
  previousDay!: string | null;

  @Field(() => [DailyReportFigureType], { description: 'The figures, in the report’s order' })
  figures!: DailyReportFigureType[];

  @Field(() => [DailyReportItemType], { description: 'The items flagged: escalations first (oldest first), then overdue cases by number' })
  items!: DailyReportItemType[];

  @Field({ description: 'Whether items were left out past the limit of a printable report (the figures count them all)' })
  itemsTruncated!: boolean;

  @Field({ description: 'Where to download it as an Excel workbook (XLSX), with the same bearer token' })
  xlsxPath!: string;

  @Field({ description: 'Where to open it as a printable page, with the same bearer token' })
  printPath!: string;
}

@ObjectType('DailyReportEdge', { description: 'A daily report in a list, with its cursor' })
export class DailyReportEdge {
  @Field({ description: 'Pass as `after` to continue after this report' })
  cursor!: string;

  @Field(() => DailyReportType, { description: 'The report' })
  node!: DailyReportType;
}

@ObjectType('DailyReportConnection', { description: 'A page of an agency’s daily reports, newest day first' })
export class DailyReportConnection {
  @Field(() => [DailyReportEdge], { description: 'The reports of this page' })
  edges!: DailyReportEdge[];

  @Field(() => PageInfo, { description: 'Whether there are more, and the cursor to ask for them' })
  pageInfo!: PageInfo;

  @Field(() => Int, { description: 'All reports of the agency' })
  totalCount!: number;
}

export function toDailyReportType(r: DailyReportRecord): DailyReportType {
  const { figures, deltas, items, previous, itemsTruncated } = r.content;
  return {
    id: r.id,
    agencyId: r.agencyId,
    agencyName: r.agencyName,
    day: r.day,
    madeAt: r.madeAt,
    previousDay: previous?.day ?? null,
    figures: REPORT_FIGURES.map((f) => ({
      key: f.key,
      label: f.label,
      unit: f.unit,
      value: figures[f.key] ?? 0,
      delta: deltas ? (deltas[f.key] ?? 0) : null,
    })),
    items: items.map((i) => ({ ...i, deadline: i.deadline ? new Date(i.deadline) : null, at: i.at ? new Date(i.at) : null })),
    itemsTruncated: !!itemsTruncated,
    xlsxPath: `/reports/${r.id}.xlsx`,
    printPath: `/reports/${r.id}/print`,
  };
}

export function toDailyReportConnection(page: {
  nodes: DailyReportRecord[];
  hasNextPage: boolean;
  totalCount: number;
  /** The cursor the page was asked after (Relay's hasPreviousPage). */
  after?: string | null;
}): DailyReportConnection {
  const edges = page.nodes.map((n) => ({ cursor: DailyReportService.cursorOf(n), node: toDailyReportType(n) }));
  return {
    edges,
    pageInfo: forwardPageInfo(
      edges.map((e) => e.cursor),
      page.hasNextPage,
      page.after,
    ),
    totalCount: page.totalCount,
  };
}
