import {
  confirmAttendanceUpdate,
  jointMediation,
  recordAgreementUpdate,
  recordInstalmentPaidUpdate,
  recordSessionUpdate,
} from '../../../workflows/joint-mediation';
import { mediationRules } from '../../rules/process-rules';
import { defineProcess } from '../process-definition';
import { MEDIATION_STAFF } from '../../policy/roles';

/** 联合调处 (Jinan / Zibo "1+X"): parties and agencies convened, sessions, an agreement whose instalments are checked when due. */
export const jointMediationProcess = defineProcess({
  kind: 'MEDIATION',
  label: '联合调处',
  workflow: jointMediation,
  workflowModule: require.resolve('../../../workflows/joint-mediation'),
  idPrefix: 'mediation',
  facts: 'sessions (held at, minutes, attendees) and when the agreement was reached; the payment plan is its instalments',
  clocks: {
    agreementWindow: mediationRules.agreementWindow,
    instalmentDue: { source: 'the agreement itself: each instalment is checked at the end of its due day (Beijing)' },
  },
  steps: {
    confirmAttendance: {
      update: confirmAttendanceUpdate,
      awaited: { label: '确认参加联合调处', by: 'PARTY', status: ['CONVENED'], party: ['INVITED'] },
      who: 'an invited agency for itself; labour inspection staff for a party without an account (MEDIATION_STAFF)',
    },
    recordSession: { update: recordSessionUpdate, who: 'labour inspection staff of the owning agency (MEDIATION_STAFF)' },
    recordAgreement: {
      update: recordAgreementUpdate,
      awaited: { label: '登记调解协议', by: 'OWNER', status: ['CONVENED'], roles: MEDIATION_STAFF },
      who: 'labour inspection staff of the owning agency (MEDIATION_STAFF)',
    },
    recordInstalmentPaid: {
      update: recordInstalmentPaidUpdate,
      awaited: { label: '核实分期支付', by: 'OWNER', status: ['AGREED'], waitingOn: ['PAYER'], roles: MEDIATION_STAFF },
      who: 'labour inspection staff of the owning agency (MEDIATION_STAFF)',
    },
  },
});
