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
    const facts = await ctx.loaders.caseChangeFacts.load(`${ctx.actor.agencyId}|${c.id}`);
    return availableCaseActions(ctx.actor, { status: c.status, owningAgency: c.owningAgencyId, ...facts });
  }
}
