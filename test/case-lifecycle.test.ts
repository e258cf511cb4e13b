import { Connection } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { TestContext as RequestContext } from './support/test-services';
import { createServices, requestAs } from './support/test-services';
import { caseWorkflowId } from '../src/cases/case-workflow';
import { OutboxRelay } from '../src/outbox/outbox-relay';
import { createCaseActivities } from '../src/worker/case-activities';
import { caseLifecycleStateQuery } from '../workflows';
import { createTestDatabase, type TestDatabase } from './support/database';
import { loadTestCity } from './support/fixtures';
import { testLog } from './support/logger';
import { startTimeSkippingServer, workflowBundle } from './support/temporal';

/**
 * The case lifecycle workflow on the time-skipping server, fed by the transactional outbox: the API's
 * transaction writes the workflow start or signal; a relay delivers it; a crash in between loses nothing.
 */
describe('case lifecycle workflow and the workflow outbox', () => {
  let db: TestDatabase;
  let city: Awaited<ReturnType<typeof loadTestCity>>;
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let running: Promise<void>;
  const taskQueue = 'case-lifecycle-test';

  beforeAll(async () => {
    db = await createTestDatabase();
    city = await loadTestCity(db.orm.em.fork());
  });
  afterAll(async () => {
    await db?.drop();
  });
  // A fresh test server per test: the database's clock is the wall clock, so each test's skipped days must
  // start from now, not from where the previous test left the server's clock.
  beforeEach(async () => {
    env = await startTimeSkippingServer();
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: await workflowBundle(),
      activities: createCaseActivities({
        orm: db.orm,
        log: testLog,
        services: createServices({ orm: db.orm, temporal: Connection.lazy({ address: '127.0.0.1:1' }) }),
      }),
    });
    running = worker.run();
  });
  afterEach(async () => {
    worker.shutdown();
    await running;
    await env.teardown();
  });

  /** A request context as the API builds it; `outboxNudge` does nothing, as if the API died right after commit. */
  function ctx(): RequestContext {
    const services = createServices({ orm: db.orm, temporal: Connection.lazy({ address: '127.0.0.1:1' }) });
    return requestAs(db.orm, services, city.cityDirector, city.cityHrss);
  }
  const relay = () => new OutboxRelay(db.orm, env.client, taskQueue, testLog);

  const escalations = async (caseId: string) =>
    (
      await db.orm.em
        .fork()
        .getConnection()
        .execute<Array<{ kind: string }>>(
          `select payload->>'kind' as kind from case_event where case_id = ? and type = 'ESCALATED' order by seq`,
          [caseId],
        )
    ).map((r) => r.kind);
  const untilPast = async (due: Date) => {
    const now = await env.currentTimeMs();
    await env.sleep(Math.max(1, due.getTime() - now + 60_000));
  };

  it('starts the workflow from the outbox after the API died between commit and Temporal call, exactly once', async () => {
    const { case: c } = await ctx().services.intake.intake(ctx(), {
      channel: 'WALK_IN',
      contactPhone: '13700000001',
      description: '拖欠工资两个月',
      regionCode: '110102003',
    });
    const handle = env.client.workflow.getHandle(caseWorkflowId(c.id));
    await expect(handle.describe()).rejects.toThrow(); // nothing reached Temporal

    expect(await relay().drain()).toBe(1); // a relay after the restart delivers it
    expect(await relay().drain()).toBe(0);
    const first = await handle.describe();
    expect(first.status.name).toBe('RUNNING');
    // A second delivery of the same start (a crash after start, before marking) is "already started": same run.
    await db.orm.em
      .fork()
      .getConnection()
      .execute(`update workflow_outbox set delivered_at = null where workflow_id = ?`, [caseWorkflowId(c.id)]);
    expect(await relay().drain()).toBe(1);
    expect((await handle.describe()).runId).toBe(first.runId);
    expect(await handle.query(caseLifecycleStateQuery)).toMatchObject({ phase: 'AWAITING_ACCEPTANCE', contacted: false });
  });

  it('escalates a missed same-day contact and then a missed acceptance, each once, into the case file', async () => {
    const { case: c } = await ctx().services.intake.intake(ctx(), {
      channel: 'WALK_IN',
      contactPhone: '13700000002',
      description: '工地拖欠工资',
      regionCode: '110102003',
    });
    await relay().drain();
    const handle = env.client.workflow.getHandle(caseWorkflowId(c.id));

    await untilPast(c.sameDayContactDue);
    expect(await escalations(c.id)).toEqual(['SAME_DAY_CONTACT_MISSED']);
    expect((await handle.query(caseLifecycleStateQuery)).openDeadlines.map((d) => d.name)).toEqual(['sameDayContact', 'acceptance']);

    await untilPast(c.acceptanceDue); // 5 working days: the real duration, skipped
    expect(await escalations(c.id)).toEqual(['SAME_DAY_CONTACT_MISSED', 'ACCEPTANCE_OVERDUE']);
    // The escalations bumped the case version, and each has its own entry in the file.
    const file = await db.orm.em
      .fork()
      .getConnection()
      .execute<Array<{ seq: number; type: string }>>(`select seq, type from case_event where case_id = ? order by seq`, [c.id]);
    expect(file).toEqual([
      { seq: 1, type: 'RECEIVED' },
      { seq: 2, type: 'ESCALATED' },
      { seq: 3, type: 'ESCALATED' },
    ]);
  });

  it('stops the clocks a timely contact and acceptance settle; a signal delivered twice is applied once', async () => {
    const { case: c } = await ctx().services.intake.intake(ctx(), {
      channel: 'WALK_IN',
      contactPhone: '13700000003',
      description: '项目部拖欠工资',
      projectCode: 'XC-2026-001',
    });
    // The contact is recorded before the relay has even started the workflow: the signal waits its turn, kept.
    await ctx().services.cases.recordContact(ctx(), { caseId: c.id, kind: 'CALL', outcome: 'REACHED' });
    expect(await relay().drain()).toBe(2);
    await db.orm.em
      .fork()
      .getConnection()
      .execute(`update workflow_outbox set delivered_at = null where workflow_id = ? and action = 'SIGNAL'`, [caseWorkflowId(c.id)]);
    expect(await relay().drain()).toBe(1); // redelivered …
    const handle = env.client.workflow.getHandle(caseWorkflowId(c.id));
    expect(await handle.query(caseLifecycleStateQuery)).toMatchObject({ contacted: true }); // … and harmless

    const accepted = await ctx().services.cases.acceptCase(ctx(), { caseId: c.id });
    await relay().drain();
    await untilPast(c.acceptanceDue);
    expect(await escalations(c.id)).toEqual([]);
    const state = await handle.query(caseLifecycleStateQuery);
    expect(state).toMatchObject({ phase: 'IN_HANDLING', escalations: [] });
    expect(state.openDeadlines).toEqual([{ name: 'resolution', due: accepted.resolutionDue!.toISOString(), waitingOn: 'lead inspector' }]);

    // Paid in full: the case resolves and its workflow ends without a resolution escalation.
    await ctx().services.cases.recordPayment(ctx(), {
      caseId: c.id,
      amountFen: 100_000,
      workersPaid: 3,
      paidOn: '2026-11-24',
      payer: '北京城建某工程有限公司',
      source: 'GENERAL_CONTRACTOR',
      settlesCase: true,
    });
    await relay().drain();
    expect(await handle.result()).toEqual({ phase: 'ENDED', escalations: [] });
  });
});
