import { Connection } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { Agency, User } from '../../src/agencies/agency.entity';
import type { TestContext as RequestContext } from './test-services';
import { createServices, requestAs, type TestServices as Services } from './test-services';
import { OutboxRelay } from '../../src/outbox/outbox-relay';
import { createCaseActivities } from '../../src/worker/case-activities';
import { searchAttributesRegistered } from '../../src/worker/search-attributes-registered';
import { startTestApi, testWebhookTargets, type TestApi } from './api';
import { createTestDatabase, type TestDatabase } from './database';
import { loadTestCity } from './fixtures';
import { testLog } from './logger';
import { startDevServer, workflowBundle } from './temporal';

/**
 * The whole system for a test file, live: a test database with the test city, a Temporal dev server, the API over
 * HTTP, an outbox relay that delivers after every commit, and a worker with the real activities (restartable).
 */
export interface LiveStack {
  db: TestDatabase;
  temporal: TestWorkflowEnvironment;
  city: Awaited<ReturnType<typeof loadTestCity>>;
  api: TestApi;
  relay: OutboxRelay;
  services: Services;
  /** The services as a user of an agency, as the API would call them for that user's token. */
  as(user: User, agency: Agency): RequestContext;
  /** Delivers the outbox until it is empty. */
  settle(): Promise<void>;
  startWorker(): Promise<{ stop(): Promise<void> }>;
  stop(): Promise<void>;
}

export async function startLiveStack(taskQueue: string, opts: { searchAttributes?: boolean } = {}): Promise<LiveStack> {
  const [db, temporal] = await Promise.all([createTestDatabase(), startDevServer({ searchAttributes: opts.searchAttributes })]);
  const city = await loadTestCity(db.orm.em.fork());
  const relay = new OutboxRelay(db.orm, temporal.client, taskQueue, testLog);
  relay.start(100);
  const nudge = () => void relay.drain().catch(() => undefined);
  const api = await startTestApi({ orm: db.orm, temporalAddress: temporal.address, workflowClient: temporal.client, outboxNudge: nudge });
  const services = createServices({
    orm: db.orm,
    temporal: Connection.lazy({ address: temporal.address }),
    workflowClient: temporal.client,
    outboxNudge: nudge,
    webhookTargets: testWebhookTargets,
  });
  const workers: Array<{ stop(): Promise<void> }> = [];

  async function startWorker() {
    const worker = await Worker.create({
      connection: temporal.nativeConnection,
      taskQueue,
      workflowBundle: await workflowBundle(),
      activities: createCaseActivities({
        orm: db.orm,
        log: testLog,
        services,
        // The workflows tag themselves only where asked to and the dev server has the attributes.
        ...(opts.searchAttributes ? { searchAttributesRegistered: searchAttributesRegistered(temporal.connection) } : {}),
      }),
    });
    const running = worker.run();
    const handle = {
      async stop() {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await running;
      },
    };
    workers.push(handle);
    return handle;
  }

  return {
    db,
    temporal,
    city,
    api,
    relay,
    services,
    as: (user, agency) => requestAs(db.orm, services, user, agency),
    async settle() {
      while ((await relay.drain()) > 0);
    },
    startWorker,
    async stop() {
      for (const w of workers) await w.stop().catch(() => undefined);
      await relay.stop();
      await api.stop();
      await temporal.teardown();
      await db.drop();
    },
  };
}
