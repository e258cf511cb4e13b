import { callback, recordCallbackUpdate, reviewCallbackUpdate } from '../../../workflows/callback';
import { callbackRules } from '../../rules/closure-callback';
import { defineProcess } from '../process-definition';
import { CALLBACK_REVIEWERS, CALLBACK_STAFF } from '../../policy/roles';

/**
 * 回访 / 回头看: a closed case (all, or a sample: `callbackRules.samplingRate`) is called back; wages not received in
 * full or a dissatisfied complainant opens the supervisor's review. Started by the closing approval
 * (src/processes/closure), not by a mutation of its own: the case has ended, so it runs on its own, not as a
 * child of the case's lifecycle.
 */
export const callbackProcess = defineProcess({
  kind: 'CALLBACK',
  label: '回访',
  workflow: callback,
  workflowModule: require.resolve('../../../workflows/callback'),
  idPrefix: 'callback',
  facts: 'attempts made; the callback (reached, wages received in full, satisfaction, notes, on time); the review (decision, findings)',
  clocks: { callback: callbackRules.callbackWithin, review: callbackRules.reviewWithin },
  steps: {
    recordCallback: {
      update: recordCallbackUpdate,
      awaited: { label: '回访投诉人', by: 'OWNER', waitingOn: ['INSPECTION'], roles: CALLBACK_STAFF },
      who: 'labour inspection staff of the owning agency (CALLBACK_STAFF)',
    },
    reviewCallback: {
      update: reviewCallbackUpdate,
      awaited: { label: '审核回访结果', by: 'OWNER', waitingOn: ['SUPERVISOR'], roles: CALLBACK_REVIEWERS },
      who: 'a supervisor or director of the owning agency (CALLBACK_REVIEWERS)',
    },
  },
});
