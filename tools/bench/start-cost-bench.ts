import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { freePorts } from '../../src/infra/free-port';
import { startTemporalDevServer } from '../../src/infra/temporal-dev-server';
import { cpuSeconds } from './process-cpu';

/**
 * `npm run bench:start-cost [-- --starts 1000 --rounds 2 --in-flight 32]`: what one new workflow costs the Temporal
 * dev server that `npm start` runs (SQLite file, write-ahead log), in CPU milliseconds of the server process, by how
 * it is started — to say what bounds `bench:intake-e2e` (issue 16), whose goal compares the case lifecycle's starts
 * with a bare start loop on the same server.
 *
 * Variants, interleaved, each `--starts` workflows with `--in-flight` starts at a time:
 * - `bare`: a start on a task queue no worker polls (what `bench:intake-e2e`'s bare loop measures);
 * - `worker`: the same workflow with a worker polling its queue: the start, its first workflow task and a timer;
 * - `patched`: as `worker`, after four patches in the first task (the lifecycle's first task asks four);
 * - `eager`: as `worker`, started with `requestEagerStart` through the worker's own connection (the first task comes
 *   back in the start's answer; the server falls back to a normal start when the worker has no free slot).
 * The server's CPU is read from /proc around each variant, until the worker has no activation in flight.
 */

interface Options {
  starts: number;
  rounds: number;
  inFlight: number;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { starts: 1000, rounds: 2, inFlight: 32 };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], Number(argv[i + 1])];
    if (!Number.isInteger(value) || value < 1) throw new Error(`${flag} wants a positive integer`);
    if (flag === '--starts') o.starts = value;
    else if (flag === '--rounds') o.rounds = value;
    else if (flag === '--in-flight') o.inFlight = value;
    else throw new Error('usage: start-cost-bench [--starts 1000] [--rounds 2] [--in-flight 32]');
  }
  return o;
}

const sleepMs = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const repo = path.resolve(__dirname, '..', '..', '..');
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'anxin-start-cost-'));
  // The server's own errors when it is stopped with timers pending are expected here.
  const log = pino({ level: 'error' });
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const [port, uiPort] = await freePorts(2);
  let stopWorker = async (): Promise<void> => undefined;
  const server = await startTemporalDevServer({
    dataDir,
    toolsDir: path.join(repo, '.tools'),
    port: port!,
    uiPort: uiPort!,
    namespace: 'default',
    log,
  });
  try {
    const serverPid = Number(readFileSync(path.join(dataDir, 'temporal-dev-server.pid'), 'utf8').trim());
    const native = await NativeConnection.connect({ address: server.address });
    const taskQueue = 'bench-start-cost';
    const worker = await Worker.create({
      connection: native,
      taskQueue,
      workflowsPath: require.resolve('./start-cost-workflows'),
    });
    const running = worker.run();
    // Whatever happens below, the worker is shut down before the server is stopped.
    stopWorker = async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running.catch(() => undefined);
    };
    const plain = new Client({ connection: await Connection.connect({ address: server.address }) });
    const eager = new Client({ connection: native });
    const variants = {
      bare: { client: plain, type: 'benchWait', taskQueue: 'bench-start-cost-unpolled', eager: false },
      worker: { client: plain, type: 'benchWait', taskQueue, eager: false },
      patched: { client: plain, type: 'benchPatched', taskQueue, eager: false },
      eager: { client: eager, type: 'benchWait', taskQueue, eager: true },
    };
    const results: Array<Record<string, unknown>> = [];
    let run = 0;
    for (let round = 1; round <= o.rounds; round++) {
      for (const [name, v] of Object.entries(variants)) {
        run++;
        const cpu0 = cpuSeconds(serverPid);
        const t0 = Date.now();
        let next = 0;
        let eagerly = 0;
        await Promise.all(
          Array.from({ length: o.inFlight }, async () => {
            while (next < o.starts) {
              const k = next++;
              const handle = await v.client.workflow.start(v.type, {
                taskQueue: v.taskQueue,
                workflowId: `start-cost-${run}-${k}`,
                ...(v.eager ? { requestEagerStart: true } : {}),
              });
              if (handle.eagerlyStarted) eagerly++;
            }
          }),
        );
        const started = Date.now() - t0;
        // Until the worker has had nothing in flight for a quarter second: the first tasks are done.
        for (let quiet = 0; quiet < 5;) {
          await sleepMs(50);
          quiet = worker.getStatus().numInFlightWorkflowActivations === 0 ? quiet + 1 : 0;
        }
        const serverCpuMs = (cpuSeconds(serverPid) - cpu0) * 1000;
        const r = {
          round,
          variant: name,
          starts: o.starts,
          startsPerSecond: Math.round((o.starts / started) * 10_000) / 10,
          eagerlyStarted: eagerly,
          serverCpuMsPerWorkflow: Math.round((serverCpuMs / o.starts) * 100) / 100,
        };
        results.push(r);
        console.log(JSON.stringify(r));
      }
    }
    for (const name of Object.keys(variants)) {
      const rs = results.filter((r) => r.variant === name);
      console.log(
        `${name}: ${rs.map((r) => r.startsPerSecond).join(' / ')} starts/s, ` +
          `server CPU ${rs.map((r) => r.serverCpuMsPerWorkflow).join(' / ')} ms per workflow`,
      );
    }
    await stopWorker();
    await native.close();
    await plain.connection.close();
  } finally {
    await stopWorker();
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
