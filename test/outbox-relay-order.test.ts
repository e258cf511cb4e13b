import type { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createLogger } from '../src/logger';
import { outboxBacklog } from '../src/outbox/outbox-backlog';
import { OutboxRelay } from '../src/outbox/outbox-relay';
import { createTestDatabase, type TestDatabase } from './support/database';
import { startDevServer } from './support/temporal';

/**
 * Issue 16: the relay delivers different workflows at the same time and each workflow's rows in the order they were
 * written. The Temporal client here is a recorder with random latency (so deliveries in flight overtake one another
 * whenever the relay lets them): what each workflow received, in the order it received it, is compared with what
 * the outbox holds for it.
 */
const quiet = createLogger({ log: { level: 'silent', format: 'json' } });

/** A stand-in for the Temporal client: records per workflow what arrived (`start`, or a signal's delivery id). */
class RecordingTemporal {
  readonly received = new Map<string, Array<string | number>>();
  readonly deliveries = new Map<string, number>();
  inFlight = 0;
  maxInFlight = 0;
  /** Delivery ids (or `start:<workflow id>`) that throw, as Temporal would when down or refusing. */
  readonly failing = new Set<string>();
  attempts = new Map<string, number>();

  constructor(private readonly maxDelayMs = 4) {}

  private async arrive(workflowId: string, what: string | number): Promise<void> {
    const key = typeof what === 'number' ? String(what) : `start:${workflowId}`;
    this.attempts.set(key, (this.attempts.get(key) ?? 0) + 1);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await new Promise((r) => setTimeout(r, Math.random() * this.maxDelayMs));
      if (this.failing.has(key)) throw new Error(`refused ${key}`);
      this.received.set(workflowId, [...(this.received.get(workflowId) ?? []), what]);
      this.deliveries.set(key, (this.deliveries.get(key) ?? 0) + 1);
    } finally {
      this.inFlight--;
    }
  }

  get client(): Client {
    return {
      workflow: {
        start: (_type: string, opts: { workflowId: string }) => this.arrive(opts.workflowId, 'start'),
        signalWithStart: (_type: string, opts: { workflowId: string }) => this.arrive(opts.workflowId, 'start'),
        getHandle: (workflowId: string) => ({
          signal: (_name: string, payload: { deliveryId: number }) => this.arrive(workflowId, payload.deliveryId),
        }),
      },
    } as unknown as Client;
  }
}

describe('outbox relay: workflows in parallel, each in its order', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });
  beforeEach(async () => {
    await db.orm.em.getConnection().execute(`delete from workflow_outbox`);
  });

  const sql = <T = unknown>(q: string, params: unknown[] = []) => db.orm.em.getConnection().execute<T[]>(q, params);

  /**
   * Writes a START and then `signals` signals for each workflow, interleaving groups of four workflows (a, b, c, d,
   * a, b, c, d …), so a workflow's rows lie a few rows apart, close enough to be in flight together if the relay
   * allowed it; returns each workflow's expected arrivals.
   */
  async function writeRows(prefix: string, workflows: number, signals: number): Promise<Map<string, Array<string | number>>> {
    const expected = new Map<string, Array<string | number>>();
    for (let g = 0; g < workflows; g += 4) {
      const group = Array.from({ length: Math.min(4, workflows - g) }, (_, k) => `${prefix}-${g + k}`);
      for (const id of group) {
        await sql(`select outbox_append('START', 'caseLifecycle', ?, null, '[]'::jsonb)`, [id]);
        expected.set(id, ['start']);
      }
      for (let s = 0; s < signals; s++) {
        for (const id of group) {
          const [row] = await sql<{ id: string }>(`select outbox_append('SIGNAL', null, ?, 'caseStep', ?::jsonb) as id`, [
            id,
            JSON.stringify([{ step: s }]),
          ]);
          expected.get(id)!.push(Number(row!.id));
        }
      }
    }
    return expected;
  }

  it('delivers many workflows concurrently, each workflow receiving its rows in the order written', async () => {
    const expected = await writeRows('order', 60, 5);
    const temporal = new RecordingTemporal();
    const relay = new OutboxRelay(db.orm, temporal.client, 'q', quiet, { concurrency: 16, batchSize: 100 });
    const delivered = await relay.drain();
    expect(delivered).toBe(360);
    expect(Object.fromEntries(temporal.received)).toEqual(Object.fromEntries(expected));
    // Several batches, each with several workflows in flight at once.
    expect(temporal.maxInFlight).toBeGreaterThan(1);
    expect(temporal.maxInFlight).toBeLessThanOrEqual(16);
    const [left] = await sql<{ n: string }>(`select count(*) as n from workflow_outbox where delivered_at is null or attempts <> 1`);
    expect(Number(left!.n)).toBe(0);
    expect(await outboxBacklog(db.orm)).toEqual({ pending: 0, oldestAgeSeconds: 0 });
  });

  it("a failing row holds back only its own workflow's later rows, which go out in order once it succeeds", async () => {
    // The failing workflow is written first: a relay that stops at its first failure would deliver little else.
    const expected = await writeRows('fail', 20, 3);
    const bad = 'fail-0';
    const badRows = expected.get(bad)!;
    const badSignal = badRows[1] as number; // its first signal fails; its start went out before it
    const temporal = new RecordingTemporal();
    temporal.failing.add(String(badSignal));
    const relay = new OutboxRelay(db.orm, temporal.client, 'q', quiet, { concurrency: 8, batchSize: 25 });

    const delivered = await relay.drain();
    expect(delivered).toBe(80 - 3);
    for (const [id, rows] of expected) if (id !== bad) expect(temporal.received.get(id)).toEqual(rows);
    expect(temporal.received.get(bad)).toEqual(['start']);
    // The later signals of the failing workflow were never tried: they wait behind it.
    for (const later of badRows.slice(2)) expect(temporal.attempts.get(String(later))).toBeUndefined();
    const pending = await sql<{ id: string; attempts: number; last_error: string | null }>(
      `select id, attempts, last_error from workflow_outbox where delivered_at is null order by id`,
    );
    expect(pending.map((r) => Number(r.id))).toEqual(badRows.slice(1));
    expect(pending[0]!.attempts).toBeGreaterThanOrEqual(1);
    expect(pending[0]!.last_error).toContain('refused');
    expect(pending.slice(1).every((r) => r.attempts === 0 && r.last_error === null)).toBe(true);
    expect((await outboxBacklog(db.orm)).pending).toBe(3);

    // Temporal takes it again: the held rows go out, in order, after the one that failed.
    temporal.failing.clear();
    expect(await relay.drain()).toBe(3);
    expect(temporal.received.get(bad)).toEqual(badRows);
  });

  it('two relays draining at once deliver each row once and each workflow in order', async () => {
    const temporal = new RecordingTemporal(3);
    // Small batches, so the two relays take turns many times while rows keep arriving.
    const a = new OutboxRelay(db.orm, temporal.client, 'q', quiet, { concurrency: 8, batchSize: 7 });
    const b = new OutboxRelay(db.orm, temporal.client, 'q', quiet, { concurrency: 8, batchSize: 7 });
    // Half the rows are waiting when both start; the rest arrive while they drain, each nudging both.
    const first = await writeRows('two', 20, 4);
    const passes = [a.drain(), b.drain()];
    const second = await writeRows('two-more', 20, 4);
    for (let k = 0; k < 10; k++) passes.push(a.drain(), b.drain());
    await Promise.all(passes);
    await Promise.all([a.drain(), b.drain()]);
    const expected = new Map([...first, ...second]);

    expect(Object.fromEntries(temporal.received)).toEqual(Object.fromEntries(expected));
    expect([...temporal.deliveries.values()].every((n) => n === 1)).toBe(true);
    expect(temporal.deliveries.size).toBe(200);
    const [left] = await sql<{ n: string }>(`select count(*) as n from workflow_outbox where delivered_at is null`);
    expect(Number(left!.n)).toBe(0);
  });

  it('two relays each on a database connection of its own (not the request pool) keep the same order and once-only', async () => {
    const temporal = new RecordingTemporal(3);
    const a = new OutboxRelay(db.orm, temporal.client, 'q', quiet, { concurrency: 8, batchSize: 7, ownConnection: true });
    const b = new OutboxRelay(db.orm, temporal.client, 'q', quiet, { concurrency: 8, batchSize: 7, ownConnection: true });
    try {
      const first = await writeRows('own', 12, 3);
      const passes = [a.drain(), b.drain()];
      const second = await writeRows('own-more', 12, 3);
      for (let k = 0; k < 6; k++) passes.push(a.drain(), b.drain());
      await Promise.all(passes);
      await Promise.all([a.drain(), b.drain()]);
      expect(Object.fromEntries(temporal.received)).toEqual(Object.fromEntries(new Map([...first, ...second])));
      expect([...temporal.deliveries.values()].every((n) => n === 1)).toBe(true);
      const [left] = await sql<{ n: string }>(`select count(*) as n from workflow_outbox where delivered_at is null`);
      expect(Number(left!.n)).toBe(0);
      // The relays' batches ran on their own connections (named for it), never one of the ORM pool's.
      const [own] = await sql<{ n: string }>(`select count(*) as n from pg_stat_activity where application_name = 'anxin-outbox-relay'`);
      expect(Number(own!.n)).toBeGreaterThanOrEqual(1);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  it('a stop waits for the batch in hand only so long, and leaves its rows pending for the next relay', async () => {
    await sql(`select outbox_append('START', 'caseLifecycle', 'stuck-1', null, '[]'::jsonb)`);
    // A Temporal call that does not answer (a server already gone, its client retrying).
    let answer!: () => void;
    let called!: () => void;
    const calledOnce = new Promise<void>((r) => (called = r));
    const client = {
      workflow: {
        start: () => {
          called();
          return new Promise<void>((r) => (answer = r));
        },
      },
    } as unknown as Client;
    const relay = new OutboxRelay(db.orm, client, 'q', quiet, { stopWaitMs: 200, ownConnection: true });
    const drained = relay.drain();
    await calledOnce;
    const stopped = await Promise.race([relay.stop().then(() => 'stopped'), new Promise((r) => setTimeout(() => r('waiting'), 3_000))]);
    expect(stopped).toBe('stopped');
    const [left] = await sql<{ n: string }>(`select count(*) as n from workflow_outbox where delivered_at is null`);
    expect(Number(left!.n)).toBe(1);
    answer(); // let the abandoned batch finish so the test leaves nothing behind
    await drained;
  });

  describe('against a real Temporal server', () => {
    let temporal: TestWorkflowEnvironment;
    beforeAll(async () => {
      temporal = await startDevServer();
    });
    afterAll(async () => {
      await temporal?.teardown();
    });

    it("two relays at once: each workflow's history has its start first and its signals once each, in the order written", async () => {
      // No worker polls this queue: Temporal's history is the record of what arrived, and in which order.
      const expected = await writeRows('real', 24, 4);
      const a = new OutboxRelay(db.orm, temporal.client, 'outbox-order-nobody', quiet, { concurrency: 8, batchSize: 10 });
      const b = new OutboxRelay(db.orm, temporal.client, 'outbox-order-nobody', quiet, { concurrency: 8, batchSize: 10 });
      await Promise.all([a.drain(), b.drain(), a.drain(), b.drain()]);
      const [left] = await sql<{ n: string }>(`select count(*) as n from workflow_outbox where delivered_at is null`);
      expect(Number(left!.n)).toBe(0);
      for (const [workflowId, rows] of expected) {
        const history = await temporal.client.workflow.getHandle(workflowId).fetchHistory();
        const arrived = (history.events ?? []).flatMap((e): Array<string | number> => {
          if (e.workflowExecutionStartedEventAttributes) return ['start'];
          const signal = e.workflowExecutionSignaledEventAttributes;
          if (!signal) return [];
          const payload = defaultPayloadConverter.fromPayload<{ deliveryId: number }>(signal.input!.payloads![0]!);
          return [payload.deliveryId];
        });
        expect({ workflowId, arrived }).toEqual({ workflowId, arrived: rows });
      }
    });
  });
});
