import type { Actor } from '../core/actor';
import { forbidden } from '../domain/errors';
import { CASE_GRANT_SQL, caseGrantParams } from './case-grants';
import { PARTIES_SEE_PROCESS_SQL } from './process-visibility';
import { signedIn } from './signed-in';

/**
 * What a caller may read, as SQL conditions: the list, the counts, the cursors and the feed are scoped in the
 * query itself, so no page ever holds a row the caller may not see; a single record out of scope is NOT_FOUND.
 */

/** The regions at and below the acting agency's region, by the stored ancestry path. */
export const AGENCY_REGION_AND_BELOW = `select r.code from region r where r.ancestors @> array[(select ag.region_code from agency ag where ag.id = ?)]::text[]`;

/**
 * What `mayChangeCase` (case-grants.ts) reads of a case `c` for an agency (param: its id): whether the case is in the
 * agency's region (`in_region`), and whether another region's agency holds it by an OWNER grant (`held`, 协查).
 */
export const CASE_CHANGE_FACTS_SQL = `c.region_code in (${AGENCY_REGION_AND_BELOW}) as in_region,
  exists (select 1 from case_access ca where ca.case_id = c.id and ca.agency_id = c.owning_agency_id and ca.access = 'OWNER') as held`;

/** A party to one of the case's processes (as far as its parties see it yet). */
const PARTY_TO_A_PROCESS = `exists (select 1 from case_process cp join process_party pp on pp.process_id = cp.id
  where cp.case_id = c.id and pp.agency_id = ? and ${PARTIES_SEE_PROCESS_SQL})`;

/** What a caller may see of the cases, as SQL over `c` (wage_case); `regionOnly` when it reads `c.region_code` alone. */
export interface CaseScope {
  sql: string;
  params: unknown[];
  regionOnly?: boolean;
  /**
   * Labour inspection: its scope by region alone, which is the whole scope for an agency holding no cross-region
   * grant (`case_access`, see case-grants.ts): the case list checks that and then takes the per-region fast path.
   */
  regional?: { agencyId: string; sql: string; params: unknown[] };
}

export function caseScope(actor: Actor | undefined): CaseScope {
  if (!actor?.agencyKind) return { sql: 'false', params: [] };
  const id = actor.agencyId;
  const own = ((): { sql: string; params: unknown[] } | undefined => {
    switch (actor.agencyKind) {
      case 'HRSS_INSPECTION':
        return { sql: `c.region_code in (${AGENCY_REGION_AND_BELOW})`, params: [id] };
      case 'DISTRICT_GOVERNMENT':
      case 'STREET_GOVERNMENT':
        // Besides what is dispatched to it: the cases it sent in itself (a grid patrol's findings).
        return {
          sql: `exists (select 1 from case_event re where re.case_id = c.id and re.seq = 1 and re.actor_agency_id = ?)`,
          params: [id],
        };
      case 'INDUSTRY_REGULATOR':
        return { sql: `exists (select 1 from project pr where pr.id = c.project_id and pr.regulator_id = ?)`, params: [id] };
      case 'CONTRACTOR_HQ':
        return {
          sql: `exists (select 1 from project pr join agency hq on hq.id = ? where pr.id = c.project_id and pr.general_contractor_id = hq.employer_id)`,
          params: [id],
        };
      case 'PROCURATORATE':
        // Referrals it was asked to supervise, and referrals in its area whose police decision went overdue.
        return {
          sql: `exists (select 1 from case_process cp where cp.case_id = c.id and cp.kind = 'POLICE_REFERRAL' and (cp.facts->>'procuratorateAgencyId' = ?
                  or (c.region_code in (${AGENCY_REGION_AND_BELOW}) and exists (select 1 from case_event e where e.case_id = c.id and e.type = 'ESCALATED' and e.payload->>'escalateTo' = 'PROCURATORATE'))))`,
          params: [id, id],
        };
      case 'INTEGRATOR':
        // The cases a complaint of which came on its channel: those it opened and those its complaints joined.
        return {
          sql: `exists (select 1 from case_complainant icc where icc.case_id = c.id and icc.channel = (select channel from agency where id = ?))`,
          params: [id],
        };
      default:
        return undefined;
    }
  })();
  if (actor.agencyKind === 'HRSS_INSPECTION') {
    // By region; and the cases of other regions handed over to it (协查: pending, owned, handled).
    return {
      sql: `(${own!.sql} or ${CASE_GRANT_SQL})`,
      params: [...own!.params, ...caseGrantParams(actor)],
      regional: { agencyId: id, ...own! },
    };
  }
  // Every other agency also sees the cases whose processes it takes part in (recipient, invitee, police).
  return own ? { sql: `(${own.sql} or ${PARTY_TO_A_PROCESS})`, params: [...own.params, id] } : { sql: PARTY_TO_A_PROCESS, params: [id] };
}

/** `case_entry_visible_to` over `case_event e`, for one agency id (null: nothing is visible). */
export const ENTRY_VISIBLE_SQL = 'case_entry_visible_to(?::uuid, e.payload)';

/**
 * The case-file entries (`case_event e`) this caller may see on a case it may see: the one rule in the database,
 * `case_entry_visible_to`, which the case read, the event feed and the webhook trigger all call. An entry of a
 * process the caller takes no part in is left out.
 */
export function processEntryScope(actor: Actor | undefined): { sql: string; params: unknown[] } {
  return { sql: ENTRY_VISIBLE_SQL, params: [actor?.agencyKind ? actor.agencyId : null] };
}

/**
 * The webhook deliveries a caller may see and replay, as SQL over `d` (webhook_delivery), `ep` (its endpoint),
 * `c` (its case) and `e` (its entry): an integrator's own, of entries it may read; a director of labour inspection,
 * those of the cases its agency may see (a district's director, the district's; the city's, the city's).
 */
export function webhookDeliveryScope(ctx: { actor?: Actor }): { sql: string; params: unknown[] } {
  const actor = signedIn(ctx);
  const cases = caseScope(actor);
  if (actor.agencyKind === 'INTEGRATOR')
    return { sql: `ep.agency_id = ? and ${cases.sql} and ${ENTRY_VISIBLE_SQL}`, params: [actor.agencyId, ...cases.params, actor.agencyId] };
  if (actor.agencyKind === 'HRSS_INSPECTION' && actor.roles.includes('DIRECTOR')) return cases;
  throw forbidden('webhook deliveries are for their integrator and for the directors of labour inspection');
}
