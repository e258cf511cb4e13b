import { useCallback } from 'react';
import { Alert, App, Button, Card, Table, Tag } from 'antd';
import { Link } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../gql';
import type { MyTasksQuery } from '../gql/graphql';
import { beijing, fromNow, label } from '../labels';
import { showApiErrors } from '../errors';
import { useCaseEvents } from '../live';
import type { Claims } from '../session';

/**
 * 我的待办 — the steps of the open processes that wait on the persona's own agency (a dispatch to acknowledge or
 * report on, a mediation to confirm), with their deadlines. Read from the open cases the persona may see (one
 * request, constant SQL: processes and parties come through the API's batch loaders), newest 100 cases.
 */
const MyTasksDoc = graphql(`
  query MyTasks($filter: CaseFilter) {
    cases(first: 100, filter: $filter) {
      edges {
        node {
          id
          number
          description
          processes {
            id
            kind
            status
            endedAt
            dueAt
            parties {
              id
              agencyId
              name
              status
              acknowledgeDue
              reportDue
              escalationLevel
            }
          }
        }
      }
    }
  }
`);

const Acknowledge = graphql(`
  mutation MyTasksAcknowledge($input: ProcessStepInput!) {
    acknowledgeDispatch(input: $input) {
      id
      status
    }
  }
`);

type CaseNode = MyTasksQuery['cases']['edges'][number]['node'];
interface Task {
  key: string;
  caseId: string;
  caseNumber: string;
  description: string;
  processId: string;
  processKind: string;
  step: 'ACKNOWLEDGE' | 'REPORT' | 'CONFIRM';
  due: string | null;
  escalation: string | null;
}

const STEP_LABELS: Record<Task['step'], string> = { ACKNOWLEDGE: '签收交办', REPORT: '反馈办理结果', CONFIRM: '确认参加调处' };

function tasksOf(cases: CaseNode[], agencyId: string): Task[] {
  const tasks: Task[] = [];
  for (const c of cases)
    for (const p of c.processes) {
      if (p.endedAt) continue;
      for (const party of p.parties) {
        if (party.agencyId !== agencyId) continue;
        const step: Task['step'] | null =
          p.kind === 'DISPATCH' && party.status === 'SENT'
            ? 'ACKNOWLEDGE'
            : p.kind === 'DISPATCH' && party.status === 'ACKNOWLEDGED'
              ? 'REPORT'
              : p.kind === 'MEDIATION' && party.status === 'INVITED'
                ? 'CONFIRM'
                : null;
        if (!step) continue;
        tasks.push({
          key: `${p.id}-${party.id}`,
          caseId: c.id,
          caseNumber: c.number,
          description: c.description,
          processId: p.id,
          processKind: p.kind,
          step,
          due: step === 'REPORT' ? party.reportDue : (party.acknowledgeDue ?? p.dueAt),
          escalation: party.escalationLevel,
        });
      }
    }
  return tasks.sort((a, b) => String(a.due).localeCompare(String(b.due)));
}

export function MyTasks({ claims }: { claims: Claims }) {
  const [result, refetch] = useQuery({ query: MyTasksDoc, variables: { filter: { statuses: ['RECEIVED', 'ACCEPTED', 'IN_PROGRESS'] } } });
  const refresh = useCallback(() => refetch({ requestPolicy: 'network-only' }), [refetch]);
  useCaseEvents(refresh);
  const [ack, acknowledge] = useMutation(Acknowledge);
  const { message } = App.useApp();
  const tasks = tasksOf(result.data?.cases.edges.map((e) => e.node) ?? [], claims.agencyId);

  return (
    <Card title="我的待办">
      {result.error && <Alert type="error" title={result.error.message} />}
      <Table<Task>
        rowKey="key"
        loading={result.fetching && !result.data}
        dataSource={tasks}
        pagination={false}
        locale={{ emptyText: '暂无待办' }}
        onRow={(t) => ({ 'data-testid': `task-${t.caseNumber}` }) as never}
        columns={[
          { title: '案件', render: (_: unknown, t: Task) => <Link to={`/cases/${t.caseId}`}>{t.caseNumber}</Link> },
          { title: '流程', render: (_: unknown, t: Task) => label('ProcessKind', t.processKind) },
          { title: '待办事项', render: (_: unknown, t: Task) => STEP_LABELS[t.step] },
          { title: '描述', dataIndex: 'description', ellipsis: true },
          {
            title: '期限',
            render: (_: unknown, t: Task) =>
              t.due ? (
                <span style={{ color: Date.parse(t.due) < Date.now() ? '#cf1322' : undefined }}>
                  {beijing(t.due)}（{fromNow(t.due)}）
                </span>
              ) : (
                '—'
              ),
          },
          { title: '督办', render: (_: unknown, t: Task) => (t.escalation ? <Tag color="red">{t.escalation}</Tag> : null) },
          {
            title: '',
            render: (_: unknown, t: Task) =>
              t.step === 'ACKNOWLEDGE' ? (
                <Button
                  type="primary"
                  size="small"
                  loading={ack.fetching}
                  data-testid="task-acknowledge"
                  onClick={async () => {
                    const r = await acknowledge({ input: { processId: t.processId, idempotencyKey: crypto.randomUUID() } });
                    if (r.error) message.error(showApiErrors(r.error));
                    else {
                      message.success('已签收');
                      refresh();
                    }
                  }}
                >
                  签收
                </Button>
              ) : (
                <Link to={`/cases/${t.caseId}`}>办理</Link>
              ),
          },
        ]}
      />
    </Card>
  );
}
