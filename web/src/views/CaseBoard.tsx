import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { Badge, Button, Card, Input, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { Link, useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { graphql } from '../gql';
import type { CaseBoardQuery } from '../gql/graphql';
import { beijing, enumOptions, fromNow, label, yuan } from '../labels';
import { currentDeadline, DEADLINE_LABELS } from '../deadlines';
import { useCaseEvents } from '../live';
import type { Claims } from '../session';

const IntakeForm = lazy(() => import('./IntakeForm').then((m) => ({ default: m.IntakeForm })));
const ReceivedRange = lazy(() => import('./ReceivedRange').then((m) => ({ default: m.ReceivedRange })));

const CaseBoardQueryDoc = graphql(`
  query CaseBoard($first: Int, $after: String, $filter: CaseFilter) {
    cases(first: $first, after: $after, filter: $filter) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        cursor
        node {
          id
          number
          status
          channel
          sector
          receivedAt
          firstContactAt
          employerNameGiven
          workersAffected
          amountClaimed
          amountRecovered
          description
          employer {
            id
            name
          }
          region {
            code
            name
          }
          deadlines {
            sameDayContact
            acceptance
            resolution
            resolutionExtended
            overdue
          }
        }
      }
    }
  }
`);

/** The persona's agency (for the region it covers) and the divisions below a region: the region filter's choices. */
const BoardAgenciesDoc = graphql(`
  query BoardAgencies {
    agencies {
      id
      regionCode
    }
  }
`);
const BoardRegionsDoc = graphql(`
  query BoardRegions($parentCode: DivisionCode) {
    regions(parentCode: $parentCode) {
      code
      name
      level
    }
  }
`);

/**
 * A Beijing day (YYYY-MM-DD, Asia/Shanghai, which keeps no daylight saving) as the UTC instant it starts at; `next`:
 * the start of the day after (the range's end is exclusive: `receivedTo` takes "before this instant").
 */
export function beijingDayStart(day: string, next = false): string {
  const at = Date.parse(`${day}T00:00:00+08:00`) + (next ? 86_400_000 : 0);
  return new Date(at).toISOString();
}
const DAY = /^\d{4}-\d{2}-\d{2}$/;

type Row = CaseBoardQuery['cases']['edges'][number]['node'];
const PAGE = 20;
/** Roles that take in complaints at the window or the phone (the API decides; the button only shows where it can work). */
const INTAKE_ROLES = ['INTAKE_CLERK', 'INSPECTOR', 'SUPERVISOR', 'DIRECTOR'];

/** 案件看板: the cases this persona may see, newest first, a page at a time by cursor (no offsets: a million rows page as fast as ten). */
export function CaseBoard({ claims }: { claims: Claims }) {
  // The filters live in the URL's query (status, channel, district, street, from, to, overdue, q): a link, or a
  // reload, reproduces the view. The page's cursors do not: a link opens on the first page.
  const [params, setParams] = useSearchParams();
  const statuses = params.getAll('status');
  const channels = params.getAll('channel');
  const overdue = params.get('overdue') === '1';
  const text = params.get('q') ?? '';
  const district = params.get('district') ?? undefined;
  const street = params.get('street') ?? undefined;
  const from = DAY.test(params.get('from') ?? '') ? params.get('from')! : undefined;
  const to = DAY.test(params.get('to') ?? '') ? params.get('to')! : undefined;
  const setFilter = (changes: Record<string, string | string[] | undefined>) => {
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        for (const [k, v] of Object.entries(changes)) {
          next.delete(k);
          for (const x of Array.isArray(v) ? v : v ? [v] : []) next.append(k, x);
        }
        return next;
      },
      { replace: true },
    );
    resetPaging();
  };
  const regions = useRegionChoices(claims.agencyId, district);
  // The cursors of the pages before this one: "previous" pops, "next" pushes.
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  const [intakeOpen, setIntakeOpen] = useState(false);
  const [, setTick] = useState(0);

  const filter = {
    ...(statuses.length ? { statuses: statuses as never } : {}),
    ...(channels.length ? { channels: channels as never } : {}),
    ...(overdue ? { overdue: true } : {}),
    ...(text.trim() ? { text: text.trim() } : {}),
    ...(street || district ? { regionCode: (street ?? district)! } : {}),
    // A Beijing day picked is Asia/Shanghai's: from its first instant to the first instant after the last day.
    ...(from ? { receivedFrom: beijingDayStart(from) } : {}),
    ...(to ? { receivedTo: beijingDayStart(to, true) } : {}),
  };
  const after = cursors[cursors.length - 1] ?? null;
  const [result, refetch] = useQuery({ query: CaseBoardQueryDoc, variables: { first: PAGE, after, filter } });
  const refresh = useCallback(() => refetch({ requestPolicy: 'network-only' }), [refetch]);
  useCaseEvents(refresh);
  // The countdowns move on their own.
  useEffect(() => {
    const id = setInterval(() => setTick((t) => t + 1), 30_000);
    return () => clearInterval(id);
  }, []);
  const resetPaging = () => setCursors([null]);

  const data = result.data?.cases;
  const columns = [
    {
      title: '案件编号',
      dataIndex: 'number',
      render: (n: string, c: Row) => (
        <Link to={`/cases/${c.id}`} data-testid="case-link">
          {n}
        </Link>
      ),
    },
    { title: '状态', dataIndex: 'status', render: (s: string) => <Tag color={statusColor(s)}>{label('CaseStatus', s)}</Tag> },
    { title: '来源', dataIndex: 'channel', render: (s: string) => label('Channel', s) },
    { title: '属地', render: (_: unknown, c: Row) => c.region.name },
    { title: '用人单位', render: (_: unknown, c: Row) => c.employer?.name ?? c.employerNameGiven ?? '—' },
    { title: '描述', dataIndex: 'description', ellipsis: true },
    { title: '涉及人数', dataIndex: 'workersAffected', render: (n: number | null) => n ?? '—' },
    { title: '追回/诉求', render: (_: unknown, c: Row) => `${yuan(c.amountRecovered)} / ${yuan(c.amountClaimed)}` },
    { title: '接收时间', dataIndex: 'receivedAt', render: (at: string) => beijing(at) },
    {
      title: '期限',
      render: (_: unknown, c: Row) => {
        const d = currentDeadline(c);
        if (c.deadlines.overdue.length)
          return (
            <Badge
              status="error"
              text={<span style={{ color: '#cf1322' }}>已超期：{c.deadlines.overdue.map((o) => DEADLINE_LABELS[o] ?? o).join('、')}</span>}
            />
          );
        if (!d) return '—';
        return (
          <span title={beijing(d.at)}>
            {DEADLINE_LABELS[d.name]} {fromNow(d.at)}
          </span>
        );
      },
    },
  ];

  return (
    <Card
      title={
        <Space>
          案件看板
          {data && (
            <Typography.Text type="secondary" data-testid="total-count">
              共 {data.totalCount} 件
            </Typography.Text>
          )}
        </Space>
      }
      extra={
        INTAKE_ROLES.some((r) => claims.roles.includes(r)) && claims.agencyKind === 'HRSS_INSPECTION' ? (
          <Button type="primary" onClick={() => setIntakeOpen(true)} data-testid="intake-open">
            登记投诉
          </Button>
        ) : null
      }
    >
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          mode="multiple"
          allowClear
          placeholder="状态"
          style={{ minWidth: 200 }}
          options={enumOptions('CaseStatus')}
          value={statuses}
          onChange={(v) => setFilter({ status: v })}
        />
        <Select
          mode="multiple"
          allowClear
          placeholder="来源渠道"
          style={{ minWidth: 200 }}
          options={enumOptions('Channel')}
          value={channels}
          onChange={(v) => setFilter({ channel: v })}
        />
        {regions.districts.length > 0 && (
          <span data-testid="board-district">
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              placeholder="区"
              style={{ minWidth: 140 }}
              options={regions.districts.map((r) => ({ value: r.code, label: r.name }))}
              value={district}
              onChange={(v?: string) => setFilter({ district: v, street: undefined })}
            />
          </span>
        )}
        {regions.streets.length > 0 && (
          <span data-testid="board-street">
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              placeholder="街道"
              style={{ minWidth: 160 }}
              options={regions.streets.map((r) => ({ value: r.code, label: r.name }))}
              value={street}
              onChange={(v?: string) => setFilter({ street: v })}
            />
          </span>
        )}
        <span data-testid="board-received">
          <Suspense fallback={<Input disabled placeholder="接收日期" style={{ width: 240 }} />}>
            <ReceivedRange from={from} to={to} onChange={(f, t) => setFilter({ from: f, to: t })} />
          </Suspense>
        </span>
        <Input.Search
          placeholder="描述、用人单位或投诉人"
          allowClear
          defaultValue={text}
          onSearch={(v) => setFilter({ q: v.trim() || undefined })}
          style={{ width: 260 }}
        />
        <Space>
          只看超期
          <Switch checked={overdue} onChange={(v) => setFilter({ overdue: v ? '1' : undefined })} />
        </Space>
      </Space>
      <Table<Row>
        rowKey="id"
        size="middle"
        loading={result.fetching && !data}
        dataSource={data?.edges.map((e) => e.node) ?? []}
        columns={columns}
        pagination={false}
        rowClassName={(c) => (c.deadlines.overdue.length ? 'overdue-row' : '')}
        onRow={(c) =>
          ({ style: c.deadlines.overdue.length ? { background: '#fff1f0' } : {}, 'data-testid': `case-row-${c.number}` }) as never
        }
      />
      {result.error && <Typography.Text type="danger">{result.error.message}</Typography.Text>}
      <Space style={{ marginTop: 16 }}>
        <Button disabled={cursors.length <= 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
          上一页
        </Button>
        <span>第 {cursors.length} 页</span>
        <Button
          disabled={!data?.pageInfo.hasNextPage}
          onClick={() => data?.pageInfo.endCursor && setCursors((c) => [...c, data.pageInfo.endCursor ?? null])}
        >
          下一页
        </Button>
      </Space>
      {intakeOpen && (
        <Suspense fallback={null}>
          <IntakeForm open={intakeOpen} onClose={() => setIntakeOpen(false)} onDone={refresh} />
        </Suspense>
      )}
    </Card>
  );
}

type RegionChoice = { code: string; name: string; level: string };

/**
 * The region filter's choices, from the region the persona's agency covers (its cases are there and below): the
 * districts under a city's agency, and the streets of the district picked (or of a district agency's own district).
 */
function useRegionChoices(agencyId: string, district: string | undefined): { districts: RegionChoice[]; streets: RegionChoice[] } {
  const [agencies] = useQuery({ query: BoardAgenciesDoc });
  const own = agencies.data?.agencies.find((a) => a.id === agencyId)?.regionCode;
  const [below] = useQuery({ query: BoardRegionsDoc, variables: { parentCode: own }, pause: !own });
  const children = useMemo(() => below.data?.regions ?? [], [below.data]);
  const ownIsDistrict = children.length > 0 && children.every((r) => r.level === 'STREET' || r.level === 'COMMUNITY');
  const [streetsOf] = useQuery({ query: BoardRegionsDoc, variables: { parentCode: district }, pause: !district || ownIsDistrict });
  if (ownIsDistrict) return { districts: [], streets: children };
  return { districts: children, streets: district ? (streetsOf.data?.regions ?? []) : [] };
}

function statusColor(s: string): string {
  return (
    (
      {
        RECEIVED: 'blue',
        ACCEPTED: 'cyan',
        IN_PROGRESS: 'orange',
        RESOLVED: 'green',
        CLOSED: 'default',
        REJECTED: 'red',
        TRANSFERRED: 'purple',
      } as Record<string, string>
    )[s] ?? 'default'
  );
}
