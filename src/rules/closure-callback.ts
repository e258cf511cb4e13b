/**
 * 结案 and 回访 / 回头看: the rules a city sets for closing a case and calling the complainant back afterwards,
 * as data with their source. No law gives these figures: seed 003 (Qingdao) describes sampled "回头看" by
 * telephone after closing (是否解决、工资是否补发到位、程序是否合法、是否满意) but names neither a sampling rate
 * nor a period, so each figure below is local configuration, to be set by the city.
 */
export interface WorkingDayRule {
  workingDays: number;
  source: string;
}

export interface CallbackRules {
  /** The share of closed cases called back, 0 < rate ≤ 1 (1: every closed case). */
  samplingRate: { rate: number; source: string };
  /** The callback is made by the end of the n-th working day after the case was closed; missing it escalates once. */
  callbackWithin: WorkingDayRule;
  /** A callback that finds wages not received in full, or a dissatisfied complainant, goes to the supervisor's review, decided within n working days. */
  reviewWithin: WorkingDayRule;
}

export const callbackRules: CallbackRules = {
  // The default only: each city sets its own (`CALLBACK_SAMPLE_RATE`, src/config.ts, passed in by the composition root).
  samplingRate: {
    rate: 1,
    source:
      'local configuration (city, CALLBACK_SAMPLE_RATE): all closed cases by default; seed 003 (青岛) samples "回头看" but gives no rate',
  },
  callbackWithin: {
    workingDays: 10,
    source: 'local configuration (city): no law or seed gives a period for the callback (seed 003 describes it without one)',
  },
  reviewWithin: {
    workingDays: 5,
    source: 'local configuration (city): no law or seed gives a period for the supervisor’s review of a callback',
  },
};

/**
 * Processes that outlive the case by law and do not hold up its closing: a referral the police hold (sent, filed as
 * a criminal case, or under reconsideration) goes on after the case closes (行政执法机关移送涉嫌犯罪案件的规定 第八条、
 * 第九条: the police decide and answer; the case is handled administratively meanwhile).
 */
export const PROCESSES_OUTLIVING_CASE: Readonly<Record<string, readonly string[]>> = {
  POLICE_REFERRAL: ['SENT', 'FILED', 'RECONSIDERATION_REQUESTED'],
};

/**
 * Whether a closed case is called back at the given rate. Deterministic in the case id (the same case is always
 * sampled or not): the first 8 hex digits of the id as a fraction of 2^32 against the rate.
 */
export function sampledForCallback(caseId: string, rate: number = callbackRules.samplingRate.rate): boolean {
  if (rate >= 1) return true;
  if (rate <= 0) return false;
  const n = parseInt(caseId.replace(/-/g, '').slice(0, 8), 16);
  return Number.isFinite(n) && n / 0x1_0000_0000 < rate;
}
