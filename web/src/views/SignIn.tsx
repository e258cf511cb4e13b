import { useEffect, useState } from 'react';
import { Alert, Button, Card, Input, List, Space, Typography } from 'antd';
import { claimsOf, signIn } from '../session';
import { label } from '../labels';

/** A demo persona, as `GET /dev/personas` lists them under `npm start` in development (404 otherwise). */
interface Persona {
  role: string;
  agencyKind: string;
  agencyName: string;
  userName: string;
  token: string;
}

export function SignIn({ onSignedIn }: { onSignedIn(): void }) {
  const [personas, setPersonas] = useState<Persona[] | null>(null);
  const [pasted, setPasted] = useState('');
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    fetch('/dev/personas')
      .then((r) => (r.ok ? (r.json() as Promise<Persona[]>) : []))
      .then(setPersonas, () => setPersonas([]));
  }, []);

  const use = (token: string) => {
    if (!claimsOf(token.replace(/^Bearer\s+/i, '').trim())) {
      setError('这不是有效的令牌');
      return;
    }
    signIn(token);
    onSignedIn();
  };

  return (
    <div style={{ maxWidth: 720, margin: '48px auto' }}>
      <Typography.Title level={2}>安薪 · 根治欠薪工作台</Typography.Title>
      {personas && personas.length > 0 && (
        <Card title="选择演示身份（仅开发环境）" style={{ marginBottom: 24 }}>
          <List
            dataSource={personas}
            renderItem={(p) => (
              <List.Item
                actions={[
                  <Button key="use" type="primary" data-testid={`persona-${p.agencyKind}-${p.role}`} onClick={() => use(p.token)}>
                    进入
                  </Button>,
                ]}
              >
                <List.Item.Meta
                  title={`${p.agencyName} · ${label('UserRole', p.role)}`}
                  description={`${label('AgencyKind', p.agencyKind)} · ${p.userName}`}
                />
              </List.Item>
            )}
          />
        </Card>
      )}
      <Card title="粘贴令牌">
        <Space.Compact style={{ width: '100%' }}>
          <Input.Password placeholder="Bearer eyJ…" value={pasted} onChange={(e) => setPasted(e.target.value)} data-testid="token-input" />
          <Button type="primary" onClick={() => use(pasted)} data-testid="token-submit">
            登录
          </Button>
        </Space.Compact>
        {error && <Alert type="error" title={error} style={{ marginTop: 12 }} />}
      </Card>
    </div>
  );
}
