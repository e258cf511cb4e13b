import { randomUUID } from 'node:crypto';
import { Connection } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { Actor, RequestContext } from '../../src/api/context';
import { createLoaders } from '../../src/api/loaders';
import { createServices, type Services } from '../../src/api/services';
import { Agency, type User } from '../../src/agencies/agency.entity';
import { OutboxRelay } from '../../src/outbox/outbox-relay';
import type { ProcessStepInput } from '../../src/processes/process-step';
import { createCaseActivities } from '../../src/worker/case-activities';
import type { TestDatabase } from './database';
import { testLog } from './logger';
import { startTimeSkippingServer, workflowBundle } from './temporal';

/**
 * One time-skipping Temporal server, a worker with the real activities and an outbox relay that delivers after
 * every commit, over a test database: what the cross-agency process tests run against. `holdStep` lets a test
 * hold one kind of step in flight (a workflow "still being set up").
 */
export interface ProcessHarness {
  env: TestWorkflowEnvironment;
  services: Services;
  relay: OutboxRelay;
  as(user: User): RequestContext;
  anonymous(): RequestContext;
  holdStep(eventType: string): () => void;
  stop(): Promise<void>;
}

export async function startProcessHarness(db: TestDatabase, taskQueue: string): Promise<ProcessHarness> {
  const env = await startTimeSkippingServer();
  const relay = new OutboxRelay(db.orm, env.client, taskQueue, testLog);
  const nudge = () => void relay.drain().catch(() => undefined);
  const services = createServices({ orm: db.orm, temporal: Connection.lazy({ address: '127.0.0.1:1' }), workflowClient: env.client, outboxNudge: nudge });
  const activities = createCaseActivities({ orm: db.orm, log: testLog, services });
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
    return { requestId: randomUUID(), log: testLog, em, services, loaders: createLoaders(em), actor, config: { cases: { repeatComplaintWindowDays: 30 } } };
  };
  return {
    env,
    services,
    relay,
    as: (user) => context({ userId: user.id, agencyId: user.agency, agencyKind: kinds.get(user.agency), roles: user.roles }),
    anonymous: () => context(),
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
}
