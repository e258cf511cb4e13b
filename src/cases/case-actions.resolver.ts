import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../api/context';
import { enumOf } from '../api/enums';
import { availableCaseActions, CASE_ACTION_KINDS, extendable, type CaseActionKind } from '../policy/case-actions';
import { CaseType } from './case.types';

export const CaseActionEnum = enumOf(
  'CaseAction',
  CASE_ACTION_KINDS,
  {
    CONTACT: '联系投诉人: record a call or visit (recordContact)',
    ACCEPT: '受理: accept the case (acceptCase)',
    REJECT: '不予受理: reject the case with a written reason (rejectCase)',
    ASSIGN_LEAD: '确定主办人: assign the lead inspector (assignLead)',
    PAYMENT: '记录支付: record wages paid (recordPayment)',
    DISPATCH: '三交办: start the three-way dispatch (dispatchCase)',
    APPROVE_CLOSING:
      '结案审批: approve the closing report someone else wrote (approveClosing; supervisor or director of the owning agency)',
    ORDER_TO_PAY: '责令限期支付: issue an order to pay the workers by a day (issueOrderToPay; supervisor or director of the owning agency)',
    PENALTY: '行政处罚: propose a fine on the employer (proposePenalty; a caseworker of the owning agency)',
    ROSTER:
      '欠薪人员名册: add, correct or remove a line of the roster of owed workers (addOwedWorker, correctOwedWorker, removeOwedWorker)',
    VIOLATION_PERIOD: '违法行为期间: record when the violation began and ended, on which the two-year limit turns (recordViolationPeriod)',
    INVESTIGATION_TEAM:
      '调查组: name the inspectors investigating the case (setInvestigationTeam; supervisor or director of the owning agency)',
    INVESTIGATE:
      '调查取证: put an inquiry or an evidence item on the record (recordInquiry, recordEvidence; a caseworker of the owning agency)',
    EXTEND:
      '延期: approve the one extension of the resolution deadline before it runs out (approveExtension; supervisor or director of the owning agency)',
    TRANSFER: '移交（告知）: transfer a case not yet in handling to the competent body named in free text (transferCase)',
    HAND_OVER: '移交 (首问负责): hand the case to another labour inspection agency (handOverCase; a caseworker of the owning agency)',
    REFER_OUTSIDE: '转介: refer the case to a court, legal aid, arbitration or the work-injury office (referCaseOutsideInspection)',
    MEDIATE: '联合调处: convene a joint mediation (conveneMediation; a caseworker of the owning agency, case in handling)',
    MEDIATION_SESSION:
      '调解会议: record a session of a convened mediation (recordMediationSession; labour inspection staff of the owning agency)',
    POLICE_REFERRAL: '移送公安: propose a police referral (proposePoliceReferral; a caseworker of the owning agency, case in handling)',
  },
  '可办理事项: a step on a case that a caller may take, as Case.availableActions lists them',
);

@Resolver(() => CaseType)
export class CaseActionsResolver {
  @FieldResolver(() => [CaseActionEnum], {
    description:
      'The steps on this case the caller may take now, by role and the case’s status (the policy the mutations apply); a client offers only these',
  })
  async availableActions(@Root() c: CaseType, @Ctx() ctx: RequestContext): Promise<CaseActionKind[]> {
    if (ctx.actor?.agencyKind !== 'HRSS_INSPECTION') return [];
    const [facts, closingReport] = await Promise.all([
      ctx.loaders.caseChangeFacts.load(`${ctx.actor.agencyId}|${c.id}`),
      // Read only where it can matter (a resolved case): the approval of its closing report.
      c.status === 'RESOLVED' ? ctx.loaders.closingReports.load(c.id) : null,
    ]);
    const { resolution, resolutionExtended } = c.deadlines;
    return availableCaseActions(ctx.actor, {
      status: c.status,
      owningAgency: c.owningAgencyId,
      ...facts,
      closingReport,
      extendable: extendable({ resolutionDue: resolution, resolutionExtendedDue: resolutionExtended }, ctx.clock.now()),
    });
  }
}
