import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Context } from '@temporalio/activity';
import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { caseLifecycleInput, caseWorkflowId } from '../src/cases/case-workflow';
import type { EscalationInput } from '../src/processes/process-step.contract';
import { createCaseActivities } from '../src/worker/case-activities';
import { caseLifecycle, LOCAL_ESCALATION_PATCH, SKIP_DONE_CLOCK_PATCH } from '../workflows';
import { createTestDatabase, type TestDatabase } from './support/database';
import { loadTestCity } from './support/fixtures';
import { eventsOf, markerNames, patchIds, type HistoryEvent } from './support/history';
import { testLog } from './support/logger';
import { startTimeSkippingServer, workflowBundle } from './support/temporal';
import { createServices, requestAs, type TestContext as RequestContext } from './support/test-services';

const scheduledActivities = (events: HistoryEvent[]) =>
  events.map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name).filter((n): n is string => !!n);

/**
 * The lifecycle records an escalation with a local activity (behind LOCAL_ESCALATION_PATCH): one workflow task on
 * the server per missed deadline instead of two and an activity task. The activity writes once however often it
 * runs; histories recorded before the patch replay with their activity task.
 */
describe('escalations recorded by a local activity', () => {
  let db: TestDatabase;
  let city: Awaited<ReturnType<typeof loadTestCity>>;
  let env: TestWorkflowEnvironment;
  const taskQueue = 'escalation-local-activity-test';

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
  /** The worker's activities against the test database (no Temporal behind the services: the tests start workflows). */
  const realActivities = () =>
    createCaseActivities({
      orm: db.orm,
      log: testLog,
      services: createServices({ orm: db.orm, temporal: Connection.lazy({ address: '127.0.0.1:1' }) }),
    });
  /** A walk-in complaint taken in (not yet contacted): its clocks are the rule's, from now. */
  const walkIn = async (contactPhone: string) =>
    (await ctx().services.intake.intake(ctx(), { channel: 'WALK_IN', contactPhone, description: '工地拖欠工资', regionCode: '110102003' }))
      .case;
  const escalations = async (caseId: string) =>
    db.orm.em
      .fork()
      .getConnection()
      .execute<Array<{ kind: string }>>(
        `select payload->>'kind' as kind from case_event where case_id = ? and type = 'ESCALATED' order by seq`,
        [caseId],
      );

  it('writes each escalation once when the local activity fails after writing and is retried', async () => {
    const real = realActivities();
    const runs: Array<{ kind: string; attempt: number; isLocal: boolean; recorded: boolean }> = [];
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: await workflowBundle(),
      activities: {
        ...real,
        // The first attempt of each escalation writes, then fails as if the worker lost the answer: the retry must
        // find the entry and write nothing.
        recordEscalation: async (input: EscalationInput) => {
          const { attempt, isLocal } = Context.current().info;
          const { recorded } = await real.recordEscalation(input);
          runs.push({ kind: input.kind, attempt, isLocal, recorded });
          if (attempt === 1) throw new Error('lost after writing (test)');
          return { recorded };
        },
      },
    });
    await worker.runUntil(async () => {
      const c = await walkIn('13700000091');
      // Both deadlines minutes away (closer than DEADLINE_GROUP_MIN_LEAD_MS), so each clock keeps a timer of the case's
      // own and the case escalates itself (a deadline days away is held by its instant's group: deadline-groups.test.ts).
      const now = await env.currentTimeMs();
      const sameDayContactDue = new Date(now + 2 * 60_000);
      const acceptanceDue = new Date(now + 4 * 60_000);
      // The case's own row says the same: the escalation is judged on the case file at the deadline.
      await db.orm.em
        .fork()
        .getConnection()
        .execute('update wage_case set same_day_contact_due = ?, acceptance_due = ? where id = ?', [
          sameDayContactDue,
          acceptanceDue,
          c.id,
        ]);
      const handle = await env.client.workflow.start(caseLifecycle, {
        taskQueue,
        workflowId: caseWorkflowId(c.id),
        args: [
          { ...caseLifecycleInput(c), sameDayContactDue: sameDayContactDue.toISOString(), acceptanceDue: acceptanceDue.toISOString() },
        ],
      });
      // Past both clocks: both missed, each escalated.
      await env.sleep(5 * 60_000);
      for (let i = 0; i < 100 && (await escalations(c.id)).length < 2; i++) await new Promise((r) => setTimeout(r, 100));
      expect((await escalations(c.id)).map((r) => r.kind)).toEqual(['SAME_DAY_CONTACT_MISSED', 'ACCEPTANCE_OVERDUE']);
      expect(runs).toEqual([
        { kind: 'SAME_DAY_CONTACT_MISSED', attempt: 1, isLocal: true, recorded: true },
        { kind: 'SAME_DAY_CONTACT_MISSED', attempt: 2, isLocal: true, recorded: false },
        { kind: 'ACCEPTANCE_OVERDUE', attempt: 1, isLocal: true, recorded: true },
        { kind: 'ACCEPTANCE_OVERDUE', attempt: 2, isLocal: true, recorded: false },
      ]);
      // On the server: no activity task for an escalation, a local-activity marker for each, the patch marked once.
      const events = eventsOf(await handle.fetchHistory());
      expect(scheduledActivities(events)).not.toContain('recordEscalation');
      expect(markerNames(events).filter((m) => m === 'core_local_activity')).toHaveLength(2);
      expect(patchIds(events).filter((id) => id === LOCAL_ESCALATION_PATCH)).toHaveLength(1);
      // Marked in the first workflow task: the escalations' tasks carry no patch marker and no upsert of its version.
      const firstFired = events.findIndex((e) => e.timerFiredEventAttributes);
      expect(firstFired).toBeGreaterThan(0);
      expect(patchIds(events.slice(0, firstFired))).toContain(LOCAL_ESCALATION_PATCH);
      expect(markerNames(events.slice(firstFired))).not.toContain('core_patch');
      expect(events.slice(firstFired).filter((e) => e.upsertWorkflowSearchAttributesEventAttributes)).toEqual([]);
      await handle.terminate('test over');
    });
  });

  it('sets no same-day-contact timer for a case whose complainant was reached at intake (SKIP_DONE_CLOCK_PATCH)', async () => {
    const real = realActivities();
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: `${taskQueue}-contacted`,
      workflowBundle: await workflowBundle(),
      activities: real,
    });
    await worker.runUntil(async () => {
      const c = await walkIn('13700000092');
      // The relay's start, as for a case whose first contact is on record (caseLifecycleInput: contacted).
      const handle = await env.client.workflow.start(caseLifecycle, {
        taskQueue: `${taskQueue}-contacted`,
        workflowId: `${caseWorkflowId(c.id)}-contacted`,
        args: [{ ...caseLifecycleInput(c), contacted: true }],
      });
      await env.sleep(Math.max(1, c.acceptanceDue.getTime() - (await env.currentTimeMs()) + 60_000));
      for (let i = 0; i < 100 && (await escalations(c.id)).length === 0; i++) await new Promise((r) => setTimeout(r, 100));
      // Only the acceptance clock ran (joined to its instant's group, which escalated): one join, no timer, one
      // escalation; the same-day-contact clock was skipped — no join, no timer — and the skip marked once.
      expect((await escalations(c.id)).map((r) => r.kind)).toEqual(['ACCEPTANCE_OVERDUE']);
      const events = eventsOf(await handle.fetchHistory());
      expect(events.filter((e) => e.timerStartedEventAttributes)).toEqual([]);
      expect(markerNames(events).filter((m) => m === 'core_local_activity')).toHaveLength(1);
      expect(patchIds(events).filter((id) => id === SKIP_DONE_CLOCK_PATCH)).toHaveLength(1);
      await handle.terminate('test over');
    });
  });

  it('replays a history recorded before the patch (an activity task per escalation) and one recorded after it', async () => {
    const load = (file: string) =>
      temporal.api.history.v1.History.fromObject(JSON.parse(readFileSync(path.join(__dirname, 'histories', file), 'utf8')));
    const before = load('case-lifecycle-escalated.json');
    expect(scheduledActivities(eventsOf(before))).toContain('recordEscalation');
    expect(patchIds(eventsOf(before))).not.toContain(LOCAL_ESCALATION_PATCH);
    const after = load('case-lifecycle-escalated-local.json');
    expect(scheduledActivities(eventsOf(after))).not.toContain('recordEscalation');
    expect(patchIds(eventsOf(after))).toContain(LOCAL_ESCALATION_PATCH);
    for (const [name, history] of [
      ['before', before],
      ['after', after],
    ] as const)
      await expect(Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, name)).resolves.toBeUndefined();
  });
});
