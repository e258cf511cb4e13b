import type { UserRole } from '../agencies/agency.entity';

/**
 * Who holds which role for which step (DOMAIN.md §3). Pure data and predicates: the API's checks, the services,
 * the SQL scopes and the workflows' update validators (in Temporal's sandbox) all read them from here.
 */
export const HRSS_ROLES: readonly UserRole[] = ['INTAKE_CLERK', 'INSPECTOR', 'SUPERVISOR', 'DIRECTOR'];
export const CASEWORKERS: readonly UserRole[] = ['INSPECTOR', 'SUPERVISOR', 'DIRECTOR'];
/** The staff of labour inspection who run a joint mediation (mediators included). */
export const MEDIATION_STAFF: readonly UserRole[] = ['INSPECTOR', 'SUPERVISOR', 'DIRECTOR', 'MEDIATOR'];
/** 延期: the one extension of the resolution clock (劳动保障监察条例 第十七条). */
export const EXTENSION_APPROVERS: readonly UserRole[] = ['SUPERVISOR', 'DIRECTOR'];
/** The head of the agency approves a police referral (行政执法机关移送涉嫌犯罪案件的规定 第五条). */
export const REFERRAL_APPROVERS: readonly UserRole[] = ['DIRECTOR'];

export type CaseAction = 'CONTACT' | 'DECIDE' | 'ASSIGN_LEAD' | 'PAYMENT';
export const CASE_ACTION_ROLES: Record<CaseAction, readonly UserRole[]> = {
  CONTACT: HRSS_ROLES,
  DECIDE: CASEWORKERS,
  ASSIGN_LEAD: ['SUPERVISOR', 'DIRECTOR'],
  PAYMENT: CASEWORKERS,
};

/** Holds one of `roles` (any role when none is named). */
export function hasRole(actor: { roles?: readonly string[] }, roles: readonly string[]): boolean {
  return roles.length === 0 || roles.some((r) => (actor.roles ?? []).includes(r));
}

/** A member of `agencyId` holding one of `roles`. */
export function isMemberWithRole(
  actor: { agencyId: string; roles?: readonly string[] } | undefined,
  agencyId: string,
  roles: readonly string[],
): boolean {
  return !!actor && actor.agencyId === agencyId && hasRole(actor, roles);
}

/** The police officers who decide on a referral (行政执法机关移送涉嫌犯罪案件的规定 第八条). */
export const POLICE_DECIDERS: readonly UserRole[] = ['OFFICER'];

/** The police officers who take in a 110 alert about unpaid wages as a complaint (POLICE_ALERT channel, seed 000). */
export const POLICE_ALERT_REPORTERS: readonly UserRole[] = ['OFFICER'];

/** Starting a cross-agency process on a case: a caseworker of labour inspection. */
export const PROCESS_STARTERS: readonly UserRole[] = CASEWORKERS;

/** The agency that owns a case (the one that took it in, or was handed it) runs its processes and its extension. */
export function ownsCase(actor: { agencyId: string }, c: { owningAgency: string }): boolean {
  return actor.agencyId === c.owningAgency;
}
