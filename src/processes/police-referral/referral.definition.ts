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
import { CASEWORKERS, POLICE_DECIDERS, REFERRAL_APPROVERS } from '../../policy/roles';

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
    approve: {
      update: approveReferralUpdate,
      awaited: { label: '审批移送', by: 'OWNER', status: ['AWAITING_APPROVAL'], roles: REFERRAL_APPROVERS },
      who: 'the director of the owning agency (REFERRAL_APPROVERS)',
    },
    send: {
      update: sendReferralUpdate,
      awaited: { label: '移送公安机关', by: 'OWNER', status: ['APPROVED'], roles: CASEWORKERS },
      who: 'a member of the referral team, or the director',
    },
    decide: {
      update: decideReferralUpdate,
      awaited: { label: '作出是否立案决定', by: 'PARTY', status: ['SENT'], roles: POLICE_DECIDERS },
      who: 'an officer of the police agency it was sent to (POLICE_DECIDERS)',
    },
    requestReconsideration: {
      update: requestReconsiderationUpdate,
      awaited: { label: '申请复议', by: 'OWNER', status: ['DECLINED'], roles: CASEWORKERS },
      who: 'a caseworker of the owning agency',
    },
    decideReconsideration: {
      update: decideReconsiderationUpdate,
      awaited: { label: '作出复议决定', by: 'PARTY', status: ['RECONSIDERATION_REQUESTED'], roles: POLICE_DECIDERS },
      who: 'an officer of the police agency',
    },
    requestSupervision: {
      update: requestSupervisionUpdate,
      awaited: { label: '提请检察院立案监督', by: 'OWNER', status: ['UPHELD'], roles: CASEWORKERS },
      who: 'a caseworker of the owning agency',
    },
    recordCriminalOutcome: {
      update: recordCriminalOutcomeUpdate,
      awaited: { label: '反馈刑事案件办理结果', by: 'PARTY', status: ['FILED'], roles: POLICE_DECIDERS },
      who: 'an officer of the police agency',
    },
  },
});
