/**
 * The two-year limit on investigating a violation (查处时效), as data with its source. The case records the period
 * of the violation; a violation that ended more than two years before the first complaint reached inspection is
 * flagged with this rule, and a rejection cites it.
 */
export interface ViolationLimitationRule {
  years: number;
  rule: string;
  source: string;
  /** How the two years are counted from the day the violation ended. */
  counted: string;
}

export const violationLimitation: ViolationLimitationRule = {
  years: 2,
  rule: 'a violation not found by labour inspection, nor reported or complained of, within 2 years of the day it occurred (or, if it continued, the day it ended) is not investigated',
  source:
    '劳动保障监察条例 第二十条: 违反劳动保障法律、法规或者规章的行为在2年内未被劳动保障行政部门发现，也未被举报、投诉的，劳动保障行政部门不再查处。前款规定的期限，自违反劳动保障法律、法规或者规章的行为发生之日起计算；违反劳动保障法律、法规或者规章的行为有连续或者继续状态的，自行为终了之日起计算。',
  counted:
    '民法典 第二百零一条, 第二百零二条: the day the violation ended is not counted; the period ends on the corresponding date two years on (the last day of the month when that month has no such date); a complaint received (Beijing date) after that day is out of time',
};
