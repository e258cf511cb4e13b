import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { caseLifecycle, caseLifecycleStateQuery, caseStepSignal, policeDecisionDeadline, policeDecisionSignal } from '../workflows';
import { startTimeSkippingServer, workflowBundle } from './support/temporal';

/**
 * Histories of real runs, recorded in test/histories/, are replayed against the current workflow code on every
 * run: a change that would break workflows already running in production (non-determinism) fails CI.
 * Record them anew, deliberately, with RECORD_HISTORIES=1 npx jest test/workflow-replay.test.ts.
 */
const dir = path.join(__dirname, 'histories');
const recording = process.env.RECORD_HISTORIES === '1';
const DAY = 86_400_000;

async function record(): Promise<void> {
  const env: TestWorkflowEnvironment = await startTimeSkippingServer();
  const taskQueue = 'record';
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await workflowBundle(),
    // The activities' effects are not part of a history's shape: a stand-in records the same commands.
    activities: { recordEscalation: async () => ({ recorded: true }) },
  });
  const save = async (name: string, workflowId: string) =>
    writeFileSync(path.join(dir, `${name}.json`), `${JSON.stringify(await env.client.workflow.getHandle(workflowId).fetchHistory(), null, 1)}\n`);
  await worker.runUntil(async () => {
    const now = await env.currentTimeMs();
    const at = (ms: number) => new Date(now + ms).toISOString();

    await env.client.workflow.execute(policeDecisionDeadline, { taskQueue, workflowId: 'police-overdue', args: [{ caseNumber: '110102-2026-000001', decisionDeadline: '3 days' }] });
    await save('police-decision-overdue', 'police-overdue');

    const decided = await env.client.workflow.start(policeDecisionDeadline, { taskQueue, workflowId: 'police-decided', args: [{ caseNumber: '110102-2026-000002', decisionDeadline: '3 days' }] });
    await env.sleep('1 day');
    await decided.signal(policeDecisionSignal, { decision: 'DECLINED', reasons: '证据不足', decidedBy: '西城分局' });
    await decided.result();
    await save('police-decision-declined', 'police-decided');

    const late = await env.client.workflow.start(caseLifecycle, {
      taskQueue,
      workflowId: 'case-late',
      args: [{ caseId: '00000000-0000-4000-8000-000000000001', caseNumber: '110102-2026-000003', sameDayContactDue: at(DAY / 2), acceptanceDue: at(5 * DAY) }],
    });
    await env.sleep(6 * DAY);
    await late.signal(caseStepSignal, { deliveryId: 1, step: 'ACCEPTED', resolutionDue: at(90 * DAY) });
    await env.sleep(DAY);
    await late.signal(caseStepSignal, { deliveryId: 2, step: 'RESOLVED' });
    await late.result();
    await save('case-lifecycle-escalated', 'case-late');

    const onTime = await env.client.workflow.start(caseLifecycle, {
      taskQueue,
      workflowId: 'case-on-time',
      args: [{ caseId: '00000000-0000-4000-8000-000000000002', caseNumber: '110102-2026-000004', sameDayContactDue: at(DAY / 2), acceptanceDue: at(5 * DAY) }],
    });
    // One step at a time, each taken in (the query waits for it) before the next is sent.
    for (const step of [
      { deliveryId: 3, step: 'CONTACT_REACHED' as const },
      { deliveryId: 3, step: 'CONTACT_REACHED' as const }, // a redelivery: ignored
      { deliveryId: 4, step: 'ACCEPTED' as const, resolutionDue: at(90 * DAY) },
      { deliveryId: 5, step: 'RESOLVED' as const },
    ]) {
      await onTime.signal(caseStepSignal, step);
      await onTime.query(caseLifecycleStateQuery);
    }
    await onTime.result();
    await save('case-lifecycle-on-time', 'case-on-time');
  });
  await env.teardown();
}

describe('workflow replay', () => {
  if (recording) {
    it('records the histories', record, 300_000);
    return;
  }

  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  it('has recorded histories of every workflow type', () => {
    expect(files.map((f) => f.replace(/-[^-]+\.json$/, '')).sort()).toEqual(expect.arrayContaining(['case-lifecycle', 'police-decision']));
  });

  it.each(files)('replays %s on the current code without non-determinism', async (file) => {
    // Stored as the protobuf message's own JSON (enum names, 64-bit ids as strings, payloads in base64).
    const history = temporal.api.history.v1.History.fromObject(JSON.parse(readFileSync(path.join(dir, file), 'utf8')));
    await expect(Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, file)).resolves.toBeUndefined();
  });
});
