import 'reflect-metadata';
import { fork, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client, WorkflowIdReusePolicy } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { caseLifecycleInput, caseWorkflowId } from '../../src/cases/case-workflow';
import { DEADLINE_GROUP_MIN_LEAD_MS } from '../../workflows/case-lifecycle';
import { deadlineGroupId } from '../../workflows/deadline-group';
import { SEARCH_ATTRIBUTE_KEYS } from '../../src/domain/search-attributes';
import { workflowStartOptions } from '../../src/outbox/outbox-relay';
import { acceptanceDeadline, sameDayContactDeadline } from '../../src/cases/deadlines';
import { bundleFor, createCore, startCoreWorker } from '../../src/composition';
import { loadConfig } from '../../src/config';
import { openDatabase, type Orm } from '../../src/db/database';
import { startEmbeddedPostgres } from '../../src/infra/embedded-postgres';
import { locateTemporalCli } from '../../src/infra/temporal-cli';
import { Lifecycle } from '../../src/lifecycle';
import { createLogger } from '../../src/logger';
import { processModules } from '../../src/processes/registry';
import { caseDeadlineRules } from '../../src/rules/case-deadlines';
import { locateTestServer } from '../setup/temporal-test-server';
import { loadDemoCity } from '../demo/demo-city';
import { summariseProfiles } from './cpu-profile';
import { freePort } from '../../src/infra/free-port';

/**
 * `npm run bench:storm [-- --cases 10000] [-- --time-skipping]`: the deadline storm. N open cases (RECEIVED, the
 * complainant already reached, channel WALK_IN: the statute's 5-working-day acceptance clock, 劳动保障监察条例
 * 第十七条 as configured in src/rules/case-deadlines.ts) whose acceptance deadline falls due at one instant, each
 * with its `caseLifecycle` workflow, and ONE worker process with the real activities against the database. When
 * the clocks run out every workflow escalates (`recordEscalation` → an ESCALATED entry in the case file). The bench
 * reports the time from the due instant to the last escalation recorded, checks that every case has exactly one
 * ACCEPTANCE_OVERDUE escalation and nothing else escalated (the activity's idempotence, at scale), and samples the
 * worker's RSS and heap (peak, from /proc and from the worker itself).
 *
 * How the clocks are made to fall due together: the cases are inserted directly in the database (one statement),
 * all received at the same instant R, and each deadline is the rule's own: `acceptanceDeadline(R, 'WALK_IN')`, the
 * end (24:00 Asia/Shanghai) of the 5th working day after R. The workflows are then started as the outbox relay
 * starts them (same id `case-<id>`, same input from `caseLifecycleInput`, same task queue), from this process.
 *
 * - Default, the Temporal dev server (in memory: no sqlite file to clean up) on the wall clock. A deadline of the
 *   rule always falls at a Beijing midnight, days away; the dev server cannot skip time. So every instant of the
 *   case (received, first contact, same-day-contact and acceptance deadlines) is moved back by one offset that
 *   lands the rule's acceptance deadline `--lead` seconds after the start (default: long enough to start all
 *   workflows). The interval received → due is exactly the rule's; only its position on the wall clock moves.
 * - `--time-skipping`, Temporal's time-skipping test server: the instants are the rule's own, unmoved; once every
 *   workflow waits on its timer the bench skips the server's clock to the due instant (`env.sleep`) and measures
 *   from there on the wall clock.
 *
 * Everything runs on this machine: PostgreSQL (embedded, in a temporary folder removed at the end), the Temporal
 * server, the driver and the worker (a child process, so its memory is its own).
 */

const repo = path.resolve(__dirname, '..', '..', '..');
const toolsDir = path.join(repo, '.tools');
const MiB = 1024 * 1024;
const CHANNEL = 'WALK_IN' as const;

interface Options {
  cases: number;
  timeSkipping: boolean;
  concurrency: number;
  leadSeconds?: number;
  timeoutSeconds: number;
  /** A folder for V8 CPU profiles of the worker (`--cpu-prof`: its main thread and its workflow thread). */
  profileDir?: string;
  /** The worker's sticky cache size (`--max-cached`, else `WORKER_MAX_CACHED_WORKFLOWS`); unset: the SDK's default. */
  maxCached?: number;
  /** Count the worker's cache evictions by reason, from the SDK core's debug log (`--evictions`). */
  evictions: boolean;
  /**
   * `--group-only`: start the instant's deadline group alone, as the cases' joins would, and not the cases' own
   * workflows. They take no part at the instant (their group escalates from the rows), and at 100,000 the
   * time-skipping server works their first tasks at ~30/s: this measures the storm itself at sizes where starting the
   * cases would take the hour.
   */
  groupOnly: boolean;
}

const USAGE = `usage: deadline-storm-bench [--cases 10000] [--time-skipping] [--concurrency 32] [--lead <s>] [--timeout 600] [--profile <dir>] [--max-cached <n>] [--evictions] [--group-only]`;

function parseArgs(argv: string[]): Options {
  const o: Options = { cases: 10_000, timeSkipping: false, concurrency: 32, timeoutSeconds: 600, evictions: false, groupOnly: false };
  const fail = (msg: string): never => {
    console.error(`${msg}\n${USAGE}`);
    process.exit(2);
  };
  const int = (flag: string, v: string | undefined, min: number): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) fail(`${flag} needs an integer >= ${min}, got ${v}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--profile') {
      o.profileDir = path.resolve(argv[++i] ?? 'storm-profile');
      continue;
    }
    if (flag === '--time-skipping') {
      o.timeSkipping = true;
      continue;
    }
    if (flag === '--evictions') {
      o.evictions = true;
      continue;
    }
    if (flag === '--group-only') {
      o.groupOnly = true;
      continue;
    }
    const value = argv[++i];
    switch (flag) {
      case '--cases':
        o.cases = int(flag, value, 1);
        break;
      case '--concurrency':
        o.concurrency = int(flag, value, 1);
        break;
      case '--lead':
        o.leadSeconds = int(flag, value, 1);
        break;
      case '--timeout':
        o.timeoutSeconds = int(flag, value, 10);
        break;
      case '--max-cached':
        o.maxCached = int(flag, value, 0);
        break;
      default:
        fail(`unknown argument ${flag}`);
    }
  }
  // The flag wins over the environment, as it does in the worker's environment below.
  const fromEnv = process.env.WORKER_MAX_CACHED_WORKFLOWS;
  if (o.maxCached === undefined && fromEnv) o.maxCached = int('WORKER_MAX_CACHED_WORKFLOWS', fromEnv, 0);
  return o;
}

// ─── The worker process: the real worker (as `npm run worker` builds it), with memory sampling ──────────────

type ToWorker = { type: 'status' } | { type: 'memory' } | { type: 'reset-peak' } | { type: 'stop' };
interface StatusReport {
  cachedWorkflows: number;
  inFlightActivations: number;
  inFlightActivities: number;
  /** Evictions from the sticky cache by the reason the SDK core logged (with `--evictions`). */
  evictions?: Record<string, number>;
}
interface MemoryReport {
  rss: number;
  heapUsed: number;
  peakRss: number;
  peakHeapUsed: number;
  peakHeapTotal: number;
  peakExternal: number;
}
type FromWorker = { type: 'ready' } | ({ type: 'status' } & StatusReport) | ({ type: 'memory' } & MemoryReport) | { type: 'ok' };

async function runWorker(): Promise<void> {
  const send = (m: FromWorker) => process.send?.(m);
  // The worker's configuration comes from its environment, as `npm run worker`'s does.
  const config = loadConfig(process.env, 'worker');
  const log = createLogger(config);
  const evictions = process.env.STORM_COUNT_EVICTIONS === '1' ? new Map<string, number>() : undefined;
  Runtime.install(evictions ? evictionCountingRuntime(evictions) : { logger: new DefaultLogger('WARN') });
  const lifecycle = new Lifecycle(log);
  const orm = await openDatabase({ url: config.database.url!, log, migrate: false });
  const core = createCore({ orm, temporalAddress: config.temporal.address!, config, log, lifecycle });
  const bundle = await bundleFor(processModules, log);
  const worker = await startCoreWorker(core, {
    orm,
    temporalAddress: config.temporal.address!,
    config,
    log,
    lifecycle,
    bundle,
  });
  const peak = { rss: 0, heapUsed: 0, heapTotal: 0, external: 0 };
  const sample = () => {
    const m = process.memoryUsage();
    peak.rss = Math.max(peak.rss, m.rss);
    peak.heapUsed = Math.max(peak.heapUsed, m.heapUsed);
    peak.heapTotal = Math.max(peak.heapTotal, m.heapTotal);
    peak.external = Math.max(peak.external, m.external);
    return m;
  };
  setInterval(sample, 100).unref();
  const stop = async () => {
    await Promise.race([
      (async () => {
        await worker.shutdown().catch(() => undefined);
        await orm.close();
      })(),
      new Promise((r) => setTimeout(r, 20_000).unref()),
    ]);
    process.exit(0);
  };
  process.on('disconnect', () => void stop());
  process.on('message', (m: ToWorker) => {
    if (m.type === 'stop') void stop();
    if (m.type === 'status')
      send({ type: 'status', ...worker.status(), ...(evictions ? { evictions: Object.fromEntries(evictions) } : {}) });
    if (m.type === 'reset-peak') {
      Object.assign(peak, { rss: 0, heapUsed: 0, heapTotal: 0, external: 0 });
      send({ type: 'ok' });
    }
    if (m.type === 'memory') {
      const now = sample();
      send({
        type: 'memory',
        rss: now.rss,
        heapUsed: now.heapUsed,
        peakRss: peak.rss,
        peakHeapUsed: peak.heapUsed,
        peakHeapTotal: peak.heapTotal,
        peakExternal: peak.external,
      });
    }
  });
  void worker.running.catch((err: Error) => {
    console.error(`worker failed: ${err.stack ?? err.message}`);
    process.exit(1);
  });
  send({ type: 'ready' });
}

/**
 * The SDK core logs each eviction from the worker's sticky cache at debug level with its reason ("Eviction
 * requested", `reason`, `message`): forwarded to a logger that only counts them (and prints warnings and errors).
 * The reason's first words name it; its run id would make every eviction a reason of its own.
 */
function evictionCountingRuntime(counts: Map<string, number>): Parameters<typeof Runtime.install>[0] {
  const warn = new DefaultLogger('WARN');
  const count = (message: string, meta?: Record<string, unknown>) => {
    if (message !== 'Eviction requested') return;
    const reason = `${String(meta?.reason ?? '?')}: ${String(meta?.message ?? '')}`.replace(/[0-9a-f-]{36}/g, '<id>').slice(0, 160);
    counts.set(reason, (counts.get(reason) ?? 0) + 1);
  };
  return {
    logger: {
      log: (level, message, meta) => (level === 'WARN' || level === 'ERROR' ? warn.log(level, message, meta) : count(message, meta)),
      trace: count,
      debug: count,
      info: count,
      warn: (message, meta) => warn.warn(message, meta),
      error: (message, meta) => warn.error(message, meta),
    },
    telemetryOptions: {
      logging: { filter: 'temporalio_sdk_core::worker::workflow=debug,temporalio_sdk_core=warn,warn', forward: {} },
    },
  };
}

class WorkerProcess {
  private waiting: Array<(m: FromWorker | { type: 'exit' }) => void> = [];
  constructor(readonly child: ChildProcess) {
    child.on('message', (m: FromWorker) => this.waiting.shift()?.(m));
    child.on('exit', () => this.waiting.splice(0).forEach((w) => w({ type: 'exit' })));
  }
  static async start(env: NodeJS.ProcessEnv, profileDir?: string): Promise<WorkerProcess> {
    const child = fork(__filename, ['--worker'], {
      env: { ...process.env, ...env },
      execArgv: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const wp = new WorkerProcess(child);
    const m = await wp.next();
    if (m.type !== 'ready') throw new Error(`worker did not start (${m.type})`);
    return wp;
  }
  private next(): Promise<FromWorker | { type: 'exit' }> {
    return new Promise((r) => this.waiting.push(r));
  }
  async ask<T extends FromWorker['type']>(msg: ToWorker, want: T): Promise<Extract<FromWorker, { type: T }>> {
    const reply = this.next();
    this.child.send(msg);
    const m = await reply;
    if (m.type !== want) throw new Error(`worker answered ${m.type} to ${msg.type}`);
    return m as Extract<FromWorker, { type: T }>;
  }
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((r) => this.child.once('exit', () => r()));
    this.child.send({ type: 'stop' } satisfies ToWorker);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  }
}

/** VmRSS and VmHWM (peak RSS since the last reset) of a process, in bytes, from the kernel. */
function procMemory(pid: number): { rss?: number; hwm?: number } {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k: string) => {
      const m = new RegExp(`^${k}:\\s+(\\d+)\\s+kB$`, 'm').exec(s);
      return m ? Number(m[1]) * 1024 : undefined;
    };
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return {};
  }
}

/** Resets the kernel's peak-RSS mark of a process (Linux: writing 5 to clear_refs), so VmHWM covers the storm only. */
function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/**
 * CPU seconds (user + system) of this process's tree, by command name (node = this driver and the worker, temporal /
 * temporal-test-server, postgres): where the storm's CPU went, read from /proc at two instants and subtracted.
 */
function cpuByCommand(rootPid: number, workerPid: number | undefined): Map<string, number> {
  const tick = 100; // USER_HZ on Linux
  const procs: Array<{ pid: number; ppid: number; comm: string; cpu: number }> = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const fields = stat.slice(close + 2).split(' ');
      procs.push({ pid: Number(entry), ppid: Number(fields[1]), comm, cpu: (Number(fields[11]) + Number(fields[12])) / tick });
    } catch {
      // gone meanwhile
    }
  }
  const inTree = new Set([rootPid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const p of procs) {
      if (inTree.has(p.pid) || !inTree.has(p.ppid)) continue;
      inTree.add(p.pid);
      grew = true;
    }
  }
  const out = new Map<string, number>();
  for (const p of procs) {
    if (!inTree.has(p.pid)) continue;
    // The dev server is the Temporal CLI (a Go binary, `temporal`); the time-skipping test server runs on a JVM (`java`).
    const name =
      p.pid === rootPid
        ? 'driver'
        : p.pid === workerPid
          ? 'worker'
          : p.comm.startsWith('temporal') || p.comm === 'java'
            ? 'temporal'
            : p.comm;
    out.set(name, (out.get(name) ?? 0) + p.cpu);
  }
  return out;
}

function cpuDelta(a: Map<string, number>, b: Map<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of b) out[k] = Math.round((v - (a.get(k) ?? 0)) * 10) / 10;
  return out;
}

async function pool(items: readonly string[], concurrency: number, task: (item: string) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await task(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mib = (b: number | undefined) => (b === undefined ? '?' : (b / MiB).toFixed(0));
const secs = (ms: number) => (ms / 1000).toFixed(1);

/** Inserts the storm's cases in one statement: received at R, reached a minute later, due by the rule (moved by `offset`). */
async function seedCases(orm: Orm, n: number, receivedAt: Date, offsetMs: number): Promise<{ ids: string[]; due: Date }> {
  const sql = orm.em.getConnection();
  const [like] = await sql.execute<
    Array<{ region_code: string; owning_agency_id: string; primary_complainant_id: string; sector: string }>
  >(`select region_code, owning_agency_id, primary_complainant_id, sector from wage_case order by number limit 1`);
  if (!like) throw new Error('the demo city has no case to take the region, agency and complainant from');
  const shift = (d: Date) => new Date(d.getTime() - offsetMs);
  const due = acceptanceDeadline(receivedAt, CHANNEL);
  if (caseDeadlineRules.channels[CHANNEL]?.acceptance || caseDeadlineRules.acceptance.workingDays !== 5)
    throw new Error('the storm needs the statute’s 5-working-day acceptance clock on its channel');
  const values = {
    received: shift(receivedAt),
    contacted: shift(new Date(receivedAt.getTime() + 60_000)),
    sameDay: shift(sameDayContactDeadline(receivedAt)),
    due: shift(due),
  };
  await sql.execute(
    `insert into wage_case (id, number, channel, received_at, status, sector, region_code, owning_agency_id, primary_complainant_id,
       description, same_day_contact_due, first_contact_at, acceptance_due, created_at, updated_at)
     select gen_random_uuid(), 'STORM-' || lpad(i::text, 7, '0'), ?, ?, 'RECEIVED', ?, ?, ?, ?, '截止风暴基准 (deadline storm bench)', ?, ?, ?, ?, ?
       from generate_series(1, ?) i`,
    [
      CHANNEL,
      values.received,
      like.sector,
      like.region_code,
      like.owning_agency_id,
      like.primary_complainant_id,
      values.sameDay,
      values.contacted,
      values.due,
      values.received,
      values.contacted,
      n,
    ],
  );
  await sql.execute(
    `insert into case_complainant (case_id, person_id, channel, joined_at)
       select id, primary_complainant_id, channel, received_at from wage_case where number like 'STORM-%'`,
  );
  const rows = await sql.execute<Array<{ id: string }>>(`select id from wage_case where number like 'STORM-%' order by number`);
  return { ids: rows.map((r) => r.id), due: values.due };
}

async function startWorkflows(
  orm: Orm,
  client: Client,
  taskQueue: string,
  ids: string[],
  concurrency: number,
  /** The time-skipping test server has no search attributes: the workflows start without them there. */
  withSearchAttributes: boolean,
): Promise<number> {
  const t0 = Date.now();
  const facts = await orm.em.getConnection().execute<
    Array<{
      id: string;
      number: string;
      status: string;
      region_code: string;
      owning_agency_id: string;
      same_day_contact_due: Date;
      acceptance_due: Date;
      first_contact_at: Date;
    }>
  >(
    `select id, number, status, region_code, owning_agency_id, same_day_contact_due, acceptance_due, first_contact_at
         from wage_case where number like 'STORM-%'`,
  );
  const byId = new Map(facts.map((f) => [f.id, f]));
  let started = 0;
  const progress = setInterval(() => console.log(`  started ${started}/${ids.length} workflows`), 10_000);
  try {
    await pool(ids, concurrency, async (id) => {
      const f = byId.get(id)!;
      // What the outbox relay sends for a case's lifecycle: the same id, input, task queue and search attributes
      // (without them the workflow's first task would read them through an activity, as it does for old starts).
      const input = caseLifecycleInput({
        id: f.id,
        number: f.number,
        status: f.status as never,
        sameDayContactDue: new Date(f.same_day_contact_due),
        acceptanceDue: new Date(f.acceptance_due),
        firstContactAt: new Date(f.first_contact_at),
      });
      const facts = { caseNumber: f.number, region: f.region_code, owningAgency: f.owning_agency_id, caseStatus: f.status };
      const row = { workflow_id: caseWorkflowId(id), workflow_type: 'caseLifecycle', args: [input] };
      await client.workflow.start('caseLifecycle', {
        ...workflowStartOptions(row, taskQueue, withSearchAttributes ? facts : null),
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      });
      started++;
    });
  } finally {
    clearInterval(progress);
  }
  return Date.now() - t0;
}

/**
 * Waits until every workflow's first task has completed (its timer is set). The worker going quiet for a second does
 * not say so: after the start burst it went idle with 512 of 2,000 first tasks still on the server, which then came
 * in late, some inside the storm (the "cached before due" the earlier figures reported was that, not evictions:
 * `--evictions` counted none). With room for every workflow in the sticky cache the worker's cache count says it;
 * otherwise the server is asked about each workflow (no pending workflow task, more than its first events).
 */
async function firstTasksDone(client: Client, worker: WorkerProcess, ids: string[], maxCached: number | undefined): Promise<number> {
  const t0 = Date.now();
  let shown = 0;
  if ((maxCached ?? 0) >= ids.length) {
    for (;;) {
      const st = await worker.ask({ type: 'status' }, 'status');
      if (st.cachedWorkflows >= ids.length && st.inFlightActivations === 0) return Date.now() - t0;
      if (Date.now() - shown > 10_000) {
        shown = Date.now();
        console.log(`  first tasks done: ${st.cachedWorkflows}/${ids.length}`);
      }
      await sleep(500);
    }
  }
  for (let pending = ids; pending.length;) {
    const still: string[] = [];
    await pool(pending, 32, async (id) => {
      const d = await client.workflow.getHandle(caseWorkflowId(id)).describe();
      const raw = d.raw;
      if (raw.pendingWorkflowTask || Number(raw.workflowExecutionInfo?.historyLength ?? 0) <= 3) still.push(id);
    });
    if (still.length) console.log(`  first tasks pending: ${still.length}/${ids.length}`);
    pending = still;
    if (pending.length) await sleep(2000);
  }
  return Date.now() - t0;
}

async function escalationCounts(orm: Orm): Promise<{ recorded: number; lastAt: Date | null; firstAt: Date | null }> {
  const [row] = await orm.em.getConnection().execute<Array<{ recorded: string; last_at: Date | null; first_at: Date | null }>>(
    `select count(*) as recorded, max(e.at) as last_at, min(e.at) as first_at
       from case_event e join wage_case c on c.id = e.case_id
      where c.number like 'STORM-%' and e.type = 'ESCALATED'`,
  );
  return {
    recorded: Number(row!.recorded),
    lastAt: row!.last_at ? new Date(row!.last_at) : null,
    firstAt: row!.first_at ? new Date(row!.first_at) : null,
  };
}

async function runDriver(o: Options): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const log = createLogger({ log: { level: 'warn', format: 'json' } });
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'anxin-storm-bench-'));
  let pg: Awaited<ReturnType<typeof startEmbeddedPostgres>> | undefined;
  let orm: Orm | undefined;
  let env: TestWorkflowEnvironment | undefined;
  let worker: WorkerProcess | undefined;
  /** The storm on the wall clock, and when the worker exited (its profile ends then). */
  const stretch = { from: 0, to: 0, exit: 0 };
  const killWorker = () => worker?.child.kill('SIGKILL');
  process.once('exit', killWorker);
  let cleaned: Promise<void> | undefined;
  const cleanup = () =>
    (cleaned ??= (async () => {
      await worker?.stop().catch(() => undefined);
      stretch.exit = Date.now();
      process.removeListener('exit', killWorker);
      await env?.teardown().catch(() => undefined);
      await orm?.close().catch(() => undefined);
      await pg?.stop().catch(() => undefined);
      await rm(dataDir, { recursive: true, force: true });
    })());
  // Ctrl-C or a kill stops the servers and removes the data folder too.
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      console.error(`${signal}: stopping the worker, Temporal and PostgreSQL`);
      // Workflow starts still in flight fail once the server is gone: the clean-up goes on regardless.
      process.on('uncaughtException', (err) => console.error(`while stopping: ${err.message}`));
      process.on('unhandledRejection', () => undefined);
      void cleanup().finally(() => process.exit(130));
    });
  try {
    const t0 = Date.now();
    pg = await startEmbeddedPostgres({ dataDir, port: await freePort(), database: 'anxin', log });
    orm = await openDatabase({ url: pg.url, log });
    await loadDemoCity(orm.em.fork(), log, { cases: 1 });

    if (o.timeSkipping) {
      const server = await locateTestServer({ toolsDir, envPath: process.env.TEMPORAL_TEST_SERVER_PATH });
      env = await TestWorkflowEnvironment.createTimeSkipping({
        server: { executable: server ? { type: 'existing-path', path: server.path } : { type: 'cached-download', downloadDir: toolsDir } },
      });
    } else {
      const cli = await locateTemporalCli({ toolsDir, envPath: process.env.TEMPORAL_CLI_PATH });
      // In memory (no dbFilename): 10,000 workflows' histories leave no sqlite file behind.
      env = await TestWorkflowEnvironment.createLocal({
        server: {
          executable: cli ? { type: 'existing-path', path: cli.path } : { type: 'cached-download', downloadDir: toolsDir },
          ip: '127.0.0.1',
          log: { format: 'json', level: 'error' },
          // Registered as `npm start` registers them: the relay starts lifecycles with them, the workflows upsert them.
          searchAttributes: [...SEARCH_ATTRIBUTE_KEYS],
        },
      });
    }
    const address = env.address;
    const taskQueue = `storm-${process.pid}`;

    // The cases' instants: received now (server time), deadline by the rule; on the dev server, moved to land `lead` ahead.
    const serverNow = o.timeSkipping ? await env.currentTimeMs() : Date.now();
    const receivedAt = new Date(serverNow);
    const ruleDue = acceptanceDeadline(receivedAt, CHANNEL);
    // Long enough to start every workflow before the due instant at ~30 starts/s (the dev server on a busy 2-CPU machine),
    // plus the lifecycle's DEADLINE_GROUP_MIN_LEAD_MS: a clock closer than that keeps a timer of the case's own, as a
    // complaint taken in minutes before 24:00 does; a clock set earlier joins its instant's deadline group.
    const leadMs = (o.leadSeconds ?? Math.ceil(o.cases / 30) + 30 + DEADLINE_GROUP_MIN_LEAD_MS / 1000) * 1000;
    const offsetMs = o.timeSkipping ? 0 : ruleDue.getTime() - (Date.now() + leadMs);
    const { ids, due } = await seedCases(orm, o.cases, receivedAt, offsetMs);
    console.log(
      `${o.cases} cases seeded (received ${new Date(receivedAt.getTime() - offsetMs).toISOString()}, acceptance due ${due.toISOString()}` +
        (offsetMs ? `; the rule's ${ruleDue.toISOString()} moved back by ${secs(offsetMs)} s to land on the wall clock` : '') +
        `) in ${secs(Date.now() - t0)} s; Temporal ${o.timeSkipping ? 'time-skipping test server' : 'dev server'} at ${address}`,
    );

    worker = await WorkerProcess.start(
      {
        DATABASE_URL: pg.url,
        TEMPORAL_ADDRESS: address,
        TEMPORAL_TASK_QUEUE: taskQueue,
        LOG_LEVEL: 'error',
        LOG_FORMAT: 'json',
        NODE_ENV: 'production',
        ...(o.maxCached !== undefined ? { WORKER_MAX_CACHED_WORKFLOWS: String(o.maxCached) } : {}),
        ...(o.evictions ? { STORM_COUNT_EVICTIONS: '1' } : {}),
      },
      o.profileDir,
    );
    const pid = worker.child.pid!;
    const idle = procMemory(pid);
    console.log(`worker pid ${pid} ready, RSS ${mib(idle.rss)} MiB`);

    let startMs = 0;
    let firstTasksMs = 0;
    if (o.groupOnly) {
      await env.client.workflow.start('deadlineGroup', {
        workflowId: deadlineGroupId(taskQueue, due.toISOString()),
        taskQueue,
        args: [{ due: due.toISOString() }],
      });
      await sleep(2000); // its first task: the timer set
      console.log(`--group-only: the instant's deadline group started, the cases' own workflows not`);
    } else {
      startMs = await startWorkflows(orm, env.client, taskQueue, ids, o.concurrency, !o.timeSkipping);
      console.log(`${ids.length} workflows started in ${secs(startMs)} s (${((ids.length / startMs) * 1000).toFixed(0)}/s)`);
      firstTasksMs = await firstTasksDone(env.client, worker, ids, o.maxCached);
      console.log(`every workflow's first task done (its clock set) ${secs(firstTasksMs)} s after the last start`);
    }
    const before = await worker.ask({ type: 'status' }, 'status');
    const early = await escalationCounts(orm);
    if (early.recorded > 0)
      throw new Error(
        `${early.recorded} escalations before the due instant: starting the workflows took longer than the lead (raise --lead)`,
      );
    await worker.ask({ type: 'reset-peak' }, 'ok');
    const hwmReset = resetPeakRss(pid);
    const waiting = procMemory(pid);
    console.log(
      `all timers set: worker caches ${before.cachedWorkflows} workflows (WORKER_MAX_CACHED_WORKFLOWS ${o.maxCached ?? 'unset: the SDK default'}), ` +
        `RSS ${mib(waiting.rss)} MiB`,
    );
    if (before.evictions) console.log(`  evictions so far, by reason: ${JSON.stringify(before.evictions)}`);

    let cpuBefore = cpuByCommand(process.pid, pid);
    let dueWall: number;
    if (o.timeSkipping) {
      const skip = due.getTime() - (await env.currentTimeMs()) + 1;
      dueWall = Date.now();
      console.log(`skipping the server's clock ${secs(skip)} s to the due instant`);
      await env.sleep(skip);
      console.log(`  skip returned after ${secs(Date.now() - dueWall)} s of wall clock`);
    } else {
      dueWall = due.getTime();
      const wait = dueWall - Date.now();
      if (wait < 0) console.warn(`  warning: starting the workflows ran ${secs(-wait)} s past the due instant (raise --lead)`);
      else console.log(`waiting ${secs(wait)} s for the due instant`);
      // The worker's cache while we wait: workflows whose first task reaches the worker late show up here.
      for (let seen = before.cachedWorkflows; Date.now() < dueWall - 5000;) {
        await sleep(Math.min(5000, dueWall - 5000 - Date.now()));
        const st = await worker.ask({ type: 'status' }, 'status');
        if (st.cachedWorkflows !== seen)
          console.log(`  ${secs(dueWall - Date.now())} s before due: worker caches ${(seen = st.cachedWorkflows)}`);
      }
      await sleep(Math.max(0, dueWall - Date.now()));
      cpuBefore = cpuByCommand(process.pid, pid); // from the instant: not the minutes of waiting for it
    }

    // Until every case has its escalation (or the timeout), sampling the worker's memory as it goes.
    let peakProcRss = 0;
    let last = 0;
    const deadline = Date.now() + o.timeoutSeconds * 1000;
    let counts = await escalationCounts(orm);
    while (counts.recorded < o.cases && Date.now() < deadline) {
      await sleep(250);
      peakProcRss = Math.max(peakProcRss, procMemory(pid).rss ?? 0);
      counts = await escalationCounts(orm);
      if (Date.now() - last > 5000) {
        last = Date.now();
        console.log(`  +${secs(Date.now() - dueWall)} s: ${counts.recorded}/${o.cases} escalations recorded`);
      }
    }
    const doneWall = Date.now();
    Object.assign(stretch, { from: dueWall, to: doneWall });
    const stormCpu = cpuDelta(cpuBefore, cpuByCommand(process.pid, pid));
    await sleep(2000); // anything recorded twice would show up now
    counts = await escalationCounts(orm);
    const mem = await worker.ask({ type: 'memory' }, 'memory');
    const after = await worker.ask({ type: 'status' }, 'status');
    const proc = procMemory(pid);
    peakProcRss = Math.max(peakProcRss, proc.rss ?? 0);

    // The checks: one ACCEPTANCE_OVERDUE entry per case, nothing else escalated, none twice.
    const sql = orm.em.getConnection();
    const [check] = await sql.execute<Array<{ cases: string; once: string; missing: string; twice: string; other: string }>>(
      `select count(*) as cases,
              count(*) filter (where n = 1) as once,
              count(*) filter (where n = 0) as missing,
              count(*) filter (where n > 1) as twice,
              sum(other) as other
         from (select c.id,
                      count(e.id) filter (where e.payload->>'kind' = 'ACCEPTANCE_OVERDUE') as n,
                      count(e.id) filter (where e.payload->>'kind' <> 'ACCEPTANCE_OVERDUE') as other
                 from wage_case c left join case_event e on e.case_id = c.id and e.type = 'ESCALATED'
                where c.number like 'STORM-%' group by c.id) per_case`,
    );
    // Who held the clocks: the instant's deadline group (its answer: how many it escalated), the rest the cases' timers.
    const groupHandle = new Client({ connection: env.connection, namespace: env.namespace }).workflow.getHandle(
      deadlineGroupId(taskQueue, due.toISOString()),
    );
    const group = await groupHandle.describe().then(
      async (d) => ({
        status: d.status.name,
        escalated: d.status.name === 'COMPLETED' ? ((await groupHandle.result()) as { escalated: number }).escalated : null,
      }),
      () => null,
    );
    const lastMs = counts.lastAt ? counts.lastAt.getTime() - dueWall : NaN;
    const firstMs = counts.firstAt ? counts.firstAt.getTime() - dueWall : NaN;
    const ok = Number(check!.once) === o.cases && Number(check!.twice) === 0 && Number(check!.other ?? 0) === 0;
    const result = {
      server: o.timeSkipping ? 'time-skipping' : 'dev',
      cases: o.cases,
      escalationsRecorded: counts.recorded,
      casesEscalatedOnce: Number(check!.once),
      casesMissing: Number(check!.missing),
      casesEscalatedTwice: Number(check!.twice),
      otherEscalations: Number(check!.other ?? 0),
      firstEscalationAfterDueMs: Math.round(firstMs),
      lastEscalationAfterDueMs: Math.round(lastMs),
      escalationsPerSecond: Math.round(counts.recorded / (lastMs / 1000)),
      groupOnly: o.groupOnly,
      workflowStartSeconds: Number(secs(startMs)),
      workerRssIdleMiB: Number(mib(idle.rss)),
      workerRssTimersSetMiB: Number(mib(waiting.rss)),
      workerPeakRssMiB: Number(mib(Math.max(peakProcRss, mem.peakRss, hwmReset ? (proc.hwm ?? 0) : 0))),
      workerPeakHeapUsedMiB: Number(mib(mem.peakHeapUsed)),
      workerPeakHeapTotalMiB: Number(mib(mem.peakHeapTotal)),
      workerPeakExternalMiB: Number(mib(mem.peakExternal)),
      firstTasksDoneAfterStartsSeconds: Number(secs(firstTasksMs)),
      cachedWorkflowsBeforeDue: before.cachedWorkflows,
      ...(after.evictions ? { evictionsBeforeDue: before.evictions, evictionsInAll: after.evictions } : {}),
      maxCachedWorkflows: o.maxCached ?? 'sdk-default',
      /** RSS the worker gained from idle to every timer set, per workflow it then cached (a caseLifecycle waiting on its timer). */
      rssPerCachedWorkflowKiB:
        before.cachedWorkflows && idle.rss && waiting.rss ? Math.round((waiting.rss - idle.rss) / 1024 / before.cachedWorkflows) : null,
      pollDetectedAfterDueMs: doneWall - dueWall,
      /** The deadline group of the instant: its status and how many it escalated (null: no case joined it). */
      deadlineGroup: group,
      /** CPU seconds each process spent from the due instant until the last escalation was seen (the storm's profile). */
      stormCpuSeconds: stormCpu,
      ok,
    };
    console.log('');
    console.log(
      `deadline storm, ${o.cases} cases on the ${o.timeSkipping ? 'time-skipping test server' : 'dev server'}, one worker: ` +
        `last escalation ${secs(lastMs)} s after the due instant (first ${secs(firstMs)} s), ` +
        `${result.escalationsPerSecond}/s; ${result.casesEscalatedOnce}/${o.cases} cases escalated exactly once, ` +
        `${result.casesEscalatedTwice} twice, ${result.casesMissing} missing, ${result.otherEscalations} other escalations; ` +
        `worker peak RSS ${result.workerPeakRssMiB} MiB, peak heapUsed ${result.workerPeakHeapUsedMiB} MiB (main thread)`,
    );
    console.log(
      `  every escalation seen in the case files ${secs(doneWall - dueWall)} s after the due instant (polled each 250 ms; an entry's ` +
        `time is its transaction's start, so a batch of the group shares one); ` +
        (group
          ? `the instant's deadline group ${group.status}, ${group.escalated ?? '?'} escalated by it, ` +
            `${group.escalated === null ? '?' : counts.recorded - group.escalated} by the cases' own timers`
          : 'no deadline group: every clock kept a timer of its case (a lead under the group margin)'),
    );
    console.log(
      `CPU seconds from the due instant to the last escalation, by process: ${Object.entries(stormCpu)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')} (wall ${secs(doneWall - dueWall)} s, 2 CPUs shared)`,
    );
    console.log(JSON.stringify(result));
    if (!ok) process.exitCode = 1;
  } finally {
    await cleanup();
  }
  // The worker's profiles (its main thread and its workflow thread) over the storm only.
  if (o.profileDir && stretch.to)
    summariseProfiles(o.profileDir, { 'CPU.': { fromEndMs: stretch.exit - stretch.from, toEndMs: stretch.exit - stretch.to } });
}

if (process.argv[2] === '--worker') {
  runWorker().catch((err: Error) => {
    console.error(`worker failed to start: ${err.stack ?? err.message}`);
    process.exit(1);
  });
} else {
  runDriver(parseArgs(process.argv.slice(2))).then(
    () => process.exit(process.exitCode ?? 0),
    (err: Error) => {
      console.error(err.stack ?? err.message);
      process.exit(1);
    },
  );
}
