import { HRSS_ROLES, hasRole } from './roles';

/**
 * Who may read and make an inspection agency's daily report (日通报): the agency's own labour inspection staff read
 * it; the director of an agency above it (the city's 总队 over its districts' 大队) reads its subordinates' reports;
 * a director makes one on demand for their own agency or one below. Everyone else: the report does not exist.
 * Pure predicates; `src/auth/access.ts` applies them with the agency's chain of parents read from the database.
 */
export const DAILY_REPORT_MAKERS = ['DIRECTOR'] as const;

export interface ReportingAgency {
  id: string;
  kind: string;
  /** The agency's parents, nearest first (its 总队, the province's …). */
  ancestors: readonly string[];
}

type Caller = { agencyId: string; agencyKind?: string; roles?: readonly string[] } | undefined;

/** Reads `agency`'s reports: its own inspection staff, or a director of an inspection agency above it. */
export function mayReadDailyReports(actor: Caller, agency: ReportingAgency): boolean {
  if (!actor || actor.agencyKind !== 'HRSS_INSPECTION' || agency.kind !== 'HRSS_INSPECTION') return false;
  if (actor.agencyId === agency.id) return hasRole(actor, HRSS_ROLES);
  return agency.ancestors.includes(actor.agencyId) && hasRole(actor, DAILY_REPORT_MAKERS);
}

/** Makes one of `agency`'s reports on demand: a director of the agency, or of one above it. */
export function mayMakeDailyReport(actor: Caller, agency: ReportingAgency): boolean {
  return mayReadDailyReports(actor, agency) && hasRole(actor!, DAILY_REPORT_MAKERS);
}
