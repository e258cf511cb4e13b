import { orderAdditionalCompensationUpdate, orderToPay, recordOrderCompliedUpdate } from '../../../workflows/order-to-pay';
import { orderToPayRules } from '../../rules/order-to-pay';
import { defineProcess } from '../process-definition';
import { CASEWORKERS, ORDER_ISSUERS } from '../../policy/roles';

/** 限期支付 (劳动保障监察限期改正指令书): the amount per worker and a deadline day; missed, additional compensation may follow. */
export const orderToPayProcess = defineProcess({
  kind: 'ORDER_TO_PAY',
  label: '限期支付',
  workflow: orderToPay,
  workflowModule: require.resolve('../../../workflows/order-to-pay'),
  idPrefix: 'order-to-pay',
  facts:
    'issuedOn, dueOn, the workers ordered paid (name, amountFen) and totalFen; recoveredAtIssueFen (the case’s payments before it); missedAt when missed; compliedOn; additionalCompensation (rate, per worker, total)',
  clocks: {
    order: orderToPayRules.order,
    deadline: orderToPayRules.deadline,
  },
  steps: {
    recordOrderComplied: {
      update: recordOrderCompliedUpdate,
      awaited: { label: '登记限期支付履行', by: 'OWNER', status: ['ISSUED'], roles: CASEWORKERS },
      who: 'a caseworker of the owning agency (CASEWORKERS), once the case’s payments since the order reach the amount ordered',
    },
    orderAdditionalCompensation: {
      update: orderAdditionalCompensationUpdate,
      awaited: { label: '责令加付赔偿金', by: 'OWNER', status: ['MISSED'], roles: ORDER_ISSUERS },
      who: 'a supervisor or director of the owning agency (ORDER_ISSUERS), on a missed order',
    },
  },
});
