import { lazy, Suspense, useMemo, useState } from 'react';
import { Button, Layout, Menu, Space, Spin, Tag, Typography } from 'antd';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { Provider } from 'urql';
import { createApiClient } from './client';
import { currentClaims, signOut, type Claims } from './session';
import { label } from './labels';
import { SignIn } from './views/SignIn';
import { CaseBoard } from './views/CaseBoard';

// Only the board is in the first chunk; the other views load on demand (statistics with ECharts the largest).
const CasePage = lazy(() => import('./views/CasePage').then((m) => ({ default: m.CasePage })));
const MyTasks = lazy(() => import('./views/MyTasks').then((m) => ({ default: m.MyTasks })));
const Statistics = lazy(() => import('./views/Statistics'));
const DailyReports = lazy(() => import('./views/DailyReports'));

const MENU = [
  { key: '/', label: '案件看板' },
  { key: '/tasks', label: '我的待办' },
  { key: '/statistics', label: '统计分析' },
  { key: '/daily-reports', label: '日通报' },
];

export function App() {
  const [claims, setClaims] = useState<Claims | null>(() => currentClaims());
  // A new client per sign-in: the token travels in its headers and its socket's connectionParams.
  const client = useMemo(() => (claims ? createApiClient() : null), [claims]);
  const navigate = useNavigate();
  const location = useLocation();

  if (!claims || !client) return <SignIn onSignedIn={() => setClaims(currentClaims())} />;
  const selected = MENU.find((m) => m.key !== '/' && location.pathname.startsWith(m.key))?.key ?? '/';
  return (
    <Provider value={client}>
      <Layout style={{ minHeight: '100vh' }}>
        <Layout.Header style={{ display: 'flex', alignItems: 'center', gap: 24 }}>
          <Typography.Title level={4} style={{ color: '#fff', margin: 0, whiteSpace: 'nowrap' }}>
            安薪 · 根治欠薪
          </Typography.Title>
          <Menu
            theme="dark"
            mode="horizontal"
            selectedKeys={[selected]}
            items={MENU}
            onClick={(e) => navigate(e.key)}
            style={{ flex: 1, minWidth: 0 }}
          />
          <Space>
            <Tag color="gold" data-testid="persona">
              {label('AgencyKind', claims.agencyKind)} · {claims.roles.map((r) => label('UserRole', r)).join('、')}
            </Tag>
            <Button
              size="small"
              onClick={() => {
                signOut();
                setClaims(null);
              }}
            >
              退出
            </Button>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ padding: 24 }}>
          <Suspense fallback={<Spin />}>
            <Routes>
              <Route path="/" element={<CaseBoard claims={claims} />} />
              <Route path="/cases/:id" element={<CasePage claims={claims} />} />
              <Route path="/tasks" element={<MyTasks claims={claims} />} />
              <Route path="/statistics" element={<Statistics />} />
              <Route path="/daily-reports" element={<DailyReports />} />
              <Route path="*" element={<Navigate to="/" replace />} />
            </Routes>
          </Suspense>
        </Layout.Content>
      </Layout>
    </Provider>
  );
}
