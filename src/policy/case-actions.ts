import { mayChangeCase } from './case-grants';
import { IN_HANDLING_STATUSES } from '../domain/case-status';
import { CASE_ACTION_ROLES, CLOSING_APPROVERS, hasRole, ORDER_ISSUERS, ownsCase, PROCESS_STARTERS, type CaseAction } from './roles';

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
] as const;
export type CaseActionKind = (typeof CASE_ACTION_KINDS)[number];

const NEEDS: Record<
  CaseActionKind,
  { roles: CaseAction | 'START_PROCESS' | 'ISSUE_ORDER' | 'APPROVE_CLOSING'; statuses: readonly string[] }
> = {
  CONTACT: { roles: 'CONTACT', statuses: ['RECEIVED', 'ACCEPTED', 'IN_PROGRESS', 'RESOLVED'] },
  ACCEPT: { roles: 'DECIDE', statuses: ['RECEIVED'] },
  REJECT: { roles: 'DECIDE', statuses: ['RECEIVED'] },
  ASSIGN_LEAD: { roles: 'ASSIGN_LEAD', statuses: ['RECEIVED', 'ACCEPTED', 'IN_PROGRESS'] },
  PAYMENT: { roles: 'PAYMENT', statuses: ['ACCEPTED', 'IN_PROGRESS', 'RESOLVED'] },
  DISPATCH: { roles: 'START_PROCESS', statuses: ['RECEIVED', 'ACCEPTED', 'IN_PROGRESS'] },
  APPROVE_CLOSING: { roles: 'APPROVE_CLOSING', statuses: ['RESOLVED'] },
  // OrderToPayService.issue and PenaltyService.propose start their process on a case in handling.
  ORDER_TO_PAY: { roles: 'ISSUE_ORDER', statuses: IN_HANDLING_STATUSES },
  PENALTY: { roles: 'START_PROCESS', statuses: IN_HANDLING_STATUSES },
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
  },
): CaseActionKind[] {
  if (!actor || actor.agencyKind !== 'HRSS_INSPECTION') return [];
  // Every step changes the case: none for an agency that only reads it (协查: a pending receiver, a former owner,
  // the case's region while another region's agency owns it).
  if (!mayChangeCase(actor, c)) return [];
  return CASE_ACTION_KINDS.filter((kind) => {
    const need = NEEDS[kind];
    if (!need.statuses.includes(c.status)) return false;
    if (need.roles === 'APPROVE_CLOSING') return mayApproveClosing(actor, c);
    if (need.roles === 'START_PROCESS') return hasRole(actor, PROCESS_STARTERS) && ownsCase(actor, c);
    if (need.roles === 'ISSUE_ORDER') return hasRole(actor, ORDER_ISSUERS) && ownsCase(actor, c);
    return hasRole(actor, CASE_ACTION_ROLES[need.roles]);
  });
}
