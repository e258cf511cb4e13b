import {
  decidePenaltyUpdate,
  penalty,
  recordPenaltyDeliberationUpdate,
  recordPenaltyHearingUpdate,
  recordPenaltyStatementUpdate,
  requestPenaltyHearingUpdate,
  servePenaltyDecisionUpdate,
  servePenaltyNoticeUpdate,
} from '../../../workflows/penalty';
import { penaltyRules } from '../../rules/penalty-rules';
import { defineProcess } from '../process-definition';

/** 行政处罚: notice of the proposed penalty, statement and defence, a hearing for a large fine, deliberation, decision, service. */
export const penaltyProcess = defineProcess({
  kind: 'PENALTY',
  label: '行政处罚',
  workflow: penalty,
  workflowModule: require.resolve('../../../workflows/penalty'),
  idPrefix: 'penalty',
  facts:
    'the proposed amount and the provision breached, large fine / serious, who proposed it; the notice (number, served at, statement and hearing deadlines), the hearing, the deliberation, the decision (outcome, amount, number, decided by), its service',
  clocks: {
    statementAndDefence: penaltyRules.statementAndDefence,
    hearingRequest: penaltyRules.hearingRequest,
    decisionService: penaltyRules.decisionService,
    largeFine: penaltyRules.largeFine,
    serious: penaltyRules.serious,
  },
  steps: {
    serveNotice: { update: servePenaltyNoticeUpdate, who: 'a caseworker of the owning agency (PENALTY_CASEWORKERS)' },
    recordStatement: { update: recordPenaltyStatementUpdate, who: 'a caseworker of the owning agency, for the party' },
    requestHearing: { update: requestPenaltyHearingUpdate, who: 'a caseworker of the owning agency, for the party (large fines only)' },
    recordHearing: { update: recordPenaltyHearingUpdate, who: 'a caseworker of the owning agency' },
    recordDeliberation: { update: recordPenaltyDeliberationUpdate, who: 'the director of the owning agency (DELIBERATION_RECORDERS)' },
    decide: {
      update: decidePenaltyUpdate,
      who: 'a supervisor or director of the owning agency (PENALTY_DECIDERS) who is neither the case’s lead, on its investigating team, nor the proposer',
    },
    serveDecision: { update: servePenaltyDecisionUpdate, who: 'a caseworker of the owning agency' },
  },
});
