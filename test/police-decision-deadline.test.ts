import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { policeDecisionDeadline as rule } from '../src/rules/statutory-deadlines';
import { policeDecisionDeadline, policeDecisionSignal, policeDecisionStateQuery } from '../workflows';
import { startTimeSkippingServer, workflowBundle } from './support/temporal';

const DAY_MS = 24 * 3600 * 1000;

/**
 * The police's 3-day decision deadline on Temporal's time-skipping test server, with the real duration from
 * the rule table: the clock skips three days in a moment, but the workflow lives through all of them.
 */
describe('police decision deadline (3 days, time-skipping)', () => {
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let running: Promise<void>;
  const taskQueue = 'police-decision-test';

  beforeAll(async () => {
    env = await startTimeSkippingServer();
    worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: await workflowBundle() });
    running = worker.run();
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
  });

  it('uses the statutory 3 days', () => {
    expect(rule.duration).toBe('3 days');
    expect(rule.source).toMatch(/第八条/);
  });

  it('ends OVERDUE when the police do not decide within 3 days', async () => {
    const start = await env.currentTimeMs();
    const handle = await env.client.workflow.start(policeDecisionDeadline, {
      taskQueue,
      workflowId: 'referral-overdue',
      args: [{ caseNumber: '110102-2026-000001', decisionDeadline: rule.duration }],
    });
    const result = await handle.result();
    const elapsed = (await env.currentTimeMs()) - start;

    expect(result.outcome).toBe('OVERDUE');
    if (result.outcome !== 'OVERDUE') return;
    // The deadline fired exactly 3 days after the referral was received, and not before.
    expect(result.deadlineAtMs - start).toBeGreaterThanOrEqual(3 * DAY_MS);
    expect(result.deadlineAtMs - start).toBeLessThan(3 * DAY_MS + 60_000);
    expect(elapsed).toBeGreaterThanOrEqual(3 * DAY_MS);
  });

  it('ends DECIDED when the decision arrives before the deadline, after 2 days', async () => {
    const start = await env.currentTimeMs();
    const handle = await env.client.workflow.start(policeDecisionDeadline, {
      taskQueue,
      workflowId: 'referral-decided',
      args: [{ caseNumber: '110102-2026-000002', decisionDeadline: rule.duration }],
    });
    expect(await handle.query(policeDecisionStateQuery)).toMatchObject({ waitingFor: 'police' });

    await env.sleep('2 days');
    await handle.signal(policeDecisionSignal, { decision: 'FILED', decidedBy: '西城分局经侦支队' });
    // A second, contradicting decision does not overwrite the written one.
    await handle.signal(policeDecisionSignal, { decision: 'DECLINED', reasons: 'late change', decidedBy: 'someone else' });
    const result = await handle.result();

    expect(result).toMatchObject({ outcome: 'DECIDED', decision: { decision: 'FILED', decidedBy: '西城分局经侦支队' } });
    if (result.outcome !== 'DECIDED') return;
    expect(result.decidedAtMs - start).toBeGreaterThanOrEqual(2 * DAY_MS);
    expect(result.decidedAtMs - start).toBeLessThan(3 * DAY_MS);
  });
});
