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
 * 我的待办: the steps waiting for the persona, by its agency and roles, by deadline: those of the running processes
 * (the API's `myTasks`) and those on the cases themselves, 受理 and 结案审批 (`myCaseTasks`), in one list.
 */
const MyTasksDoc = graphql(`
  query MyTasks {
    myCaseTasks(first: 200) {
      action
      caseAction
      label
      dueAt
      overdue
      case {
        id
        number
        description
      }
    }
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
        number
        description
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

type Task = Omit<MyTasksQuery['myTasks'][number], 'process'> & { process: MyTasksQuery['myTasks'][number]['process'] | null };

/** Both lists as one, soonest deadline first (none last). */
function merged(data: MyTasksQuery | undefined): Task[] {
  if (!data) return [];
  const at = (t: Task) => (t.dueAt ? Date.parse(t.dueAt) : Number.POSITIVE_INFINITY);
  const tasks: Task[] = [...data.myTasks, ...data.myCaseTasks.map((t) => ({ ...t, process: null }))];
  return tasks.sort((x, y) => at(x) - at(y));
}

export function MyTasks(_: { claims: Claims }) {
  const [result, refetch] = useQuery({ query: MyTasksDoc });
  const refresh = useCallback(() => refetch({ requestPolicy: 'network-only' }), [refetch]);
  useCaseEvents(refresh);
  const [ack, acknowledge] = useMutation(Acknowledge);
  const { message } = App.useApp();

  return (
    <Card title="我的待办">
      {result.error && <Alert type="error" title={result.error.message} />}
      <Table<Task>
        rowKey={(t) => `${t.process?.id ?? t.case.id}-${t.action}`}
        loading={result.fetching && !result.data}
        dataSource={merged(result.data)}
        pagination={false}
        locale={{ emptyText: '暂无待办' }}
        onRow={(t) =>
          ({ 'data-testid': `task-${t.case.number}`, 'data-action': t.action, style: t.overdue ? { background: '#fff1f0' } : {} }) as never
        }
        columns={[
          { title: '案件', render: (_: unknown, t: Task) => <Link to={`/cases/${t.case.id}`}>{t.case.number}</Link> },
          {
            title: '流程',
            render: (_: unknown, t: Task) => (t.process ? label('ProcessKind', t.process.kind) : <Tag>案件办理</Tag>),
          },
          { title: '待办事项', dataIndex: 'label' },
          { title: '描述', render: (_: unknown, t: Task) => t.case.description, ellipsis: true },
          {
            title: '期限',
            render: (_: unknown, t: Task) =>
              t.dueAt ? (
                <span style={{ color: t.overdue ? '#cf1322' : undefined }}>
                  {beijing(t.dueAt)}（{fromNow(t.dueAt)}）{t.overdue && <Tag color="red">已超期</Tag>}
                </span>
              ) : (
                '—'
              ),
          },
          {
            title: '',
            render: (_: unknown, t: Task) =>
              // The one step taken right here; every other opens the case page, where its form is.
              t.action === 'acknowledgeDispatch' && t.process ? (
                <Button
                  type="primary"
                  size="small"
                  loading={ack.fetching}
                  data-testid="task-acknowledge"
                  onClick={async () => {
                    const r = await acknowledge({ input: { processId: t.process!.id, idempotencyKey: crypto.randomUUID() } });
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
                <Link to={`/cases/${t.case.id}`}>去办理</Link>
              ),
          },
        ]}
      />
    </Card>
  );
}
