import type { Actor } from '../core/actor';
import { HANDOVER_ANSWERERS, hasRole } from './roles';

/**
 * Cross-region access to a case (协查), for labour inspection agencies whose region does not cover the case (table
 * `case_access`, one row per case and agency). Labour inspection otherwise sees by region; these are the only
 * exceptions, and they exist only for a case handed over to another city's inspection agency:
 * - `HANDOVER_PENDING`: a handover to the agency waits for its answer. Its supervisors and directors (those who
 *   answer a handover, HANDOVER_ANSWERERS) see the whole case — the complaint, the roster, the file — as labour
 *   inspection sees a case, because accepting a case is deciding to take on its facts and its clocks; its other staff
 *   do not, until it accepts. The sender still owns the case (首问负责) and alone changes it.
 * - `OWNER`: the agency accepted and owns the case: all its staff see it, it shows in its lists, and only it changes
 *   it (the case's own region keeps reading it, below).
 * - `HANDLED`: the agency owned the case and handed it on: it keeps reading it (what it did is on the file, and it may
 *   be asked about it), it changes nothing.
 * The case's region is where the violation is, and stays so: the agencies of that region (the first one among them,
 * which took the complaint, answers the complainant, 首问负责) keep reading the case, and while another region's agency
 * owns it they change nothing of it (`mayChangeCase`).
 */
export const CASE_GRANTS = ['HANDOVER_PENDING', 'OWNER', 'HANDLED'] as const;
export type CaseGrant = (typeof CASE_GRANTS)[number];

/** Whether a grant of `access` lets this caller of the granted agency see the case. */
export function grantLetsSee(actor: Pick<Actor, 'roles'>, access: CaseGrant): boolean {
  return access !== 'HANDOVER_PENDING' || hasRole(actor, HANDOVER_ANSWERERS);
}

/**
 * Whether labour inspection caller sees a case: by its region, or by a grant to its agency (TypeScript form of the
 * SQL scope in case-scope.ts; test/cross-region-handover.test.ts checks both agree for every persona and case).
 */
export function inspectionSeesCase(
  actor: Pick<Actor, 'agencyId' | 'roles'>,
  c: { inRegionOfActor: boolean; grants: ReadonlyArray<{ agencyId: string; access: CaseGrant }> },
): boolean {
  return c.inRegionOfActor || c.grants.some((g) => g.agencyId === actor.agencyId && grantLetsSee(actor, g.access));
}

/**
 * Whether a labour inspection caller who sees a case may change it (record contact, accept, pay …): its owner always;
 * an agency of the case's region, unless another region's agency owns it (held by an OWNER grant); a pending
 * receiver or a former owner never.
 */
export function mayChangeCase(
  actor: Pick<Actor, 'agencyId'>,
  c: { owningAgency: string; inRegionOfActor: boolean; heldByGrant: boolean },
): boolean {
  if (actor.agencyId === c.owningAgency) return true;
  return c.inRegionOfActor && !c.heldByGrant;
}

/** The grant condition as SQL over `c` (wage_case): params [agencyId, the caller answers handovers]. */
export const CASE_GRANT_SQL = `exists (select 1 from case_access ca where ca.case_id = c.id and ca.agency_id = ?
  and (ca.access <> 'HANDOVER_PENDING' or ?::boolean))`;

export function caseGrantParams(actor: Pick<Actor, 'agencyId' | 'roles'>): unknown[] {
  return [actor.agencyId, hasRole(actor, HANDOVER_ANSWERERS)];
}
