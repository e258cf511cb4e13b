import type { Duration } from '@temporalio/common';

/**
 * The clocks of the cross-agency processes, as data with their legal or local source (DOMAIN.md §5). Working-day
 * clocks are turned into instants by the API when a process starts (the calendar lives outside workflow code);
 * calendar-time clocks travel into the workflow as durations, so a running process keeps the rule it started under.
 */
export interface WorkingDayStep {
  workingDays: number;
  source: string;
}

export type DispatchEscalationLevel = 'REMINDER' | 'SUPERVISOR' | 'CITY_DAILY_REPORT';

export interface DispatchRules {
  /** Acknowledge by the end of the n-th working day after the dispatch. */
  acknowledge: WorkingDayStep;
  /** First report within n working days of the dispatch. */
  firstReport: WorkingDayStep;
  /** Silence past a deadline climbs this ladder, each step n working days after the deadline. */
  escalationLadder: Array<{ level: DispatchEscalationLevel; afterWorkingDays: number }>;
}

export const dispatchRules: DispatchRules = {
  acknowledge: {
    workingDays: 1,
    source: '三交办 (Qingdao): recipients acknowledge by the end of the next working day (city configuration)',
  },
  firstReport: { workingDays: 3, source: '三交办 (Qingdao): recipients report what they did within 3 working days (city configuration)' },
  escalationLadder: [
    { level: 'REMINDER', afterWorkingDays: 0 },
    { level: 'SUPERVISOR', afterWorkingDays: 1 },
    { level: 'CITY_DAILY_REPORT', afterWorkingDays: 2 },
  ],
};

export interface CalendarClock {
  duration: Duration;
  source: string;
}

export interface PoliceReferralRules {
  /** A referral team has at least this many inspectors. */
  minimumTeam: number;
  /**
   * The crime threshold (拒不支付劳动报酬罪), per worker: one worker owed `oneWorker.months` months or more and at
   * least `oneWorker.amountFen`, or `manyWorkers.workers` or more workers owed at least `manyWorkers.amountFen` in
   * all. Each province fixes the two figures within the interpretation's ranges. Either condition suffices.
   */
  crimeThreshold: {
    oneWorker: { months: number; amountFen: number };
    manyWorkers: { workers: number; amountFen: number };
    source: string;
  };
  approval: CalendarClock;
  send: CalendarClock;
  policeDecision: CalendarClock;
  reconsiderationRequest: CalendarClock;
  reconsiderationDecision: CalendarClock;
}

export const policeReferralRules: PoliceReferralRules = {
  minimumTeam: 2,
  crimeThreshold: {
    oneWorker: { months: 3, amountFen: 1_000_000 },
    manyWorkers: { workers: 10, amountFen: 3_000_000 },
    source:
      '最高人民法院《关于审理拒不支付劳动报酬刑事案件适用法律若干问题的解释》(2013) 第三条: one worker owed 3 months of wages or more and ¥5,000–20,000 or more, or 10 or more workers owed ¥30,000–100,000 or more in all; each province fixes its figures in those ranges. The figures here (¥10,000; ¥30,000) are city configuration within the ranges, not taken from a provincial notice',
  },
  approval: {
    duration: '3 days',
    source: '行政执法机关移送涉嫌犯罪案件的规定 第五条: the head of the agency decides on a referral within 3 days',
  },
  send: { duration: '24 hours', source: '行政执法机关移送涉嫌犯罪案件的规定 第五条: an approved referral is sent within 24 hours' },
  policeDecision: {
    duration: '3 days',
    source: '行政执法机关移送涉嫌犯罪案件的规定 第八条: police decide within 3 days of receiving the referral',
  },
  reconsiderationRequest: {
    duration: '3 days',
    source: '行政执法机关移送涉嫌犯罪案件的规定 第九条: the agency may ask for reconsideration within 3 days of the decision to decline',
  },
  reconsiderationDecision: {
    duration: '3 days',
    source: '行政执法机关移送涉嫌犯罪案件的规定 第九条: police decide the reconsideration within 3 days',
  },
};

export interface MediationRules {
  agreementWindow: CalendarClock;
}

export const mediationRules: MediationRules = {
  agreementWindow: {
    duration: '15 days',
    source: '劳动争议调解仲裁法 第十四条: no agreement within 15 days of the request, and the parties may go to arbitration',
  },
};
