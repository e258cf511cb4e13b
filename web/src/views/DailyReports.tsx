import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Col, Empty, List, Row, Select, Space, Table, Tag, Typography } from 'antd';
import { useQuery } from 'urql';
import { graphql } from '../gql';
import type { DailyReportQuery } from '../gql/graphql';
import { beijing, yuan } from '../labels';
import { currentClaims, currentToken } from '../session';

const Agencies = graphql(`
  query DailyReportAgencies {
    agencies(kind: HRSS_INSPECTION) {
      id
      name
    }
  }
`);

const Reports = graphql(`
  query DailyReports($agencyId: ID!, $after: String) {
    dailyReports(agencyId: $agencyId, first: 30, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          day
          agencyName
          madeAt
        }
      }
    }
  }
`);

const Report = graphql(`
  query DailyReport($id: ID!) {
    dailyReport(id: $id) {
      id
      day
      agencyName
      madeAt
      previousDay
      itemsTruncated
      xlsxPath
      printPath
      figures {
        key
        label
        unit
        value
        delta
      }
      items {
        kind
        caseId
        caseNumber
        what
        party
        escalateTo
        deadline
        at
      }
    }
  }
`);

type Full = DailyReportQuery['dailyReport'];

/** Fetches a download with the bearer token (a plain link cannot carry it) and hands it to the browser. */
async function download(path: string, filename: string | null): Promise<void> {
  const res = await fetch(path, { headers: { authorization: `Bearer ${currentToken() ?? ''}` } });
  if (!res.ok) throw new Error(`${res.status} ${await res.text()}`);
  const url = URL.createObjectURL(await res.blob());
  if (filename) {
    const a = document.createElement('a');
    a.href = url;
    a.download = filename;
    a.click();
  } else window.open(url, '_blank');
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

const fmt = (unit: string, v: number | null | undefined) =>
  v === null || v === undefined ? '—' : unit === 'FEN' ? yuan(v) : v.toLocaleString('zh-CN');

/** 日通报: the persona's agency's daily reports (or, for a director above it, another agency's), newest first. */
export default function DailyReports() {
  const claims = currentClaims();
  const [agencyId, setAgencyId] = useState(claims?.agencyId ?? '');
  const [selected, setSelected] = useState<string | null>(null);
  const [agencies] = useQuery({ query: Agencies });
  const [list] = useQuery({ query: Reports, variables: { agencyId }, pause: !agencyId });
  const first = list.data?.dailyReports.edges[0]?.node.id ?? null;
  useEffect(() => setSelected(first), [first]);
  const [one] = useQuery({ query: Report, variables: { id: selected ?? '' }, pause: !selected });
  const { message } = App.useApp();

  return (
    <Row gutter={24}>
      <Col span={7}>
        <Card
          title="日通报"
          extra={
            <Select
              style={{ width: 200 }}
              value={agencyId}
              onChange={setAgencyId}
              options={(agencies.data?.agencies ?? []).map((a) => ({ value: a.id, label: a.name }))}
            />
          }
        >
          {list.error && <Alert type="error" title={list.error.message} />}
          <List
            loading={list.fetching && !list.data}
            dataSource={list.data?.dailyReports.edges.map((e) => e.node) ?? []}
            locale={{ emptyText: '尚无日通报（每个工作日 08:00 生成）' }}
            renderItem={(r) => (
              <List.Item
                style={{ cursor: 'pointer', background: r.id === selected ? '#fff1f0' : undefined, paddingInline: 8 }}
                onClick={() => setSelected(r.id)}
                data-testid="report-item"
              >
                <List.Item.Meta title={`${r.day} ${r.agencyName}`} description={`生成于 ${beijing(r.madeAt)}`} />
              </List.Item>
            )}
          />
        </Card>
      </Col>
      <Col span={17}>
        {!selected ? (
          <Card>
            <Empty description="选择一份日通报" />
          </Card>
        ) : one.error ? (
          <Alert type="error" title={one.error.message} />
        ) : !one.data ? (
          <Card loading />
        ) : (
          <ReportView
            r={one.data.dailyReport}
            onDownload={(path, name) => download(path, name).catch((e: Error) => message.error(`下载失败：${e.message}`))}
          />
        )}
      </Col>
    </Row>
  );
}

function ReportView({ r, onDownload }: { r: Full; onDownload(path: string, filename: string | null): void }) {
  return (
    <Card
      title={`${r.agencyName} 日通报 · ${r.day}`}
      extra={
        <Space>
          <Button type="primary" onClick={() => onDownload(r.xlsxPath, `日通报-${r.agencyName}-${r.day}.xlsx`)} data-testid="report-xlsx">
            下载 Excel
          </Button>
          <Button onClick={() => onDownload(r.printPath, null)}>打印版</Button>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">
        生成于 {beijing(r.madeAt)}；较上次{r.previousDay ? `（${r.previousDay}）` : '：首份通报'}
      </Typography.Paragraph>
      <Table
        rowKey="key"
        size="small"
        pagination={false}
        dataSource={r.figures}
        columns={[
          { title: '指标', dataIndex: 'label' },
          { title: '数值', render: (_: unknown, f: Full['figures'][number]) => fmt(f.unit, f.value) },
          {
            title: '较上次',
            render: (_: unknown, f: Full['figures'][number]) =>
              f.delta === null || f.delta === undefined ? '—' : `${f.delta > 0 ? '+' : ''}${fmt(f.unit, f.delta)}`,
          },
        ]}
      />
      <Typography.Title level={5} style={{ marginTop: 24 }}>
        督办与超期事项 {r.itemsTruncated && <Tag color="orange">仅列出部分，完整清单见 Excel</Tag>}
      </Typography.Title>
      <Table
        rowKey={(i) => `${i.kind}-${i.caseId}-${i.what}`}
        size="small"
        pagination={{ pageSize: 20 }}
        dataSource={r.items}
        locale={{ emptyText: '无' }}
        columns={[
          {
            title: '类别',
            dataIndex: 'kind',
            render: (k: string) => (k === 'ESCALATED' ? <Tag color="red">升级督办</Tag> : <Tag color="orange">超期</Tag>),
          },
          {
            title: '案件',
            dataIndex: 'caseNumber',
            render: (n: string, i: Full['items'][number]) => <a href={`/cases/${i.caseId}`}>{n}</a>,
          },
          { title: '事项', dataIndex: 'what' },
          { title: '责任方', dataIndex: 'party', render: (p: string | null) => p ?? '—' },
          { title: '期限', dataIndex: 'deadline', render: (d: string | null) => beijing(d) },
        ]}
      />
    </Card>
  );
}
