import dayjs from 'dayjs';
import relativeTime from 'dayjs/plugin/relativeTime';
import 'dayjs/locale/zh-cn';
import { enumLabels, type EnumName } from './gql/enum-labels';

dayjs.extend(relativeTime);
dayjs.locale('zh-cn');

/** The label of an enum value, from its description in the schema (generated at build time). */
export function label(enumName: EnumName, value: string | null | undefined): string {
  if (!value) return '—';
  const labels = enumLabels[enumName] as Record<string, string>;
  return labels[value] ?? value;
}

/** Options for a select of an enum's values, labelled from the schema. */
export function enumOptions(enumName: EnumName): Array<{ value: string; label: string }> {
  return Object.entries(enumLabels[enumName] as Record<string, string>).map(([value, text]) => ({ value, label: text }));
}

/** Fen as yuan, e.g. 1234567 → ¥12,345.67. */
export function yuan(fen: number | null | undefined): string {
  if (fen === null || fen === undefined) return '—';
  return `¥${(fen / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** A UTC instant shown in Beijing time. */
export function beijing(at: string | null | undefined): string {
  if (!at) return '—';
  return new Date(at).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
}

/** "3 天后" / "2 小时前": a deadline counted from now. */
export function fromNow(at: string): string {
  return dayjs(at).fromNow();
}

/**
 * Case-file entry types in Chinese. The API names them as codes in a string field (not a schema enum), so they are
 * listed here; an unknown one shows as given.
 */
export const EVENT_LABELS: Record<string, string> = {
  RECEIVED: '接收投诉',
  CONTACT_RECORDED: '联系投诉人',
  COMPLAINANT_IDENTIFIED: '核实投诉人身份',
  ACCEPTED: '受理',
  REJECTED: '不予受理',
  TRANSFERRED: '移交',
  LEAD_ASSIGNED: '确定主办人',
  INVESTIGATION_TEAM_SET: '确定调查组',
  INQUIRY_RECORDED: '询问笔录',
  EVIDENCE_RECORDED: '调查取证',
  VIOLATION_PERIOD_RECORDED: '记录违法行为期间',
  OWED_WORKER_ADDED: '登记欠薪人员',
  OWED_WORKER_CORRECTED: '更正欠薪人员',
  OWED_WORKER_REMOVED: '删除欠薪人员',
  PAYMENT_RECORDED: '记录工资支付',
  RESOLUTION_EXTENDED: '延期办结',
  CLOSING_REPORT_SUBMITTED: '提交结案报告',
  CLOSED: '办结',
  NOTICE: '告知投诉人',
  ESCALATED: '升级督办',
  DISPATCH_REQUESTED: '发起三交办',
  DISPATCH_SENT: '交办单已送达',
  DISPATCH_ACKNOWLEDGED: '签收交办',
  DISPATCH_REPORTED: '反馈交办处理情况',
  DISPATCH_ENDED: '三交办结束',
  REFERRAL_PROPOSED: '提出移送',
  REFERRAL_SUBMITTED_FOR_APPROVAL: '移送报批',
  REFERRAL_APPROVED: '批准移送',
  REFERRAL_REFUSED: '不批准移送',
  REFERRAL_SENT: '移送公安',
  REFERRAL_DECIDED: '公安作出决定',
  RECONSIDERATION_REQUESTED: '提请复议',
  RECONSIDERATION_DECIDED: '复议决定',
  SUPERVISION_REQUESTED: '提请立案监督',
  CRIMINAL_OUTCOME_RECORDED: '记录刑事处理结果',
  REFERRAL_CLOSED: '移送结束',
  MEDIATION_CONVENED: '召集联合调处',
  MEDIATION_INVITATIONS_SENT: '发出调处邀请',
  MEDIATION_ATTENDANCE_CONFIRMED: '确认参加调处',
  MEDIATION_SESSION_RECORDED: '调处会议',
  MEDIATION_AGREEMENT_RECORDED: '达成调处协议',
  INSTALMENT_PAID: '分期款支付',
  MEDIATION_ENDED: '联合调处结束',
  CALLBACK_SCHEDULED: '安排回访',
  CALLBACK_ATTEMPTED: '回访未接通',
  CALLBACK_RECORDED: '回访',
  CALLBACK_REVIEW_OPENED: '回访复核',
  CALLBACK_REVIEWED: '复核完成',
  ORDER_TO_PAY_ISSUED: '下达限期支付指令',
  ORDER_TO_PAY_COMPLIED: '按期支付',
  HANDOVER_REQUESTED: '申请移交',
  HANDOVER_ACCEPTED: '接收移交',
  HANDOVER_RETURNED: '退回移交',
  PENALTY_PROPOSED: '提出行政处罚',
  PENALTY_DECIDED: '作出处罚决定',
};
