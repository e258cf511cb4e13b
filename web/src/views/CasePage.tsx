import { useCallback } from 'react';
import { Alert, Button, Card, Col, Descriptions, Empty, Form, Row, Select, Space, Table, Tag, Timeline, Typography } from 'antd';
import dayjs from 'dayjs';
import { useParams } from 'react-router';
import { useQuery } from 'urql';
import { graphql } from '../gql';
import type { CasePageQuery } from '../gql/graphql';
import { beijing, fromNow, label, yuan, EVENT_LABELS } from '../labels';
import { DEADLINE_LABELS } from '../deadlines';
import { useCaseEvents } from '../live';
import type { Claims } from '../session';
import { ProcessTasks, rosterOf } from './steps';
import { StepCard, StepForm, useStep } from './StepForm';
import { ClosingForms, StartForms } from './CaseSteps';
import { IdentityForm, InvestigationForms, RosterForms, ViolationPeriodForm } from './RecordForms';
import { HandlingForms, MediationSessionForm } from './HandlingForms';

const CasePageDoc = graphql(`
  query CasePage($id: ID!) {
    case(id: $id) {
      id
      number
      version
      status
      channel
      sector
      description
      receivedAt
      firstContactAt
      acceptedAt
      resolvedAt
      closedAt
      employerNameGiven
      workersAffected
      amountClaimed
      amountRecovered
      outcomeNote
      availableActions
      region {
        name
      }
      owningAgency {
        id
        name
      }
      employer {
        name
        uscc
      }
      project {
        name
        code
      }
      leadInspector {
        name
      }
      deadlines {
        sameDayContact
        acceptance
        resolution
        resolutionExtended
        overdue
      }
      complainants {
        channel
        personId
        person {
          name
          mobile
        }
      }
      events {
        seq
        type
        at
        payload
      }
      payments {
        id
        amount
        workersPaid
        paidOn
        payer
        source
      }
      investigation {
        team {
          id
          name
        }
      }
      owedWorkers {
        id
        name
        mobile
        monthsOwed
        amountOwed
        amountPaid
        done
      }
      processes {
        id
        kind
        status
        startedAt
        endedAt
        outcome
        dueAt
        waitingOn
        parties {
          id
          role
          agencyId
          name
          status
          acknowledgeDue
          reportDue
          escalationLevel
        }
        instalments {
          seq
          dueOn
          amount
          status
          paidOn
        }
      }
    }
  }
`);

const RecordContact = graphql(`
  mutation CaseRecordContact($input: RecordContactInput!) {
    recordContact(input: $input) {
      id
      version
    }
  }
`);
const AcceptCase = graphql(`
  mutation CaseAccept($input: AcceptCaseInput!) {
    acceptCase(input: $input) {
      id
      version
      status
    }
  }
`);
const RejectCase = graphql(`
  mutation CaseReject($input: RejectCaseInput!) {
    rejectCase(input: $input) {
      id
      version
      status
    }
  }
`);
const RecordPayment = graphql(`
  mutation CaseRecordPayment($input: RecordPaymentInput!) {
    recordPayment(input: $input) {
      id
      version
      amountRecovered
    }
  }
`);
const DispatchCase = graphql(`
  mutation CaseDispatch($input: StartProcessInput!) {
    dispatchCase(input: $input) {
      id
      status
    }
  }
`);
const AssignLead = graphql(`
  mutation CaseAssignLead($input: AssignLeadInput!) {
    assignLead(input: $input) {
      id
      version
      status
      leadInspector {
        name
      }
    }
  }
`);
const LeadCandidates = graphql(`
  query CaseLeadCandidates($caseId: ID!) {
    leadCandidates(caseId: $caseId) {
      id
      name
      agencyId
    }
  }
`);
const AcknowledgeDispatch = graphql(`
  mutation CaseAcknowledgeDispatch($input: ProcessStepInput!) {
    acknowledgeDispatch(input: $input) {
      id
      status
    }
  }
`);

type CaseData = CasePageQuery['case'];

/** 案件页: the case file as a timeline, who is owed and what was paid, every process and who must act by when. */
export function CasePage({ claims }: { claims: Claims }) {
  const { id = '' } = useParams();
  const [result, refetch] = useQuery({ query: CasePageDoc, variables: { id } });
  const refresh = useCallback(() => refetch({ requestPolicy: 'network-only' }), [refetch]);
  useCaseEvents(refresh, { caseId: id });

  if (result.error && !result.data) return <Alert type="error" title={result.error.message} />;
  const c = result.data?.case;
  if (!c) return <Card loading />;

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card
        title={
          <Space>
            <span data-testid="case-number">{c.number}</span>
            <Tag data-testid="case-status">{label('CaseStatus', c.status)}</Tag>
            {c.deadlines.overdue.length > 0 && (
              <Tag color="red">已超期：{c.deadlines.overdue.map((o) => DEADLINE_LABELS[o] ?? o).join('、')}</Tag>
            )}
          </Space>
        }
      >
        <Descriptions column={3} size="small">
          <Descriptions.Item label="来源">{label('Channel', c.channel)}</Descriptions.Item>
          <Descriptions.Item label="行业">{label('CaseSector', c.sector)}</Descriptions.Item>
          <Descriptions.Item label="属地">{c.region.name}</Descriptions.Item>
          <Descriptions.Item label="承办单位">{c.owningAgency.name}</Descriptions.Item>
          <Descriptions.Item label="主办人">
            <span data-testid="case-lead">{c.leadInspector?.name ?? '—'}</span>
          </Descriptions.Item>
          <Descriptions.Item label="用人单位">
            {c.employer ? `${c.employer.name}（${c.employer.uscc}）` : (c.employerNameGiven ?? '未明确')}
          </Descriptions.Item>
          <Descriptions.Item label="项目">{c.project ? `${c.project.name}（${c.project.code}）` : '—'}</Descriptions.Item>
          <Descriptions.Item label="涉及人数">{c.workersAffected ?? '—'}</Descriptions.Item>
          <Descriptions.Item label="追回 / 诉求">
            <span data-testid="case-recovered">{yuan(c.amountRecovered)}</span> / {yuan(c.amountClaimed)}
          </Descriptions.Item>
          <Descriptions.Item label="接收">{beijing(c.receivedAt)}</Descriptions.Item>
          <Descriptions.Item label="首日对接">
            {c.firstContactAt ? beijing(c.firstContactAt) : `期限 ${beijing(c.deadlines.sameDayContact)}`}
          </Descriptions.Item>
          <Descriptions.Item label="受理">
            {c.acceptedAt ? beijing(c.acceptedAt) : `期限 ${beijing(c.deadlines.acceptance)}（${fromNow(c.deadlines.acceptance)}）`}
          </Descriptions.Item>
          <Descriptions.Item label="办结期限">
            {(c.deadlines.resolutionExtended ?? c.deadlines.resolution)
              ? beijing(c.deadlines.resolutionExtended ?? c.deadlines.resolution)
              : '—'}
          </Descriptions.Item>
          <Descriptions.Item label="投诉人">
            {c.complainants.map((p) => `${p.person.name ?? '（未留姓名）'} ${p.person.mobile ?? ''}`).join('；')}
          </Descriptions.Item>
          <Descriptions.Item label="反映情况" span={2}>
            {c.description}
          </Descriptions.Item>
          {c.outcomeNote && <Descriptions.Item label="说明">{c.outcomeNote}</Descriptions.Item>}
        </Descriptions>
      </Card>

      <Actions c={c} onDone={refresh} />
      <ProcessTasks c={c} claims={claims} onDone={refresh} />

      <Row gutter={24}>
        <Col span={10}>
          <Card title="案卷（一案一册）">
            <Timeline
              data-testid="case-timeline"
              items={c.events.map((e) => ({
                key: e.seq,
                children: (
                  <>
                    <b>{EVENT_LABELS[e.type] ?? e.type}</b> <Typography.Text type="secondary">{beijing(e.at)}</Typography.Text>
                    <div style={{ fontSize: 12, color: '#666', wordBreak: 'break-all' }}>{summarize(e.payload)}</div>
                  </>
                ),
              }))}
            />
          </Card>
        </Col>
        <Col span={14}>
          <Space direction="vertical" size="large" style={{ width: '100%' }}>
            <Card title="欠薪人员">
              <Table
                rowKey="id"
                size="small"
                pagination={false}
                dataSource={c.owedWorkers}
                locale={{ emptyText: '尚未登记' }}
                columns={[
                  { title: '姓名', dataIndex: 'name' },
                  { title: '电话', dataIndex: 'mobile' },
                  { title: '欠薪月数', dataIndex: 'monthsOwed' },
                  { title: '欠薪', dataIndex: 'amountOwed', render: yuan },
                  { title: '已付', dataIndex: 'amountPaid', render: yuan },
                  { title: '', dataIndex: 'done', render: (d: boolean) => (d ? <Tag color="green">已清</Tag> : null) },
                ]}
              />
            </Card>
            <Card title="支付记录">
              <Table
                rowKey="id"
                size="small"
                pagination={false}
                dataSource={c.payments}
                data-testid="payments"
                locale={{ emptyText: '暂无' }}
                columns={[
                  { title: '支付日期', dataIndex: 'paidOn' },
                  { title: '金额', dataIndex: 'amount', render: yuan },
                  { title: '人数', dataIndex: 'workersPaid' },
                  { title: '支付方', dataIndex: 'payer' },
                  { title: '资金来源', dataIndex: 'source', render: (s: string) => label('PaymentSource', s) },
                ]}
              />
            </Card>
            <Processes c={c} claims={claims} onDone={refresh} />
          </Space>
        </Col>
      </Row>
    </Space>
  );
}

function summarize(payload: Record<string, unknown>): string {
  const text = JSON.stringify(payload);
  return text === '{}' ? '' : text.length > 160 ? `${text.slice(0, 160)}…` : text;
}

/**
 * The steps this persona may take on the case now (the API's `availableActions`), each as a small form. A decision
 * (accept, reject) sends the version the persona saw, so a case changed meanwhile answers CONFLICT instead of being
 * decided blind; a contact or a payment only adds to the file and is sent without it (a process's own entries move
 * the version while the page is open). Naming the lead is a decision too: it replaces the lead the persona saw.
 */
function Actions({ c, onDone }: { c: CaseData; onDone(): void }) {
  const actions = c.availableActions;
  if (!actions.length) return null;
  // The case's own steps, then closing (a resolved case) and the processes its owning agency starts on it.
  return (
    <Card title="可办理事项" data-testid="case-actions">
      <Row gutter={[24, 24]}>
        {actions.includes('CONTACT') && <ContactForm c={c} onDone={onDone} />}
        {actions.includes('ACCEPT') && <AcceptForm c={c} onDone={onDone} />}
        {actions.includes('REJECT') && <RejectForm c={c} onDone={onDone} />}
        {actions.includes('ASSIGN_LEAD') && <AssignLeadForm c={c} onDone={onDone} />}
        {actions.includes('PAYMENT') && <PaymentForm c={c} onDone={onDone} />}
        {actions.includes('DISPATCH') && <DispatchForm c={c} onDone={onDone} />}
        <ClosingForms c={c} onDone={onDone} />
        <StartForms c={c} onDone={onDone} />
        <HandlingForms c={c} onDone={onDone} />
        <IdentityForm c={c} onDone={onDone} />
        <RosterForms c={c} onDone={onDone} />
        <ViolationPeriodForm c={c} onDone={onDone} />
        <InvestigationForms c={c} onDone={onDone} />
      </Row>
    </Card>
  );
}

function ContactForm({ c, onDone }: { c: CaseData; onDone(): void }) {
  return (
    <StepForm
      onDone={onDone}
      spec={{
        title: '联系投诉人（首日对接）',
        name: 'recordContact',
        doc: RecordContact,
        initial: { kind: 'CALL', outcome: 'REACHED' },
        fields: [
          { name: 'kind', label: '方式', kind: 'enum', enum: 'ContactKind' },
          { name: 'outcome', label: '结果', kind: 'enum', enum: 'ContactOutcome' },
          { name: 'notes', label: '备注', kind: 'text' },
        ],
        input: (v) => ({ caseId: c.id, kind: v.kind, outcome: v.outcome, notes: v.notes || null }),
        submit: '记录联系',
        submitTestId: 'contact-submit',
        done: '已记录联系',
      }}
    />
  );
}

function AcceptForm({ c, onDone }: { c: CaseData; onDone(): void }) {
  return (
    <StepForm
      onDone={onDone}
      spec={{
        title: '受理',
        name: 'acceptCase',
        doc: AcceptCase,
        initial: { employerUscc: c.employer?.uscc },
        fields: [
          { name: 'employerUscc', label: '用人单位统一社会信用代码', kind: 'text', testId: 'accept-uscc' },
          { name: 'projectCode', label: '项目编号', kind: 'text' },
        ],
        input: (v) => ({
          caseId: c.id,
          expectedVersion: c.version,
          employerUscc: v.employerUscc || null,
          projectCode: v.projectCode || null,
        }),
        submit: '受理',
        submitTestId: 'accept-submit',
        done: '已受理',
      }}
    />
  );
}

function RejectForm({ c, onDone }: { c: CaseData; onDone(): void }) {
  return (
    <StepForm
      onDone={onDone}
      spec={{
        title: '不予受理',
        name: 'rejectCase',
        doc: RejectCase,
        fields: [{ name: 'reason', label: '书面理由', kind: 'textarea' }],
        input: (v) => ({ caseId: c.id, expectedVersion: c.version, reason: v.reason ?? '' }),
        submit: '不予受理',
        danger: true,
        done: '已不予受理',
      }}
    />
  );
}

/** 确定主办人: an inspector of the owning agency (or of the persona's, a city director taking the case up), from the API's list. */
function AssignLeadForm({ c, onDone }: { c: CaseData; onDone(): void }) {
  const [form] = Form.useForm();
  const step = useStep(AssignLead, onDone);
  const [candidates] = useQuery({ query: LeadCandidates, variables: { caseId: c.id } });
  const options = (candidates.data?.leadCandidates ?? []).map((u) => ({
    value: u.id,
    label: u.agencyId === c.owningAgency.id ? u.name : `${u.name}（本单位）`,
  }));
  return (
    <StepCard title={c.leadInspector ? '更换主办人' : '确定主办人'} error={step.error ?? candidates.error?.message ?? null}>
      <Form
        form={form}
        layout="vertical"
        onFinish={(v) =>
          step.submit({ input: { caseId: c.id, expectedVersion: c.version, inspectorId: v.inspectorId ?? '' } }, form, '已确定主办人')
        }
      >
        <Form.Item name="inspectorId" label="主办监察员">
          <Select
            options={options}
            loading={candidates.fetching}
            showSearch={{ optionFilterProp: 'label' }}
            placeholder="选择本案承办单位的监察员"
            data-testid="lead-select"
          />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={step.fetching} data-testid="lead-submit">
          确定主办人
        </Button>
      </Form>
    </StepCard>
  );
}

/** 记录工资支付: the amount, and (a case with a roster of owed workers) what of it reached each worker. */
function PaymentForm({ c, onDone }: { c: CaseData; onDone(): void }) {
  const roster = rosterOf(c);
  return (
    <StepForm
      onDone={onDone}
      spec={{
        title: '记录工资支付',
        name: 'recordPayment',
        testId: 'payment',
        doc: RecordPayment,
        initial: { source: 'EMPLOYER', paidOn: dayjs(), workersPaid: c.workersAffected ?? 1 },
        fields: [
          { name: 'amount', label: '金额（元）', kind: 'yuan' },
          { name: 'workersPaid', label: '支付人数', kind: 'integer' },
          { name: 'paidOn', label: '支付日期', kind: 'date' },
          { name: 'payer', label: '支付方', kind: 'text' },
          { name: 'source', label: '资金来源', kind: 'enum', enum: 'PaymentSource' },
          { name: 'allocations', label: '发放到人（按欠薪人员登记）', kind: 'allocations', roster, show: () => roster.length > 0 },
        ],
        input: (v) => ({
          caseId: c.id,
          amount: v.amount ?? 0,
          workersPaid: v.workersPaid ?? 0,
          paidOn: v.paidOn ?? dayjs().format('YYYY-MM-DD'),
          payer: v.payer ?? '',
          source: v.source,
          allocations: v.allocations?.length ? v.allocations : null,
        }),
        submit: '记录支付',
        done: '已记录支付',
      }}
    />
  );
}

/** 三交办: to the district government and the industry regulator, notified to the general contractor's HQ. */
function DispatchForm({ c, onDone }: { c: CaseData; onDone(): void }) {
  const open = c.processes.some((p) => p.kind === 'DISPATCH' && !p.endedAt);
  if (open) return null;
  return (
    <StepForm
      onDone={onDone}
      spec={{
        title: '三交办',
        name: 'dispatchCase',
        doc: DispatchCase,
        hint: '交属地政府、行业主管部门办理，并告知总承包单位总部。',
        fields: [],
        input: () => ({ caseId: c.id }),
        submit: '发起三交办',
        submitTestId: 'dispatch-submit',
        done: '已交办',
      }}
    />
  );
}

/** Every process on the case with its parties; a party of the persona's own agency acknowledges here. */
function Processes({ c, claims, onDone }: { c: CaseData; claims: Claims; onDone(): void }) {
  const ack = useStep(AcknowledgeDispatch, onDone);
  if (!c.processes.length)
    return (
      <Card title="协同流程">
        <Empty description="暂无" />
      </Card>
    );
  return (
    <Card title="协同流程" data-testid="processes">
      {ack.error && <Alert type="error" title={ack.error} style={{ marginBottom: 8 }} />}
      {c.processes.map((p) => (
        <Card key={p.id} size="small" type="inner" style={{ marginBottom: 12 }} title={`${label('ProcessKind', p.kind)} · ${p.status}`}>
          <Descriptions size="small" column={2}>
            <Descriptions.Item label="启动">{beijing(p.startedAt)}</Descriptions.Item>
            <Descriptions.Item label="结束">{p.endedAt ? `${beijing(p.endedAt)} ${p.outcome ?? ''}` : '进行中'}</Descriptions.Item>
            <Descriptions.Item label="等待">{p.waitingOn ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="期限">{p.dueAt ? `${beijing(p.dueAt)}（${fromNow(p.dueAt)}）` : '—'}</Descriptions.Item>
          </Descriptions>
          {p.parties.length > 0 && (
            <Table
              rowKey="id"
              size="small"
              pagination={false}
              dataSource={p.parties}
              columns={[
                { title: '单位', dataIndex: 'name' },
                { title: '状态', dataIndex: 'status' },
                { title: '签收期限', dataIndex: 'acknowledgeDue', render: (d: string | null) => (d ? beijing(d) : '—') },
                { title: '反馈期限', dataIndex: 'reportDue', render: (d: string | null) => (d ? beijing(d) : '—') },
                { title: '督办', dataIndex: 'escalationLevel', render: (l: string | null) => l ?? '—' },
                {
                  title: '',
                  render: (_: unknown, party: (typeof p.parties)[number]) =>
                    p.kind === 'DISPATCH' && !p.endedAt && party.agencyId === claims.agencyId && party.status === 'SENT' ? (
                      <Button
                        size="small"
                        type="primary"
                        data-testid="acknowledge-submit"
                        onClick={() => ack.submit({ input: { processId: p.id, idempotencyKey: crypto.randomUUID() } }, undefined, '已签收')}
                      >
                        签收
                      </Button>
                    ) : null,
                },
              ]}
            />
          )}
          <Row gutter={[24, 24]} style={{ marginTop: 8 }}>
            <MediationSessionForm c={c} p={p} onDone={onDone} />
          </Row>
        </Card>
      ))}
    </Card>
  );
}
