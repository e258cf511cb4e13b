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

/** Case-file entry types in Chinese (the API gives them as codes); unknown ones show as given. */
export const EVENT_LABELS: Record<string, string> = {
  RECEIVED: '接收投诉',
  REPEAT_COMPLAINT: '重复投诉并案',
  CONTACT_RECORDED: '联系投诉人',
  ACCEPTED: '受理',
  REJECTED: '不予受理',
  TRANSFERRED: '移交',
  LEAD_ASSIGNED: '确定主办人',
  PAYMENT_RECORDED: '记录支付',
  RESOLVED: '已解决',
  CLOSED: '办结',
  PROCESS_STARTED: '启动协同流程',
  PROCESS_STEP: '流程步骤',
  PROCESS_ENDED: '流程结束',
};
