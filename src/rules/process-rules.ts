import type { Duration } from '@temporalio/common';

/**
 * The clocks of the cross-agency processes, as data with their legal or local source (DOMAIN.md §5). Each clock
 * says how it is counted: in WORKING_DAYS (State Council calendar, ends 24:00 Beijing of the last working day), in
 * CALENDAR_DAYS (民法典 arts. 201–203, see `calendarDayCounting`) or in HOURS (a plain duration). Day clocks are
 * turned into instants by the API (the calendar lives outside workflow code) and passed to the workflow, in its
 * input for a clock that starts with it, as an argument of the update whose step starts it otherwise. `duration`
 * is what a workflow started before instants were passed (recorded histories) still waits.
 */
export type ClockCounting = 'WORKING_DAYS' | 'CALENDAR_DAYS' | 'HOURS';

/** How a period in calendar days is counted, with its source. */
export const calendarDayCounting = {
  rule: 'the day the period starts is not counted; it ends at 24:00 Beijing of its last day; a last day that is not a working day moves to the end of the next working day',
  source:
    '民法典 第二百零一条 (按照年、月、日计算期间的，开始的当日不计入，自下一日开始计算), 第二百零三条 (期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日；期间的最后一日的截止时间为二十四时)',
} as const;

/** No law and no seed gives the figure: a city sets it. The wording every such rule carries. */
export const LOCAL_CONFIGURATION_NO_SOURCE = 'local configuration: no law or seed gives this figure';

export interface WorkingDayStep {
  counting: 'WORKING_DAYS';
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
  escalationLadderSource: string;
}

export const dispatchRules: DispatchRules = {
  acknowledge: {
    counting: 'WORKING_DAYS',
    workingDays: 1,
    source: `${LOCAL_CONFIGURATION_NO_SOURCE} (acknowledge by the end of the next working day); the mechanism is 三交办 of seed 003 (Qingdao), which sets no deadline`,
  },
  firstReport: {
    counting: 'WORKING_DAYS',
    workingDays: 3,
    source: `${LOCAL_CONFIGURATION_NO_SOURCE} (first report within 3 working days); seed 003 (Qingdao) only says the contractor reports to inspection`,
  },
  escalationLadder: [
    { level: 'REMINDER', afterWorkingDays: 0 },
    { level: 'SUPERVISOR', afterWorkingDays: 1 },
    { level: 'CITY_DAILY_REPORT', afterWorkingDays: 2 },
  ],
  escalationLadderSource: `${LOCAL_CONFIGURATION_NO_SOURCE} (reminder, then the supervisor, then the city daily report, one working day apart); DOMAIN.md §5 names the ladder, seed 003 gives no steps or days`,
};

/** A period of whole calendar days, counted per `calendarDayCounting`. */
export interface CalendarClock {
  counting: 'CALENDAR_DAYS';
  days: number;
  /** What a workflow started without the instant waits (replays of histories recorded before instants). */
  duration: Duration;
  source: string;
  counted: string;
}

/** A period in hours: a plain duration from the event. */
export interface HourClock {
  counting: 'HOURS';
  duration: Duration;
  source: string;
}

function calendarDays(days: number, source: string): CalendarClock {
  return { counting: 'CALENDAR_DAYS', days, duration: `${days} days`, source, counted: calendarDayCounting.source };
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
  send: HourClock;
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
  approval: calendarDays(3, '行政执法机关移送涉嫌犯罪案件的规定 第五条: the head of the agency decides on a referral within 3 days'),
  send: {
    counting: 'HOURS',
    duration: '24 hours',
    source: '行政执法机关移送涉嫌犯罪案件的规定 第五条: an approved referral is sent within 24 hours',
  },
  policeDecision: calendarDays(
    3,
    '行政执法机关移送涉嫌犯罪案件的规定 第八条 and seed 002: police decide within 3 days of receiving the referral',
  ),
  reconsiderationRequest: calendarDays(
    3,
    '行政执法机关移送涉嫌犯罪案件的规定 第九条: the agency may ask for reconsideration within 3 days of the decision to decline',
  ),
  reconsiderationDecision: calendarDays(3, '行政执法机关移送涉嫌犯罪案件的规定 第九条: police decide the reconsideration within 3 days'),
};

export interface MediationRules {
  agreementWindow: CalendarClock;
}

export const mediationRules: MediationRules = {
  agreementWindow: calendarDays(
    15,
    '劳动争议调解仲裁法 第十四条: no agreement within 15 days of the request, and the parties may go to arbitration',
  ),
};
