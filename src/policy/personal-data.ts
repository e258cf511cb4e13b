import type { Actor } from '../core/actor';

/** Labour inspection sees personal data whole; every other agency sees it masked. */
export function seesPersonalData(actor: Actor | undefined): boolean {
  return actor?.agencyKind === 'HRSS_INSPECTION';
}

/** Masked forms for callers that must not see personal data whole: 张*, 138****1234, 110***********1234. */
export const mask = {
  name: (v: string) => (v.length <= 1 ? '*' : `${[...v][0]}${'*'.repeat([...v].length - 1)}`),
  mobile: (v: string) => (v.length === 11 ? `${v.slice(0, 3)}****${v.slice(7)}` : '*'.repeat(v.length)),
  residentId: (v: string) => (v.length === 18 ? `${v.slice(0, 3)}${'*'.repeat(11)}${v.slice(14)}` : '*'.repeat(v.length)),
};
