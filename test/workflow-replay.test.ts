import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import {
  approveExtensionUpdate,
  caseEndedSignal,
  caseLifecycle,
  caseLifecycleStateQuery,
  caseStepSignal,
  deadlinesMovedSignal,
  startProcessSignal,
  webhookDelivery,
  deliveriesPendingSignal,
  type StepActor,
} from '../workflows';
import { acknowledgeDispatchUpdate, reportDispatchUpdate, threeWayDispatch } from '../workflows/three-way-dispatch';
import {
  approveReferralUpdate,
  decideReconsiderationUpdate,
  decideReferralUpdate,
  policeReferral,
  recordCriminalOutcomeUpdate,
  requestReconsiderationUpdate,
  requestSupervisionUpdate,
  sendReferralUpdate,
} from '../workflows/police-referral';
import {
  confirmAttendanceUpdate,
  jointMediation,
  recordAgreementUpdate,
  recordInstalmentPaidUpdate,
  recordSessionUpdate,
} from '../workflows/joint-mediation';
import { callback, recordCallbackUpdate, reviewCallbackUpdate } from '../workflows/callback';
import { dailyReport } from '../workflows/daily-report';
import { deadlineGroup } from '../workflows/deadline-group';
import { orderAdditionalCompensationUpdate, orderToPay, recordOrderCompliedUpdate } from '../workflows/order-to-pay';
import {
  decidePenaltyUpdate,
  penalty,
  recordPenaltyStatementUpdate,
  servePenaltyDecisionUpdate,
  servePenaltyNoticeUpdate,
} from '../workflows/penalty';
import {
  acceptHandoverUpdate,
  acknowledgeExternalReferralUpdate,
  externalReferral,
  handover,
  returnHandoverUpdate,
} from '../workflows/handover';
import { ApplicationFailure } from '@temporalio/common';
import { caseSearchAttributePairs } from '../src/domain/search-attributes';
import { TAGS_SETTLE_PATCH } from '../workflows/process-kit';
import { bundledWorkflowExports, startDevServer, startTimeSkippingServer, workflowBundle } from './support/temporal';

/** Every workflow type the worker's bundle exports (core workflows and the registry's processes). */
const workflows = bundledWorkflowExports();

/**
 * Histories of real runs, recorded in test/histories/, are replayed against the current workflow code on every
 * run: a change that would break workflows already running in production (non-determinism) fails CI.
 * Record them anew, deliberately, with RECORD_HISTORIES=1 npx jest test/workflow-replay.test.ts.
 */
const dir = path.join(__dirname, 'histories');
const recording = process.env.RECORD_HISTORIES === '1';
/** RECORD_ONLY=<name>[,<name>…]: save only these recordings (a new one), leaving the others' files as they are. */
const recordOnly = process.env.RECORD_ONLY?.split(',');
const DAY = 86_400_000;

/**
 * A case lifecycle started by the outbox relay with its five search attributes (issue 16): it skips its first
 * caseSearchFacts read, and the status signals still refresh them. On a dev server with the attributes registered
 * (the time-skipping server refuses a start that carries them); no clock runs out in it.
 */
async function recordStartedTagged(): Promise<void> {
  if (recordOnly && !recordOnly.includes('case-lifecycle-started-tagged')) return;
  const env = await startDevServer({ searchAttributes: true });
  const taskQueue = 'record-tagged';
  const facts = { caseNumber: '110102-2026-000009', region: '110102003', owningAgency: 'a0000000-0000-4000-8000-000000000001' };
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await workflowBundle(),
    activities: {
      recordEscalation: async () => ({ recorded: true }),
      recordProcessStep: async () => ({ recorded: true }),
      caseSearchFacts: async () => ({ ...facts, caseStatus: 'ACCEPTED' }),
    },
  });
  await worker.runUntil(async () => {
    const start = Date.now();
    const tagged = await env.client.workflow.start(caseLifecycle, {
      taskQueue,
      workflowId: 'case-started-tagged',
      args: [
        {
          caseId: '00000000-0000-4000-8000-000000000009',
          caseNumber: facts.caseNumber,
          sameDayContactDue: new Date(start + DAY / 2).toISOString(),
          acceptanceDue: new Date(start + 5 * DAY).toISOString(),
        },
      ],
      typedSearchAttributes: caseSearchAttributePairs('caseLifecycle', { ...facts, caseStatus: 'RECEIVED' }),
    });
    for (const step of [
      { deliveryId: 1, step: 'CONTACT_REACHED' as const },
      { deliveryId: 2, step: 'ACCEPTED' as const, resolutionDue: new Date(start + 90 * DAY).toISOString() },
      { deliveryId: 3, step: 'RESOLVED' as const },
    ]) {
      await tagged.signal(caseStepSignal, step);
      await tagged.query(caseLifecycleStateQuery);
    }
    await tagged.result();
    writeFileSync(path.join(dir, 'case-lifecycle-started-tagged.json'), `${JSON.stringify(await tagged.fetchHistory(), null, 1)}\n`);
  });
  await env.teardown();
}

/**
 * A case lifecycle that the wages paid end while its read of the case's search attributes is still running: it lets
 * the read finish, and the one the RESOLVED signal asked for, before it completes (patch TAGS_SETTLE_PATCH, whose
 * marker the recording must hold). On a dev server with the attributes registered.
 */
async function recordTagsSettled(): Promise<void> {
  if (recordOnly && !recordOnly.includes('case-lifecycle-tags-settled')) return;
  const env = await startDevServer({ searchAttributes: true });
  const taskQueue = 'record-tags-settled';
  const facts = { caseNumber: '110102-2026-000010', region: '110102003', owningAgency: 'a0000000-0000-4000-8000-000000000001' };
  let caseStatus = 'ACCEPTED';
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await workflowBundle(),
    activities: {
      recordEscalation: async () => ({ recorded: true }),
      recordProcessStep: async () => ({ recorded: true }),
      joinDeadlineGroup: async () => undefined, // the group holds the clocks: no timer of the case's own
      // Slow enough that the RESOLVED signal arrives while a read is running.
      caseSearchFacts: async () => {
        const status = caseStatus;
        await new Promise((r) => setTimeout(r, 500));
        return { ...facts, caseStatus: status };
      },
    },
  });
  await worker.runUntil(async () => {
    const start = Date.now();
    const handle = await env.client.workflow.start(caseLifecycle, {
      taskQueue,
      workflowId: 'case-tags-settled',
      args: [
        {
          caseId: '00000000-0000-4000-8000-000000000010',
          caseNumber: facts.caseNumber,
          contacted: true,
          sameDayContactDue: new Date(start + DAY / 2).toISOString(),
          acceptanceDue: new Date(start + 5 * DAY).toISOString(),
        },
      ],
      typedSearchAttributes: caseSearchAttributePairs('caseLifecycle', { ...facts, caseStatus: 'RECEIVED' }),
    });
    await handle.signal(caseStepSignal, { deliveryId: 1, step: 'ACCEPTED', resolutionDue: new Date(start + 90 * DAY).toISOString() });
    await handle.query(caseLifecycleStateQuery);
    caseStatus = 'RESOLVED';
    await handle.signal(caseStepSignal, { deliveryId: 2, step: 'RESOLVED' });
    await handle.result();
    const history = await handle.fetchHistory();
    const patches = (history.events ?? [])
      .flatMap((e) => e.markerRecordedEventAttributes?.details?.['patch-data']?.payloads ?? [])
      .map((p) => (JSON.parse(Buffer.from(p.data!).toString()) as { id: string }).id);
    if (!patches.includes(TAGS_SETTLE_PATCH))
      throw new Error(`the recording ended without waiting for its tags (no ${TAGS_SETTLE_PATCH} marker): record it again`);
    writeFileSync(path.join(dir, 'case-lifecycle-tags-settled.json'), `${JSON.stringify(history, null, 1)}\n`);
  });
  await env.teardown();
}

async function record(): Promise<void> {
  await recordStartedTagged();
  await recordTagsSettled();
  const env: TestWorkflowEnvironment = await startTimeSkippingServer();
  const taskQueue = 'record';
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await workflowBundle(),
    // The activities' effects are not part of a history's shape: a stand-in records the same commands.
    activities: {
      recordEscalation: async () => ({ recorded: true }),
      recordProcessStep: async () => ({ recorded: true }),
      // Search attributes are not registered on the time-skipping server: the workflows leave them unset.
      caseSearchFacts: async () => null,
      // Deadline groups: a join starts nothing here (the recordings of groups run their own), a sweep escalates two.
      joinDeadlineGroup: async () => undefined,
      escalateDueClocks: async () => ({ escalated: 2, failed: 0 }),
      // Webhook stand-ins: deliveries 1 and 2 waiting; 2 is refused for good (parked); 3 arrives with a signal.
      nextWebhookDelivery: async () => (webhookQueue.length ? { id: webhookQueue[0]! } : null),
      sendWebhook: async ({ deliveryId }: { deliveryId: string }) => {
        webhookQueue.shift();
        if (deliveryId === '2') throw ApplicationFailure.nonRetryable('endpoint answered 410');
        return { sent: true, next: webhookQueue.length ? { id: webhookQueue[0]! } : null };
      },
      parkWebhook: async () => undefined,
      // Daily-report stand-ins: two inspection agencies; 2026-10-01 (国庆节) is not a working day.
      planDailyReports: async ({ day }: { day: string }) =>
        day === '2026-10-01' ? { workingDay: false, agencyIds: [] } : { workingDay: true, agencyIds: ['a1', 'a2'] },
      makeDailyReport: async ({ agencyId }: { agencyId: string }) => ({ id: `report-${agencyId}`, made: true }),
    },
  });
  const save = async (name: string, workflowId: string) =>
    (!recordOnly || recordOnly.includes(name)) &&
    writeFileSync(
      path.join(dir, `${name}.json`),
      `${JSON.stringify(await env.client.workflow.getHandle(workflowId).fetchHistory(), null, 1)}\n`,
    );
  /**
   * A lifecycle whose clocks run out (each escalated), then accepted six days in and resolved a day later; its times
   * from the server's clock now. Answers that clock's offsets, for recordings that follow it.
   */
  const recordMissedThenResolved = async (
    workflowId: string,
    facts: { caseId: string; caseNumber: string; contacted?: boolean },
  ): Promise<(ms: number) => string> => {
    const start = await env.currentTimeMs();
    const at = (ms: number) => new Date(start + ms).toISOString();
    const handle = await env.client.workflow.start(caseLifecycle, {
      taskQueue,
      workflowId,
      args: [{ ...facts, sameDayContactDue: at(DAY / 2), acceptanceDue: at(5 * DAY) }],
    });
    await env.sleep(6 * DAY);
    await handle.signal(caseStepSignal, { deliveryId: 1, step: 'ACCEPTED', resolutionDue: at(90 * DAY) });
    await env.sleep(DAY);
    await handle.signal(caseStepSignal, { deliveryId: 2, step: 'RESOLVED' });
    await handle.result();
    return at;
  };
  const webhookQueue: string[] = ['1', '2'];
  await worker.runUntil(async () => {
    // The lifecycle after LOCAL_ESCALATION_PATCH: both clocks missed, each escalation a local activity (a marker in
    // the history, no activity task), then accepted and resolved. First, so it is saved before anything else runs.
    await recordMissedThenResolved('case-late-local', {
      caseId: '00000000-0000-4000-8000-000000000006',
      caseNumber: '110102-2026-000006',
    });
    // The file without the suffix was recorded when the patch was asked only at the escalation (its marker there); the
    // suffixed one since it is also asked in the first task. Both must replay: re-record the first only deliberately.
    await save('case-lifecycle-escalated-local', 'case-late-local');
    await save('case-lifecycle-escalated-local-marked-at-start', 'case-late-local');

    // The lifecycle after SKIP_DONE_CLOCK_PATCH: the complainant reached at intake, so no same-day-contact timer; the
    // acceptance clock missed and escalated, then accepted and resolved.
    await recordMissedThenResolved('case-contacted', {
      caseId: '00000000-0000-4000-8000-000000000007',
      caseNumber: '110102-2026-000007',
      contacted: true,
    });
    await save('case-lifecycle-contacted-no-contact-timer', 'case-contacted');

    // The daily report (日通报): a scheduled run (no day: the day of its own clock) makes each agency's report; a
    // backfill of a holiday makes none.
    await env.client.workflow.execute(dailyReport, { taskQueue, workflowId: 'daily-report-scheduled', args: [{}] });
    await save('daily-report-scheduled', 'daily-report-scheduled');
    await env.client.workflow.execute(dailyReport, { taskQueue, workflowId: 'daily-report-holiday', args: [{ day: '2026-10-01' }] });
    await save('daily-report-holiday', 'daily-report-holiday');

    // The lifecycle under DEADLINE_GROUPS_PATCH: each clock joins its instant's group (a local-activity marker, no
    // timer of its own); accepted on day 1 (the resolution clock joins its group), extended (it joins the extended
    // instant's), resolved on day 2. (The recordings above ran before the patch; re-recorded now, they would take
    // this shape too: keep their files, RECORD_ONLY.)
    const groupedStart = await env.currentTimeMs();
    const groupedAt = (ms: number) => new Date(groupedStart + ms).toISOString();
    const grouped = await env.client.workflow.start(caseLifecycle, {
      taskQueue,
      workflowId: 'case-grouped',
      args: [
        {
          caseId: '00000000-0000-4000-8000-000000000008',
          caseNumber: '110102-2026-000008',
          sameDayContactDue: groupedAt(DAY / 2),
          acceptanceDue: groupedAt(5 * DAY),
        },
      ],
    });
    await env.sleep(DAY);
    await grouped.signal(caseStepSignal, { deliveryId: 1, step: 'ACCEPTED', resolutionDue: groupedAt(90 * DAY) });
    await grouped.executeUpdate(approveExtensionUpdate, {
      args: [
        {
          actor: { userId: 'u2', agencyId: 'a0000000-0000-4000-8000-000000000001', roles: ['DIRECTOR'] },
          extendedDue: groupedAt(120 * DAY),
          reason: '涉案人数多，需延期调查',
        },
      ],
    });
    await env.sleep(DAY);
    await grouped.signal(caseStepSignal, { deliveryId: 2, step: 'RESOLVED' });
    await grouped.result();
    await save('case-lifecycle-grouped', 'case-grouped');
    // A deadline group: sleeps to its instant, then escalates its cases in one activity.
    await env.client.workflow.execute(deadlineGroup, {
      taskQueue,
      workflowId: 'deadline-group-swept',
      args: [{ due: new Date((await env.currentTimeMs()) + 3 * DAY).toISOString() }],
    });
    await save('deadline-group-swept', 'deadline-group-swept');

    const now = await env.currentTimeMs();

    // Webhook delivery: two waiting (one parked), a third announced by a signal, then idle until it ends.
    const hook = await env.client.workflow.start(webhookDelivery, {
      taskQueue,
      workflowId: 'webhook-e1-c1',
      args: [{ endpointId: 'e1', caseId: 'c1', giveUpAfter: '1 hour' }],
    });
    await hook.query('__stack_trace').catch(() => undefined);
    await env.sleep(1000);
    webhookQueue.push('3');
    await hook.signal(deliveriesPendingSignal);
    await hook.result();
    // (webhook-delivery-parked.json is the same story recorded before sends answered the next delivery.)
    await save('webhook-delivery-answers-next', 'webhook-e1-c1');
    const at = (ms: number) => new Date(now + ms).toISOString();

    const actor = (userId: string, agencyId: string, roles: string[]): StepActor => ({ userId, agencyId, roles });
    const hrss = 'a0000000-0000-4000-8000-000000000001';
    const police = 'a0000000-0000-4000-8000-000000000002';
    const inspector = actor('u1', hrss, ['INSPECTOR']);
    const director = actor('u2', hrss, ['DIRECTOR']);
    const officer = actor('u3', police, ['OFFICER']);
    const caseId = (n: number) => `00000000-0000-4000-8000-00000000010${n}`;
    const clocks = {
      approval: '3 days',
      send: '24 hours',
      policeDecision: '3 days',
      reconsiderationRequest: '3 days',
      reconsiderationDecision: '3 days',
    } as const;

    // Order to pay: one complied with in time; one missed at the end of its due day, additional compensation at
    // 50 %, ended with the case.
    const orderStart = await env.currentTimeMs();
    const orderDay = (n: number) => new Date(orderStart + 8 * 3_600_000 + n * DAY).toISOString().slice(0, 10);
    const supervisor = actor('u7', hrss, ['SUPERVISOR']);
    const orderInput = (n: number, processId: string) => ({
      caseId: caseId(n),
      caseNumber: `110102-2026-00010${n}`,
      processId,
      hrssAgencyId: hrss,
      issuedOn: orderDay(0),
      dueOn: orderDay(7),
      workers: [
        { name: '王建国', amountFen: 333_333 },
        { name: '李春生', amountFen: 1 },
      ],
      totalFen: 333_334,
    });
    const complied = await env.client.workflow.start(orderToPay, { taskQueue, workflowId: 'order-complied', args: [orderInput(6, 'o1')] });
    const missedOrder = await env.client.workflow.start(orderToPay, { taskQueue, workflowId: 'order-missed', args: [orderInput(7, 'o2')] });
    await env.sleep(3 * DAY);
    await complied.executeUpdate(recordOrderCompliedUpdate, { args: [{ actor: inspector, paidOn: orderDay(2), note: '银行流水' }] });
    await complied.result();
    await save('order-to-pay-complied', 'order-complied');
    await env.sleep(6 * DAY);
    await missedOrder.executeUpdate(orderAdditionalCompensationUpdate, { args: [{ actor: supervisor, ratePercent: 50 }] });
    await missedOrder.signal(caseEndedSignal, { reason: 'CASE_CLOSED' });
    await missedOrder.result();
    await save('order-to-pay-missed', 'order-missed');

    // Three-way dispatch: two recipients acknowledge, the HQ reports, the regulator stays silent up the ladder.
    const recipients = (['DISTRICT_GOVERNMENT', 'INDUSTRY_REGULATOR', 'CONTRACTOR_HQ'] as const).map((role, i) => ({
      partyId: `p${i}`,
      role,
      agencyId: `a${i}`,
      name: role,
      acknowledgeDue: at(DAY),
      reportDue: at(3 * DAY),
      ladder: [
        { level: 'REMINDER', acknowledgeAt: at(DAY), reportAt: at(3 * DAY) },
        { level: 'SUPERVISOR', acknowledgeAt: at(2 * DAY), reportAt: at(4 * DAY) },
      ],
    }));
    const dispatch = await env.client.workflow.start(threeWayDispatch, {
      taskQueue,
      workflowId: 'dispatch-qingdao',
      args: [{ caseId: caseId(1), caseNumber: '110102-2026-000101', processId: 'd1', recipients }],
    });
    await dispatch.executeUpdate(acknowledgeDispatchUpdate, { args: [{ actor: actor('u4', 'a2', ['LIAISON']) }] });
    await dispatch.executeUpdate(acknowledgeDispatchUpdate, { args: [{ actor: actor('u5', 'a0', ['OFFICER']) }] });
    await dispatch.executeUpdate(reportDispatchUpdate, {
      args: [
        {
          actor: actor('u4', 'a2', ['LIAISON']),
          report: '已足额支付',
          payment: { amountFen: 63_713_000, workersPaid: 49, paidOn: '2026-11-24', payer: '总包' },
        },
      ],
    });
    await env.sleep(5 * DAY);
    await dispatch.signal(caseEndedSignal, { reason: 'WAGES_PAID' });
    await dispatch.result();
    await save('three-way-dispatch-qingdao', 'dispatch-qingdao');

    // Police referral: declined, reconsideration upheld, the procuratorate asked to supervise.
    const declined = await env.client.workflow.start(policeReferral, {
      taskQueue,
      workflowId: 'referral-declined',
      args: [
        {
          caseId: caseId(2),
          caseNumber: '110102-2026-000102',
          processId: 'r1',
          hrssAgencyId: hrss,
          policeAgencyId: police,
          team: ['u1', 'u6'],
          clocks,
        },
      ],
    });
    await declined.executeUpdate(approveReferralUpdate, { args: [{ actor: director, approve: true }] });
    await declined.executeUpdate(sendReferralUpdate, { args: [{ actor: inspector }] });
    await env.sleep(2 * DAY);
    await declined.executeUpdate(decideReferralUpdate, { args: [{ actor: officer, decision: 'DECLINED', reasons: '证据不足' }] });
    await declined.executeUpdate(requestReconsiderationUpdate, { args: [{ actor: inspector, grounds: '补充证据' }] });
    await declined.executeUpdate(decideReconsiderationUpdate, { args: [{ actor: officer, decision: 'UPHELD', reasons: '维持' }] });
    await declined.executeUpdate(requestSupervisionUpdate, {
      args: [{ actor: inspector, procuratorateAgencyId: 'a9', grounds: '立案监督' }],
    });
    await declined.result();
    await save('police-referral-declined', 'referral-declined');

    // Police referral: approval and decision overdue, then filed and concluded.
    const overdue = await env.client.workflow.start(policeReferral, {
      taskQueue,
      workflowId: 'referral-overdue',
      args: [
        {
          caseId: caseId(3),
          caseNumber: '110102-2026-000103',
          processId: 'r2',
          hrssAgencyId: hrss,
          policeAgencyId: police,
          team: ['u1', 'u6'],
          clocks,
        },
      ],
    });
    await env.sleep(4 * DAY);
    await overdue.executeUpdate(approveReferralUpdate, { args: [{ actor: director, approve: true }] });
    await overdue.executeUpdate(sendReferralUpdate, { args: [{ actor: inspector }] });
    await env.sleep(4 * DAY);
    await overdue.executeUpdate(decideReferralUpdate, { args: [{ actor: officer, decision: 'FILED' }] });
    await overdue.executeUpdate(recordCriminalOutcomeUpdate, { args: [{ actor: officer, outcome: '判决' }] });
    await overdue.result();
    await save('police-referral-overdue', 'referral-overdue');

    // Joint mediation: three instalments, the second missed, then paid late.
    const mediationStart = await env.currentTimeMs();
    const day = (n: number) => new Date(mediationStart + 8 * 3_600_000 + n * DAY).toISOString().slice(0, 10);
    const mediation = await env.client.workflow.start(jointMediation, {
      taskQueue,
      workflowId: 'mediation-instalments',
      args: [
        {
          caseId: caseId(4),
          caseNumber: '110102-2026-000104',
          processId: 'm1',
          hrssAgencyId: hrss,
          agreementWindow: '15 days',
          invitees: [
            { partyId: 'w', role: 'WORKER_REPRESENTATIVE', name: '工人代表' },
            { partyId: 'u', role: 'UNION', agencyId: 'a8', name: '总工会' },
          ],
        },
      ],
    });
    await mediation.executeUpdate(confirmAttendanceUpdate, { args: [{ actor: actor('u8', 'a8', ['MEDIATOR']), partyId: 'u' }] });
    await mediation.executeUpdate(recordSessionUpdate, {
      args: [{ actor: inspector, heldAt: at(0), summary: '分三期', attendeePartyIds: ['w', 'u'] }],
    });
    await mediation.executeUpdate(recordAgreementUpdate, {
      args: [
        {
          actor: inspector,
          instalments: [
            { dueOn: day(2), amountFen: 100 },
            { dueOn: day(5), amountFen: 100 },
            { dueOn: day(8), amountFen: 100 },
          ],
        },
      ],
    });
    await mediation.executeUpdate(recordInstalmentPaidUpdate, {
      args: [{ actor: inspector, seq: 1, paidOn: day(0), payer: '总包', workersPaid: 3 }],
    });
    await env.sleep(7 * DAY);
    await mediation.executeUpdate(recordInstalmentPaidUpdate, {
      args: [{ actor: inspector, seq: 2, paidOn: day(7), payer: '总包', workersPaid: 3 }],
    });
    await mediation.executeUpdate(recordInstalmentPaidUpdate, {
      args: [{ actor: inspector, seq: 3, paidOn: day(7), payer: '总包', workersPaid: 3 }],
    });
    await mediation.result();
    await save('joint-mediation-instalments', 'mediation-instalments');

    // Times from the server's clock now: the recordings above have moved it on by weeks.
    const atLate = await recordMissedThenResolved('case-late', {
      caseId: '00000000-0000-4000-8000-000000000001',
      caseNumber: '110102-2026-000003',
    });
    await save('case-lifecycle-escalated', 'case-late');

    const onTime = await env.client.workflow.start(caseLifecycle, {
      taskQueue,
      workflowId: 'case-on-time',
      args: [
        {
          caseId: '00000000-0000-4000-8000-000000000002',
          caseNumber: '110102-2026-000004',
          sameDayContactDue: atLate(DAY / 2),
          acceptanceDue: atLate(5 * DAY),
        },
      ],
    });
    // One step at a time, each taken in (the query waits for it) before the next is sent.
    for (const step of [
      { deliveryId: 3, step: 'CONTACT_REACHED' as const },
      { deliveryId: 3, step: 'CONTACT_REACHED' as const }, // a redelivery: ignored
      { deliveryId: 4, step: 'ACCEPTED' as const, resolutionDue: atLate(90 * DAY) },
      { deliveryId: 5, step: 'RESOLVED' as const },
    ]) {
      await onTime.signal(caseStepSignal, step);
      await onTime.query(caseLifecycleStateQuery);
    }
    await onTime.result();
    await save('case-lifecycle-on-time', 'case-on-time');

    // Callback: a call that does not get through, the deadline missed (escalated once), then reached and
    // dissatisfied: the supervisor's review opens, runs out (escalated to the director), and is decided.
    const callbackStart = await env.currentTimeMs();
    const fromCallback = (ms: number) => new Date(callbackStart + ms).toISOString();
    const cb = await env.client.workflow.start(callback, {
      taskQueue,
      workflowId: 'callback-review',
      args: [
        { caseId: caseId(6), caseNumber: '110102-2026-000106', processId: 'c1', hrssAgencyId: hrss, callbackDue: fromCallback(14 * DAY) },
      ],
    });
    await cb.executeUpdate(recordCallbackUpdate, {
      args: [{ actor: inspector, reached: false, notes: '无人接听', reviewDue: fromCallback(7 * DAY) }],
    });
    await env.sleep(15 * DAY);
    await cb.executeUpdate(recordCallbackUpdate, {
      args: [
        {
          actor: inspector,
          reached: true,
          wagesReceivedInFull: false,
          satisfaction: 'DISSATISFIED',
          notes: null,
          reviewDue: fromCallback(22 * DAY),
        },
      ],
    });
    await env.sleep(8 * DAY);
    await cb.executeUpdate(reviewCallbackUpdate, { args: [{ actor: director, decision: 'FOLLOW_UP_ORDERED', findings: '责令补发' }] });
    await cb.result();
    await save('callback-review', 'callback-review');
    // Administrative penalty (a large fine): notice, a statement, the hearing window passes, decided, served late.
    const penaltyStart = await env.currentTimeMs();
    const fromPenalty = (ms: number) => new Date(penaltyStart + ms).toISOString();
    const fine = await env.client.workflow.start(penalty, {
      taskQueue,
      workflowId: 'penalty-large-fine',
      args: [
        {
          caseId: caseId(6),
          caseNumber: '110102-2026-000106',
          processId: 'pn1',
          hrssAgencyId: hrss,
          proposedBy: 'u1',
          amountFen: 5_000_000,
          provision: '劳动保障监察条例 第二十六条',
          largeFine: true,
          serious: false,
        },
      ],
    });
    await fine.executeUpdate(servePenaltyNoticeUpdate, {
      args: [{ actor: inspector, noticeRef: '告1', statementDue: fromPenalty(3 * DAY), hearingRequestDue: fromPenalty(5 * DAY) }],
    });
    await fine.executeUpdate(recordPenaltyStatementUpdate, { args: [{ actor: inspector, summary: '请求从轻' }] });
    await env.sleep(6 * DAY);
    await fine.executeUpdate(decidePenaltyUpdate, {
      args: [
        {
          actor: director,
          decision: 'IMPOSE',
          amountFen: 4_000_000,
          decisionRef: '决1',
          serviceDue: fromPenalty(13 * DAY),
          investigators: ['u1', 'u6'],
        },
      ],
    });
    await env.sleep(8 * DAY);
    await fine.executeUpdate(servePenaltyDecisionUpdate, { args: [{ actor: inspector, method: '直接送达' }] });
    await fine.result();
    await save('penalty-large-fine', 'penalty-large-fine');

    // Deadlines moved by the holiday calendar (deadlinesMoved): the acceptance clock waits for its later deadline,
    // then the resolution clock for its own, moved later, and escalates when that one passes.
    const movedStart = await env.currentTimeMs();
    const atMoved = (ms: number) => new Date(movedStart + ms).toISOString();
    const moved = await env.client.workflow.start(caseLifecycle, {
      taskQueue,
      workflowId: 'case-deadlines-moved',
      args: [
        {
          caseId: '00000000-0000-4000-8000-000000000005',
          caseNumber: '110102-2026-000005',
          sameDayContactDue: atMoved(DAY / 2),
          acceptanceDue: atMoved(5 * DAY),
          contacted: true,
        },
      ],
    });
    await moved.signal(deadlinesMovedSignal, { deliveryId: 1, acceptanceDue: atMoved(7 * DAY) });
    await moved.query(caseLifecycleStateQuery);
    await env.sleep(6 * DAY); // past the old acceptance deadline: no escalation
    await moved.signal(caseStepSignal, { deliveryId: 2, step: 'ACCEPTED', resolutionDue: atMoved(30 * DAY) });
    await moved.query(caseLifecycleStateQuery);
    await moved.signal(deadlinesMovedSignal, { deliveryId: 3, resolutionDue: atMoved(35 * DAY) });
    await moved.query(caseLifecycleStateQuery);
    await env.sleep(30 * DAY); // past the moved resolution deadline: escalated
    await moved.signal(caseStepSignal, { deliveryId: 4, step: 'RESOLVED' });
    await moved.result();
    await save('case-lifecycle-deadlines-moved', 'case-deadlines-moved');

    // Handover (移交): unanswered past its deadline (escalated once), then accepted; another returned at once.
    const handoverStart = await env.currentTimeMs();
    const fromHandover = (ms: number) => new Date(handoverStart + ms).toISOString();
    const city = 'a0000000-0000-4000-8000-000000000003';
    const cityDirector = actor('u9', city, ['DIRECTOR']);
    const handedOver = await env.client.workflow.start(handover, {
      taskQueue,
      workflowId: 'handover-overdue',
      args: [{ caseId: caseId(6), processId: 'h1', fromAgencyId: hrss, toAgencyId: city, partyId: 'p1', answerDue: fromHandover(3 * DAY) }],
    });
    await env.sleep(4 * DAY);
    await handedOver.executeUpdate(acceptHandoverUpdate, { args: [{ actor: cityDirector, note: '市总队承办' }] });
    await handedOver.result();
    await save('handover-overdue-accepted', 'handover-overdue');
    const returned = await env.client.workflow.start(handover, {
      taskQueue,
      workflowId: 'handover-returned',
      args: [{ caseId: caseId(7), processId: 'h2', fromAgencyId: hrss, toAgencyId: city, partyId: 'p2', answerDue: fromHandover(8 * DAY) }],
    });
    await returned.executeUpdate(returnHandoverUpdate, { args: [{ actor: cityDirector, reason: '属地管辖' }] });
    await returned.result();
    await save('handover-returned', 'handover-returned');

    // Referral outside inspection (转介): the case ends meanwhile; acknowledged after its deadline was escalated.
    const court = 'a0000000-0000-4000-8000-000000000004';
    const referredOut = await env.client.workflow.start(externalReferral, {
      taskQueue,
      workflowId: 'external-referral-overdue',
      args: [
        {
          caseId: caseId(8),
          processId: 'x1',
          fromAgencyId: hrss,
          receiverAgencyId: court,
          partyId: 'p3',
          acknowledgeDue: new Date((await env.currentTimeMs()) + 5 * DAY).toISOString(),
        },
      ],
    });
    await referredOut.signal(caseEndedSignal, { reason: 'TRANSFERRED' });
    await env.sleep(6 * DAY);
    await referredOut.executeUpdate(acknowledgeExternalReferralUpdate, {
      args: [{ actor: actor('u10', court, ['OFFICER']), note: '已立案', reference: '(2026)京0102民初1号' }],
    });
    await referredOut.result();
    await save('external-referral-overdue', 'external-referral-overdue');
    // Police referral with the day clocks as instants the API counted (民法典 arts. 201–203): the approval's in the
    // input, each later one in the update that starts it; declined, reconsideration asked, its decision overdue.
    const calendarStart = await env.currentTimeMs();
    const endOfDayAfter = (ms: number, days: number) => {
      const beijingMidnight = Math.floor((calendarStart + ms + 8 * 3_600_000) / DAY) * DAY - 8 * 3_600_000;
      return new Date(beijingMidnight + (days + 1) * DAY).toISOString();
    };
    const calendar = await env.client.workflow.start(policeReferral, {
      taskQueue,
      workflowId: 'referral-calendar-days',
      args: [
        {
          caseId: '00000000-0000-4000-8000-000000000106',
          caseNumber: '110102-2026-000106',
          processId: 'r3',
          hrssAgencyId: hrss,
          policeAgencyId: police,
          team: ['u1', 'u6'],
          clocks: { ...clocks, approvalDueAt: endOfDayAfter(0, 3) },
        },
      ],
    });
    await calendar.executeUpdate(approveReferralUpdate, { args: [{ actor: director, approve: true }] });
    await calendar.executeUpdate(sendReferralUpdate, { args: [{ actor: inspector, policeDecisionDueAt: endOfDayAfter(0, 3) }] });
    await env.sleep(3 * DAY);
    await calendar.executeUpdate(decideReferralUpdate, {
      args: [{ actor: officer, decision: 'DECLINED', reasons: '证据不足', reconsiderationRequestDueAt: endOfDayAfter(3 * DAY, 3) }],
    });
    await calendar.executeUpdate(requestReconsiderationUpdate, {
      args: [{ actor: inspector, grounds: '补充证据', reconsiderationDecisionDueAt: endOfDayAfter(3 * DAY, 3) }],
    });
    await env.sleep(4 * DAY);
    await calendar.executeUpdate(requestSupervisionUpdate, {
      args: [{ actor: inspector, procuratorateAgencyId: 'a9', grounds: '复议逾期未决定' }],
    });
    await calendar.result();
    await save('police-referral-calendar-days', 'referral-calendar-days');

    // The lifecycle as a parent: it starts a dispatch as its child, grants the extension, and ends it with the case.
    // Recorded last because the child outlives it: the dispatch completes after the lifecycle, and the time-skipping
    // server (1.38) then fails to tell the completed parent and keeps time skipping locked for good, so no env.sleep
    // after it would return.
    const parentStart = await env.currentTimeMs();
    const fromParent = (ms: number) => new Date(parentStart + ms).toISOString();
    const parent = await env.client.workflow.start(caseLifecycle, {
      taskQueue,
      workflowId: 'case-with-processes',
      args: [
        {
          caseId: caseId(5),
          caseNumber: '110102-2026-000105',
          sameDayContactDue: fromParent(DAY / 2),
          acceptanceDue: fromParent(5 * DAY),
          contacted: true,
          resolutionDue: fromParent(90 * DAY),
        },
      ],
    });
    await parent.signal(startProcessSignal, {
      deliveryId: 10,
      workflowType: 'threeWayDispatch',
      workflowId: 'dispatch-child',
      input: { caseId: caseId(5), caseNumber: '110102-2026-000105', processId: 'd2', recipients },
    });
    await parent.executeUpdate(approveExtensionUpdate, {
      args: [{ actor: actor('u7', hrss, ['SUPERVISOR']), extendedDue: fromParent(130 * DAY), reason: '调取证据' }],
    });
    await parent.signal(caseStepSignal, { deliveryId: 11, step: 'RESOLVED' });
    await parent.result();
    await env.client.workflow.getHandle('dispatch-child').result();
    await save('case-lifecycle-processes', 'case-with-processes');
  });
  await env.teardown();
}

describe('workflow replay', () => {
  if (recording) {
    it('records the histories', record, 600_000);
    return;
  }

  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  it('has recorded histories of every workflow type the bundle exports', () => {
    // Every exported function of the bundle's entry point is a workflow type: a new one without a history fails here.
    const types = Object.entries(workflows)
      .filter(([, v]) => typeof v === 'function')
      .map(([name]) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`));
    expect(types.sort()).toEqual([
      'callback',
      'case-lifecycle',
      'daily-report',
      'deadline-group',
      'external-referral',
      'handover',
      'joint-mediation',
      'order-to-pay',
      'penalty',
      'police-referral',
      'three-way-dispatch',
      'webhook-delivery',
    ]);
    for (const type of types) expect(files.filter((f) => f.startsWith(`${type}-`))).not.toHaveLength(0);
    for (const file of files) expect(types.some((type) => file.startsWith(`${type}-`))).toBe(true);
  });

  it.each(files)('replays %s on the current code without non-determinism', async (file) => {
    // Stored as the protobuf message's own JSON (enum names, 64-bit ids as strings, payloads in base64).
    const history = temporal.api.history.v1.History.fromObject(JSON.parse(readFileSync(path.join(dir, file), 'utf8')));
    await expect(Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, file)).resolves.toBeUndefined();
  });
});
