import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Agency } from '../agencies/agency.entity';
import { Employer } from '../employers/employer.entity';
import { Project } from '../projects/project.entity';
import type { Actor, ExecutionContext } from '../core/execution-context';
import { forbidden, notFound } from '../domain/errors';
import type { AgencyKind } from '../agencies/agency.entity';
import { AGENCY_REGION_AND_BELOW, CASE_CHANGE_FACTS_SQL, caseScope } from '../policy/case-scope';
import {
  CASE_ACTION_ROLES,
  CASEWORKERS,
  HRSS_ROLES,
  hasRole,
  mayLoadHolidayCalendar,
  POLICE_ALERT_REPORTERS,
  type CaseAction,
} from '../policy/roles';
import { signedIn, type SignedInActor } from '../policy/signed-in';
import { mayChangeCase } from '../policy/case-grants';
import { mayMakeDailyReport, mayReadDailyReports, type ReportingAgency } from '../policy/daily-report';
import type { Case } from '../cases/case.entity';
import type { Channel } from '../rules/case-deadlines';

/**
 * The policy's checks that read the database: is this case in the caller's scope, may this caller change it, take
 * complaints in on this channel, register employers. The rules themselves are the pure predicates and SQL scopes
 * of `src/policy`; services call these, resolvers never decide access. A single record out of scope is NOT_FOUND,
 * never "exists but forbidden".
 */
export async function canSeeCase(em: EntityManager, actor: Actor | undefined, caseId: string): Promise<boolean> {
  const scope = caseScope(actor);
  const rows = await em
    .getConnection()
    .execute(`select 1 from wage_case c where c.id = ? and ${scope.sql}`, [caseId, ...scope.params], 'all', em.getTransactionContext());
  return rows.length > 0;
}

/** A case the caller may see, or NOT_FOUND (whether it exists is not the caller's business). */
export async function requireVisibleCase(ctx: ExecutionContext, c: Case | null, key: string): Promise<Case> {
  if (!c || !(await canSeeCase(ctx.em, ctx.actor, c.id))) throw notFound('case', key);
  return c;
}

/** A change to a case: labour inspection of the case's jurisdiction, with a role fit for the step. */
export async function authorizeCaseChange(ctx: ExecutionContext, em: EntityManager, c: Case, action: CaseAction): Promise<void> {
  const actor = signedIn(ctx);
  if (!(await canSeeCase(em, actor, c.id))) throw notFound('case', c.id);
  if (actor.agencyKind !== 'HRSS_INSPECTION' || !hasRole(actor, CASE_ACTION_ROLES[action])) {
    throw forbidden(`this step on a case is labour inspection's, with the role ${CASE_ACTION_ROLES[action].join(' or ')}`);
  }
  if (!mayChangeCase(actor, { owningAgency: c.owningAgency, ...(await regionAndHolding(em, actor.agencyId, c.id)) }))
    throw forbidden(`case ${c.number} is handled by another region's inspection agency (协查): you may read it, not change it`);
}

/**
 * Whether a case is in the region of an agency, and whether it is held by a cross-region owner (an OWNER grant of
 * its owning agency): what `mayChangeCase` needs.
 */
export async function regionAndHolding(
  em: EntityManager,
  agencyId: string,
  caseId: string,
): Promise<{ inRegionOfActor: boolean; heldByGrant: boolean }> {
  const rows = await em
    .getConnection()
    .execute<Array<{ in_region: boolean; held: boolean }>>(
      `select ${CASE_CHANGE_FACTS_SQL} from wage_case c where c.id = ?`,
      [agencyId, caseId],
      'all',
      em.getTransactionContext(),
    );
  return { inRegionOfActor: !!rows[0]?.in_region, heldByGrant: !!rows[0]?.held };
}

/**
 * Who takes complaints in: labour inspection; an integrator, on its own channel only; a grid worker, as a
 * patrol finding; a police officer, a 110 alert.
 */
export async function authorizeIntake(ctx: ExecutionContext, channel: Channel): Promise<SignedInActor> {
  const actor = signedIn(ctx);
  if (actor.agencyKind === 'HRSS_INSPECTION' && hasRole(actor, HRSS_ROLES)) return actor;
  // The police push the 110 alerts they take themselves (seed 000), on that channel only.
  if (actor.agencyKind === 'POLICE' && hasRole(actor, POLICE_ALERT_REPORTERS)) {
    if (channel !== 'POLICE_ALERT') throw forbidden('a police officer reports through the POLICE_ALERT channel');
    return actor;
  }
  if (actor.agencyKind === 'STREET_GOVERNMENT' && actor.roles.includes('GRID_WORKER')) {
    if (channel !== 'GRID_PATROL') throw forbidden('a grid worker reports through the GRID_PATROL channel');
    return actor;
  }
  if (actor.agencyKind === 'INTEGRATOR') {
    const rows = await ctx.em
      .getConnection()
      .execute<Array<{ channel: string | null }>>(`select channel from agency where id = ?`, [actor.agencyId]);
    if (rows[0]?.channel !== channel)
      throw forbidden(`this integrator sends cases on its own channel (${rows[0]?.channel ?? 'none'}) only`);
    return actor;
  }
  throw forbidden('complaints are taken in by labour inspection, integrators, grid workers and police officers (110 alerts)');
}

/** Registering employers and projects: labour inspection's caseworkers and the industry regulators. */
export function authorizeRegistry(ctx: ExecutionContext): Actor & { agencyKind: AgencyKind; roles: string[] } {
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
      return {
        $or: [
          { region: { $in: await regionsOfAgency(em, actor.agencyId) } },
          { region: null },
          { id: { $in: await registeredBy(em, actor.agencyId) } },
        ],
      };
    case 'DISTRICT_GOVERNMENT':
    case 'STREET_GOVERNMENT':
      return { region: { $in: await regionsOfAgency(em, actor.agencyId) } };
    case 'INDUSTRY_REGULATOR': {
      const projects = await em.find(Project, { regulator: actor.agencyId }, { fields: ['generalContractor', 'constructionUnit'] });
      return {
        id: {
          $in: [
            NO_ROW,
            ...projects.flatMap((p) => [p.generalContractor, p.constructionUnit]).filter((x): x is string => !!x),
            ...(await registeredBy(em, actor.agencyId)),
          ],
        },
      };
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
  const rows = await em
    .getConnection()
    .execute<Array<{ employer_id: string }>>('select employer_id from employer_registrant where agency_id = ?', [agencyId]);
  return [NO_ROW, ...rows.map((r) => r.employer_id)];
}

async function regionsOfAgency(em: EntityManager, agencyId: string): Promise<string[]> {
  const rows = await em.getConnection().execute<Array<{ code: string }>>(AGENCY_REGION_AND_BELOW, [agencyId]);
  return rows.map((r) => r.code);
}

/** Webhook endpoints are their integrator's: it registers, lists, deactivates and re-keys its own, for its channel. */
export function authorizeWebhookEndpoints(ctx: ExecutionContext): Actor & { agencyKind: AgencyKind; roles: string[] } {
  const actor = signedIn(ctx);
  if (actor.agencyKind !== 'INTEGRATOR') throw forbidden('webhook endpoints are an integrator’s, for its own channel');
  return actor;
}

/** Loading the holiday calendar: the director of the top-level (city or province) inspection agency only. */
export async function authorizeCalendarLoad(ctx: ExecutionContext): Promise<SignedInActor> {
  const actor = signedIn(ctx);
  const agency = await ctx.em.findOne(Agency, { id: actor.agencyId });
  if (!agency || !mayLoadHolidayCalendar(actor, agency))
    throw forbidden('the holiday calendar is loaded by the director of the top-level labour inspection agency');
  return actor;
}

/** An agency with its chain of parents (nearest first), for the daily-report predicates; null when there is none. */
export async function reportingAgency(em: EntityManager, agencyId: string): Promise<ReportingAgency | null> {
  const rows = await em.getConnection().execute<Array<{ id: string; kind: string; ancestors: string[] }>>(
    `with recursive up(id, parent_id, depth) as (
       select a.id, a.parent_id, 0 from agency a where a.id = ?
       union all select p.id, p.parent_id, up.depth + 1 from agency p join up on p.id = up.parent_id where up.depth < 20)
     select a.id, a.kind, coalesce((select array_agg(u.id::text order by u.depth) from up u where u.depth > 0), '{}') as ancestors
     from agency a where a.id = ?`,
    [agencyId, agencyId],
    'all',
    em.getTransactionContext(),
  );
  return rows[0] ?? null;
}

/** The agency whose daily reports the caller may read, or NOT_FOUND (another agency's reports do not exist for it). */
export async function requireReadableDailyReports(ctx: ExecutionContext, agencyId: string): Promise<ReportingAgency> {
  const actor = signedIn(ctx);
  const agency = UUID.test(agencyId) ? await reportingAgency(ctx.em, agencyId) : null;
  if (!agency || !mayReadDailyReports(actor, agency)) throw notFound('agency', agencyId);
  return agency;
}

/** Making a daily report on demand: NOT_FOUND out of scope, FORBIDDEN for a reader who is not a director. */
export async function authorizeDailyReportMaking(ctx: ExecutionContext, agencyId: string): Promise<ReportingAgency> {
  const agency = await requireReadableDailyReports(ctx, agencyId);
  if (!mayMakeDailyReport(ctx.actor, agency))
    throw forbidden('a daily report is made on demand by a director of the agency or of one above it');
  return agency;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
