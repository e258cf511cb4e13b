import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Agency } from '../agencies/agency.entity';
import { Employer } from '../employers/employer.entity';
import { Project } from '../projects/project.entity';
import type { Actor, RequestContext } from '../api/context';
import { forbidden, notFound, unauthenticated } from '../domain/errors';
import type { AgencyKind, UserRole } from '../agencies/agency.entity';
import type { Case } from '../cases/case.entity';
import type { Channel } from '../rules/case-deadlines';

/**
 * Who may see and do what (DOMAIN.md §3), in one place. Services call it; resolvers never decide access.
 * Reading is scoped in SQL (`caseScope`), so counts, cursors and pages never include a row the caller may not
 * see; a single record out of scope is NOT_FOUND, never "exists but forbidden".
 */
export const HRSS_ROLES: readonly UserRole[] = ['INTAKE_CLERK', 'INSPECTOR', 'SUPERVISOR', 'DIRECTOR'];
export const CASEWORKERS: readonly UserRole[] = ['INSPECTOR', 'SUPERVISOR', 'DIRECTOR'];

/** The regions at and below the acting agency's region, by the stored ancestry path. */
const AGENCY_REGION_AND_BELOW = `select r.code from region r where r.ancestors @> array[(select ag.region_code from agency ag where ag.id = ?)]::text[]`;

export type CaseAction = 'CONTACT' | 'DECIDE' | 'ASSIGN_LEAD' | 'PAYMENT';
const CASE_ACTION_ROLES: Record<CaseAction, readonly UserRole[]> = {
  CONTACT: HRSS_ROLES,
  DECIDE: CASEWORKERS,
  ASSIGN_LEAD: ['SUPERVISOR', 'DIRECTOR'],
  PAYMENT: CASEWORKERS,
};

export type SignedInActor = Actor & { agencyKind: AgencyKind; roles: string[] };

export function signedIn(ctx: RequestContext): SignedInActor {
  const a = ctx.actor;
  if (!a?.agencyKind) throw unauthenticated('sign in: this needs a token');
  return { ...a, agencyKind: a.agencyKind, roles: a.roles ?? [] };
}

function hasRole(actor: { roles: string[] }, roles: readonly string[]): boolean {
  return roles.some((r) => actor.roles.includes(r));
}

/** Labour inspection sees personal data whole; every other agency sees it masked. */
export function seesPersonalData(actor: Actor | undefined): boolean {
  return actor?.agencyKind === 'HRSS_INSPECTION';
}

/** A party to one of the case's processes (a referral counts for the police once it has been sent). */
const PARTY_TO_A_PROCESS = `exists (select 1 from case_process cp join process_party pp on pp.process_id = cp.id
  where cp.case_id = c.id and pp.agency_id = ? and not (cp.kind = 'POLICE_REFERRAL' and cp.facts->>'sentAt' is null))`;

/** The SQL condition (on `wage_case c`) for the cases this caller may see. */
/** What a caller may see of the cases, as SQL over `c` (wage_case); `regionOnly` when it reads `c.region_code` alone. */
export interface CaseScope {
  sql: string;
  params: unknown[];
  regionOnly?: boolean;
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
        return { sql: `exists (select 1 from case_event re where re.case_id = c.id and re.seq = 1 and re.actor_agency_id = ?)`, params: [id] };
      case 'INDUSTRY_REGULATOR':
        return { sql: `exists (select 1 from project pr where pr.id = c.project_id and pr.regulator_id = ?)`, params: [id] };
      case 'CONTRACTOR_HQ':
        return { sql: `exists (select 1 from project pr join agency hq on hq.id = ? where pr.id = c.project_id and pr.general_contractor_id = hq.employer_id)`, params: [id] };
      case 'PROCURATORATE':
        // Referrals it was asked to supervise, and referrals in its area whose police decision went overdue.
        return {
          sql: `exists (select 1 from case_process cp where cp.case_id = c.id and cp.kind = 'POLICE_REFERRAL' and (cp.facts->>'procuratorateAgencyId' = ?
                  or (c.region_code in (${AGENCY_REGION_AND_BELOW}) and exists (select 1 from case_event e where e.case_id = c.id and e.type = 'ESCALATED' and e.payload->>'escalateTo' = 'PROCURATORATE'))))`,
          params: [id, id],
        };
      case 'INTEGRATOR':
        return { sql: `c.channel = (select channel from agency where id = ?)`, params: [id] };
      default:
        return undefined;
    }
  })();
  if (actor.agencyKind === 'HRSS_INSPECTION') return { ...own!, regionOnly: true };
  // Every other agency also sees the cases whose processes it takes part in (recipient, invitee, police).
  return own ? { sql: `(${own.sql} or ${PARTY_TO_A_PROCESS})`, params: [...own.params, id] } : { sql: PARTY_TO_A_PROCESS, params: [id] };
}

export async function canSeeCase(em: EntityManager, actor: Actor | undefined, caseId: string): Promise<boolean> {
  const scope = caseScope(actor);
  const rows = await em.getConnection().execute(`select 1 from wage_case c where c.id = ? and ${scope.sql}`, [caseId, ...scope.params], 'all', em.getTransactionContext());
  return rows.length > 0;
}

/** A case the caller may see, or NOT_FOUND (whether it exists is not the caller's business). */
export async function requireVisibleCase(ctx: RequestContext, c: Case | null, key: string): Promise<Case> {
  if (!c || !(await canSeeCase(ctx.em, ctx.actor, c.id))) throw notFound('case', key);
  return c;
}

/** A change to a case: labour inspection of the case's jurisdiction, with a role fit for the step. */
export async function authorizeCaseChange(ctx: RequestContext, em: EntityManager, c: Case, action: CaseAction): Promise<void> {
  const actor = signedIn(ctx);
  if (!(await canSeeCase(em, actor, c.id))) throw notFound('case', c.id);
  if (actor.agencyKind !== 'HRSS_INSPECTION' || !hasRole(actor, CASE_ACTION_ROLES[action])) {
    throw forbidden(`this step on a case is labour inspection's, with the role ${CASE_ACTION_ROLES[action].join(' or ')}`);
  }
}

/**
 * Who takes complaints in: labour inspection; an integrator, on its own channel only; a grid worker, as a
 * patrol finding.
 */
export async function authorizeIntake(ctx: RequestContext, channel: Channel): Promise<SignedInActor> {
  const actor = signedIn(ctx);
  if (actor.agencyKind === 'HRSS_INSPECTION' && hasRole(actor, HRSS_ROLES)) return actor;
  if (actor.agencyKind === 'STREET_GOVERNMENT' && actor.roles.includes('GRID_WORKER')) {
    if (channel !== 'GRID_PATROL') throw forbidden('a grid worker reports through the GRID_PATROL channel');
    return actor;
  }
  if (actor.agencyKind === 'INTEGRATOR') {
    const rows = await ctx.em.getConnection().execute<Array<{ channel: string | null }>>(`select channel from agency where id = ?`, [actor.agencyId]);
    if (rows[0]?.channel !== channel) throw forbidden(`this integrator sends cases on its own channel (${rows[0]?.channel ?? 'none'}) only`);
    return actor;
  }
  throw forbidden('complaints are taken in by labour inspection, integrators and grid workers');
}

/** Registering employers and projects: labour inspection's caseworkers and the industry regulators. */
export function authorizeRegistry(ctx: RequestContext): Actor & { agencyKind: AgencyKind; roles: string[] } {
  const actor = signedIn(ctx);
  if ((actor.agencyKind === 'HRSS_INSPECTION' && hasRole(actor, CASEWORKERS)) || actor.agencyKind === 'INDUSTRY_REGULATOR') return actor;
  throw forbidden('employers and projects are registered by labour inspection or an industry regulator');
}

/**
 * The employers and projects a caller may list or look up, as ORM filters: labour inspection and governments
 * in their area; a regulator, the projects it regulates and their contractors; a contractor HQ, its own.
 * Others see them only as part of a case they may see.
 */
export async function projectFilter(em: EntityManager, actor: Actor | undefined): Promise<FilterQuery<Project>> {
  switch (actor?.agencyKind) {
    case 'HRSS_INSPECTION':
    case 'DISTRICT_GOVERNMENT':
    case 'STREET_GOVERNMENT':
      return { region: { $in: await regionsOfAgency(em, actor.agencyId) } };
    case 'INDUSTRY_REGULATOR':
      return { regulator: actor.agencyId };
    case 'CONTRACTOR_HQ':
      return { generalContractor: (await em.findOne(Agency, { id: actor.agencyId }))?.employerId ?? NO_ROW };
    default:
      return { id: NO_ROW };
  }
}

export async function employerFilter(em: EntityManager, actor: Actor | undefined): Promise<FilterQuery<Employer>> {
  switch (actor?.agencyKind) {
    case 'HRSS_INSPECTION':
      // Employers registered before anyone placed them belong to every inspection agency's view; so do those it registered.
      return { $or: [{ region: { $in: await regionsOfAgency(em, actor.agencyId) } }, { region: null }, { id: { $in: await registeredBy(em, actor.agencyId) } }] };
    case 'DISTRICT_GOVERNMENT':
    case 'STREET_GOVERNMENT':
      return { region: { $in: await regionsOfAgency(em, actor.agencyId) } };
    case 'INDUSTRY_REGULATOR': {
      const projects = await em.find(Project, { regulator: actor.agencyId }, { fields: ['generalContractor', 'constructionUnit'] });
      return { id: { $in: [NO_ROW, ...projects.flatMap((p) => [p.generalContractor, p.constructionUnit]).filter((x): x is string => !!x), ...(await registeredBy(em, actor.agencyId))] } };
    }
    case 'CONTRACTOR_HQ':
      return { id: (await em.findOne(Agency, { id: actor.agencyId }))?.employerId ?? NO_ROW };
    default:
      return { id: NO_ROW };
  }
}

/** No row has this id: a filter that admits nothing. */
const NO_ROW = '00000000-0000-0000-0000-000000000000';

/** The employers an agency registered (employer_registrant): in its view whatever their region. */
async function registeredBy(em: EntityManager, agencyId: string): Promise<string[]> {
  const rows = await em.getConnection().execute<Array<{ employer_id: string }>>('select employer_id from employer_registrant where agency_id = ?', [agencyId]);
  return [NO_ROW, ...rows.map((r) => r.employer_id)];
}

async function regionsOfAgency(em: EntityManager, agencyId: string): Promise<string[]> {
  const rows = await em.getConnection().execute<Array<{ code: string }>>(AGENCY_REGION_AND_BELOW, [agencyId]);
  return rows.map((r) => r.code);
}

/**
 * A process on a visible case is shown to labour inspection, and to the agencies that take part in it (a
 * recipient, an invitee, the police it was sent to, the procuratorate asked to supervise). The database holds the
 * same rule as `case_process_visible_to` (migration one_entry_visibility_rule), which decides the case-file entries
 * every path hands out; test/entry-visibility.test.ts checks the two agree on every process for every persona.
 */
export function seesProcess(actor: Actor | undefined, p: { kind: string; facts: { procuratorateAgencyId?: string; sentAt?: string } }, partyAgencies: Array<string | undefined>): boolean {
  if (!actor?.agencyKind) return false;
  if (actor.agencyKind === 'HRSS_INSPECTION') return true;
  if (p.facts.procuratorateAgencyId === actor.agencyId) return true;
  if (p.kind === 'POLICE_REFERRAL' && !p.facts.sentAt) return false; // the police see a referral once it is sent
  return partyAgencies.includes(actor.agencyId);
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

/** Webhook endpoints are their integrator's: it registers, lists, deactivates and re-keys its own, for its channel. */
export function authorizeWebhookEndpoints(ctx: RequestContext): Actor & { agencyKind: AgencyKind; roles: string[] } {
  const actor = signedIn(ctx);
  if (actor.agencyKind !== 'INTEGRATOR') throw forbidden('webhook endpoints are an integrator’s, for its own channel');
  return actor;
}

/**
 * The webhook deliveries a caller may see and replay, as SQL over `d` (webhook_delivery), `ep` (its endpoint),
 * `c` (its case) and `e` (its entry): an integrator's own, of entries it may read; a director of labour inspection,
 * those of the cases its agency may see (a district's director, the district's; the city's, the city's).
 */
export function webhookDeliveryScope(ctx: RequestContext): { sql: string; params: unknown[] } {
  const actor = signedIn(ctx);
  const cases = caseScope(actor);
  if (actor.agencyKind === 'INTEGRATOR') return { sql: `ep.agency_id = ? and ${cases.sql} and ${ENTRY_VISIBLE_SQL}`, params: [actor.agencyId, ...cases.params, actor.agencyId] };
  if (actor.agencyKind === 'HRSS_INSPECTION' && actor.roles.includes('DIRECTOR')) return cases;
  throw forbidden('webhook deliveries are for their integrator and for the directors of labour inspection');
}

/** Masked forms for callers that must not see personal data whole: 张*, 138****1234, 110***********1234. */
export const mask = {
  name: (v: string) => (v.length <= 1 ? '*' : `${[...v][0]}${'*'.repeat([...v].length - 1)}`),
  mobile: (v: string) => (v.length === 11 ? `${v.slice(0, 3)}****${v.slice(7)}` : '*'.repeat(v.length)),
  residentId: (v: string) => (v.length === 18 ? `${v.slice(0, 3)}${'*'.repeat(11)}${v.slice(14)}` : '*'.repeat(v.length)),
};
