import {
  approveReferralUpdate,
  decideReconsiderationUpdate,
  decideReferralUpdate,
  policeReferral,
  recordCriminalOutcomeUpdate,
  requestReconsiderationUpdate,
  requestSupervisionUpdate,
  sendReferralUpdate,
} from '../../../workflows/police-referral';
import { policeReferralRules } from '../../rules/process-rules';
import { defineProcess } from '../process-definition';

/** 移送公安: an ignored order to pay above the crime threshold goes to the police, who decide within 3 days. */
export const policeReferralProcess = defineProcess({
  kind: 'POLICE_REFERRAL',
  label: '移送公安',
  workflow: policeReferral,
  workflowModule: require.resolve('../../../workflows/police-referral'),
  idPrefix: 'referral',
  facts:
    'team, police agency, grounds, the ignored order to pay; approval, sending, the decision and its reasons, reconsideration, supervision, the criminal outcome',
  clocks: {
    crimeThreshold: policeReferralRules.crimeThreshold,
    approval: policeReferralRules.approval,
    send: policeReferralRules.send,
    policeDecision: policeReferralRules.policeDecision,
    reconsiderationRequest: policeReferralRules.reconsiderationRequest,
    reconsiderationDecision: policeReferralRules.reconsiderationDecision,
  },
  steps: {
    approve: { update: approveReferralUpdate, who: 'the director of the owning agency (REFERRAL_APPROVERS)' },
    send: { update: sendReferralUpdate, who: 'a member of the referral team, or the director' },
    decide: { update: decideReferralUpdate, who: 'an officer of the police agency it was sent to (POLICE_DECIDERS)' },
    requestReconsideration: { update: requestReconsiderationUpdate, who: 'a caseworker of the owning agency' },
    decideReconsideration: { update: decideReconsiderationUpdate, who: 'an officer of the police agency' },
    requestSupervision: { update: requestSupervisionUpdate, who: 'a caseworker of the owning agency' },
    recordCriminalOutcome: { update: recordCriminalOutcomeUpdate, who: 'an officer of the police agency' },
  },
});
