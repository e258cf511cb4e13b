import { processModules } from '../../src/processes/registry';
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { locateTemporalCli } from '../../src/infra/temporal-cli';
import { bundleWorkflows } from '../../src/worker/worker';
import type { CaseActivities } from '../../src/worker/case-activities';
import { caseLifecycleStateQuery, type CaseLifecycleInput } from '../../workflows/case-lifecycle';

/**
 * `npm run bench:workflows [-- --counts 1000,2000,4000,6000]`: how many open cases, each a `caseLifecycle`
 * workflow waiting on a pending timer, one worker holds in 1 GB.
 *
 * The driver (this process) starts an in-memory Temporal dev server on a free loopback port and forks itself with
 * `--worker`, so the worker's memory is measured alone: no dev-server client, no driver bookkeeping in it. The
 * worker keeps every workflow in its cache (`maxCachedWorkflows` above the largest count), which is what "holds"
 * means: the workflow's state and its pending timer live in the worker, not only in the server's history.
 *
 * At each count the driver tops the open workflows up to it, waits until the worker has all of them cached with
 * their first workflow task done (timer started), queries a few of them, lets the worker settle, and samples the
 * worker's RSS from /proc/<pid>/status. A least-squares line through (count, RSS) gives the marginal bytes per
 * workflow; 1 GiB minus the line's intercept, divided by that, gives the figure.
 *
 * The default counts bracket the 1 GiB point and take about 3 minutes on 2 CPUs: the in-memory dev server, not
 * the worker, is the bottleneck there (about 50 workflows/s, and faster with fewer concurrent starts).
 */

const repo = path.resolve(__dirname, '..', '..', '..');
const toolsDir = path.join(repo, '.tools');
const GiB = 1024 * 1024 * 1024;
const MiB = 1024 * 1024;

interface Options {
  counts: number[];
  concurrency: number;
  maxCached: number;
  wftSlots: number;
  settleMs: number;
}

const USAGE = `usage: workflow-memory-bench [--counts 1000,2000,4000,6000] [--concurrency 16] [--max-cached 100000]
                             [--wft-slots 100] [--settle-ms 5000]`;

function parseArgs(argv: string[]): Options {
  const o: Options = { counts: [1000, 2000, 4000, 6000], concurrency: 16, maxCached: 100_000, wftSlots: 100, settleMs: 5000 };
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
    const value = argv[i + 1];
    i++;
    switch (flag) {
      case '--counts':
        o.counts = (value ?? '').split(',').map((c) => int('--counts', c.trim(), 1));
        break;
      case '--concurrency':
        o.concurrency = int(flag, value, 1);
        break;
      case '--max-cached':
        o.maxCached = int(flag, value, 2);
        break;
      case '--wft-slots':
        o.wftSlots = int(flag, value, 2);
        break;
      case '--settle-ms':
        o.settleMs = int(flag, value, 0);
        break;
      default:
        fail(`unknown argument ${flag}`);
    }
  }
  // Counts are cumulative totals: measure them in rising order, 0 (the idle worker) first.
  o.counts = [...new Set([0, ...o.counts])].sort((a, b) => a - b);
  const largest = o.counts[o.counts.length - 1] ?? 0;
  // A count above the cache size would evict workflows and measure the cache limit, not the workflows.
  if (largest > o.maxCached) fail(`--max-cached ${o.maxCached} is below the largest count ${largest}: workflows would be evicted`);
  return o;
}

// ─── IPC between the driver and the worker process ──────────────────────────────────────────────────────────

type ToWorker = { type: 'status' } | { type: 'sample' } | { type: 'stop' };

interface StatusReport {
  cachedWorkflows: number;
  inFlightActivations: number;
}

interface MemoryReport {
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  cachedWorkflows: number;
}

type FromWorker =
  { type: 'ready' } | ({ type: 'status' } & StatusReport) | ({ type: 'memory' } & MemoryReport) | { type: 'error'; message: string };

interface WorkerArgs {
  address: string;
  namespace: string;
  taskQueue: string;
  maxCached: number;
  wftSlots: number;
}

// ─── The worker process ─────────────────────────────────────────────────────────────────────────────────────

async function runWorker(args: WorkerArgs): Promise<void> {
  const send = (m: FromWorker) => process.send?.(m);
  // The SDK's INFO lines (worker state) would interleave with the driver's table.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  // Bundled here, as `npm run worker` does, so the baseline includes what a real worker carries.
  const bundle = await bundleWorkflows(
    pino({ level: 'warn' }),
    processModules.map((m) => m.definition.workflowModule),
  );
  const connection = await NativeConnection.connect({ address: args.address });
  const worker = await Worker.create({
    connection,
    namespace: args.namespace,
    taskQueue: args.taskQueue,
    workflowBundle: bundle,
    // Stubs of what the bundled workflows reference (no database here). Deadlines are days away and no step is
    // signalled, so none of them runs during the bench; `satisfies` flags a stub whose activity was renamed.
    activities: {
      recordEscalation: async () => ({ recorded: false }),
      recordProcessStep: async () => ({ recorded: false }),
    } satisfies Partial<Record<keyof CaseActivities, unknown>>,
    maxCachedWorkflows: args.maxCached,
    // Workflow tasks run on one V8 thread anyway (reuseV8Context); enough slots to keep it busy during the
    // ramp-up without letting thousands of activations queue inside the worker.
    maxConcurrentWorkflowTaskExecutions: args.wftSlots,
  });
  const running = worker.run().finally(() => connection.close());

  const stop = async () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    // Evicting tens of thousands of cached workflows can take a while; the measurement is already done.
    await Promise.race([running.catch(() => undefined), new Promise((r) => setTimeout(r, 15_000).unref())]);
    process.exit(0);
  };
  // Never outlive the driver.
  process.on('disconnect', () => void stop());
  process.on('message', (m: ToWorker) => {
    if (m.type === 'stop') void stop();
    if (m.type === 'status') {
      const st = worker.getStatus();
      send({ type: 'status', cachedWorkflows: st.numCachedWorkflows, inFlightActivations: st.numInFlightWorkflowActivations });
    }
    if (m.type === 'sample') {
      // A full GC of this thread first, so heapUsed is what is live rather than where the last GC left it.
      // The workflows' own heap is in the SDK's workflow thread, which this does not reach; RSS covers it.
      (globalThis as { gc?: () => void }).gc?.();
      const mem = process.memoryUsage();
      send({
        type: 'memory',
        rss: mem.rss,
        heapTotal: mem.heapTotal,
        heapUsed: mem.heapUsed,
        external: mem.external,
        arrayBuffers: mem.arrayBuffers,
        cachedWorkflows: worker.getStatus().numCachedWorkflows,
      });
    }
  });
  running.catch((err: Error) => {
    send({ type: 'error', message: err.message });
    process.exit(1);
  });
  send({ type: 'ready' });
}

// ─── The driver ─────────────────────────────────────────────────────────────────────────────────────────────

class WorkerProcess {
  private waiting: Array<(m: FromWorker) => void> = [];

  constructor(readonly child: ChildProcess) {
    child.on('message', (m: FromWorker) => {
      if (m.type === 'error') console.error(`worker failed: ${m.message}`);
      const next = this.waiting.shift();
      if (next) next(m);
    });
    // A worker that dies (out of memory, say) must fail the run, not leave the driver waiting for its answer.
    child.on('exit', (code, signal) => {
      for (const waiter of this.waiting.splice(0)) waiter({ type: 'error', message: `worker exited (${signal ?? code})` });
    });
  }

  static start(args: WorkerArgs): Promise<WorkerProcess> {
    const child = fork(__filename, ['--worker', JSON.stringify(args)], {
      // --expose-gc: the worker runs a GC before it reports its heap figures.
      execArgv: ['--expose-gc'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const wp = new WorkerProcess(child);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('worker did not start within 120 s')), 120_000);
      child.once('exit', (code) => reject(new Error(`worker exited with code ${code} before it was ready`)));
      wp.next().then((m) => {
        clearTimeout(timer);
        if (m.type === 'ready') resolve(wp);
        else reject(new Error(`worker did not start: ${JSON.stringify(m)}`));
      }, reject);
    });
  }

  private next(): Promise<FromWorker> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  async status(): Promise<StatusReport> {
    const reply = this.next();
    this.child.send({ type: 'status' } satisfies ToWorker);
    const m = await reply;
    if (m.type !== 'status') throw new Error(`unexpected reply from worker: ${JSON.stringify(m)}`);
    return m;
  }

  async sample(): Promise<MemoryReport & { vmRss: number }> {
    const reply = this.next();
    this.child.send({ type: 'sample' } satisfies ToWorker);
    const m = await reply;
    if (m.type !== 'memory') throw new Error(`unexpected reply from worker: ${JSON.stringify(m)}`);
    // Read by the driver from the kernel, after the worker's GC: the whole process, native threads included.
    return { ...m, vmRss: vmRss(this.child.pid!) ?? m.rss };
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

/** VmRSS of a process in bytes (Linux); undefined elsewhere, where the worker's own rss figure is used. */
function vmRss(pid: number): number | undefined {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

function caseInput(run: string, i: number): CaseLifecycleInput {
  const now = Date.now();
  const day = 24 * 3600 * 1000;
  // Days ahead: the same-day-contact timer stays pending for the whole run and nothing escalates.
  return {
    caseId: `bench-${run}-${i}`,
    caseNumber: `BENCH-${String(i).padStart(7, '0')}`,
    sameDayContactDue: new Date(now + 3 * day).toISOString(),
    acceptanceDue: new Date(now + 10 * day).toISOString(),
  };
}

async function startCase(client: Client, taskQueue: string, run: string, i: number): Promise<void> {
  await client.workflow.start('caseLifecycle', {
    taskQueue,
    workflowId: `bench-case-${run}-${i}`,
    args: [caseInput(run, i)],
    workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
  });
}

/**
 * Waits until the worker has every started workflow in its cache and no activation in flight: each has then had
 * its first workflow task run, and that task's only command is the timer. Asking the worker is cheap; querying
 * every workflow instead costs the dev server more CPU than starting it, and would halve the ramp-up rate.
 */
async function waitUntilCached(worker: WorkerProcess, count: number): Promise<StatusReport> {
  let last = -1;
  let lastChange = Date.now();
  for (;;) {
    const st = await worker.status();
    if (st.cachedWorkflows >= count && st.inFlightActivations === 0) return st;
    if (st.cachedWorkflows !== last) [last, lastChange] = [st.cachedWorkflows, Date.now()];
    if (Date.now() - lastChange > 120_000) throw new Error(`stuck at ${st.cachedWorkflows} of ${count} cached workflows for 2 minutes`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Queries a few of the workflows: each must answer (from the worker's cache) with its deadlines still open. */
async function spotCheck(client: Client, run: string, from: number, to: number, samples: number): Promise<void> {
  for (let k = 0; k < Math.min(samples, to - from); k++) {
    const i = from + Math.floor(((to - from) * k) / Math.min(samples, to - from));
    const state = await client.workflow.getHandle(`bench-case-${run}-${i}`).query(caseLifecycleStateQuery);
    if (state.phase !== 'AWAITING_ACCEPTANCE' || state.openDeadlines.length === 0 || state.escalations.length > 0) {
      throw new Error(`bench-case-${run}-${i} is not waiting on its deadlines: ${JSON.stringify(state)}`);
    }
  }
}

/** Runs `task(i)` for i in [from, to) with at most `concurrency` in flight. */
async function pool(from: number, to: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = from;
  const lane = async () => {
    while (next < to) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, to - from) }, lane));
}

function leastSquares(points: Array<[number, number]>): { slope: number; intercept: number; r2: number } {
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  const sxy = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const syy = points.reduce((s, [, y]) => s + (y - my) ** 2, 0);
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx, r2: syy === 0 ? 1 : (sxy * sxy) / (sxx * syy) };
}

const mib = (b: number) => (b / MiB).toFixed(1);

async function runDriver(opts: Options): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const cli = await locateTemporalCli({ toolsDir, envPath: process.env.TEMPORAL_CLI_PATH });
  // In memory (no dbFilename) on a free loopback port, like the tests' dev server: nothing left behind.
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: cli ? { type: 'existing-path', path: cli.path } : { type: 'cached-download', downloadDir: toolsDir },
      ip: '127.0.0.1',
      log: { format: 'json', level: 'error' },
    },
  });
  let worker: WorkerProcess | undefined;
  const killWorker = () => worker?.child.kill('SIGKILL');
  process.once('exit', killWorker);
  try {
    const run = randomUUID().slice(0, 8);
    const taskQueue = `bench-memory-${run}`;
    worker = await WorkerProcess.start({
      address: env.address,
      namespace: 'default',
      taskQueue,
      maxCached: opts.maxCached,
      wftSlots: opts.wftSlots,
    });
    console.log(
      `worker pid ${worker.child.pid}, task queue ${taskQueue}, counts ${opts.counts.join(', ')}, concurrency ${opts.concurrency}`,
    );

    const rows: Array<{ count: number; vmRss: number; heapUsed: number; external: number; cached: number; startsPerSec: number }> = [];
    let open = 0;
    for (const count of opts.counts) {
      const t0 = Date.now();
      await pool(open, count, opts.concurrency, (i) => startCase(env.client, taskQueue, run, i));
      await waitUntilCached(worker, count);
      const secs = (Date.now() - t0) / 1000;
      const startsPerSec = count > open ? (count - open) / secs : 0;
      await spotCheck(env.client, run, open, count, 10);
      open = count;
      await new Promise((r) => setTimeout(r, opts.settleMs));
      const m = await worker.sample();
      rows.push({ count, vmRss: m.vmRss, heapUsed: m.heapUsed, external: m.external, cached: m.cachedWorkflows, startsPerSec });
      console.log(
        `${String(count).padStart(7)} workflows: RSS ${mib(m.vmRss).padStart(7)} MiB, main heapUsed ${mib(m.heapUsed).padStart(6)} MiB, ` +
          `external ${mib(m.external).padStart(6)} MiB, cached ${m.cachedWorkflows}` +
          (startsPerSec ? `, opened at ${startsPerSec.toFixed(0)}/s` : ''),
      );
      // Fewer cached than open would mean evictions, and the RSS would not be what holding them costs.
      if (m.cachedWorkflows < count) console.warn(`  warning: only ${m.cachedWorkflows} of ${count} workflows are in the worker's cache`);
    }

    const fit = leastSquares(rows.map((r) => [r.count, r.vmRss]));
    const heapFit = leastSquares(rows.map((r) => [r.count, r.heapUsed]));
    console.log('');
    console.log('  workflows │ worker RSS MiB │ main heapUsed MiB │ external MiB │ cached │ RSS above idle, KiB/workflow');
    console.log('────────────┼────────────────┼───────────────────┼──────────────┼────────┼─────────────────────────────');
    const idle = rows[0]!;
    for (const r of rows) {
      const per = r.count > 0 ? ((r.vmRss - idle.vmRss) / r.count / 1024).toFixed(2) : '—';
      console.log(
        `${String(r.count).padStart(11)} │ ${mib(r.vmRss).padStart(14)} │ ${mib(r.heapUsed).padStart(17)} │ ${mib(r.external).padStart(12)} │ ${String(r.cached).padStart(6)} │ ${per.padStart(10)}`,
      );
    }
    console.log('');
    console.log(
      `least squares on RSS: ${(fit.slope / 1024).toFixed(2)} KiB/workflow + ${mib(fit.intercept)} MiB (r² ${fit.r2.toFixed(4)}); ` +
        `main-thread heapUsed: ${(heapFit.slope / 1024).toFixed(2)} KiB/workflow`,
    );
    const perGb = fit.slope > 0 ? Math.floor((GiB - fit.intercept) / fit.slope) : Infinity;
    console.log(
      `one worker holds ≈ ${perGb.toLocaleString('en-US')} open cases with pending timers per GB ` +
        `(marginal ${(fit.slope / 1024).toFixed(1)} KiB each; baseline ${mib(fit.intercept)} MiB)`,
    );
    console.log(
      JSON.stringify({
        casesPerGiB: perGb,
        marginalBytesPerWorkflow: Math.round(fit.slope),
        baselineBytes: Math.round(fit.intercept),
        idleRssBytes: idle.vmRss,
        r2: fit.r2,
        points: rows,
      }),
    );
  } finally {
    await worker?.stop();
    process.removeListener('exit', killWorker);
    await env.teardown();
  }
}

if (process.argv[2] === '--worker') {
  runWorker(JSON.parse(process.argv[3] ?? '{}') as WorkerArgs).catch((err: Error) => {
    console.error(`worker failed to start: ${err.stack ?? err.message}`);
    process.exit(1);
  });
} else {
  runDriver(parseArgs(process.argv.slice(2))).then(
    () => process.exit(0),
    (err: Error) => {
      console.error(err.stack ?? err.message);
      process.exit(1);
    },
  );
}
