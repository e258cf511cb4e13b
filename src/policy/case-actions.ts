import { mayChangeCase } from './case-grants';
import type { UserRole } from '../agencies/agency.entity';
import { IN_HANDLING_STATUSES, OPEN_CASE_STATUSES } from '../domain/case-status';
import { INVESTIGATION_RECORDERS, TEAM_ASSIGNERS } from './investigation';
import {
  CASE_ACTION_ROLES,
  CLOSING_APPROVERS,
  EXTENSION_APPROVERS,
  hasRole,
  MEDIATION_STAFF,
  ORDER_ISSUERS,
  ownsCase,
  PROCESS_STARTERS,
} from './roles';

/**
 * The steps on a case a caller may take now, for clients that offer only those (the dashboard shows a form for
 * each): the same role rules the services check (`authorizeCaseChange`, `ProcessService.start`) and the statuses
 * each step needs (CaseService; a dispatch starts on an open case). The services still decide; this only says what
 * would not be refused for role or status. Called for a case the caller may see.
 */
export const CASE_ACTION_KINDS = [
  'CONTACT',
  'ACCEPT',
  'REJECT',
  'ASSIGN_LEAD',
  'PAYMENT',
  'DISPATCH',
  'APPROVE_CLOSING',
  'ORDER_TO_PAY',
  'PENALTY',
  'ROSTER',
  'VIOLATION_PERIOD',
  'INVESTIGATION_TEAM',
  'INVESTIGATE',
  'EXTEND',
  'TRANSFER',
  'HAND_OVER',
  'REFER_OUTSIDE',
  'MEDIATE',
  'MEDIATION_SESSION',
  'POLICE_REFERRAL',
] as const;
export type CaseActionKind = (typeof CASE_ACTION_KINDS)[number];

/** The roster's statuses (RosterService): open, or resolved before closing. */
const ROSTER_STATUSES = ['RECEIVED', 'ACCEPTED', 'IN_PROGRESS', 'RESOLVED'] as const;

/**
 * What each step needs: the roles (any of them), whether only the owning agency takes it (the services' `ownedBy`
 * / `owner` checks; the others go through `authorizeCaseChange`, which admits any agency that may change the case),
 * and the case statuses the service accepts.
 */
const NEEDS: Record<CaseActionKind, { roles: readonly UserRole[]; owner?: boolean; statuses: readonly string[] }> = {
  CONTACT: { roles: CASE_ACTION_ROLES.CONTACT, statuses: ['RECEIVED', 'ACCEPTED', 'IN_PROGRESS', 'RESOLVED'] },
  ACCEPT: { roles: CASE_ACTION_ROLES.DECIDE, statuses: ['RECEIVED'] },
  REJECT: { roles: CASE_ACTION_ROLES.DECIDE, statuses: ['RECEIVED'] },
  ASSIGN_LEAD: { roles: CASE_ACTION_ROLES.ASSIGN_LEAD, statuses: OPEN_CASE_STATUSES },
  PAYMENT: { roles: CASE_ACTION_ROLES.PAYMENT, statuses: ['ACCEPTED', 'IN_PROGRESS', 'RESOLVED'] },
  DISPATCH: { roles: PROCESS_STARTERS, owner: true, statuses: OPEN_CASE_STATUSES },
  APPROVE_CLOSING: { roles: CLOSING_APPROVERS, owner: true, statuses: ['RESOLVED'] },
  // OrderToPayService.issue and PenaltyService.propose start their process on a case in handling.
  ORDER_TO_PAY: { roles: ORDER_ISSUERS, owner: true, statuses: IN_HANDLING_STATUSES },
  PENALTY: { roles: PROCESS_STARTERS, owner: true, statuses: IN_HANDLING_STATUSES },
  // RosterService: a change of the case (changeCase's DECIDE authority) while it is open or resolved.
  ROSTER: { roles: CASE_ACTION_ROLES.DECIDE, statuses: ROSTER_STATUSES },
  VIOLATION_PERIOD: { roles: CASE_ACTION_ROLES.VIOLATION_PERIOD, statuses: OPEN_CASE_STATUSES },
  // InvestigationService: the owning agency, on a case in handling; the team named by a supervisor or director.
  INVESTIGATION_TEAM: { roles: TEAM_ASSIGNERS, owner: true, statuses: IN_HANDLING_STATUSES },
  INVESTIGATE: { roles: INVESTIGATION_RECORDERS, owner: true, statuses: IN_HANDLING_STATUSES },
  // ProcessService.approveExtension and the lifecycle's validator (劳动保障监察条例 第十七条): see `extendable`.
  EXTEND: { roles: EXTENSION_APPROVERS, owner: true, statuses: IN_HANDLING_STATUSES },
  TRANSFER: { roles: CASE_ACTION_ROLES.DECIDE, statuses: ['RECEIVED', 'ACCEPTED'] },
  // Processes started by ProcessService.start: a caseworker of the owning agency, one of a kind under way.
  HAND_OVER: { roles: PROCESS_STARTERS, owner: true, statuses: OPEN_CASE_STATUSES },
  REFER_OUTSIDE: { roles: PROCESS_STARTERS, owner: true, statuses: OPEN_CASE_STATUSES },
  MEDIATE: { roles: PROCESS_STARTERS, owner: true, statuses: IN_HANDLING_STATUSES },
  POLICE_REFERRAL: { roles: PROCESS_STARTERS, owner: true, statuses: IN_HANDLING_STATUSES },
  // A session of a convened mediation (the mediation workflow's recordSession): its staff of the owning agency.
  // The process's own status (CONVENED or AGREED) is the client's to check on the process it shows.
  MEDIATION_SESSION: { roles: MEDIATION_STAFF, owner: true, statuses: [...IN_HANDLING_STATUSES, 'RESOLVED'] },
};

/**
 * 结案审批 (ClosureService.approveClosing): a supervisor or director of the owning agency approves a resolved case's
 * latest closing report, which someone else wrote. `closingReport`: the latest report's author (null when not
 * recorded), or null/absent when the case has no report.
 */
export function mayApproveClosing(
  actor: { agencyId: string; userId?: string; roles?: readonly string[] },
  c: { status: string; owningAgency: string; closingReport?: { authorUserId: string | null } | null },
): boolean {
  return (
    c.status === 'RESOLVED' &&
    hasRole(actor, CLOSING_APPROVERS) &&
    ownsCase(actor, c) &&
    !!c.closingReport &&
    c.closingReport.authorUserId !== (actor.userId ?? null)
  );
}

export function availableCaseActions(
  actor: { agencyId: string; userId?: string; agencyKind?: string; roles?: readonly string[] } | undefined,
  c: {
    status: string;
    owningAgency: string;
    inRegionOfActor: boolean;
    heldByGrant: boolean;
    /** The latest closing report of a RESOLVED case (see `mayApproveClosing`); absent: none. */
    closingReport?: { authorUserId: string | null } | null;
    /** The one extension is still to be had: a resolution clock not yet run out and not yet extended (see `extendable`). */
    extendable?: boolean;
  },
): CaseActionKind[] {
  if (!actor || actor.agencyKind !== 'HRSS_INSPECTION') return [];
  // Every step changes the case: none for an agency that only reads it (协查: a pending receiver, a former owner,
  // the case's region while another region's agency owns it).
  if (!mayChangeCase(actor, c)) return [];
  return CASE_ACTION_KINDS.filter((kind) => {
    const need = NEEDS[kind];
    if (!need.statuses.includes(c.status)) return false;
    if (!hasRole(actor, need.roles)) return false;
    if (need.owner && !ownsCase(actor, c)) return false;
    if (kind === 'APPROVE_CLOSING') return mayApproveClosing(actor, c);
    if (kind === 'EXTEND') return !!c.extendable;
    return true;
  });
}

/**
 * 延期 (劳动保障监察条例 第十七条): one extension, approved before the resolution clock runs out (the case lifecycle's
 * validator refuses the rest).
 */
export function extendable(c: { resolutionDue?: Date | null; resolutionExtendedDue?: Date | null }, now: Date): boolean {
  return !!c.resolutionDue && !c.resolutionExtendedDue && now.getTime() <= c.resolutionDue.getTime();
}
