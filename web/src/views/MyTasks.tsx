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

/** 我的待办: the steps the running processes wait for the persona's agency to take (the API's `myTasks`), by deadline. */
const MyTasksDoc = graphql(`
  query MyTasks {
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

type Task = MyTasksQuery['myTasks'][number];

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
        rowKey={(t) => `${t.process.id}-${t.action}`}
        loading={result.fetching && !result.data}
        dataSource={result.data?.myTasks ?? []}
        pagination={false}
        locale={{ emptyText: '暂无待办' }}
        onRow={(t) => ({ 'data-testid': `task-${t.case.number}`, style: t.overdue ? { background: '#fff1f0' } : {} }) as never}
        columns={[
          { title: '案件', render: (_: unknown, t: Task) => <Link to={`/cases/${t.case.id}`}>{t.case.number}</Link> },
          { title: '流程', render: (_: unknown, t: Task) => label('ProcessKind', t.process.kind) },
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
              t.action === 'acknowledgeDispatch' ? (
                <Button
                  type="primary"
                  size="small"
                  loading={ack.fetching}
                  data-testid="task-acknowledge"
                  onClick={async () => {
                    const r = await acknowledge({ input: { processId: t.process.id, idempotencyKey: crypto.randomUUID() } });
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
