import dayjs from 'dayjs';
import { graphql } from '../gql';
import type { CasePageQuery } from '../gql/graphql';
import { StepForm } from './StepForm';
import { rosterOf } from './steps';

type CaseData = CasePageQuery['case'];

const SubmitClosingReport = graphql(`
  mutation CaseSubmitClosingReport($input: SubmitClosingReportInput!) {
    submitClosingReport(input: $input) {
      id
      version
      status
    }
  }
`);
const ApproveClosing = graphql(`
  mutation CaseApproveClosing($input: ApproveClosingInput!) {
    approveClosing(input: $input) {
      id
      version
      status
    }
  }
`);
const IssueOrderToPay = graphql(`
  mutation CaseIssueOrderToPay($input: IssueOrderToPayInput!) {
    issueOrderToPay(input: $input) {
      id
      status
    }
  }
`);
const ProposePenalty = graphql(`
  mutation CaseProposePenalty($input: ProposePenaltyInput!) {
    proposePenalty(input: $input) {
      id
      status
    }
  }
`);

/**
 * 结案: on a resolved case, the closing report (结案报告) and, once one is in the file, its approval (结案审批).
 * The report is offered where the API's `availableActions` has `PAYMENT` (a caseworker of an agency that may
 * change the case, the roles that write a closing report); the approval where it has `APPROVE_CLOSING` (a
 * supervisor or director of the owning agency, once a report someone else wrote is in the file).
 */
export function ClosingForms({ c, onDone }: { c: CaseData; onDone(): void }) {
  if (c.status !== 'RESOLVED') return null;
  const mayReport = c.availableActions.includes('PAYMENT');
  const mayApprove = c.availableActions.includes('APPROVE_CLOSING');
  const reported = c.events.some((e) => e.type === 'CLOSING_REPORT_SUBMITTED');
  return (
    <>
      {mayReport && (
        <StepForm
          onDone={onDone}
          spec={{
            title: reported ? '结案报告（重新提交）' : '结案报告',
            name: 'submitClosingReport',
            testId: 'closing-report',
            doc: SubmitClosingReport,
            fields: [
              { name: 'findings', label: '查明事实', kind: 'textarea', rows: 3 },
              { name: 'recovery', label: '追发情况', kind: 'textarea' },
              { name: 'outcome', label: '处理结果', kind: 'textarea' },
            ],
            input: (v) => ({
              caseId: c.id,
              expectedVersion: c.version,
              findings: v.findings ?? '',
              recovery: v.recovery ?? '',
              outcome: v.outcome ?? '',
            }),
            submit: '提交结案报告',
            done: '已提交结案报告',
          }}
        />
      )}
      {mayApprove && (
        <StepForm
          onDone={onDone}
          spec={{
            title: '结案审批',
            name: 'approveClosing',
            testId: 'approve-closing',
            hint: '由未撰写结案报告的科长或局长审批；批准后案件办结，并按规定安排回访。',
            doc: ApproveClosing,
            fields: [{ name: 'note', label: '审批意见', kind: 'textarea' }],
            input: (v) => ({ caseId: c.id, expectedVersion: c.version, note: v.note || null }),
            submit: '批准结案',
            done: '已批准结案',
          }}
        />
      )}
    </>
  );
}

/**
 * Processes the case's owning agency starts on it: 限期支付 (order to pay each worker by a day) and 行政处罚 (a
 * proposed fine). Each is shown where the API's `availableActions` has it (`ORDER_TO_PAY`: a supervisor or director
 * of the owning agency; `PENALTY`: a caseworker of it) and none of its kind is under way.
 */
export function StartForms({ c, onDone }: { c: CaseData; onDone(): void }) {
  const may = (action: 'ORDER_TO_PAY' | 'PENALTY') => c.availableActions.includes(action);
  if (!may('ORDER_TO_PAY') && !may('PENALTY')) return null;
  const roster = rosterOf(c);
  // One of each under way at a time (the API's rule too): while one is open its steps are the process's.
  const open = (kind: string) => c.processes.some((p) => p.kind === kind && !p.endedAt);
  const names = new Map(roster.map((r) => [r.id, r.name]));
  return (
    <>
      {may('ORDER_TO_PAY') && !open('ORDER_TO_PAY') && (
        <StepForm
          onDone={onDone}
          spec={{
            title: '责令限期支付',
            name: 'issueOrderToPay',
            testId: 'issue-order',
            doc: IssueOrderToPay,
            initial: {
              dueOn: dayjs().add(10, 'day'),
              ...(roster.length ? { workers: roster.map((r) => ({ amount: r.owed / 100 })) } : { workers: [{}] }),
            },
            fields: [
              roster.length
                ? { name: 'workers', label: '责令支付到人', kind: 'allocations', roster }
                : {
                    name: 'workers',
                    label: '责令支付到人',
                    kind: 'list',
                    columns: [
                      { name: 'name', label: '姓名', kind: 'text' },
                      { name: 'amount', label: '金额（元）', kind: 'yuan' },
                    ],
                  },
              { name: 'dueOn', label: '限期（最后支付日）', kind: 'date' },
            ],
            input: (v) => ({
              caseId: c.id,
              dueOn: v.dueOn ?? '',
              workers: (v.workers ?? []).map((w: { owedWorkerId?: string; name?: string; amount: number | null }) => ({
                name: w.owedWorkerId ? (names.get(w.owedWorkerId) ?? '') : (w.name ?? ''),
                amount: w.amount ?? 0,
              })),
            }),
            submit: '签发限期改正指令书',
            done: '已签发限期支付',
          }}
        />
      )}
      {may('PENALTY') && !open('PENALTY') && (
        <StepForm
          onDone={onDone}
          spec={{
            title: '行政处罚立案（拟处罚）',
            name: 'proposePenalty',
            testId: 'propose-penalty',
            doc: ProposePenalty,
            initial: { serious: false },
            fields: [
              { name: 'amount', label: '拟罚款金额（元）', kind: 'yuan' },
              { name: 'provision', label: '违反及依据条款', kind: 'text', placeholder: '如 劳动保障监察条例 第二十六条' },
              { name: 'serious', label: '情节复杂或重大（须集体讨论）', kind: 'check' },
            ],
            input: (v) => ({ caseId: c.id, amount: v.amount ?? 0, provision: v.provision ?? '', serious: !!v.serious }),
            submit: '提出处罚',
            done: '已提出行政处罚',
          }}
        />
      )}
    </>
  );
}
