import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { Connection } from '@temporalio/client';
import { createServices } from '../../src/app/services';
import { startApiServer } from '../../src/api/server';
import { parseKeys, Tokens } from '../../src/auth/tokens';
import { loadConfigOrExit } from '../../src/config';
import { openDatabase } from '../../src/db/database';
import { freePort } from '../../src/infra/free-port';
import { memoryRateLimiters, postgresRateLimiters } from '../../src/infra/rate-limiters';
import { toolDatabaseUrl } from '../../src/infra/tool-database';
import { Lifecycle, runMain } from '../../src/lifecycle';
import { createLogger } from '../../src/logger';
import { processModules } from '../../src/processes/registry';

/**
 * `npm run bench:ratelimit [-- --seconds 10 --rounds 2 --clients 8]`: what the per-principal rate limit costs a
 * request when its counters are in PostgreSQL (shared by every API process, src/infra/rate-limiters.ts) rather than
 * in the process's memory. Two API processes run side by side on one database (DATA_DIR's embedded PostgreSQL, or
 * DATABASE_URL), alike but for the store; the cheapest request there is (`{ __typename }`: no resolver, no SQL of
 * its own), so the figure is the limit's cost alone, two counters per request (the minute's and the second's burst).
 * Each client is its own signed-in principal; the limits are set so high that nothing is refused. Interleaved runs
 * (memory, PostgreSQL, memory, …), keep-alive, loopback; requests/s and latency percentiles per run.
 */
interface Options {
  seconds: number;
  rounds: number;
  clients: number;
}

const KEYS = 'bench=rate-limit-bench-secret-0123456789abcdefghijklmnop';
const QUERY = JSON.stringify({ query: '{ __typename }' });

function parseArgs(argv: string[]): Options {
  const o: Options = { seconds: 10, rounds: 2, clients: 8 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split(/=(.*)/s, 2) as [string, string | undefined];
    const n = Number(inline ?? argv[++i]);
    if (flag === '--seconds' && Number.isInteger(n) && n >= 1 && n <= 300) o.seconds = n;
    else if (flag === '--rounds' && Number.isInteger(n) && n >= 1 && n <= 20) o.rounds = n;
    else if (flag === '--clients' && Number.isInteger(n) && n >= 1 && n <= 256) o.clients = n;
    else {
      console.error('usage: rate-limit-bench [--seconds 10] [--rounds 2] [--clients 8]');
      process.exit(2);
    }
  }
  return o;
}

/** Child mode: one API process with the given store. */
async function serve(store: 'memory' | 'postgres', port: number, databaseUrl: string): Promise<void> {
  const log = createLogger({ log: { level: 'warn', format: 'json' } });
  const orm = await openDatabase({ url: databaseUrl, log, migrate: false });
  const services = createServices({ orm, temporal: Connection.lazy({ address: '127.0.0.1:1' }), processModules });
  await startApiServer({
    host: '127.0.0.1',
    port,
    orm,
    services,
    log,
    tokens: new Tokens(parseKeys(KEYS), '1h'),
    production: true,
    rateLimitPerMinute: 1_000_000,
    anonymousRateLimitPerMinute: 1_000_000,
    rateLimiters: store === 'postgres' ? postgresRateLimiters(orm) : memoryRateLimiters,
  });
  process.on('message', () => process.send?.(process.cpuUsage()));
  process.send?.('ready');
}

/** The API process's CPU time so far (user + system), in ms. */
function cpuOf(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    child.once('message', (u: NodeJS.CpuUsage) => resolve((u.user + u.system) / 1000));
    child.send('cpu');
  });
}

interface Run {
  store: string;
  requests: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  /** The API process's CPU time per request (ms): what the store costs in Node, wherever the waiting happens. */
  cpuMs: number;
}

async function load(port: number, clients: number, seconds: number, tokens: string[]): Promise<Omit<Run, 'store' | 'cpuMs'>> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const latencies: number[] = [];
  const end = Date.now() + seconds * 1000;
  const one = (token: string) =>
    new Promise<number>((resolve, reject) => {
      const t0 = process.hrtime.bigint();
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          path: '/graphql',
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'content-length': Buffer.byteLength(QUERY) },
        },
        (res) => {
          res.resume();
          res.on('end', () =>
            res.statusCode === 200 ? resolve(Number(process.hrtime.bigint() - t0) / 1e6) : reject(new Error(`HTTP ${res.statusCode}`)),
          );
        },
      );
      req.on('error', reject);
      req.end(QUERY);
    });
  const started = Date.now();
  await Promise.all(
    tokens.slice(0, clients).map(async (token) => {
      while (Date.now() < end) latencies.push(await one(token));
    }),
  );
  const elapsed = (Date.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const q = (p: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]! * 100) / 100;
  return { requests: latencies.length, perSecond: Math.round(latencies.length / elapsed), p50: q(0.5), p95: q(0.95), p99: q(0.99) };
}

function main(): void {
  const [mode, store, port, url] = process.argv.slice(2);
  if (mode === '--serve') {
    void serve(store as 'memory' | 'postgres', Number(port), url!).catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
    return;
  }
  const opts = parseArgs(process.argv.slice(2));
  const config = loadConfigOrExit('tool');
  const log = createLogger({ ...config, log: { ...config.log, level: 'warn' } });
  const lifecycle = new Lifecycle(log);
  runMain(log, lifecycle, async () => {
    const databaseUrl = await toolDatabaseUrl(config, log, lifecycle);
    const orm = await openDatabase({ url: databaseUrl, log }); // migrated here once: the rate_limit table
    await orm.close();
    const children: ChildProcess[] = [];
    lifecycle.onStop('API processes', async () => {
      for (const c of children) c.kill('SIGKILL');
    });
    const ports: Record<string, number> = {};
    const processes: Record<string, ChildProcess> = {};
    for (const store of ['memory', 'postgres'] as const) {
      ports[store] = await freePort();
      const child = spawn(process.execPath, [__filename, '--serve', store, String(ports[store]), databaseUrl], {
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      child.setMaxListeners(0);
      children.push(child);
      processes[store] = child;
      await new Promise<void>((resolve, reject) => {
        child.once('message', () => resolve());
        child.once('exit', (code) => reject(new Error(`the ${store} API exited with ${code}`)));
      });
    }
    const signer = new Tokens(parseKeys(KEYS), '1h');
    const tokens = Array.from({ length: opts.clients }, () =>
      signer.issue({ userId: randomUUID(), agencyId: randomUUID(), agencyKind: 'HRSS_INSPECTION', roles: ['INSPECTOR'] }),
    );
    // Warm-up: JIT, prepared statements, the pool's connections.
    for (const store of ['memory', 'postgres']) await load(ports[store]!, opts.clients, 2, tokens);
    const runs: Run[] = [];
    for (let r = 0; r < opts.rounds; r++) {
      for (const store of ['memory', 'postgres']) {
        const cpu0 = await cpuOf(processes[store]!);
        const measured = await load(ports[store]!, opts.clients, opts.seconds, tokens);
        const cpuMs = Math.round((((await cpuOf(processes[store]!)) - cpu0) / measured.requests) * 1000) / 1000;
        const run = { store, ...measured, cpuMs };
        runs.push(run);
        console.log(
          `${store.padEnd(8)} ${String(run.perSecond).padStart(6)} req/s  p50 ${run.p50} ms  p95 ${run.p95} ms  p99 ${run.p99} ms  ` +
            `API CPU ${run.cpuMs} ms/request  (${run.requests} requests)`,
        );
      }
    }
    const mean = (store: string, k: 'perSecond' | 'p95' | 'p50' | 'cpuMs') => {
      const xs = runs.filter((x) => x.store === store).map((x) => x[k]);
      return xs.reduce((a, b) => a + b, 0) / xs.length;
    };
    const perRequestMs = (1000 / mean('postgres', 'perSecond') - 1000 / mean('memory', 'perSecond')) * opts.clients;
    console.log(
      `\n${opts.clients} clients, ${opts.seconds} s × ${opts.rounds} rounds: PostgreSQL store ${Math.round(mean('postgres', 'perSecond'))} req/s ` +
        `vs memory ${Math.round(mean('memory', 'perSecond'))} (${Math.round((mean('postgres', 'perSecond') / mean('memory', 'perSecond')) * 100)} %); ` +
        `p50 ${mean('postgres', 'p50').toFixed(2)} vs ${mean('memory', 'p50').toFixed(2)} ms, p95 ${mean('postgres', 'p95').toFixed(2)} vs ${mean('memory', 'p95').toFixed(2)} ms; ` +
        `≈ ${perRequestMs.toFixed(2)} ms more wall time per request at this concurrency; API CPU ${mean('postgres', 'cpuMs').toFixed(3)} vs ` +
        `${mean('memory', 'cpuMs').toFixed(3)} ms per request (PostgreSQL's own CPU for the upsert not included)`,
    );
    await lifecycle.stopAll();
    process.exit(0);
  });
}

main();
