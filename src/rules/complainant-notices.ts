/**
 * 告知投诉人: the short texts the complainant is told at each milestone of their case (a `NOTICE` entry in the case
 * file; the integrator that brought the case carries it on its webhook, the public lookup shows the latest). Seed
 * 003 (青岛) asks that complainants be told of the progress of their case (办案过程中要及时告知投诉人办理进展情况);
 * the wording is local configuration.
 */
export type NoticeMilestone = 'ACCEPTED' | 'RESOLVED' | 'CLOSED' | 'CALLBACK_DONE' | 'CALLBACK_UNDER_REVIEW';

export const complainantNotices: Record<NoticeMilestone, string> = {
  ACCEPTED: '您反映的欠薪问题已受理，我们将依法调查处理，请保持电话畅通。',
  RESOLVED: '您反映的欠薪问题已处理，工资支付已记录在案。',
  CLOSED: '您的案件已办结。我们可能会电话回访，了解工资是否足额到位以及您对办理情况是否满意。',
  CALLBACK_DONE: '回访已完成，感谢您的反馈。',
  CALLBACK_UNDER_REVIEW: '回访已完成。您反映的情况已转交主管负责人复核，我们将尽快处理并告知您结果。',
};

export const NOTICE_SOURCE = '青岛 (seed 003): 告知投诉人接案情况、办理进展情况 — the milestones and the wording are local configuration';

/** The payload of a NOTICE entry: which milestone, and the text for the complainant. */
export function noticePayload(milestone: NoticeMilestone): { milestone: NoticeMilestone; text: string } {
  return { milestone, text: complainantNotices[milestone] };
}
