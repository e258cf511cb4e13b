import type { Actor } from '../core/actor';

/**
 * The agencies that see personal data whole: labour inspection, and the two other bodies of HRSS (人社局) a case
 * may be referred to, which see only the cases referred to them (`caseScope`): the labour dispute arbitration
 * commission, whose office (仲裁院) sits in HRSS and which cannot register a claim without the worker's name and
 * identity (劳动争议调解仲裁法 第二十八条), and the work-injury office, HRSS's social insurance administration
 * (工伤保险条例 第五条), which determines a named, identified worker's injury (第十八条). DOMAIN.md §3: personal data
 * is shown whole only to HRSS roles. Every other agency sees it masked.
 */
export const PERSONAL_DATA_AGENCY_KINDS: readonly string[] = ['HRSS_INSPECTION', 'LABOUR_ARBITRATION', 'WORK_INJURY_OFFICE'];

export function seesPersonalData(actor: Actor | undefined): boolean {
  return !!actor?.agencyKind && PERSONAL_DATA_AGENCY_KINDS.includes(actor.agencyKind);
}

/** Masked forms for callers that must not see personal data whole: 张*, 138****1234, 110***********1234. */
export const mask = {
  name: (v: string) => (v.length <= 1 ? '*' : `${[...v][0]}${'*'.repeat([...v].length - 1)}`),
  mobile: (v: string) => (v.length === 11 ? `${v.slice(0, 3)}****${v.slice(7)}` : '*'.repeat(v.length)),
  residentId: (v: string) => (v.length === 18 ? `${v.slice(0, 3)}${'*'.repeat(11)}${v.slice(14)}` : '*'.repeat(v.length)),
};
