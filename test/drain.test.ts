import http from 'node:http';
import { Connection } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createClient } from 'graphql-ws';
import { Client as PgClient } from 'pg';
import WebSocket from 'ws';
import { startApiServer, type ApiServer } from '../src/api/server';
import { CLOSE_SERVICE_RESTART } from '../src/api/websocket-server';
import { Lifecycle } from '../src/lifecycle';
import { testTokens, testWebhookTargets } from './support/api';
import { createTestDatabase, type TestDatabase } from './support/database';
import { loadTestCity } from './support/fixtures';
import { testLog } from './support/logger';
import { startDevServer } from './support/temporal';
import { createServices } from './support/test-services';

/** One GET on a connection of its own (no keep-alive pool): its status and JSON body, or the connection error's code. */
function getOnce(url: string): Promise<{ status: number; body: Record<string, unknown> } | { error: string }> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text || '{}') as Record<string, unknown> }));
    });
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
  });
}

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`not in time: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * SIGTERM drains the API: readiness answers 503 at once, a request in flight finishes after the signal while new
 * connections are refused, and a graphql-ws subscriber is closed with 1012 (service restart: reconnect).
 */
describe('graceful drain on SIGTERM', () => {
  let db: TestDatabase;
  let temporal: TestWorkflowEnvironment;
  let connection: Connection;
  let api: ApiServer;
  let lifecycle: Lifecycle;
  let city: Awaited<ReturnType<typeof loadTestCity>>;
  const exits: number[] = [];
  let signalListeners: Array<(...args: unknown[]) => void> = [];

  beforeAll(async () => {
    [db, temporal] = await Promise.all([createTestDatabase(), startDevServer()]);
    city = await loadTestCity(db.orm.em.fork());
    connection = Connection.lazy({ address: temporal.address });
    // Readiness 503 for 800 ms before the listener closes (SHUTDOWN_DELAY_MS), so the test sees both moments.
    lifecycle = new Lifecycle(testLog, { drainDelayMs: 800 });
    const before = new Set([...process.listeners('SIGTERM'), ...process.listeners('SIGINT')]);
    lifecycle.handleSignals((code) => exits.push(code));
    signalListeners = [...process.listeners('SIGTERM'), ...process.listeners('SIGINT')].filter(
      (l) => !before.has(l),
    ) as typeof signalListeners;
    api = await startApiServer({
      host: '127.0.0.1',
      port: 0,
      orm: db.orm,
      services: createServices({ orm: db.orm, temporal: connection, webhookTargets: testWebhookTargets }),
      tokens: testTokens,
      rateLimitPerMinute: 1_000_000,
      anonymousRateLimitPerMinute: 1_000_000,
      log: testLog,
      draining: () => lifecycle.draining,
      shutdownGraceMs: 10_000,
    });
    lifecycle.onStop('GraphQL API', api.stop);
  });
  // A failed assertion must not leave the table locked (the drain would then wait on the request to the end).
  const lockers: PgClient[] = [];
  afterAll(async () => {
    for (const l of lockers) await l.end().catch(() => undefined);
    for (const l of signalListeners) {
      process.off('SIGTERM', l);
      process.off('SIGINT', l);
    }
    await lifecycle?.stopAll();
    await connection?.close();
    await temporal?.teardown();
    await db?.drop();
  });

  it('finishes the request in flight, refuses new connections, answers 503 and tells subscribers to reconnect', async () => {
    const base = api.url.replace(/\/graphql$/, '');
    expect(await getOnce(`${base}/readyz`)).toMatchObject({ status: 200, body: { status: 'ready' } });

    // A subscriber, live before the signal.
    const token = testTokens.issue({
      userId: city.inspector.id,
      agencyId: city.xichengHrss.id,
      agencyKind: city.xichengHrss.kind,
      roles: city.inspector.roles,
    });
    let closeCode: number | undefined;
    const ws = createClient({
      url: api.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      retryAttempts: 0,
      lazy: false,
      onNonLazyError: () => undefined,
      on: { closed: (e) => void (closeCode = (e as { code?: number }).code) },
    });
    ws.subscribe(
      { query: 'subscription { caseEvents { cursor } }' },
      { next: () => undefined, error: () => undefined, complete: () => undefined },
    );
    await until(
      async () => api.subscribers(),
      (n) => n === 1,
    );

    // A slow request: the case table is locked, so the query waits in the database until the lock is let go.
    const locker = new PgClient({ connectionString: db.url });
    lockers.push(locker);
    await locker.connect();
    await locker.query('begin');
    await locker.query('lock table wage_case in access exclusive mode');
    const slow = fetch(api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: 'query Slow { cases(first: 1) { totalCount } }' }),
    });
    await until(
      async () => (await locker.query<{ n: number }>(`select count(*)::int as n from pg_locks where not granted`)).rows[0]!.n,
      (n) => n > 0,
    );

    process.emit('SIGTERM');
    // At once: not ready (the listener still answers during the delay, so a load balancer can see it).
    expect(await getOnce(`${base}/readyz`)).toMatchObject({ status: 503, body: { status: 'draining' } });
    // Then the listener closes: a new connection is refused while the slow request is still in flight. (A connection
    // made at the instant the listener closes may be accepted and then reset: that is the moment of closing, not yet
    // its end.)
    expect(
      await until(
        () => getOnce(`${base}/livez`),
        (r) => 'error' in r && r.error !== 'ECONNRESET',
      ),
    ).toEqual({ error: 'ECONNREFUSED' });
    await until(
      async () => closeCode,
      (c) => c !== undefined,
    );
    expect(closeCode).toBe(CLOSE_SERVICE_RESTART);
    expect(exits).toEqual([]);

    // The request in flight finishes and is answered.
    await locker.query('commit');
    const answer = await slow;
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as { data?: { cases: { totalCount: number } }; errors?: unknown };
    expect(body.errors).toBeUndefined();
    expect(typeof body.data!.cases.totalCount).toBe('number');
    await until(
      async () => exits,
      (e) => e.length > 0,
    );
    expect(exits).toEqual([0]);
    await ws.dispose();
  });
});
