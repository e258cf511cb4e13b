import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { Client as PgClient } from 'pg';
import { caseWorkflowId } from '../../src/cases/case-workflow';
import { uniqueMobile } from '../demo/identities';
import { Random } from '../demo/random';

/**
 * `npm run bench:intake-e2e [-- --seconds 30 --clients 32 --rounds 3 --cpu-prof --layout one|split --relay both|worker]`: intakes per second whose
 * lifecycle workflow has STARTED, against Temporal's own start rate on the same server (issue 16).
 *
 * It starts the system as `npm start` does (dist/src/main.js: embedded PostgreSQL, Temporal dev server, worker,
 * API, demo city) in a fresh data folder on ports 4390/5790/7590/8590, waits for the demo's own outbox to drain,
 * then runs interleaved rounds, each of:
 *   (e2e)    `--clients` clients post intakeComplaint for `--seconds` s; then it waits until every START row of
 *            those cases is delivered and reads each workflow's start time from Temporal (describe). The figure is
 *            intakes ÷ (last workflow start − first request).
 *   (bare)   a bare `client.workflow.start` loop of a no-op workflow type for `--seconds` s, 16 and then 32 starts
 *            in flight, on the same dev server (a task queue no worker polls: the start call is what is measured).
 * and prints both rates and their ratio. `--layout split` (the production layout in miniature) also starts a separate
 * API process (`dist/src/api-main.js`, port 4391) against the same PostgreSQL and Temporal and posts the intakes
 * there, the first process acting as the worker; `--relay worker` starts that API with `OUTBOX_RELAY_ENABLED=false`
 * (the worker's relay alone delivers, polling each second), `--relay both` (default) lets the API deliver what it
 * commits as well. `--cpu-prof` writes a V8 CPU profile of the system's process into the
 * data folder's parent (kept) for `node --cpu-prof`-style analysis.
 */
const repo = path.resolve(__dirname, '..', '..', '..');
const PORTS = { api: 4390, pg: 5790, temporal: 7590, ui: 8590, splitApi: 4391 };
/** The API the intakes go to: the system's own, or with `--layout split` the separate API process. */
let apiPort = PORTS.api;
/** Signing keys given to every process, so the demo tokens the system writes hold on the separate API too. */
const BENCH_KEYS = 'bench-1=intake-e2e-bench-secret-0123456789abcdefghijkl';
const INTAKE = `mutation($i: IntakeComplaintInput!) { intakeComplaint(input: $i) { outcome case { id } } }`;

interface Options {
  seconds: number;
  clients: number;
  rounds: number;
  cpuProf: boolean;
  layout: 'one' | 'split';
  relay: 'both' | 'worker';
}

function parseArgs(argv: string[]): Options {
  const o: Options = { seconds: 30, clients: 32, rounds: 3, cpuProf: false, layout: 'one', relay: 'both' };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split(/=(.*)/s, 2) as [string, string | undefined];
    const int = (min: number, max: number) => {
      const n = Number(inline ?? argv[++i]);
      if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${flag} must be an integer from ${min} to ${max}`);
      return n;
    };
    if (flag === '--seconds') o.seconds = int(1, 600);
    else if (flag === '--clients') o.clients = int(1, 256);
    else if (flag === '--rounds') o.rounds = int(1, 20);
    else if (flag === '--cpu-prof') o.cpuProf = true;
    else if (flag === '--layout' && ['one', 'split'].includes(inline ?? argv[i + 1] ?? ''))
      o.layout = (inline ?? argv[++i]) as Options['layout'];
    else if (flag === '--relay' && ['both', 'worker'].includes(inline ?? argv[i + 1] ?? ''))
      o.relay = (inline ?? argv[++i]) as Options['relay'];
    else
      throw new Error(
        `unknown argument ${argv[i]}\nusage: intake-e2e-bench [--seconds 30] [--clients 32] [--rounds 3] [--cpu-prof] [--layout one|split] [--relay both|worker]`,
      );
  }
  return o;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

function postGraphQL(token: string, body: string): Promise<{ data?: Record<string, unknown>; errors?: Array<{ message: string }> }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: apiPort, path: '/graphql', method: 'POST', agent, timeout: 60_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as { data?: Record<string, unknown> });
        } catch (err) {
          reject(err as Error);
        }
      });
      res.on('error', reject);
    });
    req.setHeader('content-type', 'application/json');
    if (token) req.setHeader('authorization', `Bearer ${token}`);
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * CPU seconds so far of the system's processes (its process group: the Node process, the Temporal dev server,
 * PostgreSQL and its backends), by program, from /proc. Processes that have exited are not counted.
 */
function groupCpu(pgids: number | number[]): Record<string, number> {
  const groups = Array.isArray(pgids) ? pgids : [pgids];
  const out: Record<string, number> = {};
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue;
    }
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const f = stat.slice(close + 2).split(' ');
    // After the command: state, ppid, pgrp … utime is field 14 of the line, stime 15 (11 and 12 here).
    const group = groups.indexOf(Number(f[2]));
    if (group < 0) continue;
    // A second group is the separate API process (`--layout split`).
    const name =
      group > 0
        ? `api-${comm}`
        : comm.startsWith('postgres')
          ? 'postgres'
          : comm.startsWith('temporal')
            ? 'temporal'
            : comm.startsWith('node')
              ? 'node'
              : comm;
    out[name] = (out[name] ?? 0) + (Number(f[11]) + Number(f[12])) / 100;
  }
  return out;
}

/** CPU milliseconds per item spent between two `groupCpu` readings, by program, plus the bench's own. */
function cpuPer(before: Record<string, number>, after: Record<string, number>, items: number, own: NodeJS.CpuUsage) {
  const per: Record<string, number> = {};
  for (const k of Object.keys(after)) per[k] = Math.round(((after[k]! - (before[k] ?? 0)) * 1000 * 10) / Math.max(1, items)) / 10;
  per.bench = Math.round(((own.user + own.system) / 1000 / Math.max(1, items)) * 10) / 10;
  return per;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The system, as `npm start` runs it, until it prints its ready line. */
/** When the system's process was started (a CPU profile's time 0, near enough): the phases are logged against it. */
let spawnedAt = 0;

async function startSystem(dataDir: string, cpuProf: boolean): Promise<ChildProcess> {
  spawnedAt = Date.now();
  const nodeArgs = [
    '--enable-source-maps',
    ...(cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${path.dirname(dataDir)}`] : []),
    'dist/src/main.js',
  ];
  const child = spawn(process.execPath, nodeArgs, {
    cwd: repo,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      NODE_ENV: 'development',
      DATA_DIR: dataDir,
      PORT: String(PORTS.api),
      EMBEDDED_PG_PORT: String(PORTS.pg),
      TEMPORAL_DEV_PORT: String(PORTS.temporal),
      TEMPORAL_UI_PORT: String(PORTS.ui),
      LOG_FORMAT: 'json',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      // 32 clients as one clerk: the per-user limit would measure itself, not the intake.
      RATE_LIMIT_PER_MINUTE: '1000000',
      AUTH_JWT_KEYS: BENCH_KEYS,
    },
  });
  let tail = '';
  const keep = (c: Buffer) => (tail = (tail + c.toString()).slice(-4000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));
  // Ready: the demo tokens are written (after the API listens) and the API answers.
  for (let waited = 0; ; waited += 500) {
    if (exited !== undefined) throw new Error(`the system exited (${exited}) before it was ready:\n${tail}`);
    if (waited > 300_000) {
      process.kill(-child.pid!, 'SIGKILL');
      throw new Error(`the system was not ready in 300 s:\n${tail}`);
    }
    if (existsSync(path.join(dataDir, 'demo-tokens.tsv'))) {
      const ok = await postGraphQL('', JSON.stringify({ query: '{ __typename }' })).then(
        (r) => !!r.data,
        () => false,
      );
      if (ok) break;
    }
    await sleep(500);
  }
  return child;
}

/** `--layout split`: a separate API process (`npm run api`) against the system's PostgreSQL and Temporal. */
async function startSplitApi(relay: Options['relay']): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--enable-source-maps', 'dist/src/api-main.js'], {
    cwd: repo,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: String(PORTS.splitApi),
      DATABASE_URL: `postgresql://anxin:anxin-local@127.0.0.1:${PORTS.pg}/anxin`,
      TEMPORAL_ADDRESS: `127.0.0.1:${PORTS.temporal}`,
      AUTH_JWT_KEYS: BENCH_KEYS,
      LOG_FORMAT: 'json',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      RATE_LIMIT_PER_MINUTE: '1000000',
      OUTBOX_RELAY_ENABLED: relay === 'worker' ? 'false' : 'true',
    },
  });
  let tail = '';
  const keep = (c: Buffer) => (tail = (tail + c.toString()).slice(-4000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  apiPort = PORTS.splitApi;
  for (let waited = 0; ; waited += 500) {
    if (child.exitCode !== null) throw new Error(`the API process exited (${child.exitCode}):\n${tail}`);
    if (waited > 120_000) throw new Error(`the API process was not ready in 120 s:\n${tail}`);
    const ok = await postGraphQL('', JSON.stringify({ query: '{ __typename }' })).then(
      (r) => !!r.data,
      () => false,
    );
    if (ok) return child;
    await sleep(500);
  }
}

async function stopSystem(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  process.kill(-child.pid!, 'SIGINT');
  const t = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 60_000);
  await exited;
  clearTimeout(t);
}

async function pendingOutbox(db: PgClient, workflowIds?: string[]): Promise<number> {
  const r = workflowIds
    ? await db.query<{ n: string }>(`select count(*) as n from workflow_outbox where delivered_at is null and workflow_id = any($1)`, [
        workflowIds,
      ])
    : await db.query<{ n: string }>(`select count(*) as n from workflow_outbox where delivered_at is null`);
  return Number(r.rows[0]!.n);
}

/** An intake clerk's token of the demo city whose intakes in `region` succeed. */
async function clerkToken(dataDir: string, region: string): Promise<string> {
  const lines = readFileSync(path.join(dataDir, 'demo-tokens.tsv'), 'utf8').trim().split('\n').slice(1);
  for (const line of lines) {
    const [kind, , role, , token] = line.split('\t');
    if (kind !== 'HRSS_INSPECTION' || role !== 'INTAKE_CLERK') continue;
    const r = await postGraphQL(
      token!,
      JSON.stringify({
        query: INTAKE,
        variables: { i: { channel: 'HOTLINE_12345', contactPhone: '13900000000', description: 'probe', regionCode: region } },
      }),
    );
    if (!r.errors?.length) return token!;
  }
  throw new Error(`no demo intake clerk may take intakes in ${region}`);
}

async function intakeRound(
  pgid: number | number[],
  o: Options,
  token: string,
  db: PgClient,
  client: Client,
  run: string,
  round: number,
  rng: Random,
  phones: Set<string>,
) {
  const caseIds: string[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let n = 0;
  const cpu0 = groupCpu(pgid);
  const own0 = process.cpuUsage();
  const started = Date.now();
  const deadline = started + o.seconds * 1000;
  await Promise.all(
    Array.from({ length: o.clients }, async () => {
      while (Date.now() < deadline) {
        const k = n++;
        const body = JSON.stringify({
          query: INTAKE,
          variables: {
            i: {
              channel: 'HOTLINE_12345',
              channelRef: `e2e-${run}-${round}-${k}`,
              contactPhone: uniqueMobile(rng, phones),
              description: 'intake-e2e bench',
              regionCode: '110102001',
            },
          },
        });
        try {
          const r = await postGraphQL(token, body);
          const res = r.data?.intakeComplaint as { outcome: string; case: { id: string } } | undefined;
          if (r.errors?.length || !res?.case) throw new Error(r.errors?.[0]?.message ?? JSON.stringify(r).slice(0, 200));
          if (res.outcome === 'CREATED') caseIds.push(res.case.id);
        } catch (err) {
          errors++;
          firstError ??= (err as Error).message;
        }
      }
    }),
  );
  const postedMs = Date.now() - started;
  const workflowIds = caseIds.map(caseWorkflowId);
  // What the relay still had to deliver when the clients stopped: with a backlog, the rate it worked it off at is
  // the relay's own (the API no longer competes for the process).
  const pendingAtEnd = await pendingOutbox(db, workflowIds);
  // Every START row of these cases delivered (bounded: 20 minutes).
  for (let waited = 0; (await pendingOutbox(db, workflowIds)) > 0; waited += 200) {
    if (waited > 1_200_000) throw new Error('the outbox did not deliver this round in 20 minutes');
    await sleep(200);
  }
  const relayDoneMs = Date.now() - started;
  const cpu = cpuPer(cpu0, groupCpu(pgid), caseIds.length, process.cpuUsage(own0));
  // Temporal's own start time of each workflow.
  let lastStart = 0;
  let missing = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < workflowIds.length) {
        const id = workflowIds[next++]!;
        try {
          const d = await client.workflow.getHandle(id).describe();
          lastStart = Math.max(lastStart, d.startTime.getTime());
        } catch {
          missing++;
        }
      }
    }),
  );
  const e2eSeconds = (lastStart - started) / 1000;
  return {
    intakes: caseIds.length,
    errors,
    firstError,
    apiPerSecond: round1(caseIds.length / (postedMs / 1000)),
    lastStartAfterSeconds: round1(e2eSeconds),
    relayDoneAfterSeconds: round1(relayDoneMs / 1000),
    startedPerSecond: round1(caseIds.length / e2eSeconds),
    pendingWhenClientsStopped: pendingAtEnd,
    backlogDrainPerSecond: pendingAtEnd >= 50 ? round1(pendingAtEnd / ((lastStart - started - postedMs) / 1000)) : null,
    phase: { startedAtMs: started - spawnedAt, endedAtMs: Date.now() - spawnedAt },
    workflowsMissing: missing,
    cpuMsPerIntake: cpu,
  };
}

async function bareRound(pgid: number | number[], o: Options, client: Client, run: string, label: string, concurrency: number) {
  let n = 0;
  let errors = 0;
  const cpu0 = groupCpu(pgid);
  const own0 = process.cpuUsage();
  const started = Date.now();
  const deadline = started + o.seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < deadline) {
        try {
          await client.workflow.start('benchNoop', { taskQueue: `bench-noop-${run}`, workflowId: `noop-${run}-${label}-${n++}`, args: [] });
        } catch {
          errors++;
        }
      }
    }),
  );
  const seconds = (Date.now() - started) / 1000;
  const cpu = cpuPer(cpu0, groupCpu(pgid), n - errors, process.cpuUsage(own0));
  return {
    concurrency,
    started: n - errors,
    errors,
    perSecond: round1((n - errors) / seconds),
    cpuMsPerStart: cpu,
    phase: { startedAtMs: started - spawnedAt, endedAtMs: Date.now() - spawnedAt },
  };
}

const round1 = (x: number) => Math.round(x * 10) / 10;

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const run = Date.now().toString(36);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'anxin-bench-e2e-'));
  console.log(
    `intake end to end vs bare starts — run ${run}, ${o.clients} clients, ${o.seconds} s, ${o.rounds} rounds, layout ${o.layout}` +
      `${o.layout === 'split' ? ` (relay: ${o.relay})` : ''}, data ${dataDir}`,
  );
  const child = await startSystem(dataDir, o.cpuProf);
  let splitApi: ChildProcess | undefined;
  const db = new PgClient({ connectionString: `postgresql://anxin:anxin-local@127.0.0.1:${PORTS.pg}/anxin` });
  let connection: Connection | undefined;
  try {
    if (o.layout === 'split') splitApi = await startSplitApi(o.relay);
    const groups = splitApi ? [child.pid!, splitApi.pid!] : child.pid!;
    connection = await Connection.connect({ address: `127.0.0.1:${PORTS.temporal}` });
    const client = new Client({ connection });
    await db.connect();
    // The demo city's own workflow starts go out first.
    for (let waited = 0; (await pendingOutbox(db)) > 0; waited += 500) {
      if (waited > 300_000) throw new Error('the demo outbox did not drain in 300 s');
      await sleep(500);
    }
    const token = await clerkToken(dataDir, '110102001');
    const rng = new Random(`e2e-${run}`);
    const phones = new Set<string>();
    const rows: Array<{
      round: number;
      e2e: Awaited<ReturnType<typeof intakeRound>>;
      bare16: Awaited<ReturnType<typeof bareRound>>;
      bare32: Awaited<ReturnType<typeof bareRound>>;
    }> = [];
    for (let r = 1; r <= o.rounds; r++) {
      const e2e = await intakeRound(groups, o, token, db, client, run, r, rng, phones);
      console.log(`round ${r} e2e: ${JSON.stringify(e2e)}`);
      const bare16 = await bareRound(groups, o, client, run, `${r}-16`, 16);
      console.log(`round ${r} bare ×16: ${JSON.stringify(bare16)}`);
      const bare32 = await bareRound(groups, o, client, run, `${r}-32`, 32);
      console.log(`round ${r} bare ×32: ${JSON.stringify(bare32)}`);
      rows.push({ round: r, e2e, bare16, bare32 });
    }
    console.log('');
    console.log('round  API intakes/s  started e2e/s  last start after s  bare ×16/s  bare ×32/s  e2e ÷ best bare');
    for (const x of rows) {
      const best = Math.max(x.bare16.perSecond, x.bare32.perSecond);
      console.log(
        [
          String(x.round).padEnd(5),
          String(x.e2e.apiPerSecond).padStart(13),
          String(x.e2e.startedPerSecond).padStart(14),
          String(x.e2e.lastStartAfterSeconds).padStart(19),
          String(x.bare16.perSecond).padStart(11),
          String(x.bare32.perSecond).padStart(11),
          `${Math.round((x.e2e.startedPerSecond / best) * 100)} %`.padStart(16),
        ].join('  '),
      );
    }
    console.log(
      JSON.stringify({ bench: 'intake-e2e', run, seconds: o.seconds, clients: o.clients, layout: o.layout, relay: o.relay, rounds: rows }),
    );
  } finally {
    agent.destroy();
    await db.end().catch(() => undefined);
    await connection?.close().catch(() => undefined);
    if (splitApi) await stopSystem(splitApi);
    await stopSystem(child);
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
