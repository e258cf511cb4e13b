import { Connection } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { caseLifecycleInput, caseWorkflowId } from '../src/cases/case-workflow';
import { createCaseActivities } from '../src/worker/case-activities';
import { caseLifecycle, caseLifecycleStateQuery, caseStepSignal, LATE_STEP_AS_OF_PATCH } from '../workflows';
import { createTestDatabase, type TestDatabase } from './support/database';
import { addProject, loadTestCity } from './support/fixtures';
import { eventsOf, patchIds, type HistoryEvent } from './support/history';
import { testLog } from './support/logger';
import { startTimeSkippingServer, workflowBundle } from './support/temporal';
import { createServices, requestAs, type TestContext as RequestContext } from './support/test-services';

/**
 * A lifecycle clock kept by the case's own timer (a deadline minutes away; deadline groups hold the rest) is judged
 * as the case stood at its deadline, read from the case file (escalate_clock_at), as the deadline groups' sweep
 * judges theirs (test/deadline-groups.test.ts): a step taken before the deadline whose signal reached the workflow
 * after its timer escalates nothing; a step taken after it, heard of together with the timer, still leaves the
 * clock missed. Before, the workflow went by the order in which it heard of the two, both ways wrong.
 */
describe('a clock on its own timer is judged on the case file at its deadline', () => {
  let db: TestDatabase;
  let city: Awaited<ReturnType<typeof loadTestCity>>;
  let env: TestWorkflowEnvironment;
  const taskQueue = 'own-clock-as-of-test';

  beforeAll(async () => {
    db = await createTestDatabase();
    city = await loadTestCity(db.orm.em.fork());
    env = await startTimeSkippingServer();
  });
  afterAll(async () => {
    await env?.teardown();
    await db?.drop();
  });

  function ctx(): RequestContext {
    const services = createServices({ orm: db.orm, temporal: Connection.lazy({ address: '127.0.0.1:1' }) });
    return requestAs(db.orm, services, city.cityDirector, city.cityHrss);
  }
  const activities = () =>
    createCaseActivities({
      orm: db.orm,
      log: testLog,
      services: createServices({ orm: db.orm, temporal: Connection.lazy({ address: '127.0.0.1:1' }) }),
    });
  const sql = () => db.orm.em.fork().getConnection();
  /**
   * A walk-in complaint on a project of its own like the city's (its employer known, so it can be accepted; complaints
   * about one project join one case), not yet contacted.
   */
  const walkIn = async (contactPhone: string) => {
    const projectCode = (await addProject(db.orm.em.fork(), city.project)).code;
    return (await ctx().services.intake.intake(ctx(), { channel: 'WALK_IN', contactPhone, description: '工地拖欠工资', projectCode })).case;
  };
  const escalations = async (caseId: string) =>
    (
      await sql().execute<Array<{ kind: string }>>(
        `select payload->>'kind' as kind from case_event where case_id = ? and type = 'ESCALATED' order by seq`,
        [caseId],
      )
    ).map((r) => r.kind);
  /** No workflow cache: a worker gone leaves no sticky queue for the next one to wait out. */
  const worker = async () =>
    Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: await workflowBundle(),
      activities: activities(),
      maxCachedWorkflows: 0,
    });

  /** The workflow's history once `ready` holds of it (a task completes a moment after its activity wrote), or after 15 s. */
  const historyWhen = async (
    handle: { fetchHistory(): Promise<Parameters<typeof eventsOf>[0]> },
    ready: (events: HistoryEvent[]) => boolean,
  ) => {
    let events = eventsOf(await handle.fetchHistory());
    for (let i = 0; i < 150 && !ready(events); i++) {
      await new Promise((r) => setTimeout(r, 100));
      events = eventsOf(await handle.fetchHistory());
    }
    return events;
  };
  /** The case's escalations once there are any, or after 10 s. */
  const escalationsOnceWritten = async (caseId: string) => {
    for (let i = 0; i < 100 && (await escalations(caseId)).length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    return escalations(caseId);
  };
  const hasLateStepPatch = (events: HistoryEvent[]) => patchIds(events).includes(LATE_STEP_AS_OF_PATCH);

  it('the activity writes only a clock still open as the case stood at the deadline, and says so', async () => {
    const inTime = await walkIn('13700000411');
    const late = await walkIn('13700000412');
    await ctx().services.cases.acceptCase(ctx(), { caseId: inTime.id });
    const due = new Date(Date.now() + 300);
    await sql().execute('update wage_case set acceptance_due = ? where id in (?, ?)', [due, inTime.id, late.id]);
    await new Promise((r) => setTimeout(r, due.getTime() - Date.now() + 50));
    await ctx().services.cases.acceptCase(ctx(), { caseId: late.id });

    const escalation = (caseId: string) => ({ caseId, kind: 'ACCEPTANCE_OVERDUE', deadline: due.toISOString(), escalateTo: 'SUPERVISOR' });
    expect(await activities().recordEscalation(escalation(inTime.id))).toEqual({ recorded: false, escalated: false });
    expect(await activities().recordEscalation(escalation(late.id))).toEqual({ recorded: true, escalated: true });
    // A retry finds the entry: nothing written, and the workflow is still told the clock was escalated.
    expect(await activities().recordEscalation(escalation(late.id))).toEqual({ recorded: false, escalated: true });
    expect(await escalations(inTime.id)).toEqual([]);
    expect(await escalations(late.id)).toEqual(['ACCEPTANCE_OVERDUE']);
    // A deadline the case does not have (moved since) escalates nothing.
    const moved = { ...escalation(late.id), kind: 'RESOLUTION_OVERDUE', escalateTo: 'DIRECTOR' };
    expect(await activities().recordEscalation(moved)).toEqual({ recorded: false, escalated: false });
  });

  it('a case accepted after the deadline, heard of together with the timer, is escalated', async () => {
    const c = await walkIn('13700000431');
    // A deadline seconds away (its clock keeps a timer of the case's own), far enough for the first worker to be gone.
    const acceptanceDue = new Date(Math.max(Date.now(), await env.currentTimeMs()) + 8000);
    await sql().execute('update wage_case set acceptance_due = ? where id = ?', [acceptanceDue, c.id]);
    // Contacted at intake as far as this workflow knows, so only the acceptance clock runs.
    const handle = await env.client.workflow.start(caseLifecycle, {
      taskQueue,
      workflowId: caseWorkflowId(c.id),
      args: [{ ...caseLifecycleInput(c), contacted: true, acceptanceDue: acceptanceDue.toISOString() }],
    });
    // A worker sets the clock, then is gone past the deadline.
    const first = await worker();
    await first.runUntil(() => historyWhen(handle, (events) => events.some((e) => e.timerStartedEventAttributes)));
    expect(Date.now()).toBeLessThan(acceptanceDue.getTime()); // gone before the timer fired
    while (Date.now() <= acceptanceDue.getTime() + 200) await new Promise((r) => setTimeout(r, 100));
    // Accepted after the deadline; the relay's signal reaches the workflow before any worker is back.
    await ctx().services.cases.acceptCase(ctx(), { caseId: c.id });
    await handle.signal(caseStepSignal, { deliveryId: 1, step: 'ACCEPTED' });
    // The next worker gets the fired timer and the signal in one task: the step is done, but late.
    const second = await worker();
    await second.runUntil(async () => {
      expect(await escalationsOnceWritten(c.id)).toEqual(['ACCEPTANCE_OVERDUE']);
      const events = await historyWhen(handle, hasLateStepPatch);
      // Heard of together: one task after the start holds the fired timer and the signal, and the patch's marker.
      expect(patchIds(events)).toContain(LATE_STEP_AS_OF_PATCH);
      expect((await handle.query(caseLifecycleStateQuery)).escalations).toEqual(['ACCEPTANCE_OVERDUE']);
      await handle.terminate('test over');
    });
  });

  it('a case accepted after the deadline, its workflow started with the step already heard of, is escalated', async () => {
    const c = await walkIn('13700000441');
    // The deadline passed while no worker ran (a worker down since intake): the start and the step's signal arrive together.
    const acceptanceDue = new Date(Date.now() - 1000);
    await sql().execute('update wage_case set acceptance_due = ? where id = ?', [acceptanceDue, c.id]);
    await ctx().services.cases.acceptCase(ctx(), { caseId: c.id });
    const handle = await env.client.workflow.start(caseLifecycle, {
      taskQueue,
      workflowId: caseWorkflowId(c.id),
      args: [{ ...caseLifecycleInput(c), contacted: true, acceptanceDue: acceptanceDue.toISOString() }],
    });
    await handle.signal(caseStepSignal, { deliveryId: 1, step: 'ACCEPTED' });
    const w = await worker();
    await w.runUntil(async () => {
      expect(await escalationsOnceWritten(c.id)).toEqual(['ACCEPTANCE_OVERDUE']);
      // No timer: the clock was done when set, and judged on the file at once.
      const events = await historyWhen(handle, hasLateStepPatch);
      expect(events.filter((e) => e.timerStartedEventAttributes)).toEqual([]);
      expect(patchIds(events)).toContain(LATE_STEP_AS_OF_PATCH);
      await handle.terminate('test over');
    });
  });

  it('a case accepted before the deadline, its signal lost, is not escalated when the timer fires', async () => {
    const c = await walkIn('13700000421');
    // Accepted in the database; the relay never runs, so the workflow does not hear of it.
    await ctx().services.cases.acceptCase(ctx(), { caseId: c.id });
    // Deadlines seconds away (each clock keeps a timer of the case's own), waited for in real time: no test in this
    // file skips the server's clock, so its time and the database's are one.
    const now = Math.max(Date.now(), await env.currentTimeMs());
    const sameDayContactDue = new Date(now + 2000);
    const acceptanceDue = new Date(now + 3000);
    await sql().execute('update wage_case set same_day_contact_due = ?, acceptance_due = ? where id = ?', [
      sameDayContactDue,
      acceptanceDue,
      c.id,
    ]);
    const w = await worker();
    await w.runUntil(async () => {
      const handle = await env.client.workflow.start(caseLifecycle, {
        taskQueue,
        workflowId: caseWorkflowId(c.id),
        args: [
          {
            ...caseLifecycleInput(c),
            sameDayContactDue: sameDayContactDue.toISOString(),
            acceptanceDue: acceptanceDue.toISOString(),
          },
        ],
      });
      // Both timers fired and each asked the case file (a local activity each): nothing escalated, and the workflow knows it.
      const asked = (events: HistoryEvent[]) =>
        events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity').length;
      expect(asked(await historyWhen(handle, (events) => asked(events) >= 2))).toBe(2);
      expect((await handle.query(caseLifecycleStateQuery)).escalations).toEqual([]);
      expect(await escalations(c.id)).toEqual([]);
      await handle.terminate('test over');
    });
  });
});
