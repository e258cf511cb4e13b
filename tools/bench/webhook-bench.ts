import 'reflect-metadata';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { ExecutionContext } from '../../src/core/execution-context';
import { createServices } from '../../src/app/services';
import { executionContext } from '../../src/app/execution';
import { processModules } from '../../src/processes/registry';
import { openDatabase } from '../../src/db/database';
import { loadDemoCity } from '../demo/demo-city';
import { startEmbeddedPostgres } from '../../src/infra/embedded-postgres';
import { startTemporalDevServer } from '../../src/infra/temporal-dev-server';
import { createLogger } from '../../src/logger';
import { OutboxRelay } from '../../src/outbox/outbox-relay';
import { WebhookTargetPolicy } from '../../src/webhooks/webhook-targets';
import { createCaseActivities } from '../../src/worker/case-activities';
import { bundleWorkflows, installTemporalRuntime, startWorker } from '../../src/worker/worker';

/**
 * `npm run bench:webhooks -- [cases] [entriesPerCase]`: webhook throughput end to end — entries written, delivery
 * rows made by the trigger, the outbox waking each case's delivery workflow, signed POSTs to a local receiver
 * that accepts at once — on an embedded PostgreSQL and a Temporal dev server, one worker.
 */
const CASES = Number(process.argv[2] ?? 50);
const PER_CASE = Number(process.argv[3] ?? 10);

async function main(): Promise<void> {
  const log = createLogger({ log: { level: 'warn', format: 'json' } });
  installTemporalRuntime(log);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'anxin-webhook-bench-'));
  const pg = await startEmbeddedPostgres({ dataDir, port: 5695, database: 'anxin', log });
  const orm = await openDatabase({ url: pg.url, log });
  await loadDemoCity(orm.em.fork(), log);
  const temporal = await startTemporalDevServer({
    dataDir,
    toolsDir: path.resolve(__dirname, '..', '..', '..', '.tools'),
    port: 7695,
    uiPort: 8695,
    namespace: 'default',
    log,
  });
  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection });
  const taskQueue = 'webhook-bench';
  const relay = new OutboxRelay(orm, client, taskQueue, log);
  // The receiver is on this machine: the operator's allowance for 127.0.0.1 (WEBHOOK_ALLOWED_NETWORKS).
  const services = createServices({
    orm,
    webhookTargets: new WebhookTargetPolicy(['127.0.0.1/32']),
    temporal: connection,
    workflowClient: client,
    outboxNudge: () => void relay.drain().catch(() => undefined),
    processModules,
  });
  const worker = await startWorker({
    address: temporal.address,
    namespace: 'default',
    taskQueue,
    bundle: await bundleWorkflows(
      log,
      processModules.map((m) => m.definition.workflowModule),
    ),
    activities: createCaseActivities({ orm, log, services }),
    log,
  });
  relay.start(100);

  let received = 0;
  const receiver = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received++;
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

  const [integrator] = await orm.em
    .getConnection()
    .execute<Array<{ id: string; agency_id: string; roles: string[] }>>(
      `select u.id, u.agency_id, u.roles from app_user u join agency a on a.id = u.agency_id where a.kind = 'INTEGRATOR' limit 1`,
    );
  const ctx = (): ExecutionContext => {
    const em = orm.em.fork();
    return executionContext({
      em,
      log,
      actor: { userId: integrator!.id, agencyId: integrator!.agency_id, agencyKind: 'INTEGRATOR', roles: integrator!.roles },
    });
  };
  await services.webhooks.register(ctx(), { url, secret: 'bench-webhook-secret-0123456789abcdefghij' });

  const started = performance.now();
  const [inspector] = await orm.em
    .getConnection()
    .execute<Array<{ id: string; agency_id: string; roles: string[] }>>(
      `select u.id, u.agency_id, u.roles from app_user u join agency a on a.id = u.agency_id where a.kind = 'HRSS_INSPECTION' and a.parent_id is null and 'INSPECTOR' = any(u.roles) limit 1`,
    );
  const hrss = (): ExecutionContext => ({
    ...ctx(),
    actor: { userId: inspector!.id, agencyId: inspector!.agency_id, agencyKind: 'HRSS_INSPECTION', roles: inspector!.roles },
  });
  await Promise.all(
    Array.from({ length: CASES }, async (_, i) => {
      const { case: c } = await services.intake.intake(ctx(), {
        channel: 'HOTLINE_12345',
        channelRef: `BENCH-${i}`,
        contactPhone: `1390000${String(i).padStart(4, '0')}`,
        description: '拖欠工资',
        regionCode: '110102',
      });
      for (let k = 1; k < PER_CASE; k++) await services.cases.recordContact(hrss(), { caseId: c.id, kind: 'CALL', outcome: 'NO_ANSWER' });
    }),
  );
  const written = performance.now();
  const total = CASES * PER_CASE;
  while (received < total && performance.now() - started < 300_000) await new Promise((r) => setTimeout(r, 50));
  const done = performance.now();
  const result = {
    cases: CASES,
    deliveries: total,
    received,
    writeSeconds: Math.round((written - started) / 100) / 10,
    totalSeconds: Math.round((done - started) / 100) / 10,
    deliveriesPerSecond: Math.round((received * 10000) / (done - started)) / 10,
  };
  console.log(JSON.stringify(result));
  console.log(
    `webhooks: ${received}/${total} delivered in ${result.totalSeconds} s from the first write: ${result.deliveriesPerSecond} deliveries/s`,
  );

  await relay.stop();
  await worker.shutdown();
  await connection.close();
  await temporal.stop();
  await new Promise((r) => receiver.close(r));
  await orm.close();
  await pg.stop();
  await rm(dataDir, { recursive: true, force: true });
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
