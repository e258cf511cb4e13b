import ExcelJS from 'exceljs';
import { REPORT_FIGURES } from './report-figures';
import type { DailyReportItem, DailyReportRecord } from './daily-report.service';

/** The Chinese names the printed report gives the flagged items (a code without one is printed as it is). */
const ITEM_KIND: Record<DailyReportItem['kind'], string> = { ESCALATED: '升级督办', OVERDUE: '超期' };
const WHAT: Record<string, string> = {
  sameDayContact: '首日对接超期',
  acceptance: '受理超期',
  resolution: '办结超期',
  DISPATCH_ACKNOWLEDGE_OVERDUE: '三交办签收超期',
  DISPATCH_REPORT_OVERDUE: '三交办反馈超期',
  REFERRAL_APPROVAL_OVERDUE: '移送审批超期',
  REFERRAL_SEND_OVERDUE: '移送送达超期',
  POLICE_DECISION_OVERDUE: '公安立案决定超期',
  RECONSIDERATION_DECISION_OVERDUE: '复议决定超期',
};
const PARTY: Record<string, string> = {
  DISTRICT_GOVERNMENT: '属地政府',
  INDUSTRY_REGULATOR: '行业主管部门',
  CONTRACTOR_HQ: '总承包单位总部',
  POLICE: '公安机关',
  HRSS_TEAM: '监察办案组',
  CITY_DAILY_REPORT: '市日通报',
  PROCURATORATE: '检察院',
  DIRECTOR: '负责人',
  SUPERVISOR: '科长',
};

const name = (table: Record<string, string>, code: string | null) => (code ? (table[code] ?? code) : '');
/** Beijing wall-clock time, YYYY-MM-DD HH:mm. */
const beijing = (iso: string | Date | null) =>
  iso ? new Date(new Date(iso).getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ') : '';

/** A figure's label as printed: money is in yuan. */
export function printedLabel(f: { label: string; unit: string }): string {
  return f.unit === 'FEN' ? `${f.label}（元）` : f.label;
}

/** The report's figures as printed: money in yuan. */
export function printedFigures(r: DailyReportRecord): Array<{ label: string; value: number; delta: number | null; money: boolean }> {
  const { figures, deltas } = r.content;
  return REPORT_FIGURES.map((f) => {
    const scale = f.unit === 'FEN' ? 100 : 1;
    return {
      label: printedLabel(f),
      value: (figures[f.key] ?? 0) / scale,
      delta: deltas ? (deltas[f.key] ?? 0) / scale : null,
      money: f.unit === 'FEN',
    };
  });
}

function itemRow(i: DailyReportItem): string[] {
  return [
    i.caseNumber,
    ITEM_KIND[i.kind],
    name(WHAT, i.what),
    name(PARTY, i.party),
    name(PARTY, i.escalateTo),
    beijing(i.deadline),
    beijing(i.at),
  ];
}
const ITEM_HEADERS = ['案件编号', '类别', '事项', '责任方', '上报至', '期限', '升级时间'];

/** The report as an Excel workbook: a sheet of figures (指标) and a sheet of flagged items (督办事项). */
export async function dailyReportXlsx(r: DailyReportRecord): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Anxin 安薪';
  wb.created = r.madeAt;
  const sheet = wb.addWorksheet('日通报');
  sheet.addRow([`${r.agencyName} 欠薪案件日通报`]).font = { bold: true, size: 14 };
  sheet.addRow(['通报日期', r.day]);
  sheet.addRow(['生成时间（北京时间）', beijing(r.madeAt)]);
  sheet.addRow(['上次通报日期', r.content.previous?.day ?? '（首次通报）']);
  sheet.addRow([]);
  sheet.addRow(['指标', '数值', '较上次变化']).font = { bold: true };
  for (const f of printedFigures(r)) {
    const row = sheet.addRow([f.label, f.value, f.delta]);
    if (f.money) {
      row.getCell(2).numFmt = '#,##0.00';
      row.getCell(3).numFmt = '+#,##0.00;-#,##0.00;0.00';
    } else row.getCell(3).numFmt = '+0;-0;0';
  }
  sheet.getColumn(1).width = 24;
  sheet.getColumn(2).width = 18;
  sheet.getColumn(3).width = 14;

  const items = wb.addWorksheet('督办事项');
  items.addRow(ITEM_HEADERS).font = { bold: true };
  for (const i of r.content.items) items.addRow(itemRow(i));
  if (r.content.itemsTruncated) items.addRow(['（事项过多，仅列出前部分；指标中已全部计数）']);
  items.columns.forEach((c) => (c.width = 20));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const number = (n: number, money: boolean) =>
  money ? n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }) : String(n);
const signed = (n: number | null, money: boolean) => (n === null ? '—' : `${n > 0 ? '+' : ''}${number(n, money)}`);

/** The report as a self-contained printable page (no script, no outside resource). */
export function dailyReportHtml(r: DailyReportRecord): string {
  const figures = printedFigures(r)
    .map((f) => `<tr><th>${escape(f.label)}</th><td>${number(f.value, f.money)}</td><td>${signed(f.delta, f.money)}</td></tr>`)
    .join('\n');
  const items = r.content.items.length
    ? r.content.items
        .map(
          (i) =>
            `<tr>${itemRow(i)
              .map((c) => `<td>${escape(c)}</td>`)
              .join('')}</tr>`,
        )
        .join('\n')
    : `<tr><td colspan="${ITEM_HEADERS.length}">无</td></tr>`;
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${escape(r.agencyName)} 日通报 ${r.day}</title>
<style>
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2em;color:#111}
h1{font-size:1.4em}table{border-collapse:collapse;margin:1em 0;min-width:40%}
th,td{border:1px solid #999;padding:.3em .6em;text-align:left}td{text-align:right}
.items td{text-align:left}@media print{body{margin:0}button{display:none}}
</style></head><body>
<h1>${escape(r.agencyName)} 欠薪案件日通报</h1>
<p>通报日期：${r.day}&emsp;生成时间（北京时间）：${beijing(r.madeAt)}&emsp;上次通报：${r.content.previous?.day ?? '首次通报'}</p>
<table class="figures"><thead><tr><th>指标</th><th>数值</th><th>较上次变化</th></tr></thead><tbody>
${figures}
</tbody></table>
<h2>督办事项</h2>
<table class="items"><thead><tr>${ITEM_HEADERS.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>
${items}
</tbody></table>
${r.content.itemsTruncated ? '<p>（事项过多，仅列出前部分；指标中已全部计数）</p>' : ''}
</body></html>
`;
}
