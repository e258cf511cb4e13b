import { Alert, Card } from 'antd';
import type { Claims } from '../session';

/** 我的待办: filled in once the API's `myTasks` query exists. */
export function MyTasks(_: { claims: Claims }) {
  return (
    <Card title="我的待办">
      <Alert type="info" title="暂不可用：接口尚未提供 myTasks 查询。" />
    </Card>
  );
}
