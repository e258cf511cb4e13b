import 'reflect-metadata';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { fork } from 'node:child_process';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { startApiServer } from '../../src/api/server';
import { createServices } from '../../src/app/services';
import { executionContext } from '../../src/app/execution';
import { processModules } from '../../src/processes/registry';
import { Tokens } from '../../src/auth/tokens';
import { openDatabase } from '../../src/db/database';
import { loadDemoCity } from '../demo/demo-city';
import { startEmbeddedPostgres } from '../../src/infra/embedded-postgres';
import { createLogger } from '../../src/logger';

/**
 * `npm run bench:feed -- [subscribers] [entries]`: the delay from the commit of a case-file entry to its arrival
 * at each of N graphql-ws subscribers (p50/p99), on an embedded PostgreSQL with the demo city. The API runs in
 * this process; the subscribers run in a child process (as they would on other machines), and both read the
 * same wall clock. Entries are written one every 100 ms.
 */
const now = () => performance.timeOrigin + performance.now();
const SUBSCRIBERS = Number(process.argv[2] ?? 1000);
const ENTRIES = Number(process.argv[3] ?? 30);

async function main(): Promise<void> {
  const log = createLogger({ log: { level: 'warn', format: 'json' } });
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'anxin-feed-bench-'));
  const pg = await startEmbeddedPostgres({ dataDir, port: 5694, database: 'anxin', log });
  const orm = await openDatabase({ url: pg.url, log });
  await loadDemoCity(orm.em.fork(), log);
  const tokens = new Tokens([{ kid: 'bench', secret: 'bench-secret-0123456789abcdefghijklmnopqrstuvwxyz' }]);
  const services = createServices({ orm, temporal: Connection.lazy({ address: '127.0.0.1:1' }), processModules });
  const api = await startApiServer({
    host: '127.0.0.1',
    port: 0,
    orm,
    services,
    tokens,
    log,
    rateLimitPerMinute: 1_000_000,
    subscriptionsPerPrincipal: SUBSCRIBERS,
  });

  const [director] = await orm.em
    .getConnection()
    .execute<Array<{ id: string; agency_id: string; roles: string[] }>>(
      `select u.id, u.agency_id, u.roles from app_user u join agency a on a.id = u.agency_id where a.kind = 'HRSS_INSPECTION' and a.parent_id is null and 'DIRECTOR' = any(u.roles) limit 1`,
    );
  const actor = { userId: director!.id, agencyId: director!.agency_id, agencyKind: 'HRSS_INSPECTION' as const, roles: director!.roles };
  const token = tokens.issue({ ...actor, roles: actor.roles as never });

  const committed = new Map<string, number>();
  const child = fork(__filename, ['--clients', String(SUBSCRIBERS), api.url.replace(/^http/, 'ws'), token], { stdio: 'inherit' });
  const received = new Promise<Array<[string, number]>>((resolve) =>
    child.on('message', (m: { receipts?: Array<[string, number]> }) => m.receipts && resolve(m.receipts)),
  );
  await new Promise<void>((resolve) => child.on('message', (m: { ready?: boolean }) => m.ready && resolve()));

  const cases = await orm.em
    .getConnection()
    .execute<Array<{ id: string }>>(
      `select id from wage_case where status in ('RECEIVED','ACCEPTED','IN_PROGRESS') order by number limit ?`,
      [ENTRIES],
    );
  for (const c of cases) {
    const em = orm.em.fork();
    const ctx = executionContext({ em, log, actor });
    const changed = await services.cases.recordContact(ctx, { caseId: c.id, kind: 'CALL', outcome: 'NO_ANSWER' });
    committed.set(`${c.id}:${changed.version}`, now());
    await new Promise((r) => setTimeout(r, 100));
  }
  const expected = cases.length * SUBSCRIBERS;
  child.send({ collect: expected });
  const receipts = await received;
  const delays = receipts.flatMap(([key, at]) => (committed.has(key) ? [at - committed.get(key)!] : []));
  // Per entry, its first subscriber's delay (reading and waking) and its last one's (fanning out to all).
  const first = new Map<string, number>();
  const last = new Map<string, number>();
  for (const [key, at] of receipts) {
    if (!committed.has(key)) continue;
    const d = at - committed.get(key)!;
    first.set(key, Math.min(first.get(key) ?? Infinity, d));
    last.set(key, Math.max(last.get(key) ?? 0, d));
  }
  const median = (xs: number[]) => Math.round(xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]! * 10) / 10;
  delays.sort((a, b) => a - b);
  const pct = (p: number) => Math.round(delays[Math.min(delays.length - 1, Math.floor((p / 100) * delays.length))]! * 10) / 10;
  const result = {
    subscribers: SUBSCRIBERS,
    entries: cases.length,
    received: delays.length,
    expected,
    p50Ms: pct(50),
    p99Ms: pct(99),
    maxMs: pct(100),
    firstSubscriberMedianMs: median([...first.values()]),
    lastSubscriberMedianMs: median([...last.values()]),
  };
  console.log(JSON.stringify(result));
  console.log(
    `commit → delivery for ${SUBSCRIBERS} subscribers: p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms (${result.received}/${expected} delivered)`,
  );

  child.kill();
  await api.stop();
  await orm.close();
  await pg.stop();
  await rm(dataDir, { recursive: true, force: true });
}

/** The subscribers' side: N graphql-ws clients; receipts (entry → wall-clock time) go back to the parent. */
async function clients(n: number, url: string, token: string): Promise<void> {
  const receipts: Array<[string, number]> = [];
  const list: Client[] = [];
  let ready = 0;
  for (let i = 0; i < n; i++) {
    const client = createClient({
      url,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      lazy: false,
      on: { connected: () => void ready++ },
    });
    list.push(client);
    client.subscribe<{ caseEvents: { caseId: string; seq: number } }>(
      { query: 'subscription { caseEvents(filter: { types: ["CONTACT_RECORDED"] }) { caseId seq } }' },
      {
        next: (m) => void receipts.push([`${m.data!.caseEvents.caseId}:${m.data!.caseEvents.seq}`, now()]),
        error: () => undefined,
        complete: () => undefined,
      },
    );
  }
  while (ready < n) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 1000)); // every subscription registered
  process.send!({ ready: true });
  process.on('message', (m: { collect?: number }) => {
    if (!m.collect) return;
    const end = Date.now() + 60_000;
    const poll = () => (receipts.length >= m.collect! || Date.now() > end ? process.send!({ receipts }) : setTimeout(poll, 100));
    poll();
  });
}

if (process.argv[2] === '--clients') {
  void clients(Number(process.argv[3]), process.argv[4]!, process.argv[5]!);
} else
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
