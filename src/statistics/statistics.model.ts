import type { CaseSector, CaseStatus } from '../cases/case.entity';
import type { Channel } from '../rules/case-deadlines';

/** What the figures are cut by (分组维度). Periods are Beijing days; a week starts on Monday. */
export const STATISTICS_DIMENSIONS = [
  'DISTRICT',
  'STREET',
  'CHANNEL',
  'SECTOR',
  'STATUS',
  'OWNING_AGENCY',
  'DAY',
  'WEEK',
  'MONTH',
] as const;
export type StatisticsDimension = (typeof STATISTICS_DIMENSIONS)[number];

/** Which cases the figures count: those received on the Beijing days `from`..`to` (inclusive), and so on. */
export interface StatisticsFilter {
  /** First Beijing day of receipt, YYYY-MM-DD (inclusive). */
  from?: string | null;
  /** Last Beijing day of receipt, YYYY-MM-DD (inclusive). */
  to?: string | null;
  /** A district or street: the cases of this region and every region below it. */
  regionCode?: string | null;
  channel?: Channel | null;
  sector?: CaseSector | null;
  status?: CaseStatus | null;
  owningAgencyId?: string | null;
}

export interface StatisticsQuery {
  filter?: StatisticsFilter | null;
  /** The dimensions of the groups, each at most once; none: totals only. */
  groupBy?: readonly StatisticsDimension[] | null;
}

/** The sums over a set of cases (their receipt cohort). Money in fen. */
export interface StatisticsFigures {
  /** Cases received. */
  casesReceived: number;
  /** Of those, accepted (受理) at some time. */
  casesAccepted: number;
  /** Of those, resolved (wages paid) at some time. */
  casesResolved: number;
  /** Of those, closed (结案). */
  casesClosed: number;
  /** The workers the complaints said were affected (as given; unknown counts nothing). */
  workersClaimed: number;
  /** The amounts the complaints claimed, in fen (as given; unknown counts nothing). */
  fenClaimed: number;
  /** The workers recorded as paid: the sum of the payments' worker counts. */
  workersPaid: number;
  /** The sum of the payments recorded, in fen. */
  fenRecovered: number;
}

/** One group: the value of each grouped-by dimension (null for the others, and where a case has none) and its figures. */
export interface StatisticsGroup {
  districtCode: string | null;
  streetCode: string | null;
  channel: Channel | null;
  sector: CaseSector | null;
  status: CaseStatus | null;
  owningAgencyId: string | null;
  /** First Beijing day of the DAY/WEEK/MONTH period, YYYY-MM-DD. */
  period: string | null;
  figures: StatisticsFigures;
}

/** Open cases by where they stand against their statutory clock (受理期限 5 working days; 办结期限 60 (+30) or the channel's). */
export const OPEN_CASE_AGES = [
  'AWAITING_ACCEPTANCE_IN_TIME',
  'AWAITING_ACCEPTANCE_OVERDUE',
  'IN_HANDLING_IN_TIME',
  'IN_HANDLING_EXTENDED',
  'IN_HANDLING_OVERDUE',
] as const;
export type OpenCaseAge = (typeof OPEN_CASE_AGES)[number];

export const OPEN_CASE_AGE_LABELS: Record<OpenCaseAge, string> = {
  AWAITING_ACCEPTANCE_IN_TIME: '待受理，受理期限内 (within 5 working days of receipt)',
  AWAITING_ACCEPTANCE_OVERDUE: '待受理，已超受理期限 (past the 5 working days of acceptance)',
  IN_HANDLING_IN_TIME: '办理中，办结期限内 (within 60 working days of acceptance, or the channel’s shorter clock)',
  IN_HANDLING_EXTENDED: '办理中，延期期限内 (within the approved 30-working-day extension)',
  IN_HANDLING_OVERDUE: '办理中，已超办结期限 (past the resolution deadline)',
};

export interface OpenCasesByAge {
  bucket: OpenCaseAge;
  count: number;
}

/** Open processes whose awaited step is past its due time, by the agency that must act and the process kind. */
export interface OverdueSteps {
  agencyId: string;
  processKind: string;
  count: number;
}

/** 回访: callback processes of the cases counted, and what the calls found. */
export interface CallbackFigures {
  /** Callbacks scheduled (one per closed case called back). */
  due: number;
  /** Callbacks made: the complainant reached and the answers recorded. */
  done: number;
  /** Of the callbacks made, how many reached the complainant (a made callback always has). */
  reached: number;
  wagesReceivedInFull: number;
  satisfied: number;
  basicallySatisfied: number;
  dissatisfied: number;
}

export interface StatisticsResult {
  totals: StatisticsFigures;
  groups: StatisticsGroup[];
  openByAge: OpenCasesByAge[];
  overdueSteps: OverdueSteps[];
  callbacks: CallbackFigures;
}
