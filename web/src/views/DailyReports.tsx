import { Alert, Card } from 'antd';

/** 日通报 (loaded on demand). */
export default function DailyReports() {
  return (
    <Card title="日通报">
      <Alert type="info" title="暂不可用：接口尚未提供 dailyReports 查询。" />
    </Card>
  );
}
