import 'reflect-metadata';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { Agency, User } from '../../src/agencies/agency.entity';
import { openDatabase } from '../../src/db/database';
import { loadDemoCity } from '../demo/demo-city';
import { startEmbeddedPostgres } from '../../src/infra/embedded-postgres';
import { freePorts } from '../../src/infra/free-port';
import { startTemporalDevServer } from '../../src/infra/temporal-dev-server';
import { createLogger } from '../../src/logger';
import { runCrashIntake } from './crash-intake';

/**
 * `npm run bench:crash-intake [-- --intakes 10000 --clients 16 --kill-after 4000]`: kill -9 of the API in the
 * middle of a stream of intakes, with clients retrying on the same idempotency key (see ./crash-intake.ts), on a
 * system of its own in a temporary folder: an embedded PostgreSQL with the demo city, a Temporal dev server as
 * `npm start` runs it (SQLite), and the API as its own process (`dist/src/api-main.js`). Prints the counts (each
 * should equal the intakes sent, or be zero) and the time taken.
 */
const USAGE = 'usage: crash-intake-bench [--intakes 10000] [--clients 16] [--kill-after <intakes answered before the kill; default 40%>]';

function options(): { intakes: number; clients: number; killAfter: number } {
  const { values } = parseArgs({ options: { intakes: { type: 'string' }, clients: { type: 'string' }, 'kill-after': { type: 'string' } } });
  const count = (name: string, value: string | undefined, fallback: number) => {
    const n = value === undefined ? fallback : Number(value);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a whole number of at least 1 (got ${value})\n${USAGE}`);
    return n;
  };
  const intakes = count('intakes', values.intakes, 10_000);
  const clients = count('clients', values.clients, 16);
  const killAfter = count('kill-after', values['kill-after'], Math.floor(intakes * 0.4));
  if (killAfter >= intakes) throw new Error(`--kill-after must be below --intakes\n${USAGE}`);
  return { intakes, clients, killAfter };
}

async function main(): Promise<void> {
  const opts = options();
  const log = createLogger({ log: { level: 'info', format: 'pretty' } });
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'anxin-bench-crash-'));
  const stops: Array<() => Promise<void>> = [];
  try {
    const [pgPort, temporalPort, uiPort] = await freePorts(3);
    const [pg, temporal] = await Promise.all([
      startEmbeddedPostgres({ dataDir, port: pgPort!, database: 'anxin', log }),
      startTemporalDevServer({
        dataDir,
        toolsDir: path.resolve(__dirname, '..', '..', '..', '.tools'),
        port: temporalPort!,
        uiPort: uiPort!,
        namespace: 'default',
        log,
      }),
    ]);
    stops.push(pg.stop, temporal.stop);
    const orm = await openDatabase({ url: pg.url, log });
    stops.push(() => orm.close());
    await loadDemoCity(orm.em.fork(), log, { cases: 0 });
    const em = orm.em.fork();
    const xicheng = await em.findOneOrFail(Agency, { kind: 'HRSS_INSPECTION', region: '110102' });
    const clerk = (await em.find(User, { agency: xicheng.id })).find((u) => u.roles.includes('INTAKE_CLERK'));
    if (!clerk) throw new Error('the demo city has no intake clerk in Xicheng');
    const connection = await Connection.connect({ address: temporal.address });
    stops.push(() => connection.close());

    log.info(opts, 'streaming intakes; the API is killed with SIGKILL part-way');
    const r = await runCrashIntake({
      databaseUrl: pg.url,
      temporal: {
        address: temporal.address,
        namespace: 'default',
        taskQueue: 'anxin',
        client: new Client({ connection, namespace: 'default' }),
      },
      caller: { userId: clerk.id, agencyId: xicheng.id, agencyKind: 'HRSS_INSPECTION', roles: clerk.roles },
      regionCode: '110102003',
      log,
      ...opts,
    });
    const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    console.log(`
kill -9 of the API during ${r.intakes} intakes (${r.clients} clients, killed after ${r.killedAfter} answers)
  intakes sent          ${r.intakes}
  retries               ${r.retries} (of which answered DUPLICATE, committed before the kill: ${r.replays})
  cases                 ${r.cases}
  duplicates            ${r.duplicateCases}
  missing               ${r.missingCases}
  wrong answers         ${r.wrongAnswers}
  outbox starts         ${r.outboxStarts} (cases without exactly one: ${r.casesWithoutOneStart})
  workflows started     ${r.workflowsStarted} (cases without exactly one: ${r.casesWithoutOneWorkflow})
  time                  ${s(r.timings.totalMs)}: API start ${s(r.timings.apiStartMs)}, intake stream ${s(r.timings.streamMs)} (restart after the kill ${s(r.timings.restartMs)}), workflow starts delivered ${s(r.timings.deliveryMs)} after the last answer`);
    console.log(JSON.stringify(r));
    const ok =
      r.cases === r.intakes &&
      r.duplicateCases + r.missingCases + r.wrongAnswers + r.casesWithoutOneStart + r.casesWithoutOneWorkflow === 0;
    if (!ok) process.exitCode = 1;
  } finally {
    for (const stop of stops.reverse()) await stop().catch((err: unknown) => log.warn({ err }, 'stopping failed'));
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
