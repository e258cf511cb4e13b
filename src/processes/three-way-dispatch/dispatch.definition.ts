import { acknowledgeDispatchUpdate, reportDispatchUpdate, threeWayDispatch } from '../../../workflows/three-way-dispatch';
import { dispatchRules } from '../../rules/process-rules';
import { defineProcess } from '../process-definition';

/** 三交办: the case goes at once to the district government, the project's regulator and the general contractor's HQ. */
export const threeWayDispatchProcess = defineProcess({
  kind: 'DISPATCH',
  label: '三交办',
  workflow: threeWayDispatch,
  workflowModule: require.resolve('../../../workflows/three-way-dispatch'),
  idPrefix: 'dispatch',
  facts: 'none beyond its parties: each recipient has its own deadlines, acknowledgement, report and escalation level',
  clocks: {
    acknowledge: dispatchRules.acknowledge,
    firstReport: dispatchRules.firstReport,
    escalationLadder: { source: dispatchRules.escalationLadderSource },
  },
  steps: {
    acknowledge: {
      update: acknowledgeDispatchUpdate,
      awaited: { label: '确认接收交办', by: 'PARTY', party: 'unacknowledged', due: 'acknowledgeDue' },
      who: 'the recipient agency, for itself',
    },
    report: {
      update: reportDispatchUpdate,
      awaited: { label: '反馈交办处理情况', by: 'PARTY', party: 'unreported', due: 'reportDue' },
      who: 'the recipient agency, for itself, once it has acknowledged',
    },
  },
});
