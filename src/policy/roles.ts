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
/**
 * 限期支付 / 劳动保障监察限期改正指令书 and 加付赔偿金 are issued in the agency's name (劳动保障监察条例 第二十六条);
 * neither the law nor the seeds name the signer, so a supervisor or director of the owning agency issues them.
 */
export const ORDER_ISSUERS: readonly UserRole[] = ['SUPERVISOR', 'DIRECTOR'];

/** 结案: the closing report is written by a caseworker of the owning agency (the lead inspector, or a supervisor or director). */
export const CLOSING_SUBMITTERS: readonly UserRole[] = CASEWORKERS;
/** 结案: a supervisor or director of the owning agency approves the closing report (not the one who submitted it). */
export const CLOSING_APPROVERS: readonly UserRole[] = ['SUPERVISOR', 'DIRECTOR'];
/** 回访: labour inspection staff of the owning agency make the callback. */
export const CALLBACK_STAFF: readonly UserRole[] = HRSS_ROLES;
/** The supervisor's review of a callback that found wages unpaid or the complainant dissatisfied. */
export const CALLBACK_REVIEWERS: readonly UserRole[] = ['SUPERVISOR', 'DIRECTOR'];

export type CaseAction = 'CONTACT' | 'DECIDE' | 'ASSIGN_LEAD' | 'PAYMENT' | 'VIOLATION_PERIOD';
export const CASE_ACTION_ROLES: Record<CaseAction, readonly UserRole[]> = {
  CONTACT: HRSS_ROLES,
  DECIDE: CASEWORKERS,
  ASSIGN_LEAD: ['SUPERVISOR', 'DIRECTOR'],
  PAYMENT: CASEWORKERS,
  /** The period of the violation, on which the two-year limit turns (劳动保障监察条例 第二十条). */
  VIOLATION_PERIOD: CASEWORKERS,
};
/** 主办人: the role a case's lead must hold (assignLead checks it; `leadCandidates` lists its holders). */
export const LEAD_ROLE: UserRole = 'INSPECTOR';

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

/** Loading a year of the State Council holiday schedule: the director of the top-level inspection agency. */
export const CALENDAR_LOADERS: readonly UserRole[] = ['DIRECTOR'];

/**
 * Who may load the holiday calendar, which every deadline of every agency counts on: a director of labour
 * inspection at the top of the hierarchy (the city's or province's own, an agency with no parent).
 */
export function mayLoadHolidayCalendar(
  actor: { agencyKind?: string; roles?: readonly string[] },
  agency: { parent?: string | null },
): boolean {
  return actor.agencyKind === 'HRSS_INSPECTION' && hasRole(actor, CALENDAR_LOADERS) && !agency.parent;
}

/** 移交: only the receiving inspection agency's supervisor or director accepts or returns a case handed to it. */
export const HANDOVER_ANSWERERS: readonly UserRole[] = ['SUPERVISOR', 'DIRECTOR'];

/**
 * 转介: the bodies outside inspection a case may be referred to, by agency kind (the court; the justice bureau for
 * legal aid; the labour dispute arbitration commission, for a claim that is a labour dispute rather than a violation
 * inspection handles (劳动争议调解仲裁法 第二条、第五条; DOMAIN.md §4.3: "transferred to the competent body
 * (arbitration …)"); the work-injury office, for a worker injured at work (工伤保险条例 第十七条)), and who
 * acknowledges for them (any of their officers or mediators).
 */
export const EXTERNAL_REFERRAL_RECEIVER_KINDS = ['COURT', 'JUSTICE_BUREAU', 'LABOUR_ARBITRATION', 'WORK_INJURY_OFFICE'] as const;
export const EXTERNAL_REFERRAL_ACKNOWLEDGERS: readonly UserRole[] = ['OFFICER', 'MEDIATOR', 'SUPERVISOR', 'DIRECTOR'];
