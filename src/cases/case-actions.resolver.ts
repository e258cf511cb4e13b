import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../api/context';
import { enumOf } from '../api/enums';
import { availableCaseActions, CASE_ACTION_KINDS, type CaseActionKind } from '../policy/case-actions';
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
    return availableCaseActions(ctx.actor, { status: c.status, owningAgency: c.owningAgencyId, ...facts, closingReport });
  }
}
