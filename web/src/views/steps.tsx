import { Fragment, useCallback } from 'react';
import { Card, Row, Typography } from 'antd';
import dayjs from 'dayjs';
import { useQuery } from 'urql';
import { graphql } from '../gql';
import type { CasePageQuery, CaseTasksQuery } from '../gql/graphql';
import { beijing, fromNow, label, yuan } from '../labels';
import { useCaseEvents } from '../live';
import type { Claims } from '../session';
import { key, StepCard, StepForm, type RosterLine, type StepSpec } from './StepForm';

export { StepCard, useStep } from './StepForm';

type CaseData = CasePageQuery['case'];
type Task = CaseTasksQuery['myTasks'][number];

const CaseTasksDoc = graphql(`
  query CaseTasks {
    myTasks(first: 200) {
      action
      label
      dueAt
      overdue
      process {
        id
        kind
      }
      case {
        id
      }
    }
  }
`);

const ReportDispatch = graphql(`
  mutation StepReportDispatch($input: ReportDispatchInput!) {
    reportDispatch(input: $input) {
      id
      status
    }
  }
`);
const ApproveReferral = graphql(`
  mutation StepApproveReferral($input: ApprovePoliceReferralInput!) {
    approvePoliceReferral(input: $input) {
      id
      status
    }
  }
`);
const SendReferral = graphql(`
  mutation StepSendReferral($input: ProcessStepInput!) {
    sendPoliceReferral(input: $input) {
      id
      status
    }
  }
`);
const DecideReferral = graphql(`
  mutation StepDecideReferral($input: DecidePoliceReferralInput!) {
    decidePoliceReferral(input: $input) {
      id
      status
    }
  }
`);
const RequestReconsideration = graphql(`
  mutation StepRequestReconsideration($input: RequestReconsiderationInput!) {
    requestReconsideration(input: $input) {
      id
      status
    }
  }
`);
const DecideReconsideration = graphql(`
  mutation StepDecideReconsideration($input: DecideReconsiderationInput!) {
    decideReconsideration(input: $input) {
      id
      status
    }
  }
`);
const ConfirmAttendance = graphql(`
  mutation StepConfirmAttendance($input: ConfirmAttendanceInput!) {
    confirmMediationAttendance(input: $input) {
      id
      status
    }
  }
`);
const AcceptHandover = graphql(`
  mutation StepAcceptHandover($input: AcceptHandoverInput!) {
    acceptHandover(input: $input) {
      id
      status
    }
  }
`);
const ReturnHandover = graphql(`
  mutation StepReturnHandover($input: ReturnHandoverInput!) {
    returnHandover(input: $input) {
      id
      status
    }
  }
`);
const AcknowledgeExternalReferral = graphql(`
  mutation StepAcknowledgeExternalReferral($input: AcknowledgeExternalReferralInput!) {
    acknowledgeExternalReferral(input: $input) {
      id
      status
    }
  }
`);
const RequestSupervision = graphql(`
  mutation StepRequestSupervision($input: RequestSupervisionInput!) {
    requestProcuratorateSupervision(input: $input) {
      id
      status
    }
  }
`);
const RecordCriminalOutcome = graphql(`
  mutation StepRecordCriminalOutcome($input: RecordCriminalOutcomeInput!) {
    recordCriminalOutcome(input: $input) {
      id
      status
    }
  }
`);
const Procuratorates = graphql(`
  query StepProcuratorates {
    agencies(kind: PROCURATORATE) {
      id
      name
    }
  }
`);
const RecordOrderComplied = graphql(`
  mutation StepRecordOrderComplied($input: RecordOrderCompliedInput!) {
    recordOrderComplied(input: $input) {
      id
      status
    }
  }
`);
const OrderAdditionalCompensation = graphql(`
  mutation StepOrderAdditionalCompensation($input: OrderAdditionalCompensationInput!) {
    orderAdditionalCompensation(input: $input) {
      id
      status
    }
  }
`);
const ServePenaltyNotice = graphql(`
  mutation StepServePenaltyNotice($input: ServePenaltyNoticeInput!) {
    servePenaltyNotice(input: $input) {
      id
      status
    }
  }
`);
const RecordPenaltyStatement = graphql(`
  mutation StepRecordPenaltyStatement($input: RecordPenaltyStatementInput!) {
    recordPenaltyStatement(input: $input) {
      id
      status
    }
  }
`);
const RequestPenaltyHearing = graphql(`
  mutation StepRequestPenaltyHearing($input: RequestPenaltyHearingInput!) {
    requestPenaltyHearing(input: $input) {
      id
      status
    }
  }
`);
const RecordPenaltyHearing = graphql(`
  mutation StepRecordPenaltyHearing($input: RecordPenaltyHearingInput!) {
    recordPenaltyHearing(input: $input) {
      id
      status
    }
  }
`);
const RecordPenaltyDeliberation = graphql(`
  mutation StepRecordPenaltyDeliberation($input: RecordPenaltyDeliberationInput!) {
    recordPenaltyDeliberation(input: $input) {
      id
      status
    }
  }
`);
const DecidePenalty = graphql(`
  mutation StepDecidePenalty($input: DecidePenaltyInput!) {
    decidePenalty(input: $input) {
      id
      status
    }
  }
`);
const ServePenaltyDecision = graphql(`
  mutation StepServePenaltyDecision($input: ServePenaltyDecisionInput!) {
    servePenaltyDecision(input: $input) {
      id
      status
    }
  }
`);
const RecordAgreement = graphql(`
  mutation StepRecordMediationAgreement($input: RecordAgreementInput!) {
    recordMediationAgreement(input: $input) {
      id
      status
    }
  }
`);
const RecordInstalmentPaid = graphql(`
  mutation StepRecordInstalmentPaid($input: RecordInstalmentPaidInput!) {
    recordInstalmentPaid(input: $input) {
      id
      status
    }
  }
`);
const RecordCallback = graphql(`
  mutation StepRecordCallback($input: RecordCallbackInput!) {
    recordCallback(input: $input) {
      id
      status
    }
  }
`);
const ReviewCallback = graphql(`
  mutation StepReviewCallback($input: ReviewCallbackInput!) {
    reviewCallback(input: $input) {
      id
      status
    }
  }
`);

interface StepProps {
  task: Task;
  c: CaseData;
  claims: Claims;
  onDone(): void;
}

/** The case's roster of owed workers as an allocation table's rows: what each is still owed. */
export function rosterOf(c: CaseData): RosterLine[] {
  return c.owedWorkers
    .filter((w) => !w.done)
    .map((w) => ({ id: w.id, name: w.name ?? '（未留姓名）', owed: Math.max(0, w.amountOwed - w.amountPaid) }));
}

/** A form for the task's step: its title and deadline, the form's name and the process step's reference. */
function stepForm<I>(
  p: StepProps,
  spec: Omit<StepSpec<I>, 'title' | 'extra' | 'name'> & { title?: string; name?: string },
  /** A new form (its initial values taken again) when this changes, e.g. the instalments still to pay. */
  formKey?: string,
) {
  return (
    <StepForm
      key={formKey}
      spec={{ title: title(p.task), extra: <Due task={p.task} />, name: `${p.task.action}-${p.task.process.id}`, ...spec }}
      onDone={p.onDone}
    />
  );
}

/** The process step's reference: the process, and a fresh key for this submission. */
function ref(p: StepProps) {
  return { processId: p.task.process.id, idempotencyKey: key() };
}

const today = () => dayjs();

/**
 * The process steps awaited of the persona's agency on this case (the API's `myTasks`, as My tasks lists them),
 * each as a form of the mutation that takes it (a task's `action` is its Workflow Update, named like the
 * mutation), described for the generic `StepForm`. A dispatch's acknowledgement stays a button in the process's
 * table; a step with no form here is listed with its deadline.
 */
const FORMS: Record<string, (p: StepProps) => React.ReactNode> = {
  /** 反馈交办处理情况: what the recipient did, with wages paid on its watch if any (recorded on the case). */
  reportDispatch: (p) =>
    stepForm(p, {
      doc: ReportDispatch,
      testId: 'report-dispatch',
      initial: { withPayment: false, payment: { paidOn: today(), workersPaid: p.c.workersAffected ?? 1 } },
      fields: [
        { name: 'report', label: '处理情况', kind: 'textarea', rows: 3, testId: 'report-text' },
        { name: 'withPayment', label: '处理中已支付工资', kind: 'check', testId: 'report-with-payment' },
        {
          name: ['payment', 'amount'],
          label: '支付金额（元）',
          kind: 'yuan',
          testId: 'report-payment-amount',
          show: (v) => !!v.withPayment,
        },
        { name: ['payment', 'workersPaid'], label: '支付人数', kind: 'integer', show: (v) => !!v.withPayment },
        { name: ['payment', 'paidOn'], label: '支付日期', kind: 'date', show: (v) => !!v.withPayment },
        { name: ['payment', 'payer'], label: '支付方', kind: 'text', testId: 'report-payment-payer', show: (v) => !!v.withPayment },
      ],
      input: (v) => ({
        ...ref(p),
        report: v.report ?? '',
        payment: v.withPayment
          ? {
              amount: v.payment?.amount ?? 0,
              workersPaid: v.payment?.workersPaid ?? 0,
              paidOn: v.payment?.paidOn ?? today().format('YYYY-MM-DD'),
              payer: v.payment?.payer ?? '',
            }
          : null,
      }),
      submit: '提交反馈',
      submitTestId: 'report-submit',
      done: '已反馈',
    }),
  /** 审批移送: the director approves, or refuses with a note. */
  approveReferral: (p) =>
    stepForm(p, {
      doc: ApproveReferral,
      testId: 'approve-referral',
      initial: { approve: true },
      fields: [
        {
          name: 'approve',
          label: '审批意见',
          kind: 'choice',
          options: [
            { value: true, label: '批准移送' },
            { value: false, label: '不批准' },
          ],
        },
        { name: 'note', label: '说明', kind: 'textarea' },
      ],
      input: (v) => ({ ...ref(p), approve: !!v.approve, note: v.note || null }),
      submit: '提交审批',
      done: (v) => (v.approve ? '已批准移送' : '已不批准移送'),
    }),
  /** 移送公安机关: the referral team sends the approved referral. */
  sendReferral: (p) =>
    stepForm(p, {
      doc: SendReferral,
      testId: 'send-referral',
      hint: '已批准的移送材料送达公安机关后确认。',
      fields: [],
      input: () => ref(p),
      submit: '确认已移送',
      done: '已移送',
    }),
  /** 作出是否立案决定: the police file a case, or decline with written reasons. */
  decideReferral: (p) =>
    stepForm(p, {
      doc: DecideReferral,
      testId: 'decide-referral',
      initial: { decision: 'FILED' },
      fields: [
        { name: 'decision', label: '决定', kind: 'choice', options: decisions('ReferralDecision', ['FILED', 'DECLINED']) },
        { name: 'reasons', label: '不予立案理由（书面）', kind: 'textarea' },
      ],
      input: (v) => ({ ...ref(p), decision: v.decision, reasons: v.reasons || null }),
      submit: '提交决定',
      done: '已记录决定',
    }),
  /** 申请复议: labour inspection asks the police to reconsider a decline. */
  requestReconsideration: (p) =>
    stepForm(p, {
      doc: RequestReconsideration,
      testId: 'request-reconsideration',
      fields: [{ name: 'grounds', label: '复议理由', kind: 'textarea' }],
      input: (v) => ({ ...ref(p), grounds: v.grounds ?? '' }),
      submit: '提请复议',
      done: '已提请复议',
    }),
  /** 作出复议决定: the police file the case after all, or uphold the decline. */
  decideReconsideration: (p) =>
    stepForm(p, {
      doc: DecideReconsideration,
      testId: 'decide-reconsideration',
      initial: { decision: 'FILED' },
      fields: [
        { name: 'decision', label: '复议决定', kind: 'choice', options: decisions('ReconsiderationDecision', ['FILED', 'UPHELD']) },
        { name: 'reasons', label: '理由', kind: 'textarea' },
      ],
      input: (v) => ({ ...ref(p), decision: v.decision, reasons: v.reasons || null }),
      submit: '提交复议决定',
      done: '已记录复议决定',
    }),
  /** 提请检察院立案监督: the decline upheld, labour inspection asks the procuratorate to supervise. */
  requestSupervision: (p) => <RequestSupervisionForm {...p} />,
  /** 反馈刑事案件办理结果: the police report what became of the criminal case they filed. */
  recordCriminalOutcome: (p) =>
    stepForm(p, {
      doc: RecordCriminalOutcome,
      testId: 'criminal-outcome',
      fields: [{ name: 'outcome', label: '办理结果（移送起诉、撤销案件等）', kind: 'textarea' }],
      input: (v) => ({ ...ref(p), outcome: v.outcome ?? '' }),
      submit: '反馈结果',
      done: '已反馈刑事案件办理结果',
    }),
  confirmAttendance: (p) => <ConfirmAttendanceForm {...p} />,
  /** 接收移交案件: the receiving agency takes the case over, or returns it with the reason. */
  acceptHandover: (p) => (
    <>
      {stepForm(p, {
        doc: AcceptHandover,
        testId: 'handover',
        name: `acceptHandover-${p.task.process.id}`,
        fields: [{ name: 'note', label: '接收说明（承办人或首先办理事项）', kind: 'textarea', testId: 'handover-note' }],
        input: (v) => ({ ...ref(p), note: v.note ?? '' }),
        submit: '接收',
        submitTestId: 'handover-accept',
        done: '已接收移交',
      })}
      {stepForm(p, {
        doc: ReturnHandover,
        title: `${title(p.task)} · 退回`,
        name: `returnHandover-${p.task.process.id}`,
        fields: [{ name: 'reason', label: '退回理由', kind: 'textarea', testId: 'handover-reason' }],
        input: (v) => ({ ...ref(p), reason: v.reason ?? '' }),
        submit: '退回',
        submitTestId: 'handover-return',
        danger: true,
        done: '已退回',
      })}
    </>
  ),
  /** 确认接收转介: the court, justice bureau … acknowledges, with its own file number. */
  acknowledgeExternalReferral: (p) =>
    stepForm(p, {
      doc: AcknowledgeExternalReferral,
      testId: 'acknowledge-referral',
      fields: [
        { name: 'note', label: '处理意见', kind: 'textarea' },
        { name: 'reference', label: '本单位案号（立案号、援助案号等）', kind: 'text' },
      ],
      input: (v) => ({ ...ref(p), note: v.note ?? '', reference: v.reference || null }),
      submit: '确认接收',
      done: '已确认接收',
    }),
  /** 登记限期支付履行: the employer paid what was ordered (the case's payments since the order reach it). */
  recordOrderComplied: (p) =>
    stepForm(p, {
      doc: RecordOrderComplied,
      testId: 'order-complied',
      initial: { paidOn: today() },
      fields: [
        { name: 'paidOn', label: '支付完成日期', kind: 'date' },
        { name: 'note', label: '说明', kind: 'textarea' },
      ],
      input: (v) => ({ ...ref(p), paidOn: v.paidOn ?? '', note: v.note || null }),
      submit: '登记履行',
      done: '已登记履行',
    }),
  /** 责令加付赔偿金: on a missed order, additional compensation at 50–100 % of what was owed. */
  orderAdditionalCompensation: (p) =>
    stepForm(p, {
      doc: OrderAdditionalCompensation,
      testId: 'order-compensation',
      initial: { ratePercent: 50 },
      fields: [{ name: 'ratePercent', label: '加付比例（%，50–100）', kind: 'integer' }],
      input: (v) => ({ ...ref(p), ratePercent: v.ratePercent ?? 0 }),
      submit: '责令加付赔偿金',
      done: '已责令加付赔偿金',
    }),
  /** 送达行政处罚告知书: the notice's number; the party's periods to state and to ask for a hearing run from today. */
  servePenaltyNotice: (p) =>
    stepForm(p, {
      doc: ServePenaltyNotice,
      testId: 'penalty-notice',
      fields: [{ name: 'noticeRef', label: '告知书文号', kind: 'text', placeholder: '如 西人社罚告〔2026〕12号' }],
      input: (v) => ({ ...ref(p), noticeRef: v.noticeRef ?? '' }),
      submit: '登记送达告知书',
      done: '已送达告知书',
    }),
  /** 记录当事人陈述申辩, or (a large fine) the party's request for a hearing. */
  recordPenaltyStatement: (p) => (
    <>
      {stepForm(p, {
        doc: RecordPenaltyStatement,
        testId: 'penalty-statement',
        fields: [{ name: 'summary', label: '陈述、申辩要点', kind: 'textarea', rows: 3 }],
        input: (v) => ({ ...ref(p), summary: v.summary ?? '' }),
        submit: '记录陈述申辩',
        done: '已记录陈述申辩',
      })}
      {stepForm(p, {
        doc: RequestPenaltyHearing,
        title: `${label('ProcessKind', p.task.process.kind)} · 当事人申请听证`,
        testId: 'penalty-hearing-request',
        name: `requestPenaltyHearing-${p.task.process.id}`,
        fields: [{ name: 'requestedBy', label: '申请人', kind: 'text' }],
        input: (v) => ({ ...ref(p), requestedBy: v.requestedBy ?? '' }),
        submit: '登记听证申请',
        done: '已登记听证申请',
      })}
    </>
  ),
  /** 组织听证: the hearing held. */
  recordPenaltyHearing: (p) =>
    stepForm(p, {
      doc: RecordPenaltyHearing,
      testId: 'penalty-hearing',
      initial: { heldAt: today() },
      fields: [
        { name: 'heldAt', label: '听证时间', kind: 'datetime' },
        { name: 'summary', label: '听证情况', kind: 'textarea', rows: 3 },
      ],
      input: (v) => ({ ...ref(p), heldAt: v.heldAt ?? '', summary: v.summary ?? '' }),
      submit: '记录听证',
      done: '已记录听证',
    }),
  /** 负责人集体讨论: a serious case, decided after the leaders' collective deliberation. */
  recordPenaltyDeliberation: (p) =>
    stepForm(p, {
      doc: RecordPenaltyDeliberation,
      testId: 'penalty-deliberation',
      initial: { heldAt: today() },
      fields: [
        { name: 'heldAt', label: '讨论时间', kind: 'datetime' },
        { name: 'participants', label: '参加人员（以顿号或逗号分隔）', kind: 'text' },
        { name: 'conclusion', label: '讨论结论', kind: 'textarea' },
      ],
      input: (v) => ({
        ...ref(p),
        heldAt: v.heldAt ?? '',
        participants: String(v.participants ?? '')
          .split(/[、,，\s]+/)
          .filter(Boolean),
        conclusion: v.conclusion ?? '',
      }),
      submit: '记录集体讨论',
      done: '已记录集体讨论',
    }),
  /** 作出行政处罚决定: impose (an amount) or not, with the decision's number. */
  decidePenalty: (p) =>
    stepForm(p, {
      doc: DecidePenalty,
      testId: 'penalty-decision',
      initial: { decision: 'IMPOSE' },
      fields: [
        { name: 'decision', label: '决定', kind: 'choice', options: decisions('PenaltyDecision', ['IMPOSE', 'NO_PENALTY']) },
        { name: 'amount', label: '罚款金额（元）', kind: 'yuan', show: (v) => v.decision === 'IMPOSE' },
        { name: 'decisionRef', label: '决定书文号', kind: 'text' },
      ],
      input: (v) => ({
        ...ref(p),
        decision: v.decision,
        amount: v.decision === 'IMPOSE' ? v.amount : null,
        decisionRef: v.decisionRef ?? '',
      }),
      submit: '作出决定',
      done: '已作出处罚决定',
    }),
  /** 送达行政处罚决定书: how the decision was served. */
  servePenaltyDecision: (p) =>
    stepForm(p, {
      doc: ServePenaltyDecision,
      testId: 'penalty-decision-service',
      fields: [{ name: 'method', label: '送达方式', kind: 'text', placeholder: '直接送达、邮寄送达…' }],
      input: (v) => ({ ...ref(p), method: v.method ?? '' }),
      submit: '登记送达',
      done: '已送达决定书',
    }),
  /** 登记调解协议: the agreement's payment plan, its instalments each checked at the end of its day. */
  recordAgreement: (p) =>
    stepForm(p, {
      doc: RecordAgreement,
      testId: 'mediation-agreement',
      initial: { instalments: [{ dueOn: today().add(7, 'day') }] },
      fields: [
        {
          name: 'instalments',
          label: '分期支付计划',
          kind: 'list',
          columns: [
            { name: 'dueOn', label: '应付日期', kind: 'date' },
            { name: 'amount', label: '金额（元）', kind: 'yuan' },
          ],
        },
      ],
      input: (v) => ({
        ...ref(p),
        instalments: (v.instalments ?? []).map((i: { dueOn: string | null; amount: number | null }) => ({
          dueOn: i.dueOn ?? '',
          amount: i.amount ?? 0,
        })),
      }),
      submit: '登记调解协议',
      done: '已登记调解协议',
    }),
  /** 核实分期支付: an instalment paid, and what of it reached each worker (recorded on the case as a payment). */
  recordInstalmentPaid: (p) => {
    const pending = (p.c.processes.find((x) => x.id === p.task.process.id)?.instalments ?? []).filter((i) => i.status !== 'PAID');
    const roster = rosterOf(p.c);
    return stepForm(
      p,
      {
        doc: RecordInstalmentPaid,
        testId: 'instalment-paid',
        initial: { seq: pending[0]?.seq, paidOn: today(), workersPaid: roster.length || (p.c.workersAffected ?? 1) },
        fields: [
          {
            name: 'seq',
            label: '期次',
            kind: 'enum',
            options: pending.map((i) => ({ value: i.seq, label: `第 ${i.seq} 期 · ${i.dueOn} · ${yuan(i.amount)}` })),
          },
          { name: 'paidOn', label: '支付日期', kind: 'date' },
          { name: 'payer', label: '支付方', kind: 'text' },
          { name: 'workersPaid', label: '支付人数', kind: 'integer' },
          { name: 'allocations', label: '发放到人', kind: 'allocations', roster },
        ],
        input: (v) => ({
          ...ref(p),
          seq: v.seq ?? pending[0]?.seq ?? 0,
          paidOn: v.paidOn ?? '',
          payer: v.payer ?? '',
          workersPaid: v.workersPaid ?? 0,
          allocations: v.allocations?.length ? v.allocations : null,
        }),
        submit: '登记本期支付',
        done: '已登记分期支付',
      },
      pending.map((i) => i.seq).join(','),
    );
  },
  /** 回访投诉人: reached or not; if reached, whether the wages arrived in full and how satisfied the complainant is. */
  recordCallback: (p) =>
    stepForm(p, {
      doc: RecordCallback,
      testId: 'record-callback',
      initial: { reached: true, wagesReceivedInFull: true, satisfaction: 'SATISFIED' },
      fields: [
        { name: 'reached', label: '已联系上投诉人', kind: 'check' },
        { name: 'wagesReceivedInFull', label: '工资已足额到手', kind: 'check', show: (v) => !!v.reached },
        { name: 'satisfaction', label: '满意度', kind: 'enum', enum: 'Satisfaction', show: (v) => !!v.reached },
        { name: 'notes', label: '回访记录', kind: 'textarea' },
      ],
      input: (v) => ({
        ...ref(p),
        reached: !!v.reached,
        wagesReceivedInFull: v.reached ? !!v.wagesReceivedInFull : null,
        satisfaction: v.reached ? (v.satisfaction ?? null) : null,
        notes: v.notes || null,
      }),
      submit: '记录回访',
      done: '已记录回访',
    }),
  /** 审核回访结果: the supervisor upholds the closing or orders follow-up. */
  reviewCallback: (p) =>
    stepForm(p, {
      doc: ReviewCallback,
      testId: 'review-callback',
      initial: { decision: 'CLOSURE_UPHELD' },
      fields: [
        { name: 'decision', label: '审核意见', kind: 'enum', enum: 'CallbackReviewDecision' },
        { name: 'findings', label: '核查情况', kind: 'textarea' },
      ],
      input: (v) => ({ ...ref(p), decision: v.decision, findings: v.findings ?? '' }),
      submit: '提交审核',
      done: '已审核回访',
    }),
};

/** A radio's options for some values of a schema enum, labelled from its descriptions. */
function decisions(enumName: Parameters<typeof label>[0], values: string[]) {
  return values.map((value) => ({ value, label: label(enumName, value) }));
}

export function ProcessTasks({ c, claims, onDone }: { c: CaseData; claims: Claims; onDone(): void }) {
  const [result, refetch] = useQuery({ query: CaseTasksDoc });
  const refresh = useCallback(() => refetch({ requestPolicy: 'network-only' }), [refetch]);
  useCaseEvents(refresh, { caseId: c.id });
  const done = () => {
    refresh();
    onDone();
  };
  const tasks = (result.data?.myTasks ?? []).filter((t) => t.case.id === c.id && t.action !== 'acknowledgeDispatch');
  if (!tasks.length) return null;
  return (
    <Card title="待我方办理的流程事项" data-testid="process-tasks">
      <Row gutter={[24, 24]}>
        {tasks.map((task) => {
          const form = FORMS[task.action];
          const props = { task, c, claims, onDone: done };
          return form ? (
            <Fragment key={`${task.process.id}-${task.action}`}>{form(props)}</Fragment>
          ) : (
            <StepCard key={`${task.process.id}-${task.action}`} title={task.label} error={null} extra={<Due task={task} />}>
              <Typography.Text type="secondary">
                {label('ProcessKind', task.process.kind)}：此事项暂无页面表单，可通过 GraphQL 接口办理。
              </Typography.Text>
            </StepCard>
          );
        })}
      </Row>
    </Card>
  );
}

function Due({ task }: { task: Task }) {
  if (!task.dueAt) return null;
  return (
    <Typography.Text type={task.overdue ? 'danger' : 'secondary'} style={{ fontSize: 12 }}>
      {beijing(task.dueAt)}（{fromNow(task.dueAt)}）
    </Typography.Text>
  );
}

function title(task: Task): string {
  return `${label('ProcessKind', task.process.kind)} · ${task.label}`;
}

/** 确认参加联合调处: an invited agency confirms for itself (its own party on the mediation). */
function ConfirmAttendanceForm(p: StepProps) {
  const party = p.c.processes
    .find((x) => x.id === p.task.process.id)
    ?.parties.find((x) => x.agencyId === p.claims.agencyId && x.status === 'INVITED');
  if (!party)
    return (
      <StepCard title={title(p.task)} error={null} extra={<Due task={p.task} />}>
        <Typography.Text type="secondary">本单位不是受邀方：由劳动保障监察代为确认。</Typography.Text>
      </StepCard>
    );
  return stepForm(p, {
    doc: ConfirmAttendance,
    testId: 'confirm-attendance',
    hint: `以“${party.name}”名义确认参加。`,
    fields: [],
    input: () => ({ ...ref(p), partyId: party.id }),
    submit: '确认参加',
    done: '已确认参加',
  });
}

/** 提请检察院立案监督: to which procuratorate (the API's list of them), and on what grounds. */
function RequestSupervisionForm(p: StepProps) {
  const [agencies] = useQuery({ query: Procuratorates });
  const options = (agencies.data?.agencies ?? []).map((a) => ({ value: a.id, label: a.name }));
  return stepForm(
    p,
    {
      doc: RequestSupervision,
      testId: 'request-supervision',
      initial: { procuratorateAgencyId: options[0]?.value },
      fields: [
        { name: 'procuratorateAgencyId', label: '检察院', kind: 'enum', options },
        { name: 'grounds', label: '提请理由', kind: 'textarea' },
      ],
      input: (v) => ({ ...ref(p), procuratorateAgencyId: v.procuratorateAgencyId ?? '', grounds: v.grounds ?? '' }),
      submit: '提请立案监督',
      done: '已提请检察院立案监督',
    },
    options.map((o) => o.value).join(','),
  );
}
