import { Client, Connection } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { LockMode } from '@mikro-orm/core';
import { Case } from '../src/cases/case.entity';
import { appendCaseEvent, snapshot } from '../src/cases/case-file';
import { caseLifecycleInput, caseWorkflowId } from '../src/cases/case-workflow';
import { OutboxRelay } from '../src/outbox/outbox-relay';
import { createCaseActivities } from '../src/worker/case-activities';
import { caseLifecycle, DEADLINE_GROUP_MIN_LEAD_MS, DEADLINE_GROUPS_PATCH } from '../workflows';
import { deadlineGroupId } from '../workflows/deadline-group';
import { createTestDatabase, type TestDatabase } from './support/database';
import { addProject, loadTestCity } from './support/fixtures';
import { eventsOf, markerNames, patchIds, type HistoryEvent } from './support/history';
import { testLog } from './support/logger';
import { startTimeSkippingServer, workflowBundle } from './support/temporal';
import { createServices, requestAs, type TestContext as RequestContext } from './support/test-services';

const timersOf = (events: HistoryEvent[]) => events.filter((e) => e.timerStartedEventAttributes);
const localActivityMarkers = (events: HistoryEvent[]) => markerNames(events).filter((m) => m === 'core_local_activity');

/**
 * The lifecycle's clocks held by deadline groups (workflows/deadline-group.ts): every case whose clock runs out at one
 * instant joins that instant's group, whose one timer escalates them all from the case rows — the deadline storm
 * without a workflow task per case. What a case's own timer guaranteed still holds: each missed clock escalated once,
 * none escalated that was settled in time, a deadline that moves is followed.
 */
describe('deadline groups', () => {
  let db: TestDatabase;
  let city: Awaited<ReturnType<typeof loadTestCity>>;
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let running: Promise<void>;
  const taskQueue = 'deadline-groups-test';

  // A fresh server per test: the database's deadlines are counted from the wall clock, so the skipped days start now.
  // A fresh database too: a sweep escalates every case of its instant, and the tests' cases share instants.
  beforeEach(async () => {
    db = await createTestDatabase();
    city = await loadTestCity(db.orm.em.fork());
    env = await startTimeSkippingServer();
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: await workflowBundle(),
      activities: activities(),
    });
    running = worker.run();
  });
  afterEach(async () => {
    worker.shutdown();
    await running;
    await env.teardown();
    await db.drop();
  });

  const activities = (opts: { dueClockBatch?: number } = {}) =>
    createCaseActivities({
      orm: db.orm,
      log: testLog,
      services: createServices({ orm: db.orm, temporal: Connection.lazy({ address: '127.0.0.1:1' }) }),
      ...opts,
    });
  function ctx(): RequestContext {
    const services = createServices({ orm: db.orm, temporal: Connection.lazy({ address: '127.0.0.1:1' }) });
    return requestAs(db.orm, services, city.cityDirector, city.cityHrss);
  }
  const relay = () => new OutboxRelay(db.orm, env.client, taskQueue, testLog);
  /**
   * A walk-in complaint; on a registered project (its employer known, so it can be accepted) when `onProject`: the
   * city's project, or the code of one of its own (a matter of its own: complaints about one project join one case).
   */
  const walkIn = async (contactPhone: string, onProject: boolean | string = false) =>
    (
      await ctx().services.intake.intake(ctx(), {
        channel: 'WALK_IN',
        contactPhone,
        description: '工地拖欠工资',
        ...(onProject ? { projectCode: onProject === true ? 'XC-2026-001' : onProject } : { regionCode: '110102003' }),
      })
    ).case;
  const ownProject = async () => (await addProject(db.orm.em.fork(), city.project)).code;
  const escalations = async (caseId: string) =>
    (
      await db.orm.em
        .fork()
        .getConnection()
        .execute<Array<{ kind: string; deadline: string; op: string }>>(
          `select payload->>'kind' as kind, payload->>'deadline' as deadline, operation as op
             from case_event where case_id = ? and type = 'ESCALATED' order by seq`,
          [caseId],
        )
    ).map((r) => r.kind);
  const untilPast = async (due: Date) => {
    await env.sleep(Math.max(1, due.getTime() - (await env.currentTimeMs()) + 60_000));
  };
  /**
   * A group's answer, through a plain client: the time-skipping client's `result()` lets the server's clock run while
   * it waits, on to the next group's instant (test/support/process-harness.ts `finished`).
   */
  const groupResult = (due: Date) =>
    new Client({ connection: env.connection }).workflow.getHandle(deadlineGroupId(taskQueue, due.toISOString())).result() as Promise<{
      escalated: number;
      failed: number;
    }>;

  it('escalates every case due at one instant from one timer, once each, and none the database shows settled', async () => {
    const missed = await walkIn('13700000301');
    const alsoMissed = await walkIn('13700000302');
    const reached = await walkIn('13700000303');
    const acceptedUntold = await walkIn('13700000304', true);
    const cases = [missed, alsoMissed, reached, acceptedUntold];
    // Taken in on the same day: the same two instants (24:00 today, 24:00 of the 5th working day).
    for (const c of cases) {
      expect(c.sameDayContactDue).toEqual(missed.sameDayContactDue);
      expect(c.acceptanceDue).toEqual(missed.acceptanceDue);
    }
    await ctx().services.cases.recordContact(ctx(), { caseId: reached.id, kind: 'CALL', outcome: 'REACHED' });
    expect(await relay().drain()).toBe(5); // four starts, one contact signal
    // Accepted in the database, and its workflow never told (the relay is not run again): the case row decides.
    await ctx().services.cases.acceptCase(ctx(), { caseId: acceptedUntold.id });

    // (A complaint taken in within minutes of 24:00 keeps a same-day timer of its own: the group's part is then skipped.)
    const sameDayGrouped = missed.sameDayContactDue.getTime() - (await env.currentTimeMs()) > DEADLINE_GROUP_MIN_LEAD_MS + 60_000;
    await untilPast(missed.acceptanceDue);
    if (sameDayGrouped) expect(await groupResult(missed.sameDayContactDue)).toEqual({ escalated: 2, failed: 0 });
    expect(await groupResult(missed.acceptanceDue)).toEqual({ escalated: 3, failed: 0 });

    expect(await escalations(missed.id)).toEqual(['SAME_DAY_CONTACT_MISSED', 'ACCEPTANCE_OVERDUE']);
    expect(await escalations(alsoMissed.id)).toEqual(['SAME_DAY_CONTACT_MISSED', 'ACCEPTANCE_OVERDUE']);
    expect(await escalations(reached.id)).toEqual(['ACCEPTANCE_OVERDUE']);
    expect(await escalations(acceptedUntold.id)).toEqual([]);
    const entry = (
      await db.orm.em
        .fork()
        .getConnection()
        .execute<Array<{ payload: Record<string, string>; operation: string }>>(
          `select payload, operation from case_event where case_id = ? and type = 'ESCALATED' order by seq desc limit 1`,
          [missed.id],
        )
    )[0]!;
    expect(entry).toEqual({
      payload: { kind: 'ACCEPTANCE_OVERDUE', deadline: missed.acceptanceDue.toISOString(), escalateTo: 'SUPERVISOR' },
      operation: 'workflow:deadlineGroup',
    });

    // The cases' own workflows set no timer and took no task at the instants: the group's marker of each join only.
    for (const c of [missed, alsoMissed]) {
      const events = eventsOf(await env.client.workflow.getHandle(caseWorkflowId(c.id)).fetchHistory());
      expect(patchIds(events)).toContain(DEADLINE_GROUPS_PATCH);
      expect(timersOf(events)).toHaveLength(sameDayGrouped ? 0 : 1);
      expect(localActivityMarkers(events)).toHaveLength(sameDayGrouped ? 2 : 1);
      expect(events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'recordEscalation')).toEqual([]);
    }

    // A second sweep of the same instant (a retried activity, a second group) writes nothing more.
    expect(await activities().escalateDueClocks({ due: missed.acceptanceDue.toISOString() })).toEqual({ escalated: 0, failed: 0 });
    expect(await escalations(missed.id)).toEqual(['SAME_DAY_CONTACT_MISSED', 'ACCEPTANCE_OVERDUE']);
  });

  it('sweeps in batches, and two sweeps of one instant at once write each escalation once', async () => {
    const cases = [];
    for (let i = 0; i < 7; i++) cases.push(await walkIn(`1370000031${i}`));
    const due = cases[0]!.acceptanceDue.toISOString();
    // No workflows: the sweeps alone, three cases per statement, two at once.
    const [a, b] = await Promise.all([
      activities({ dueClockBatch: 3 }).escalateDueClocks({ due }),
      activities({ dueClockBatch: 3 }).escalateDueClocks({ due }),
    ]);
    expect(a.escalated + b.escalated).toBe(7);
    for (const c of cases) expect(await escalations(c.id)).toEqual(['ACCEPTANCE_OVERDUE']);
  });

  it('judges a clock on the case as it stood at the instant: a step taken after it, before the sweep, does not hide the miss', async () => {
    const acceptedLate = await walkIn('13700000321', true);
    const reachedLate = await walkIn('13700000322');
    const acceptedInTime = await walkIn('13700000323', await ownProject());
    await ctx().services.cases.acceptCase(ctx(), { caseId: acceptedInTime.id });
    // Their clocks run out a moment from now (as if taken in days ago); the sweep comes after the late steps.
    const due = new Date(Date.now() + 300);
    const sql = db.orm.em.fork().getConnection();
    await sql.execute('update wage_case set acceptance_due = ? where id in (?, ?)', [due, acceptedLate.id, acceptedInTime.id]);
    await sql.execute('update wage_case set same_day_contact_due = ? where id = ?', [due, reachedLate.id]);
    await new Promise((r) => setTimeout(r, due.getTime() - Date.now() + 50));
    await ctx().services.cases.acceptCase(ctx(), { caseId: acceptedLate.id });
    await ctx().services.cases.recordContact(ctx(), { caseId: reachedLate.id, kind: 'CALL', outcome: 'REACHED' });

    expect(await activities().escalateDueClocks({ due: due.toISOString() })).toEqual({ escalated: 2, failed: 0 });
    expect(await escalations(acceptedLate.id)).toEqual(['ACCEPTANCE_OVERDUE']);
    expect(await escalations(reachedLate.id)).toEqual(['SAME_DAY_CONTACT_MISSED']);
    expect(await escalations(acceptedInTime.id)).toEqual([]);
    // The late steps stand in the file, before the escalation that records what was missed.
    const file = await sql.execute<Array<{ type: string }>>(`select type from case_event where case_id = ? order by seq`, [
      acceptedLate.id,
    ]);
    expect(file.map((e) => e.type).slice(-2)).toEqual(['ACCEPTED', 'ESCALATED']);
  });

  it('escalates a resolution deadline whose extension was written after it ran out', async () => {
    const c = await walkIn('13700000324', true);
    await ctx().services.cases.acceptCase(ctx(), { caseId: c.id });
    const due = new Date(Date.now() + 300);
    await db.orm.em.fork().getConnection().execute('update wage_case set resolution_due = ? where id = ?', [due, c.id]);
    await new Promise((r) => setTimeout(r, due.getTime() - Date.now() + 50));
    // Approved after the instant, written as the lifecycle's step writes it (src/processes/process-step.ts): the
    // deadline it would have moved had already run out.
    const extended = await db.orm.em.fork().transactional(async (em) => {
      const row = await em.findOneOrFail(Case, c.id, { lockMode: LockMode.PESSIMISTIC_WRITE });
      const before = snapshot(row);
      row.resolutionExtendedDue = new Date(due.getTime() + 30 * 86_400_000);
      row.updatedAt = new Date();
      await em.flush();
      em.persist(appendCaseEvent(em, row, 'RESOLUTION_EXTENDED', { before, payload: { reason: '需调取银行流水' } }));
      return row;
    });
    expect(extended.resolutionExtendedDue!.getTime()).toBeGreaterThan(due.getTime());
    expect(await activities().escalateDueClocks({ due: due.toISOString() })).toEqual({ escalated: 1, failed: 0 });
    expect(await escalations(c.id)).toEqual(['RESOLUTION_OVERDUE']);
  });

  it('passes over a case whose entry cannot be written, and escalates every case after it', async () => {
    const cases = [];
    for (let i = 0; i < 5; i++) cases.push(await walkIn(`1370000034${i}`));
    const due = cases[0]!.acceptanceDue.toISOString();
    // The middle case (in the sweep's order, by id) cannot take an ESCALATED entry: a trigger of this test refuses it.
    const sorted = [...cases].sort((x, y) => (x.id < y.id ? -1 : 1));
    const poisoned = sorted[2]!;
    const sql = db.orm.em.fork().getConnection();
    await sql.execute(`create function refuse_escalation_test() returns trigger language plpgsql as $$
      begin
        if new.type = 'ESCALATED' and new.case_id = '${poisoned.id}' then raise exception 'refused by the test'; end if;
        return new;
      end $$`);
    await sql.execute(
      `create trigger refuse_escalation_test before insert on case_event for each row execute function refuse_escalation_test()`,
    );
    // Batches of 2: the failing case's batch is rolled back and run again case by case; the sweep goes on past it.
    expect(await activities({ dueClockBatch: 2 }).escalateDueClocks({ due })).toEqual({ escalated: 4, failed: 1 });
    for (const c of sorted) expect(await escalations(c.id)).toEqual(c.id === poisoned.id ? [] : ['ACCEPTANCE_OVERDUE']);
    // Once the fault is gone, the next sweep writes the one it passed over.
    await sql.execute('drop trigger refuse_escalation_test on case_event');
    expect(await activities({ dueClockBatch: 2 }).escalateDueClocks({ due })).toEqual({ escalated: 1, failed: 0 });
    expect(await escalations(poisoned.id)).toEqual(['ACCEPTANCE_OVERDUE']);
  });

  it('escalates an extended resolution deadline that is missed, even after its first instant was escalated', async () => {
    // The race the per-case timer used to wait out: an extension approved just before the instant, written just
    // after the group swept it. The first deadline's escalation stands (nothing was on record at it); the extended
    // deadline is a deadline of its own, escalated once if it is missed too.
    const c = await walkIn('13700000351', true);
    const accepted = await ctx().services.cases.acceptCase(ctx(), { caseId: c.id });
    const first = accepted.resolutionDue!;
    expect(await activities().escalateDueClocks({ due: first.toISOString() })).toEqual({ escalated: 1, failed: 0 });
    const extended = new Date(first.getTime() + 30 * 86_400_000);
    await db.orm.em.fork().getConnection().execute('update wage_case set resolution_extended_due = ? where id = ?', [extended, c.id]);
    expect(await activities().escalateDueClocks({ due: first.toISOString() })).toEqual({ escalated: 0, failed: 0 });
    expect(await activities().escalateDueClocks({ due: extended.toISOString() })).toEqual({ escalated: 1, failed: 0 });
    expect(await activities().escalateDueClocks({ due: extended.toISOString() })).toEqual({ escalated: 0, failed: 0 });
    const deadlines = await db.orm.em
      .fork()
      .getConnection()
      .execute<Array<{ deadline: string }>>(
        `select payload->>'deadline' as deadline from case_event where case_id = ? and type = 'ESCALATED' order by seq`,
        [c.id],
      );
    expect(deadlines.map((d) => d.deadline)).toEqual([first.toISOString(), extended.toISOString()]);
  });

  it('follows a deadline the calendar moves: the old instant escalates nothing, the new one does', async () => {
    const c = await walkIn('13700000321');
    await ctx().services.cases.recordContact(ctx(), { caseId: c.id, kind: 'CALL', outcome: 'REACHED' });
    expect(await relay().drain()).toBe(2);
    // The holiday calendar moved the acceptance deadline a day later: the row first, then the workflow told.
    const movedDue = new Date(c.acceptanceDue.getTime() + 86_400_000);
    await db.orm.em.fork().getConnection().execute('update wage_case set acceptance_due = ? where id = ?', [movedDue, c.id]);
    await env.client.workflow
      .getHandle(caseWorkflowId(c.id))
      .signal('deadlinesMoved', { deliveryId: 9_001, acceptanceDue: movedDue.toISOString() });

    await untilPast(c.acceptanceDue);
    expect(await groupResult(c.acceptanceDue)).toEqual({ escalated: 0, failed: 0 });
    expect(await escalations(c.id)).toEqual([]);
    await untilPast(movedDue);
    expect(await groupResult(movedDue)).toEqual({ escalated: 1, failed: 0 });
    expect(await escalations(c.id)).toEqual(['ACCEPTANCE_OVERDUE']);
  });

  it('keeps a timer of the case’s own for a deadline minutes away, escalated by the case itself', async () => {
    const c = await walkIn('13700000331');
    const now = await env.currentTimeMs();
    // Same-day contact two minutes away (a complaint taken in at 23:58); acceptance days away, as the rule has it. The
    // case's row says the same: the case's own escalation is judged on its file at the deadline.
    const sameDayContactDue = new Date(now + 120_000);
    await db.orm.em.fork().getConnection().execute('update wage_case set same_day_contact_due = ? where id = ?', [sameDayContactDue, c.id]);
    const handle = await env.client.workflow.start(caseLifecycle, {
      taskQueue,
      workflowId: caseWorkflowId(c.id),
      args: [{ ...caseLifecycleInput(c), sameDayContactDue: sameDayContactDue.toISOString() }],
    });
    await env.sleep(180_000);
    for (let i = 0; i < 100 && (await escalations(c.id)).length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await escalations(c.id)).toEqual(['SAME_DAY_CONTACT_MISSED']);
    const events = eventsOf(await handle.fetchHistory());
    expect(timersOf(events)).toHaveLength(1); // the near one; the acceptance clock joined its group
    // One join (acceptance), one escalation recorded by the case's own local activity.
    expect(localActivityMarkers(events)).toHaveLength(2);
    await handle.terminate('test over');
  });
});
