import { systemClock } from '../../src/core/execution-context';
import { randomUUID } from 'node:crypto';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { Actor } from '../../src/api/context';
import type { TestContext as RequestContext } from './test-services';
import { createLoaders } from '../../src/db/loaders';
import { createServices, type TestServices as Services } from './test-services';
import { Agency, type User } from '../../src/agencies/agency.entity';
import { OutboxRelay } from '../../src/outbox/outbox-relay';
import type { ProcessStepInput } from '../../src/processes/process-step.contract';
import { createCaseActivities } from '../../src/worker/case-activities';
import { createTestDatabase, type TestDatabase } from './database';
import { loadTestCity } from './fixtures';
import { testLog } from './logger';
import { startTimeSkippingServer, workflowBundle } from './temporal';

/**
 * One time-skipping Temporal server, a worker with the real activities and an outbox relay that delivers after
 * every commit, over a test database: what the cross-agency process tests run against. `holdStep` lets a test
 * hold one kind of step in flight (a workflow "still being set up").
 */
export interface ProcessHarness {
  /**
   * The time-skipping server. It (1.38) keeps time skipping locked for good once a workflow completes while an
   * activity of its own is still running, or a child it abandoned completes after it: its report to the completed
   * workflow fails before the lock is let go. `env.sleep` then waits in real time and the test hangs until jest's
   * timeout. Workflows therefore end only after their own activities (`caseTagsSettled`); a test skips no time after a
   * child has outlived its parent.
   */
  env: TestWorkflowEnvironment;
  services: Services;
  relay: OutboxRelay;
  as(user: User): RequestContext;
  anonymous(): RequestContext;
  /** A process step taken through the API's service as `user`. */
  step(user: User, processId: string, update: string, args?: Record<string, unknown>): ReturnType<Services['processes']['step']>;
  /** The case file, oldest first. */
  fileOf(caseId: string): Promise<Array<{ type: string; payload: Record<string, unknown>; actor_agency_id: string | null }>>;
  holdStep(eventType: string): () => void;
  /**
   * A workflow's result, awaited without letting the server skip time. The time-skipping client's `result()` unlocks
   * skipping while it waits, and the server may jump to the next timer of any workflow (a case's 60-working-day
   * resolution clock) before it locks again: an escalation then lands while the test reads the case file. For a
   * workflow that ends without time passing.
   */
  finished(workflowId: string): ReturnType<WorkflowHandle['result']>;
  stop(): Promise<void>;
}

export async function startProcessHarness(db: TestDatabase, taskQueue: string): Promise<ProcessHarness> {
  const env = await startTimeSkippingServer();
  const relay = new OutboxRelay(db.orm, env.client, taskQueue, testLog);
  const nudge = () => void relay.drain().catch(() => undefined);
  const services = createServices({
    orm: db.orm,
    temporal: Connection.lazy({ address: '127.0.0.1:1' }),
    workflowClient: env.client,
    outboxNudge: nudge,
  });
  const activities = createCaseActivities({ orm: db.orm, log: testLog, services });
  const plainClient = new Client({ connection: env.connection, namespace: env.namespace });
  const holds = new Map<string, Promise<void>>();
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await workflowBundle(),
    activities: {
      ...activities,
      async recordProcessStep(input: ProcessStepInput) {
        await holds.get(input.event.type);
        return activities.recordProcessStep(input);
      },
    },
  });
  const running = worker.run();
  const kinds = new Map((await db.orm.em.fork().find(Agency, {})).map((a) => [a.id, a.kind]));
  const context = (actor?: Actor): RequestContext => {
    const em = db.orm.em.fork();
    return { requestId: randomUUID(), log: testLog, em, services, loaders: createLoaders(em), actor, clock: systemClock };
  };
  const harness: ProcessHarness = {
    env,
    services,
    relay,
    as: (user) => context({ userId: user.id, agencyId: user.agency, agencyKind: kinds.get(user.agency), roles: user.roles }),
    anonymous: () => context(),
    step(user, processId, update, args = {}) {
      return services.processes.step(harness.as(user), { processId, update, args });
    },
    finished: (workflowId) => plainClient.workflow.getHandle(workflowId).result(),
    fileOf: (caseId) =>
      db.orm.em
        .fork()
        .getConnection()
        .execute(`select type, payload, actor_agency_id from case_event where case_id = ? order by seq`, [caseId]),
    holdStep(eventType) {
      let release!: () => void;
      holds.set(eventType, new Promise<void>((r) => (release = r)));
      return () => {
        holds.delete(eventType);
        release();
      };
    },
    async stop() {
      await relay.stop();
      worker.shutdown();
      await running;
      await env.teardown();
    },
  };
  return harness;
}

export type TestCity = Awaited<ReturnType<typeof loadTestCity>>;

/**
 * The hooks a process suite needs: a database with the test city for the file, and a fresh harness for each test.
 * Fresh per test because deadlines are computed from the wall clock: each test starts its skipped days now.
 * Read the fields inside tests (`s.h`, `s.city`): the harness changes from one test to the next.
 */
export function useProcessHarness(taskQueue: string): { readonly db: TestDatabase; readonly city: TestCity; readonly h: ProcessHarness } {
  let db: TestDatabase | undefined;
  let city: TestCity | undefined;
  let h: ProcessHarness | undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
    city = await loadTestCity(db.orm.em.fork());
  });
  afterAll(async () => {
    await db?.drop();
  });
  beforeEach(async () => {
    h = await startProcessHarness(db!, taskQueue);
  });
  afterEach(async () => {
    await h?.stop();
  });
  return {
    get db() {
      return db!;
    },
    get city() {
      return city!;
    },
    get h() {
      return h!;
    },
  };
}
