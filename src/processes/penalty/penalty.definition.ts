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
import { DELIBERATION_RECORDERS, PENALTY_CASEWORKERS, PENALTY_DECIDERS } from '../../policy/investigation';

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
    serveNotice: {
      update: servePenaltyNoticeUpdate,
      awaited: { label: '送达行政处罚告知书', by: 'OWNER', status: ['PROPOSED'], roles: PENALTY_CASEWORKERS },
      who: 'a caseworker of the owning agency (PENALTY_CASEWORKERS)',
    },
    recordStatement: {
      update: recordPenaltyStatementUpdate,
      awaited: { label: '记录当事人陈述申辩', by: 'OWNER', status: ['NOTICE_SERVED'], waitingOn: ['PARTY'], roles: PENALTY_CASEWORKERS },
      who: 'a caseworker of the owning agency, for the party',
    },
    requestHearing: { update: requestPenaltyHearingUpdate, who: 'a caseworker of the owning agency, for the party (large fines only)' },
    recordHearing: {
      update: recordPenaltyHearingUpdate,
      awaited: { label: '组织听证', by: 'OWNER', status: ['HEARING_REQUESTED'], roles: PENALTY_CASEWORKERS },
      who: 'a caseworker of the owning agency',
    },
    recordDeliberation: {
      update: recordPenaltyDeliberationUpdate,
      awaited: { label: '负责人集体讨论', by: 'OWNER', waitingOn: ['COLLECTIVE_DELIBERATION'], roles: DELIBERATION_RECORDERS },
      who: 'the director of the owning agency (DELIBERATION_RECORDERS)',
    },
    decide: {
      update: decidePenaltyUpdate,
      awaited: { label: '作出行政处罚决定', by: 'OWNER', waitingOn: ['DECIDER'], roles: PENALTY_DECIDERS },
      who: 'a supervisor or director of the owning agency (PENALTY_DECIDERS) who is neither the case’s lead, on its investigating team, nor the proposer',
    },
    serveDecision: {
      update: servePenaltyDecisionUpdate,
      awaited: { label: '送达行政处罚决定书', by: 'OWNER', status: ['DECIDED'], roles: PENALTY_CASEWORKERS },
      who: 'a caseworker of the owning agency',
    },
  },
});
