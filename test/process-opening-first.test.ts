import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { UpdateDefinition } from '@temporalio/common';
import { Worker } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import type { ProcessStepInput, StepActor } from '../src/processes/process-step.contract';
import { recordCallbackUpdate } from '../workflows/callback';
import { acceptHandoverUpdate, acknowledgeExternalReferralUpdate } from '../workflows/handover';
import { confirmAttendanceUpdate } from '../workflows/joint-mediation';
import { recordOrderCompliedUpdate } from '../workflows/order-to-pay';
import { approveReferralUpdate } from '../workflows/police-referral';
import { OPENING_FIRST_PATCH } from '../workflows/process-kit';
import { patchIdOf } from './support/history';
import { startTimeSkippingServer, workflowBundle } from './support/temporal';

const EventType = temporal.api.enums.v1.EventType;
const DAY = 24 * 3_600_000;
const HRSS = 'hrss-agency';
const OTHER = 'other-agency';
const actor = (agencyId: string, role: string): StepActor => ({ userId: `${role.toLowerCase()}-1`, agencyId, roles: [role] });
const later = (days: number) => new Date(Date.now() + days * DAY).toISOString();

/** A process whose first step reaches it with its start, and the two entries that must land in this order. */
interface Scenario {
  workflow: string;
  input: Record<string, unknown>;
  update: UpdateDefinition<unknown, [never]>;
  args: Record<string, unknown>;
  opening: string;
  step: string;
}

const base = { caseId: 'case-1', caseNumber: '110102-2026-000001', hrssAgencyId: HRSS };
const scenarios: Record<string, Scenario> = {
  'a police referral approved at once': {
    workflow: 'policeReferral',
    input: {
      ...base,
      processId: 'referral-1',
      policeAgencyId: OTHER,
      team: ['inspector-1', 'inspector-2'],
      clocks: {
        approval: '3 days',
        send: '1 day',
        policeDecision: '3 days',
        reconsiderationRequest: '3 days',
        reconsiderationDecision: '3 days',
      },
    },
    update: approveReferralUpdate as never,
    args: { actor: actor(HRSS, 'DIRECTOR'), approve: true },
    opening: 'REFERRAL_SUBMITTED_FOR_APPROVAL',
    step: 'REFERRAL_APPROVED',
  },
  'an order to pay complied with at once': {
    workflow: 'orderToPay',
    input: {
      ...base,
      processId: 'order-1',
      issuedOn: '2026-01-05',
      dueOn: '2099-01-15',
      workers: [{ name: '张三', amountFen: 100_000 }],
      totalFen: 100_000,
    },
    update: recordOrderCompliedUpdate as never,
    args: { actor: actor(HRSS, 'INSPECTOR'), paidOn: '2026-01-06' },
    opening: 'ORDER_TO_PAY_CLOCK_STARTED',
    step: 'ORDER_TO_PAY_COMPLIED',
  },
  'a mediation whose party confirms at once': {
    workflow: 'jointMediation',
    input: {
      ...base,
      processId: 'mediation-1',
      invitees: [{ partyId: 'party-1', role: 'GENERAL_CONTRACTOR', agencyId: OTHER, name: '总包' }],
      agreementWindow: '15 days',
    },
    update: confirmAttendanceUpdate as never,
    args: { actor: actor(OTHER, 'OFFICER'), partyId: 'party-1' },
    opening: 'MEDIATION_INVITATIONS_SENT',
    step: 'MEDIATION_ATTENDANCE_CONFIRMED',
  },
  'a callback made at once': {
    workflow: 'callback',
    input: { ...base, processId: 'callback-1', callbackDue: later(5) },
    update: recordCallbackUpdate as never,
    args: { actor: actor(HRSS, 'INSPECTOR'), reached: true, wagesReceivedInFull: true, satisfaction: 'SATISFIED', reviewDue: later(10) },
    opening: 'CALLBACK_SCHEDULED',
    step: 'CALLBACK_RECORDED',
  },
  'a handover accepted at once': {
    workflow: 'handover',
    input: { ...base, processId: 'handover-1', fromAgencyId: HRSS, toAgencyId: OTHER, partyId: 'party-1', answerDue: later(5) },
    update: acceptHandoverUpdate as never,
    args: { actor: actor(OTHER, 'DIRECTOR'), note: '接收' },
    opening: 'HANDOVER_SENT',
    step: 'HANDOVER_ACCEPTED',
  },
  'an external referral acknowledged at once': {
    workflow: 'externalReferral',
    input: { ...base, processId: 'external-1', fromAgencyId: HRSS, receiverAgencyId: OTHER, partyId: 'party-1', acknowledgeDue: later(5) },
    update: acknowledgeExternalReferralUpdate as never,
    args: { actor: actor(OTHER, 'OFFICER'), note: '已立案', reference: '(2026)京0102民初1号' },
    opening: 'EXTERNAL_REFERRAL_SENT',
    step: 'EXTERNAL_REFERRAL_ACKNOWLEDGED',
  },
};

/**
 * A step that reaches a process with its start runs in the same workflow task as the start, as soon as its handler is
 * set, before the workflow's own code reaches its opening entry. The opening is still written first, and the step's
 * status is the last word (patch `process-opening-first`): before it, a referral approved at once read
 * AWAITING_APPROVAL in the database while its workflow held APPROVED.
 */
describe('a process writes its opening entry before a step that came with its start', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await startTimeSkippingServer();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it.each(Object.entries(scenarios))('%s', async (_name, s) => {
    const taskQueue = `opening-first-${s.workflow}`;
    const handle = await env.client.workflow.start(s.workflow, { taskQueue, workflowId: `${s.workflow}-opening-first`, args: [s.input] });
    // No worker polls yet: the update waits on the server and comes with the start in the first workflow task.
    const stepTaken = handle.executeUpdate(s.update, { args: [s.args as never] });
    await new Promise((r) => setTimeout(r, 1_000));

    const writes: ProcessStepInput[] = [];
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: await workflowBundle(),
      activities: {
        recordProcessStep: async (input: ProcessStepInput) => {
          writes.push(input);
          return { recorded: true };
        },
        caseSearchFacts: async () => null,
      },
    });
    await worker.runUntil(stepTaken);

    const events = (await handle.fetchHistory()).events ?? [];
    // The race is real in this run: the step was accepted in the first workflow task, beside the start.
    const firstCompleted = events.findIndex((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
    const accepted = events.findIndex((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED);
    expect(accepted).toBeGreaterThan(firstCompleted);
    expect(events.slice(firstCompleted, accepted).some((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED)).toBe(false);

    const types = writes.map((w) => w.event.type);
    expect(types.slice(0, 2)).toEqual([s.opening, s.step]);
    // The step's own status (where it sets one) is the process's last word, not the opening's.
    const statuses = writes.flatMap((w) => w.effects.flatMap((e) => (e.kind === 'process' && e.status ? [e.status] : [])));
    const stepStatus = writes[1]!.effects.find((e) => e.kind === 'process' && e.status);
    if (stepStatus && stepStatus.kind === 'process') expect(statuses.at(-1)).toBe(stepStatus.status);
    // And the run replays: the held write is as deterministic as the rest.
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, await handle.fetchHistory(), handle.workflowId);
    await handle.terminate('test over').catch(() => undefined);
  });

  it('marks the patch in the first workflow task, so histories recorded before it replay as they ran', async () => {
    const s = scenarios['an order to pay complied with at once']!;
    const taskQueue = 'opening-first-marker';
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: await workflowBundle(),
      activities: { recordProcessStep: async () => ({ recorded: true }), caseSearchFacts: async () => null },
    });
    const events = await worker.runUntil(async () => {
      const handle = await env.client.workflow.start(s.workflow, { taskQueue, workflowId: 'order-opening-marker', args: [s.input] });
      await handle.executeUpdate(s.update, { args: [s.args as never] });
      return (await handle.fetchHistory()).events ?? [];
    });
    const firstCompleted = events.findIndex((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
    const patches = events.map((e, i) => ({ i, id: patchIdOf(e) })).filter(({ id }) => id === OPENING_FIRST_PATCH);
    expect(patches).toHaveLength(1);
    expect(patches[0]!.i).toBeGreaterThan(firstCompleted);
    expect(events.slice(firstCompleted + 1, patches[0]!.i).some((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED)).toBe(
      false,
    );
  });
});
