import { acknowledgeExternalReferralUpdate, externalReferral } from '../../../workflows/handover';
import { handoverRules } from '../../rules/handover-rules';
import { defineProcess } from '../process-definition';
import { EXTERNAL_REFERRAL_ACKNOWLEDGERS } from '../../policy/roles';

/**
 * 转介: a case referred to a body outside labour inspection (a court; the justice bureau for legal aid), tracked until
 * that body acknowledges it with its own reference. It outlives the case (the case is usually transferred with it).
 */
export const externalReferralProcess = defineProcess({
  kind: 'EXTERNAL_REFERRAL',
  label: '转介（法院、法律援助等监察以外机关）',
  workflow: externalReferral,
  workflowModule: require.resolve('../../../workflows/handover'),
  idPrefix: 'ext-referral',
  facts: 'receiverAgencyId and the grounds of the referral; the receiver’s own file reference once it acknowledges',
  clocks: { acknowledge: handoverRules.referralAcknowledgement },
  steps: {
    acknowledgeExternalReferral: {
      update: acknowledgeExternalReferralUpdate,
      awaited: { label: '确认接收转介', by: 'PARTY', waitingOn: ['RECEIVER'], roles: EXTERNAL_REFERRAL_ACKNOWLEDGERS },
      who: 'a member of the receiving body (EXTERNAL_REFERRAL_ACKNOWLEDGERS)',
    },
  },
});
