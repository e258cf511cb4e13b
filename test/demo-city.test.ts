import { Connection } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { createServices } from '../src/app/services';
import { enqueueLifecycleForOpenCases } from '../src/cases/case-workflow';
import { OutboxRelay } from '../src/outbox/outbox-relay';
import { processModules } from '../src/processes/registry';
import { createCaseActivities } from '../src/worker/case-activities';
import { loadDemoCity, SEED_002 } from '../tools/demo/demo-city';
import { seed002Roster, startDemoProcesses } from '../tools/demo/demo-processes';
import { createTestDatabase, type TestDatabase } from './support/database';
import { testLog } from './support/logger';
import { startTimeSkippingServer, workflowBundle } from './support/temporal';

/**
 * The demo city as `npm start` loads it (its seed stories only, no random cases), then the demo's processes
 * started through the API's services: seed 002's filed criminal case is in it.
 */
describe('the demo city', () => {
  let db: TestDatabase;
  let env: Awaited<ReturnType<typeof startTimeSkippingServer>>;
  let relay: OutboxRelay;
  let worker: Worker;
  let running: Promise<void>;

  beforeAll(async () => {
    db = await createTestDatabase();
    env = await startTimeSkippingServer();
    relay = new OutboxRelay(db.orm, env.client, 'demo-city-test', testLog);
    const services = createServices({
      orm: db.orm,
      temporal: Connection.lazy({ address: '127.0.0.1:1' }),
      workflowClient: env.client,
      outboxNudge: () => void relay.drain().catch(() => undefined),
      processModules,
    });
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: 'demo-city-test',
      workflowBundle: await workflowBundle(),
      activities: createCaseActivities({ orm: db.orm, log: testLog, services }),
    });
    running = worker.run();
    expect(await loadDemoCity(db.orm.em.fork(), testLog, { cases: 0 })).toEqual({ loaded: true });
    await db.orm.em.fork().transactional((em) => enqueueLifecycleForOpenCases(em));
    await startDemoProcesses({ orm: db.orm, services, log: testLog, drainOutbox: () => relay.drain() });
  });
  afterAll(async () => {
    await relay?.stop();
    worker?.shutdown();
    await running;
    await env?.teardown();
    await db?.drop();
  });

  const sql = <T>(q: string, params: unknown[] = []) => db.orm.em.fork().getConnection().execute<T[]>(q, params);

  it('has seed 002: 72 workers owed ¥210,000, the order to pay missed, the police referral FILED, every worker paid after the arrest', async () => {
    const [c] = await sql<{
      id: string;
      status: string;
      workers_affected: number;
      amount_claimed_fen: string;
      amount_recovered_fen: string;
    }>(`select id, status, workers_affected, amount_claimed_fen, amount_recovered_fen from wage_case where description = ?`, [
      SEED_002.description,
    ]);
    expect(c).toMatchObject({ status: 'RESOLVED', workers_affected: 72 });
    expect(Number(c!.amount_claimed_fen)).toBe(21_000_000);
    expect(Number(c!.amount_recovered_fen)).toBe(21_000_000);

    const roster = await sql<{ id: string; amount_owed_fen: string; paid: string }>(
      `select w.id, w.amount_owed_fen, coalesce((select sum(a.amount_fen) from payment_allocation a where a.owed_worker_id = w.id), 0) as paid
         from owed_worker w where w.case_id = ?`,
      [c!.id],
    );
    expect(roster).toHaveLength(72);
    expect(roster.reduce((sum, l) => sum + Number(l.amount_owed_fen), 0)).toBe(21_000_000);
    expect(roster.every((l) => Number(l.paid) === Number(l.amount_owed_fen))).toBe(true);
    expect(seed002Roster().reduce((sum, l) => sum + l.amountOwedFen, 0)).toBe(SEED_002.amountFen);

    const [referral] = await sql<{ status: string; ended_at: Date | null; facts: Record<string, unknown> }>(
      `select status, ended_at, facts from case_process where case_id = ? and kind = 'POLICE_REFERRAL'`,
      [c!.id],
    );
    expect(referral).toMatchObject({ status: 'FILED', ended_at: null });
    expect(referral!.facts).toMatchObject({ orderSource: 'STATED' });
    // The order to pay was missed: its deadline passed before the referral.
    expect(String(referral!.facts.orderToPayDueOn) < new Date().toISOString().slice(0, 10)).toBe(true);

    const file = await sql<{ type: string; payload: Record<string, unknown> }>(
      `select type, payload from case_event where case_id = ? order by seq`,
      [c!.id],
    );
    const types = file.map((e) => e.type);
    // The payment comes after the police filed the case (after the arrest), and resolves it.
    const filedAt = file.findIndex((e) => e.type === 'REFERRAL_DECIDED' && e.payload.decision === 'FILED');
    const paidAt = types.indexOf('PAYMENT_RECORDED');
    expect(types.filter((t) => t === 'OWED_WORKER_ADDED')).toHaveLength(72);
    expect(filedAt).toBeGreaterThan(-1);
    expect(paidAt).toBeGreaterThan(filedAt);
    expect((file[paidAt]!.payload.allocations as unknown[]).length).toBe(72);
  });

  it('has the labour dispute arbitration commissions and the work-injury office a case may be referred to (转介)', async () => {
    const kinds = await sql<{ kind: string; n: string }>(
      `select kind, count(*) as n from agency where kind in ('LABOUR_ARBITRATION', 'WORK_INJURY_OFFICE') group by kind order by kind`,
    );
    expect(kinds.map((k) => [k.kind, Number(k.n)])).toEqual([
      ['LABOUR_ARBITRATION', 2],
      ['WORK_INJURY_OFFICE', 1],
    ]);
  });
});
