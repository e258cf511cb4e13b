import { acceptHandoverUpdate, handover, returnHandoverUpdate } from '../../../workflows/handover';
import { handoverRules } from '../../rules/handover-rules';
import { defineProcess } from '../process-definition';
import { HANDOVER_ANSWERERS } from '../../policy/roles';

/**
 * 移交 (首问负责): a case handed to another inspection agency, which accepts it (the owner changes) or returns it with
 * a reason; until it accepts, the sender owns the case and keeps every right. The tracked way to hand a case on:
 * `transferCase` (status TRANSFERRED, a free-text `to`) stays for a case leaving inspection's hands untracked.
 */
export const handoverProcess = defineProcess({
  kind: 'HANDOVER',
  label: '案件移交（首问负责）',
  workflow: handover,
  workflowModule: require.resolve('../../../workflows/handover'),
  idPrefix: 'handover',
  facts: 'fromAgencyId, toAgencyId and reason of the handover; who answered, and a return’s reason',
  clocks: {
    answer: handoverRules.answer,
    caseDeadlines: {
      source:
        'decision (no rule gives one): the receiver takes over the case’s existing acceptance and resolution deadlines unchanged — they run from the complaint’s receipt and the case’s acceptance by labour inspection, which a handover between its agencies does not restart',
    },
  },
  steps: {
    acceptHandover: {
      update: acceptHandoverUpdate,
      awaited: { label: '接收移交案件', by: 'PARTY', waitingOn: ['RECEIVER'], roles: HANDOVER_ANSWERERS },
      who: 'a supervisor or director of the receiving inspection agency (HANDOVER_ANSWERERS)',
    },
    returnHandover: {
      update: returnHandoverUpdate,
      who: 'a supervisor or director of the receiving inspection agency (HANDOVER_ANSWERERS)',
    },
  },
});
