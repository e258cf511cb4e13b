import { Connection } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { TestContext as RequestContext } from './support/test-services';
import { createServices, requestAs } from './support/test-services';
import { caseWorkflowId } from '../src/cases/case-workflow';
import { OutboxRelay } from '../src/outbox/outbox-relay';
import { createCaseActivities } from '../src/worker/case-activities';
import { searchAttributesRegistered } from '../src/worker/search-attributes-registered';
import { caseLifecycleStateQuery } from '../workflows';
import { createTestDatabase, type TestDatabase } from './support/database';
import { loadTestCity } from './support/fixtures';
import { testLog } from './support/logger';
import { startDevServer, workflowBundle } from './support/temporal';

/**
 * Issue 16: the outbox relay starts a case's workflow with its five search attributes (case number, region, owning
 * agency, process kind, status), read for the whole batch in the relay's own query, so the workflow does not read
 * them through the `caseSearchFacts` activity at start. On a dev server with the attributes registered, with the
 * real activities (which would answer that read), and the relay on a database connection of its own.
 */
describe('outbox relay: workflows start with their search attributes', () => {
  let db: TestDatabase;
  let city: Awaited<ReturnType<typeof loadTestCity>>;
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let running: Promise<void>;
  const taskQueue = 'relay-search-attributes';

  beforeAll(async () => {
    [db, env] = await Promise.all([createTestDatabase(), startDevServer({ searchAttributes: true })]);
    city = await loadTestCity(db.orm.em.fork());
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: await workflowBundle(),
      activities: createCaseActivities({
        orm: db.orm,
        log: testLog,
        services: createServices({ orm: db.orm, temporal: Connection.lazy({ address: env.address }) }),
        searchAttributesRegistered: searchAttributesRegistered(env.client.connection),
      }),
    });
    running = worker.run();
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
    await db?.drop();
  });

  function ctx(): RequestContext {
    const services = createServices({ orm: db.orm, temporal: Connection.lazy({ address: '127.0.0.1:1' }) });
    return requestAs(db.orm, services, city.cityDirector, city.cityHrss);
  }

  async function intake(phone: string) {
    const { case: c } = await ctx().services.intake.intake(ctx(), {
      channel: 'WALK_IN',
      contactPhone: phone,
      description: '拖欠工资两个月',
      regionCode: '110102003',
    });
    return c;
  }

  /** The activity types the workflow scheduled, from its history. */
  async function scheduledActivities(workflowId: string): Promise<string[]> {
    const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
    return (history.events ?? []).flatMap((e) =>
      e.activityTaskScheduledEventAttributes ? [e.activityTaskScheduledEventAttributes.activityType!.name!] : [],
    );
  }

  const attributes = async (workflowId: string) =>
    Object.fromEntries(
      (await env.client.workflow.getHandle(workflowId).describe()).typedSearchAttributes.getAll().map((p) => [p.key.name, p.value]),
    );

  it('starts a case’s lifecycle with its five attributes, and the workflow reads none of them through an activity', async () => {
    const c = await intake('13700000101');
    const relay = new OutboxRelay(db.orm, env.client, taskQueue, testLog, { ownConnection: true });
    try {
      expect(await relay.drain()).toBe(1);
    } finally {
      await relay.stop();
    }
    const id = caseWorkflowId(c.id);
    // The first workflow task has run (the query answers after it).
    expect(await env.client.workflow.getHandle(id).query(caseLifecycleStateQuery)).toMatchObject({ phase: 'AWAITING_ACCEPTANCE' });
    expect(await attributes(id)).toMatchObject({
      AnxinCaseNumber: c.number,
      AnxinRegion: '110102003',
      AnxinOwningAgency: c.owningAgency,
      AnxinProcessKind: 'caseLifecycle',
      AnxinCaseStatus: 'RECEIVED',
    });
    expect(await scheduledActivities(id)).not.toContain('caseSearchFacts');
  });

  it('where the relay does not know the attributes registered, starts without them and the workflow reads them itself', async () => {
    const c = await intake('13700000102');
    const relay = new OutboxRelay(db.orm, env.client, taskQueue, testLog, { searchAttributesRegistered: async () => false });
    expect(await relay.drain()).toBe(1);
    const id = caseWorkflowId(c.id);
    for (let tries = 0; !(await attributes(id)).AnxinCaseNumber && tries < 100; tries++) await new Promise((r) => setTimeout(r, 100));
    expect(await attributes(id)).toMatchObject({
      AnxinCaseNumber: c.number,
      AnxinProcessKind: 'caseLifecycle',
      AnxinCaseStatus: 'RECEIVED',
    });
    expect(await scheduledActivities(id)).toContain('caseSearchFacts');
  });
});
