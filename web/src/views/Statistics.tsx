import { Alert, Card } from 'antd';

/** 统计分析 (loaded on demand with ECharts). */
export default function Statistics() {
  return (
    <Card title="统计分析">
      <Alert type="info" title="暂不可用：接口尚未提供 statistics 查询。" data-testid="statistics-unavailable" />
    </Card>
  );
}
