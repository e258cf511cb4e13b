import { Fragment, useCallback, useState } from 'react';
import { Alert, App, Button, Card, Checkbox, Col, DatePicker, Form, Input, InputNumber, Radio, Row, Space, Typography } from 'antd';
import dayjs from 'dayjs';
import { useMutation, useQuery, type AnyVariables, type TypedDocumentNode } from 'urql';
import { graphql } from '../gql';
import type { CasePageQuery, CaseTasksQuery } from '../gql/graphql';
import { beijing, fromNow, label } from '../labels';
import { showApiErrors } from '../errors';
import { useCaseEvents } from '../live';
import type { Claims } from '../session';

type CaseData = CasePageQuery['case'];
type Task = CaseTasksQuery['myTasks'][number];

/** Runs a mutation and shows the API's refusal (a field's message on its form item, the whole message below). */
export function useStep<D, V extends AnyVariables>(doc: TypedDocumentNode<D, V>, onDone: () => void) {
  const [state, run] = useMutation<D, V>(doc);
  const [error, setError] = useState<string | null>(null);
  const { message } = App.useApp();
  const submit = async (variables: V, form?: Parameters<typeof showApiErrors>[1], done = '已保存') => {
    setError(null);
    const r = await run(variables);
    if (r.error) {
      setError(showApiErrors(r.error, form));
      return false;
    }
    message.success(done);
    onDone();
    return true;
  };
  return { submit, error, fetching: state.fetching };
}

export function StepCard({
  title,
  error,
  children,
  extra,
  testId,
}: {
  title: string;
  error: string | null;
  children: React.ReactNode;
  extra?: React.ReactNode;
  testId?: string;
}) {
  return (
    <Col xs={24} md={12} xl={8}>
      <Card size="small" title={title} type="inner" extra={extra} data-testid={testId}>
        {children}
        {error && <Alert type="error" title={error} data-testid="form-error" style={{ marginTop: 8 }} />}
      </Card>
    </Col>
  );
}

/** A fresh key for each submission: a double click is taken once, a corrected retry is a new attempt. */
const key = () => crypto.randomUUID();

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

interface StepProps {
  task: Task;
  c: CaseData;
  claims: Claims;
  onDone(): void;
}

/**
 * The process steps awaited of the persona's agency on this case (the API's `myTasks`, as My tasks lists them),
 * each as a form of the mutation that takes it (a task's `action` is its Workflow Update, named like the
 * mutation). A dispatch's acknowledgement stays a button in the process's table; a step with no form here
 * (an owner's agreement, instalments, the penalty's steps …) is listed with its deadline.
 */
const FORMS: Record<string, (p: StepProps) => React.ReactNode> = {
  reportDispatch: (p) => <ReportDispatchForm {...p} />,
  approveReferral: (p) => <ApproveReferralForm {...p} />,
  sendReferral: (p) => <SendReferralForm {...p} />,
  decideReferral: (p) => <DecideReferralForm {...p} />,
  requestReconsideration: (p) => <RequestReconsiderationForm {...p} />,
  decideReconsideration: (p) => <DecideReconsiderationForm {...p} />,
  confirmAttendance: (p) => <ConfirmAttendanceForm {...p} />,
  acceptHandover: (p) => <HandoverForm {...p} />,
  acknowledgeExternalReferral: (p) => <AcknowledgeExternalReferralForm {...p} />,
};

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

/** 反馈交办处理情况: what the recipient did, with wages paid on its watch if any (recorded on the case). */
function ReportDispatchForm({ task, c, onDone }: StepProps) {
  const [form] = Form.useForm();
  const step = useStep(ReportDispatch, onDone);
  const withPayment = Form.useWatch('withPayment', form);
  return (
    <StepCard title={title(task)} error={step.error} extra={<Due task={task} />} testId="report-dispatch">
      <Form
        form={form}
        name={`${task.action}-${task.process.id}`}
        layout="vertical"
        initialValues={{ withPayment: false, payment: { paidOn: dayjs(), workersPaid: c.workersAffected ?? 1 } }}
        onFinish={(v) =>
          step.submit(
            {
              input: {
                processId: task.process.id,
                idempotencyKey: key(),
                report: v.report ?? '',
                payment: v.withPayment
                  ? {
                      amount: Math.round(Number(v.payment?.amount ?? 0) * 100),
                      workersPaid: v.payment?.workersPaid ?? 0,
                      paidOn: dayjs(v.payment?.paidOn).format('YYYY-MM-DD'),
                      payer: v.payment?.payer ?? '',
                    }
                  : null,
              },
            },
            form,
            '已反馈',
          )
        }
      >
        <Form.Item name="report" label="处理情况">
          <Input.TextArea rows={3} data-testid="report-text" />
        </Form.Item>
        <Form.Item name="withPayment" valuePropName="checked">
          <Checkbox data-testid="report-with-payment">处理中已支付工资</Checkbox>
        </Form.Item>
        {withPayment && (
          <>
            <Form.Item name={['payment', 'amount']} label="支付金额（元）">
              <InputNumber min={0} precision={2} style={{ width: '100%' }} data-testid="report-payment-amount" />
            </Form.Item>
            <Form.Item name={['payment', 'workersPaid']} label="支付人数">
              <InputNumber min={0} style={{ width: '100%' }} />
            </Form.Item>
            <Form.Item name={['payment', 'paidOn']} label="支付日期">
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
            <Form.Item name={['payment', 'payer']} label="支付方">
              <Input data-testid="report-payment-payer" />
            </Form.Item>
          </>
        )}
        <Button type="primary" htmlType="submit" loading={step.fetching} data-testid="report-submit">
          提交反馈
        </Button>
      </Form>
    </StepCard>
  );
}

/** 审批移送: the director approves, or refuses with a note. */
function ApproveReferralForm({ task, onDone }: StepProps) {
  const [form] = Form.useForm();
  const step = useStep(ApproveReferral, onDone);
  return (
    <StepCard title={title(task)} error={step.error} extra={<Due task={task} />}>
      <Form
        form={form}
        name={`${task.action}-${task.process.id}`}
        layout="vertical"
        initialValues={{ approve: true }}
        onFinish={(v) =>
          step.submit(
            { input: { processId: task.process.id, idempotencyKey: key(), approve: v.approve, note: v.note || null } },
            form,
            v.approve ? '已批准移送' : '已不批准移送',
          )
        }
      >
        <Form.Item name="approve" label="审批意见">
          <Radio.Group
            options={[
              { value: true, label: '批准移送' },
              { value: false, label: '不批准' },
            ]}
          />
        </Form.Item>
        <Form.Item name="note" label="说明">
          <Input.TextArea rows={2} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={step.fetching}>
          提交审批
        </Button>
      </Form>
    </StepCard>
  );
}

/** 移送公安机关: the referral team sends the approved referral. */
function SendReferralForm({ task, onDone }: StepProps) {
  const step = useStep(SendReferral, onDone);
  return (
    <StepCard title={title(task)} error={step.error} extra={<Due task={task} />}>
      <Typography.Paragraph type="secondary">已批准的移送材料送达公安机关后确认。</Typography.Paragraph>
      <Button
        type="primary"
        loading={step.fetching}
        onClick={() => step.submit({ input: { processId: task.process.id, idempotencyKey: key() } }, undefined, '已移送')}
      >
        确认已移送
      </Button>
    </StepCard>
  );
}

/**
 * A police decision on a referral: file the case, or the other outcome with written reasons. 作出是否立案决定 and
 * 作出复议决定 take the same input (`processId`, `idempotencyKey`, `decision`, `reasons`) and differ in their words.
 */
function PoliceDecisionForm({
  task,
  onDone,
  doc,
  decisions,
  words,
  testId,
}: StepProps & {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- both decision mutations, whose inputs have the same fields
  doc: TypedDocumentNode<any, any>;
  decisions: Array<{ value: string; label: string }>;
  words: { decision: string; reasons: string; submit: string; done: string };
  testId?: string;
}) {
  const [form] = Form.useForm();
  const step = useStep(doc, onDone);
  return (
    <StepCard title={title(task)} error={step.error} extra={<Due task={task} />} testId={testId}>
      <Form
        form={form}
        name={`${task.action}-${task.process.id}`}
        layout="vertical"
        initialValues={{ decision: 'FILED' }}
        onFinish={(v) =>
          step.submit(
            { input: { processId: task.process.id, idempotencyKey: key(), decision: v.decision, reasons: v.reasons || null } },
            form,
            words.done,
          )
        }
      >
        <Form.Item name="decision" label={words.decision}>
          <Radio.Group options={decisions} />
        </Form.Item>
        <Form.Item name="reasons" label={words.reasons}>
          <Input.TextArea rows={2} data-testid={testId && `${testId}-reasons`} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={step.fetching} data-testid={testId && `${testId}-submit`}>
          {words.submit}
        </Button>
      </Form>
    </StepCard>
  );
}

/** 作出是否立案决定: the police file a case, or decline with written reasons. */
function DecideReferralForm(p: StepProps) {
  return (
    <PoliceDecisionForm
      {...p}
      doc={DecideReferral}
      decisions={[
        { value: 'FILED', label: label('ReferralDecision', 'FILED') },
        { value: 'DECLINED', label: label('ReferralDecision', 'DECLINED') },
      ]}
      words={{ decision: '决定', reasons: '不予立案理由（书面）', submit: '提交决定', done: '已记录决定' }}
      testId="decide-referral"
    />
  );
}

/** 申请复议: labour inspection asks the police to reconsider a decline. */
function RequestReconsiderationForm({ task, onDone }: StepProps) {
  const [form] = Form.useForm();
  const step = useStep(RequestReconsideration, onDone);
  return (
    <StepCard title={title(task)} error={step.error} extra={<Due task={task} />}>
      <Form
        form={form}
        name={`${task.action}-${task.process.id}`}
        layout="vertical"
        onFinish={(v) =>
          step.submit({ input: { processId: task.process.id, idempotencyKey: key(), grounds: v.grounds ?? '' } }, form, '已提请复议')
        }
      >
        <Form.Item name="grounds" label="复议理由">
          <Input.TextArea rows={2} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={step.fetching}>
          提请复议
        </Button>
      </Form>
    </StepCard>
  );
}

/** 作出复议决定: the police file the case after all, or uphold the decline. */
function DecideReconsiderationForm(p: StepProps) {
  return (
    <PoliceDecisionForm
      {...p}
      doc={DecideReconsideration}
      decisions={[
        { value: 'FILED', label: label('ReconsiderationDecision', 'FILED') },
        { value: 'UPHELD', label: label('ReconsiderationDecision', 'UPHELD') },
      ]}
      words={{ decision: '复议决定', reasons: '理由', submit: '提交复议决定', done: '已记录复议决定' }}
    />
  );
}

/** 确认参加联合调处: an invited agency confirms for itself (its own party on the mediation). */
function ConfirmAttendanceForm({ task, c, claims, onDone }: StepProps) {
  const step = useStep(ConfirmAttendance, onDone);
  const party = c.processes
    .find((p) => p.id === task.process.id)
    ?.parties.find((p) => p.agencyId === claims.agencyId && p.status === 'INVITED');
  return (
    <StepCard title={title(task)} error={step.error} extra={<Due task={task} />}>
      {party ? (
        <Space direction="vertical">
          <Typography.Text>以“{party.name}”名义确认参加。</Typography.Text>
          <Button
            type="primary"
            loading={step.fetching}
            data-testid="confirm-attendance-submit"
            onClick={() =>
              step.submit({ input: { processId: task.process.id, idempotencyKey: key(), partyId: party.id } }, undefined, '已确认参加')
            }
          >
            确认参加
          </Button>
        </Space>
      ) : (
        <Typography.Text type="secondary">本单位不是受邀方：由劳动保障监察代为确认。</Typography.Text>
      )}
    </StepCard>
  );
}

/** 接收移交案件: the receiving agency takes the case over, or returns it with the reason. */
function HandoverForm({ task, onDone }: StepProps) {
  const [acceptForm] = Form.useForm();
  const [returnForm] = Form.useForm();
  const accept = useStep(AcceptHandover, onDone);
  const giveBack = useStep(ReturnHandover, onDone);
  return (
    <StepCard title={title(task)} error={accept.error ?? giveBack.error} extra={<Due task={task} />}>
      <Form
        form={acceptForm}
        name={`${task.action}-accept-${task.process.id}`}
        layout="vertical"
        onFinish={(v) =>
          accept.submit({ input: { processId: task.process.id, idempotencyKey: key(), note: v.note ?? '' } }, acceptForm, '已接收移交')
        }
      >
        <Form.Item name="note" label="接收说明（承办人或首先办理事项）">
          <Input.TextArea rows={2} data-testid="handover-note" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={accept.fetching} data-testid="handover-accept">
          接收
        </Button>
      </Form>
      <Form
        form={returnForm}
        name={`${task.action}-return-${task.process.id}`}
        layout="vertical"
        style={{ marginTop: 16 }}
        onFinish={(v) =>
          giveBack.submit({ input: { processId: task.process.id, idempotencyKey: key(), reason: v.reason ?? '' } }, returnForm, '已退回')
        }
      >
        <Form.Item name="reason" label="退回理由">
          <Input.TextArea rows={2} data-testid="handover-reason" />
        </Form.Item>
        <Button danger htmlType="submit" loading={giveBack.fetching} data-testid="handover-return">
          退回
        </Button>
      </Form>
    </StepCard>
  );
}

/** 确认接收转介: the court, justice bureau … acknowledges, with its own file number. */
function AcknowledgeExternalReferralForm({ task, onDone }: StepProps) {
  const [form] = Form.useForm();
  const step = useStep(AcknowledgeExternalReferral, onDone);
  return (
    <StepCard title={title(task)} error={step.error} extra={<Due task={task} />}>
      <Form
        form={form}
        name={`${task.action}-${task.process.id}`}
        layout="vertical"
        onFinish={(v) =>
          step.submit(
            { input: { processId: task.process.id, idempotencyKey: key(), note: v.note ?? '', reference: v.reference || null } },
            form,
            '已确认接收',
          )
        }
      >
        <Form.Item name="note" label="处理意见">
          <Input.TextArea rows={2} />
        </Form.Item>
        <Form.Item name="reference" label="本单位案号（立案号、援助案号等）">
          <Input />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={step.fetching}>
          确认接收
        </Button>
      </Form>
    </StepCard>
  );
}
