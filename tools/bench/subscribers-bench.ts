import 'reflect-metadata';
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { createServices } from '../../src/app/services';
import { executionContext } from '../../src/app/execution';
import { Tokens } from '../../src/auth/tokens';
import { openDatabase, type Orm } from '../../src/db/database';
import { startEmbeddedPostgres } from '../../src/infra/embedded-postgres';
import { locateTemporalCli } from '../../src/infra/temporal-cli';
import { createLogger } from '../../src/logger';
import { processModules } from '../../src/processes/registry';
import { MAX_SUBSCRIPTIONS_PER_PRINCIPAL } from '../../src/api/websocket-server';
import { loadDemoCity } from '../demo/demo-city';
import { summariseProfiles } from './cpu-profile';
import { freePort } from '../../src/infra/free-port';

/**
 * `npm run bench:subscribers [-- --subscribers 10000 --events 10 --interval-ms 1000 --apis 2]`: commit of a
 * case-file entry → its arrival at each of N graphql-ws subscribers spread over several API processes.
 *
 * The production layout in miniature, all on this machine: one embedded PostgreSQL and one Temporal dev server
 * (started here, then used only through DATABASE_URL and TEMPORAL_ADDRESS, as if external), `--apis` API processes
 * (`dist/src/api-main.js`, `npm run api`, as child processes), and the subscribers in `--client-procs` child
 * processes (as they would be on other machines), each subscriber its own WebSocket and its own subscription
 * `caseEvents(filter: {types: ["CONTACT_RECORDED"]})`. Subscriber i connects to API i mod apis.
 *
 * The principals: an API process holds at most MAX_SUBSCRIPTIONS_PER_PRINCIPAL (20) live subscriptions per user
 * (the cap `npm run api` runs with), so the bench adds users to the demo city's city-level HRSS inspection agency
 * (clones of its director and supervisor: two role sets, so two shared-execution groups) and gives each
 * 20 subscribers per API process. Every subscriber may see every entry of the city, so each event is expected at
 * all of them; the access checks are the ones the API runs (nothing is bypassed).
 *
 * The events: this process records a contact attempt on an open case (the service, as the API's mutation does)
 * every `--interval-ms`; the entry's commit time is taken when the call returns, its arrival when the subscriber's
 * `next` runs. Both read the same wall clock. Figures: p50/p95/p99/max over all (event, subscriber) pairs, and the
 * CPU seconds each side used over the events (API processes, client processes, this driver, the whole machine).
 *
 * `--api-dist <dir>` runs the API processes from another build (e.g. main's, built into a folder of its own with
 * `tsc -p tsconfig.build.json`), for interleaved before/after runs; `--profile <dir>` writes and summarises V8 CPU
 * profiles of the API and client processes over the events.
 */

const now = () => performance.timeOrigin + performance.now();
const repo = path.resolve(__dirname, '..', '..', '..');
const toolsDir = path.join(repo, '.tools');
const KEY = { kid: 'bench', secret: 'bench-secret-0123456789abcdefghijklmnopqrstuvwxyz' };
const DOCUMENT = 'subscription Feed { caseEvents(filter: { types: ["CONTACT_RECORDED"] }) { caseId seq type at } }';

interface Options {
  subscribers: number;
  events: number;
  intervalMs: number;
  apis: number;
  clientProcs: number;
  /** A folder for V8 CPU profiles of the API and client processes (`--cpu-prof`), summarised at the end. */
  profileDir?: string;
  /**
   * The build the API processes run (`<dir>/src/api-main.js`), for a baseline: e.g. another commit's `dist`
   * built with `tsc -p tsconfig.build.json`. This checkout's `dist` by default; the clients are always this one's.
   */
  apiDist?: string;
}

const USAGE =
  'usage: subscribers-bench [--subscribers 10000] [--events 10] [--interval-ms 1000] [--apis 2] [--client-procs 2] [--profile <dir>] [--api-dist <dist dir>]';

function parseArgs(argv: string[]): Options {
  const o: Options = { subscribers: 10_000, events: 10, intervalMs: 1000, apis: 2, clientProcs: 2 };
  for (let i = 0; i < argv.length; i += 2) {
    if (argv[i] === '--profile') {
      o.profileDir = path.resolve(argv[i + 1] ?? 'subscribers-profile');
      continue;
    }
    if (argv[i] === '--api-dist') {
      o.apiDist = path.resolve(argv[i + 1] ?? 'dist');
      continue;
    }
    const n = Number(argv[i + 1]);
    if (!Number.isInteger(n) || n < 1) {
      console.error(`${argv[i]} needs a positive integer, got ${argv[i + 1]}\n${USAGE}`);
      process.exit(2);
    }
    if (argv[i] === '--subscribers') o.subscribers = n;
    else if (argv[i] === '--events') o.events = n;
    else if (argv[i] === '--interval-ms') o.intervalMs = n;
    else if (argv[i] === '--apis') o.apis = n;
    else if (argv[i] === '--client-procs') o.clientProcs = n;
    else {
      console.error(`unknown argument ${argv[i]}\n${USAGE}`);
      process.exit(2);
    }
  }
  return o;
}

/** The soft limit on open files of this process (Linux), which each subscriber's socket counts against. */
function openFileLimit(): string {
  try {
    const m = /^Max open files\s+(\S+)\s+(\S+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    return m ? `${m[1]} (hard ${m[2]})` : 'unknown';
  } catch {
    return 'unknown';
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** CPU seconds (user + system) a process has used so far, from /proc (Linux; NaN elsewhere or once it is gone). */
function cpuSeconds(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in USER_HZ (100 on Linux)
  } catch {
    return NaN;
  }
}

/** CPU seconds of the whole machine (every process, all CPUs) and the idle share, from /proc/stat. */
function machineCpu(): { busy: number; idle: number } {
  try {
    const [, ...t] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
    const n = t.map(Number);
    const idle = (n[3] ?? 0) + (n[4] ?? 0);
    return { busy: (n.reduce((a, b) => a + b, 0) - idle) / 100, idle: idle / 100 };
  } catch {
    return { busy: NaN, idle: NaN };
  }
}

async function waitForApi(url: string, child: ChildProcess): Promise<void> {
  const end = Date.now() + 120_000;
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`API process exited with ${child.exitCode}`);
    try {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error(`API at ${url} did not answer within 120 s`);
}

/** Users of the city-level HRSS inspection agency, cloned from its director and supervisor: the bench's principals. */
async function addPrincipals(orm: Orm, n: number): Promise<Array<{ userId: string; agencyId: string; roles: string[] }>> {
  const sql = orm.em.getConnection();
  const templates = await sql.execute<Array<{ id: string; agency_id: string; roles: string[] }>>(
    `select u.id, u.agency_id, u.roles from app_user u join agency a on a.id = u.agency_id
      where a.kind = 'HRSS_INSPECTION' and a.parent_id is null and ('DIRECTOR' = any(u.roles) or 'SUPERVISOR' = any(u.roles))
      order by u.roles, u.id`,
  );
  if (templates.length === 0) throw new Error('the demo city has no city-level HRSS director or supervisor');
  const rows = await sql.execute<Array<{ id: string; agency_id: string; roles: string[] }>>(
    `insert into app_user (id, agency_id, name, roles)
       select gen_random_uuid(), t.agency_id, '订阅基准' || i, t.roles
         from generate_series(0, ? - 1) i
         join (select agency_id, roles, row_number() over (order by roles, id) - 1 as k from app_user where id in (?)) t
           on t.k = i % ?
     returning id, agency_id, roles`,
    [n, templates.map((t) => t.id), templates.length],
  );
  return rows.map((r) => ({ userId: r.id, agencyId: r.agency_id, roles: r.roles }));
}

interface Assignment {
  url: string;
  token: string;
}

async function main(o: Options): Promise<void> {
  const log = createLogger({ log: { level: 'warn', format: 'json' } });
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'anxin-subscribers-bench-'));
  const apis: ChildProcess[] = [];
  const apiExits: number[] = [];
  let eventsFrom = 0;
  let eventsTo = 0;
  const clientProcs: ChildProcess[] = [];
  const clientExits: number[] = [];
  let env: TestWorkflowEnvironment | undefined;
  let orm: Orm | undefined;
  let pg: Awaited<ReturnType<typeof startEmbeddedPostgres>> | undefined;
  const killAll = () => [...apis, ...clientProcs].forEach((c) => c.kill('SIGKILL'));
  process.once('exit', killAll);
  let cleaned: Promise<void> | undefined;
  const cleanup = () =>
    (cleaned ??= (async () => {
      // Asked to exit (a profile is written at a normal exit), then killed if they have not.
      for (const c of clientProcs) if (c.connected) c.send({ exit: true });
      await Promise.all(
        clientProcs.map((c) =>
          c.exitCode === null && c.signalCode === null
            ? Promise.race([new Promise((r) => c.once('exit', r)), sleep(10_000).then(() => c.kill())])
            : undefined,
        ),
      );
      for (const a of apis) a.kill('SIGTERM');
      await Promise.all(apis.map((a) => (a.exitCode === null ? new Promise((r) => a.once('exit', r)) : undefined)));
      process.removeListener('exit', killAll);
      await env?.teardown().catch(() => undefined);
      await orm?.close().catch(() => undefined);
      await pg?.stop().catch(() => undefined);
      await rm(dataDir, { recursive: true, force: true });
    })());
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      console.error(`${signal}: stopping the API processes, Temporal and PostgreSQL`);
      void cleanup().finally(() => process.exit(130));
    });
  try {
    console.log(`open-file limit of this process: ${openFileLimit()} (each subscriber holds one socket in a client and one in an API)`);
    pg = await startEmbeddedPostgres({ dataDir, port: await freePort(), database: 'anxin', log });
    orm = await openDatabase({ url: pg.url, log });
    await loadDemoCity(orm.em.fork(), log);
    const cli = await locateTemporalCli({ toolsDir, envPath: process.env.TEMPORAL_CLI_PATH });
    env = await TestWorkflowEnvironment.createLocal({
      server: {
        executable: cli ? { type: 'existing-path', path: cli.path } : { type: 'cached-download', downloadDir: toolsDir },
        ip: '127.0.0.1',
        log: { format: 'json', level: 'error' },
      },
    });

    // The API processes, configured as `npm run api` is in production: by environment only.
    const urls: string[] = [];
    for (let k = 0; k < o.apis; k++) {
      const port = await freePort();
      const profile = o.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${o.profileDir}`, `--cpu-prof-name=api-${k}.cpuprofile`] : [];
      const child = spawn(process.execPath, [...profile, path.join(o.apiDist ?? path.join(repo, 'dist'), 'src', 'api-main.js')], {
        env: {
          ...process.env,
          NODE_ENV: 'production',
          LOG_LEVEL: 'warn',
          LOG_FORMAT: 'json',
          HOST: '127.0.0.1',
          PORT: String(port),
          DATABASE_URL: pg.url,
          TEMPORAL_ADDRESS: env.address,
          AUTH_JWT_KEYS: `${KEY.kid}=${KEY.secret}`,
          // Every connect and subscribe spends a point of its principal's budget; the bench opens them all at once.
          RATE_LIMIT_PER_MINUTE: '1000000',
        },
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      apis.push(child);
      child.once('exit', () => (apiExits[k] = Date.now()));
      urls.push(`http://127.0.0.1:${port}/graphql`);
    }
    await Promise.all(urls.map((u, k) => waitForApi(u, apis[k]!)));
    console.log(
      `${o.apis} API processes up (pids ${apis.map((a) => a.pid).join(', ')}), PostgreSQL ${pg.url.replace(/:[^:@/]*@/, ':***@')}, Temporal ${env.address}`,
    );

    // Principals: each holds MAX_SUBSCRIPTIONS_PER_PRINCIPAL subscriptions on each API process.
    const perPrincipal = MAX_SUBSCRIPTIONS_PER_PRINCIPAL * o.apis;
    const principals = await addPrincipals(orm, Math.ceil(o.subscribers / perPrincipal));
    const tokens = new Tokens([KEY]);
    const tokenOf = principals.map((p) =>
      tokens.issue({ userId: p.userId, agencyId: p.agencyId, agencyKind: 'HRSS_INSPECTION', roles: p.roles as never }, { ttl: '2h' }),
    );
    const assignments: Assignment[][] = Array.from({ length: o.clientProcs }, () => []);
    for (let i = 0; i < o.subscribers; i++) {
      const a = { url: urls[i % o.apis]!.replace(/^http/, 'ws'), token: tokenOf[Math.floor(i / perPrincipal)]! };
      assignments[i % o.clientProcs]!.push(a);
    }
    console.log(
      `${principals.length} principals (${new Set(principals.map((p) => p.roles.join('+'))).size} role sets), ${o.subscribers} subscribers`,
    );

    const t0 = Date.now();
    const receipts: Array<Promise<Array<[string, number, number]>>> = [];
    await Promise.all(
      assignments.map(async (list, k) => {
        const profile = o.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${o.profileDir}`, `--cpu-prof-name=clients-${k}.cpuprofile`] : [];
        const child = fork(__filename, ['--clients'], {
          stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
          execArgv: [...process.execArgv, ...profile],
        });
        clientProcs.push(child);
        child.once('exit', () => (clientExits[k] = Date.now()));
        receipts.push(
          new Promise((resolve) =>
            child.on('message', (m: { receipts?: Array<[string, number, number]> }) => m.receipts && resolve(m.receipts)),
          ),
        );
        const ready = new Promise<void>((resolve, reject) => {
          child.on('message', (m: { ready?: number; failed?: string }) => {
            if (m.ready !== undefined) resolve();
            if (m.failed) reject(new Error(`client process ${k}: ${m.failed}`));
          });
          child.once('exit', (code) => reject(new Error(`client process ${k} exited with ${code}`)));
        });
        child.send({ subscribe: list.map((a) => [a.url, a.token, urls.findIndex((u) => u.replace(/^http/, 'ws') === a.url)]) });
        await ready;
      }),
    );
    console.log(`${o.subscribers} subscribers connected and subscribed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    await sleep(2000);

    // The events: a contact attempt on an open case, committed through the service.
    const services = createServices({ orm, temporal: Connection.lazy({ address: env.address }), processModules });
    const [director] = await orm.em.getConnection().execute<Array<{ id: string; agency_id: string; roles: string[] }>>(
      `select u.id, u.agency_id, u.roles from app_user u join agency a on a.id = u.agency_id
          where a.kind = 'HRSS_INSPECTION' and a.parent_id is null and 'DIRECTOR' = any(u.roles) order by u.id limit 1`,
    );
    const actor = { userId: director!.id, agencyId: director!.agency_id, agencyKind: 'HRSS_INSPECTION' as const, roles: director!.roles };
    const cases = await orm.em
      .getConnection()
      .execute<Array<{ id: string }>>(
        `select id from wage_case where status in ('RECEIVED','ACCEPTED','IN_PROGRESS') order by number limit ?`,
        [o.events],
      );
    const committed = new Map<string, number>();
    const cpuAt = () => ({
      apis: apis.map((a) => cpuSeconds(a.pid)),
      clients: clientProcs.map((c) => cpuSeconds(c.pid)),
      driver: process.cpuUsage(),
      machine: machineCpu(),
    });
    const cpuFrom = cpuAt();
    eventsFrom = Date.now();
    for (const c of cases) {
      const ctx = executionContext({ em: orm.em.fork(), log, actor: actor as never });
      const changed = await services.cases.recordContact(ctx, { caseId: c.id, kind: 'CALL', outcome: 'NO_ANSWER' });
      committed.set(`${c.id}:${changed.version}`, now());
      await sleep(o.intervalMs);
    }
    const expected = cases.length * o.subscribers;
    clientProcs.forEach((child, k) => child.send({ collect: assignments[k]!.length * cases.length }));
    const all = (await Promise.all(receipts)).flat();
    eventsTo = Date.now();
    const cpuTo = cpuAt();
    const round2 = (x: number) => Math.round(x * 100) / 100;
    const driverCpu = process.cpuUsage(cpuFrom.driver);
    /** CPU seconds each side used from the first commit to the last arrival (the subscribing excluded). */
    const cpu = {
      windowS: round2((eventsTo - eventsFrom) / 1000),
      apiS: cpuTo.apis.map((v, k) => round2(v - cpuFrom.apis[k]!)),
      clientS: cpuTo.clients.map((v, k) => round2(v - cpuFrom.clients[k]!)),
      driverS: round2((driverCpu.user + driverCpu.system) / 1e6),
      machineBusyS: round2(cpuTo.machine.busy - cpuFrom.machine.busy),
      machineIdleS: round2(cpuTo.machine.idle - cpuFrom.machine.idle),
    };

    // Latency per (event, subscriber), overall and per API process.
    const delays: number[] = [];
    const perApi: number[][] = Array.from({ length: o.apis }, () => []);
    const perEventMax = new Map<string, number>();
    for (const [key, at, api] of all) {
      const c = committed.get(key);
      if (c === undefined) continue;
      const d = at - c;
      delays.push(d);
      perApi[api]?.push(d);
      perEventMax.set(key, Math.max(perEventMax.get(key) ?? 0, d));
    }
    const pct = (xs: number[], p: number) => {
      if (xs.length === 0) return NaN;
      const s = [...xs].sort((a, b) => a - b);
      return Math.round(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! * 10) / 10;
    };
    const result = {
      subscribers: o.subscribers,
      apis: o.apis,
      principals: principals.length,
      events: cases.length,
      intervalMs: o.intervalMs,
      delivered: delays.length,
      expected,
      p50Ms: pct(delays, 50),
      p95Ms: pct(delays, 95),
      p99Ms: pct(delays, 99),
      maxMs: pct(delays, 100),
      perApi: perApi.map((xs, k) => ({ api: k, delivered: xs.length, p50Ms: pct(xs, 50), p99Ms: pct(xs, 99), maxMs: pct(xs, 100) })),
      perEventLastArrivalMs: [...perEventMax.values()].map((v) => Math.round(v)),
      cpu,
      apiBuild: o.apiDist ?? path.join(repo, 'dist'),
      openFileLimit: openFileLimit(),
    };
    console.log(
      `commit → arrival, ${o.subscribers} subscribers on ${o.apis} API processes, ${cases.length} events: ` +
        `p50 ${result.p50Ms} ms, p95 ${result.p95Ms} ms, p99 ${result.p99Ms} ms, max ${result.maxMs} ms (${delays.length}/${expected} delivered)`,
    );
    const sum = (xs: number[]) => round2(xs.reduce((a, b) => a + b, 0));
    console.log(
      `CPU over the events (${cpu.windowS} s): API processes ${sum(cpu.apiS)} s (${cpu.apiS.join(' + ')}), ` +
        `client processes ${sum(cpu.clientS)} s (${cpu.clientS.join(' + ')}), driver ${cpu.driverS} s; ` +
        `machine busy ${cpu.machineBusyS} s, idle ${cpu.machineIdleS} s (all processes, all CPUs); ` +
        `API CPU per delivery ${Math.round((sum(cpu.apiS) / Math.max(1, delays.length)) * 1e6)} µs`,
    );
    console.log(JSON.stringify(result));
    if (delays.length !== expected) process.exitCode = 1;
  } finally {
    await cleanup();
  }
  // The API processes' profiles over the events only (from the first commit to the last arrival), not the subscribing.
  if (o.profileDir)
    summariseProfiles(
      o.profileDir,
      Object.fromEntries([
        ...apiExits.map((exit, k) => [`api-${k}.`, { fromEndMs: exit - eventsFrom, toEndMs: Math.max(0, exit - eventsTo) }]),
        ...clientExits.map((exit, k) => [`clients-${k}.`, { fromEndMs: exit - eventsFrom, toEndMs: Math.max(0, exit - eventsTo) }]),
      ]),
    );
}

/** A subscribers' process: one graphql-ws client (one socket) per subscriber; receipts go back to the driver. */
function clients(): void {
  const receipts: Array<[string, number, number]> = [];
  const list: Client[] = [];
  process.on('message', async (m: { subscribe?: Array<[string, string, number]>; collect?: number; exit?: boolean }) => {
    if (m.exit) {
      // A normal exit, so that `--cpu-prof` writes this process's profile.
      await Promise.race([Promise.all(list.map((c) => c.dispose())), sleep(3_000)]);
      process.exit(0);
    }
    if (m.collect !== undefined) {
      // Until every expected entry has arrived, or a minute: a lost delivery shows as delivered < expected.
      const end = Date.now() + 60_000;
      while (receipts.length < m.collect && Date.now() < end) await sleep(100);
      process.send!({ receipts });
      return;
    }
    if (!m.subscribe) return;
    let subscribed = 0;
    let failed: string | undefined;
    // Connected a few hundred at a time: a burst of thousands of handshakes at once only measures the accept queue.
    const batch = 100;
    for (let from = 0; from < m.subscribe.length; from += batch) {
      const chunk = m.subscribe.slice(from, from + batch);
      await Promise.all(
        chunk.map(
          ([url, token, api]) =>
            new Promise<void>((resolve) => {
              const client = createClient({
                url,
                webSocketImpl: WebSocket,
                connectionParams: { authorization: `Bearer ${token}` },
                lazy: false,
                // A handshake the busy server did not finish within graphql-ws's 3 s (4408) is tried again, as a client would.
                retryAttempts: 10,
                retryWait: async () => void (await sleep(500 + Math.random() * 1500)),
                shouldRetry: () => true,
              });
              list.push(client);
              let first = true;
              client.subscribe<{ caseEvents: { caseId: string; seq: number } }>(
                { query: DOCUMENT, operationName: 'Feed' },
                {
                  next: (r) => void receipts.push([`${r.data!.caseEvents.caseId}:${r.data!.caseEvents.seq}`, now(), api]),
                  error: (err) => {
                    const close = err as { code?: number; reason?: string };
                    failed ??= err instanceof Error ? err.message : `closed ${close.code} ${close.reason ?? ''}`;
                    resolve();
                  },
                  complete: () => undefined,
                },
              );
              // Subscribed when the server has acknowledged the connection and the subscribe has been sent.
              client.on('connected', () => {
                if (!first) return;
                first = false;
                subscribed++;
                resolve();
              });
            }),
        ),
      );
      if (failed) break;
    }
    if (failed) process.send!({ failed });
    else process.send!({ ready: subscribed });
  });
}

if (process.argv[2] === '--clients') clients();
else
  main(parseArgs(process.argv.slice(2))).then(
    () => process.exit(process.exitCode ?? 0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
