import { useMemo, useState } from 'react';
import { Alert, Card, Col, DatePicker, Row, Segmented, Space, Statistic, Table } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useQuery } from 'urql';
import { graphql } from '../gql';
import type { StatisticsPageQuery } from '../gql/graphql';
import { label, yuan } from '../labels';
import { useCaseEvents } from '../live';
import { Chart, type ChartOption } from './Chart';

graphql(`
  fragment Figures on StatisticsFigures {
    casesReceived
    casesAccepted
    casesResolved
    casesClosed
    workersClaimed
    fenClaimed
    workersPaid
    fenRecovered
  }
`);

const StatisticsPageDoc = graphql(`
  query StatisticsPage($filter: StatisticsFilter, $period: [StatisticsDimension!], $streetPeriod: [StatisticsDimension!]) {
    all: statistics(filter: $filter) {
      totals {
        ...Figures
      }
      openByAge {
        bucket
        label
        count
      }
      overdueSteps {
        processKind
        count
        agency {
          name
        }
      }
      callbacks {
        due
        done
        satisfied
        basicallySatisfied
        dissatisfied
      }
    }
    byDistrict: statistics(filter: $filter, groupBy: [DISTRICT]) {
      groups {
        district {
          name
        }
        figures {
          ...Figures
        }
      }
    }
    byChannel: statistics(filter: $filter, groupBy: [CHANNEL]) {
      groups {
        channel
        figures {
          casesReceived
        }
      }
    }
    bySector: statistics(filter: $filter, groupBy: [SECTOR]) {
      groups {
        sector
        figures {
          casesReceived
        }
      }
    }
    byPeriod: statistics(filter: $filter, groupBy: $period) {
      groups {
        period
        figures {
          casesReceived
          casesResolved
          fenRecovered
        }
      }
    }
    byStreet: statistics(filter: $filter, groupBy: $streetPeriod) {
      groups {
        period
        street {
          name
        }
        district {
          name
        }
        figures {
          casesReceived
        }
      }
    }
  }
`);

type Data = StatisticsPageQuery;
type Period = 'DAY' | 'WEEK' | 'MONTH';

/** 统计分析: the figures of the cases this persona may see, by district, street, channel, sector and period. */
export default function Statistics() {
  const [range, setRange] = useState<[Dayjs, Dayjs]>([dayjs().subtract(89, 'day'), dayjs()]);
  const [period, setPeriod] = useState<Period>('WEEK');
  const filter = { from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD') };
  const [result, refetch] = useQuery({
    query: StatisticsPageDoc,
    variables: { filter, period: [period], streetPeriod: ['STREET', 'DISTRICT', period] },
  });
  // New payments and cases show without a reload.
  useCaseEvents(() => refetch({ requestPolicy: 'network-only' }), undefined, 1000);
  const d = result.data;
  const charts = useMemo(() => (d ? chartsOf(d) : null), [d]);

  if (result.error && !d) return <Alert type="error" title={result.error.message} />;
  const t = d?.all.totals;
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card
        title="统计分析"
        extra={
          <Space>
            <DatePicker.RangePicker value={range} allowClear={false} onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])} />
            <Segmented<Period>
              value={period}
              onChange={setPeriod}
              options={[
                { value: 'DAY', label: '按日' },
                { value: 'WEEK', label: '按周' },
                { value: 'MONTH', label: '按月' },
              ]}
            />
          </Space>
        }
        loading={!d}
      >
        {t && (
          <Row gutter={16}>
            <Col span={3}>
              <Statistic title="收案" value={t.casesReceived} />
            </Col>
            <Col span={3}>
              <Statistic title="受理" value={t.casesAccepted} />
            </Col>
            <Col span={3}>
              <Statistic title="解决" value={t.casesResolved} />
            </Col>
            <Col span={3}>
              <Statistic title="结案" value={t.casesClosed} />
            </Col>
            <Col span={3}>
              <Statistic title="涉及人数" value={t.workersClaimed} />
            </Col>
            <Col span={3}>
              <Statistic title="投诉金额" value={yuan(t.fenClaimed)} />
            </Col>
            <Col span={3}>
              <Statistic title="支付人数" value={t.workersPaid} />
            </Col>
            <Col span={3}>
              <div data-testid="fen-recovered">
                <Statistic title="追发金额" value={yuan(t.fenRecovered)} styles={{ content: { color: '#389e0d' } }} />
              </div>
            </Col>
          </Row>
        )}
      </Card>
      {charts && d && (
        <>
          <Row gutter={16}>
            <Col span={12}>
              <Card title="各区收案与解决">
                <Chart option={charts.district} testId="chart-district" />
              </Card>
            </Col>
            <Col span={12}>
              <Card title={`收案与追发趋势（${period === 'DAY' ? '日' : period === 'WEEK' ? '周' : '月'}）`}>
                <Chart option={charts.period} testId="chart-period" />
              </Card>
            </Col>
          </Row>
          <Row gutter={16}>
            <Col span={12}>
              <Card title="来源渠道">
                <Chart option={charts.channel} />
              </Card>
            </Col>
            <Col span={12}>
              <Card title="行业领域">
                <Chart option={charts.sector} />
              </Card>
            </Col>
          </Row>
          <Card title="各街道投诉热力">
            <Chart option={charts.heat} height={Math.max(320, 28 * charts.streets + 80)} testId="chart-heat" />
          </Card>
          <Row gutter={16}>
            <Col span={12}>
              <Card title="在办案件账龄">
                <Chart option={charts.age} />
              </Card>
            </Col>
            <Col span={12}>
              <Card title="超期环节">
                <Table
                  rowKey={(r) => `${r.agency.name}-${r.processKind}`}
                  size="small"
                  pagination={false}
                  dataSource={d.all.overdueSteps}
                  locale={{ emptyText: '无超期环节' }}
                  columns={[
                    { title: '单位', render: (_: unknown, r: Data['all']['overdueSteps'][number]) => r.agency.name },
                    { title: '流程', dataIndex: 'processKind', render: (k: string) => label('ProcessKind', k) },
                    { title: '超期数', dataIndex: 'count' },
                  ]}
                />
              </Card>
            </Col>
          </Row>
        </>
      )}
    </Space>
  );
}

function chartsOf(d: Data) {
  const district: ChartOption = {
    tooltip: { trigger: 'axis' },
    legend: {},
    xAxis: { type: 'category', data: d.byDistrict.groups.map((g) => g.district?.name ?? '—') },
    yAxis: { type: 'value' },
    series: [
      { name: '收案', type: 'bar', data: d.byDistrict.groups.map((g) => g.figures.casesReceived) },
      { name: '解决', type: 'bar', data: d.byDistrict.groups.map((g) => g.figures.casesResolved) },
    ],
  };
  const periods = [...d.byPeriod.groups].sort((a, b) => String(a.period).localeCompare(String(b.period)));
  const period: ChartOption = {
    tooltip: { trigger: 'axis' },
    legend: {},
    xAxis: { type: 'category', data: periods.map((g) => g.period ?? '') },
    yAxis: [
      { type: 'value', name: '件' },
      { type: 'value', name: '万元' },
    ],
    series: [
      { name: '收案', type: 'line', data: periods.map((g) => g.figures.casesReceived) },
      { name: '解决', type: 'line', data: periods.map((g) => g.figures.casesResolved) },
      { name: '追发（万元）', type: 'bar', yAxisIndex: 1, data: periods.map((g) => Math.round(g.figures.fenRecovered / 100) / 10_000) },
    ],
  };
  const pie = (items: Array<{ name: string; value: number }>): ChartOption => ({
    tooltip: { trigger: 'item' },
    legend: { type: 'scroll', bottom: 0 },
    series: [{ type: 'pie', radius: ['35%', '65%'], data: items }],
  });
  // The heat grid: streets down, periods across, complaints received in each cell.
  const cols = [...new Set(d.byStreet.groups.map((g) => g.period ?? ''))].sort();
  const streetName = (g: Data['byStreet']['groups'][number]) => `${g.district?.name ?? ''} ${g.street?.name ?? '（区级）'}`;
  const rows = [...new Set(d.byStreet.groups.map(streetName))].sort();
  const cells = d.byStreet.groups.map((g) => [cols.indexOf(g.period ?? ''), rows.indexOf(streetName(g)), g.figures.casesReceived]);
  const max = Math.max(1, ...cells.map((c) => c[2] ?? 0));
  const heat: ChartOption = {
    tooltip: { position: 'top' },
    grid: { left: 200, right: 40, top: 20, bottom: 70 },
    xAxis: { type: 'category', data: cols, splitArea: { show: true } },
    yAxis: { type: 'category', data: rows, splitArea: { show: true } },
    visualMap: {
      min: 0,
      max,
      calculable: true,
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      inRange: { color: ['#fff7e6', '#ffa940', '#a8071a'] },
    },
    series: [{ type: 'heatmap', data: cells, label: { show: rows.length * cols.length <= 400 } }],
  };
  const age: ChartOption = {
    tooltip: { trigger: 'axis' },
    grid: { left: 220 },
    xAxis: { type: 'value' },
    yAxis: { type: 'category', data: d.all.openByAge.map((a) => a.label) },
    series: [
      {
        type: 'bar',
        data: d.all.openByAge.map((a) => ({ value: a.count, itemStyle: { color: a.bucket.endsWith('OVERDUE') ? '#cf1322' : '#1677ff' } })),
      },
    ],
  };
  return {
    district,
    period,
    channel: pie(d.byChannel.groups.map((g) => ({ name: label('Channel', g.channel), value: g.figures.casesReceived }))),
    sector: pie(d.bySector.groups.map((g) => ({ name: label('CaseSector', g.sector), value: g.figures.casesReceived }))),
    heat,
    streets: rows.length,
    age,
  };
}
