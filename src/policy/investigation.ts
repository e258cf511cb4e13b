import type { UserRole } from '../agencies/agency.entity';
import type { Actor } from '../core/actor';

/**
 * Who may do what with a case's investigation and its administrative penalty. Pure data and predicates: the
 * investigation service, the penalty service and the penalty workflow's update validators read them from here.
 */

/** Recording inquiries and evidence on the case: labour inspection's caseworkers of the owning agency. */
export const INVESTIGATION_RECORDERS: readonly UserRole[] = ['INSPECTOR', 'SUPERVISOR', 'DIRECTOR'];
/** Who may be on an investigating team or be present at an inquiry: labour inspection's law-enforcement staff. */
export const INVESTIGATORS: readonly UserRole[] = ['INSPECTOR', 'SUPERVISOR', 'DIRECTOR'];
/** Naming the investigating team: as for the lead (assignLead), a supervisor or director. */
export const TEAM_ASSIGNERS: readonly UserRole[] = ['SUPERVISOR', 'DIRECTOR'];

/** Proposing a penalty, serving its notice and its decision, recording statements and hearings: caseworkers. */
export const PENALTY_CASEWORKERS: readonly UserRole[] = ['INSPECTOR', 'SUPERVISOR', 'DIRECTOR'];
/** 行政处罚法 第五十七条: the agency's head (负责人) decides; a supervisor or director here (city configuration). */
export const PENALTY_DECIDERS: readonly UserRole[] = ['SUPERVISOR', 'DIRECTOR'];
/** 集体讨论 (第五十七条第二款) is recorded by the agency's heads. */
export const DELIBERATION_RECORDERS: readonly UserRole[] = ['DIRECTOR'];

/** The investigation (team, inquiries, evidence) is labour inspection's alone: other agencies see nothing of it. */
export function seesInvestigation(actor: Actor | undefined): boolean {
  return actor?.agencyKind === 'HRSS_INSPECTION';
}

/**
 * 查处分离: the person who decides a penalty is not one who investigated the case (its lead or a member of its
 * investigating team, or the inspector who proposed the penalty).
 */
export function investigatedTheCase(userId: string, investigators: readonly string[]): boolean {
  return investigators.includes(userId);
}
