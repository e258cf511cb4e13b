import type { Actor } from '../core/actor';

/**
 * The processes whose parties see them only once a fact is set: the police see a referral once it is sent. The
 * one home of that rule: `seesProcess` applies it, `PROCESS_PARTY_SQL` renders it for the case scope, and the
 * database's `case_process_visible_to` spells it too (test/entry-visibility.test.ts checks all agree).
 */
export const PARTIES_SEE_ONCE: Readonly<Record<string, string>> = { POLICE_REFERRAL: 'sentAt' };

/** Whether the parties of `p` see it yet. */
export function partiesSeeProcess(p: { kind: string; facts: object }): boolean {
  const fact = PARTIES_SEE_ONCE[p.kind];
  return !fact || (p.facts as Record<string, unknown>)[fact] != null;
}

/** The same rule as SQL over `case_process cp`. */
export const PARTIES_SEE_PROCESS_SQL =
  Object.entries(PARTIES_SEE_ONCE)
    .map(([kind, fact]) => `not (cp.kind = '${kind}' and cp.facts->>'${fact}' is null)`)
    .join(' and ') || 'true';

/**
 * A process on a visible case is shown to labour inspection, and to the agencies that take part in it (a
 * recipient, an invitee, the police it was sent to, the procuratorate asked to supervise).
 */
export function seesProcess(
  actor: Actor | undefined,
  p: { kind: string; facts: { procuratorateAgencyId?: string } },
  partyAgencies: Array<string | undefined>,
): boolean {
  if (!actor?.agencyKind) return false;
  if (actor.agencyKind === 'HRSS_INSPECTION') return true;
  if (p.facts.procuratorateAgencyId === actor.agencyId) return true;
  if (!partiesSeeProcess(p)) return false;
  return partyAgencies.includes(actor.agencyId);
}
