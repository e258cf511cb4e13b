import { addWorkingDays } from '../domain/working-days';

/**
 * The administrative penalty (行政处罚) by the Administrative Penalty Law (行政处罚法, as revised 2021), as data with
 * each figure's source. Working-day periods are turned into instants by the API (the holiday calendar lives outside
 * workflow code) and travel into the penalty workflow as instants.
 */

/** How a day count of the law is counted. */
export type DayCount = 'WORKING_DAYS' | 'CALENDAR_DAYS';

/**
 * 行政处罚法 第八十五条: "本法中'二日''三日''五日''七日'的规定是指工作日，不含法定节假日。" The law's 2-, 3-, 5- and
 * 7-day periods are working days; any other day count of the law is counted in calendar days.
 */
export const PENALTY_LAW_DAY_COUNTS: ReadonlyArray<{ days: number; counts: DayCount; source: string }> = [
  { days: 2, counts: 'WORKING_DAYS', source: '行政处罚法 第八十五条' },
  { days: 3, counts: 'WORKING_DAYS', source: '行政处罚法 第八十五条' },
  { days: 5, counts: 'WORKING_DAYS', source: '行政处罚法 第八十五条' },
  { days: 7, counts: 'WORKING_DAYS', source: '行政处罚法 第八十五条' },
];

/** How the Administrative Penalty Law counts a period of `days` days (第八十五条; other counts are calendar days). */
export function penaltyDayCount(days: number): DayCount {
  return PENALTY_LAW_DAY_COUNTS.find((r) => r.days === days)?.counts ?? 'CALENDAR_DAYS';
}

export interface PenaltyPeriod {
  days: number;
  source: string;
}

export interface PenaltyRules {
  /** 陈述、申辩: the time the party has after the notice to state its case and defend itself. */
  statementAndDefence: PenaltyPeriod;
  /** 听证: a hearing is requested within this many days of the notice (large fines only). */
  hearingRequest: PenaltyPeriod;
  /** 送达: a decision not handed over when announced is served within this many days. */
  decisionService: PenaltyPeriod;
  /** 较大数额罚款: a fine of at least this much (fen) gives the right to a hearing. */
  largeFine: { amountFen: number; source: string };
  /** 重大违法行为: a fine of at least this much (fen), or a case marked serious, needs collective deliberation. */
  serious: { amountFen: number; source: string };
  /** 执法人员不得少于两人: inspectors present at an inquiry or when evidence is collected. */
  minimumOfficersPresent: { count: number; source: string };
}

export const penaltyRules: PenaltyRules = {
  statementAndDefence: {
    days: 3,
    source:
      'local practice (city configuration): 行政处罚法 第四十四、四十五条 give the party the right to state and defend its case after ' +
      'the notice but fix no period; 3 days is the period the notice commonly gives, counted in working days (第八十五条)',
  },
  hearingRequest: { days: 5, source: '行政处罚法 第六十四条第一项 (within 5 days of the notice), working days by 第八十五条' },
  decisionService: {
    days: 7,
    source: '行政处罚法 第六十一条 (served within 7 days when the party was not present), working days by 第八十五条',
  },
  largeFine: {
    amountFen: 5_000_000,
    source:
      'provincial configuration: 行政处罚法 第六十三条 gives a hearing for a "较大数额罚款" and leaves the amount to each province; ' +
      'the ¥50,000 default is a placeholder taken from no source: set it from the province’s rule',
  },
  serious: {
    amountFen: 10_000_000,
    source:
      'provincial configuration: 行政处罚法 第五十七条第二款 requires collective deliberation by the agency’s heads for complex or ' +
      'serious violations and leaves "serious" to each province; the ¥100,000 default is a placeholder taken from no source',
  },
  minimumOfficersPresent: { count: 2, source: '行政处罚法 第四十二条 (执法人员不得少于两人); 劳动保障监察条例 第十六条' },
};

/**
 * The end of a penalty-law period of `days` days starting on the day of `from` (the day itself not counted): the end of
 * the `days`-th working day for the law's 2/3/5/7-day periods (第八十五条), else the end of the `days`-th calendar day.
 */
export function penaltyPeriodEnd(from: Date, days: number): Date {
  if (penaltyDayCount(days) === 'WORKING_DAYS') return addWorkingDays(from, days);
  // Calendar days: the end of the Beijing day `days` days after the day of `from`.
  const startOfDay = Date.parse(`${new Date(from.getTime() + 8 * 3_600_000).toISOString().slice(0, 10)}T00:00:00+08:00`);
  return new Date(startOfDay + (days + 1) * 86_400_000 - 1);
}

/** The penalty's working-day deadlines from the notice (statement, hearing request) and from the decision (service). */
export function noticeDeadlines(noticeAt: Date, largeFine: boolean): { statementDue: Date; hearingRequestDue: Date | null } {
  return {
    statementDue: penaltyPeriodEnd(noticeAt, penaltyRules.statementAndDefence.days),
    hearingRequestDue: largeFine ? penaltyPeriodEnd(noticeAt, penaltyRules.hearingRequest.days) : null,
  };
}

export function decisionServiceDue(decidedAt: Date): Date {
  return penaltyPeriodEnd(decidedAt, penaltyRules.decisionService.days);
}
