import { setTimeout as delay } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import { createServices } from '../src/app/services';
import { addWorkingDays } from '../src/domain/working-days';
import { CaseProcess } from '../src/processes/process.entity';
import { callbackRules, sampledForCallback } from '../src/rules/closure-callback';
import { complainantNotices } from '../src/rules/complainant-notices';
import { CaseResolver } from '../src/cases/case.resolver';
import { callbackModule } from '../src/processes/callback/callback.module';
import { processServiceOf } from '../src/processes/process-module';
import { useProcessHarness } from './support/process-harness';

const HOUR = 3_600_000;

/**
 * 结案 and 回访 on the time-skipping server: the closing report and its approval (four eyes; refused while a
 * process is open, allowed with a referral the police hold), the callback due in configured working days and
 * escalated once when missed, the supervisor's review opened by "not received" or "dissatisfied" with its own
 * clock, and the complainant told at each milestone (NOTICE entries the case's integrator sees; the public lookup).
 */
describe('closure and callback', () => {
  const s = useProcessHarness('closure-test');
  let phone = 13700004000;
  const callbacks = () => processServiceOf(s.h.services, callbackModule);

  async function resolvedCase(opts: { project?: boolean } = {}) {
    const mobile = String(phone++);
    const { case: c } = await s.h.services.intake.intake(s.h.as(s.city.clerk), {
      channel: 'HOTLINE_12345',
      contactPhone: mobile,
      description: '某工地22名农民工被拖欠工资共166580元',
      ...(opts.project ? { projectCode: 'XC-2026-001' } : { employerUscc: s.city.contractor.uscc, regionCode: '110102003' }),
      amountClaimedFen: 16_658_000,
      workersAffected: 22,
    });
    await s.h.services.cases.acceptCase(s.h.as(s.city.inspector), { caseId: c.id });
    await s.h.relay.drain();
    return { c, mobile };
  }
  const pay = (caseId: string) =>
    s.h.services.cases.recordPayment(s.h.as(s.city.inspector), {
      caseId,
      amountFen: 16_658_000,
      workersPaid: 22,
      paidOn: new Date(Date.now() + 8 * HOUR).toISOString().slice(0, 10),
      payer: '北京城建某工程有限公司',
      source: 'GENERAL_CONTRACTOR',
    });
  const report = (caseId: string, user = s.city.inspector) =>
    s.h.services.closure.submitClosingReport(s.h.as(user), {
      caseId,
      findings: '查明用人单位拖欠22名农民工工资166580元',
      recovery: '已为22名农民工追回工资166580元',
      outcome: '工资已足额支付',
    });
  const approve = (caseId: string, user = s.city.supervisor) => s.h.services.closure.approveClosing(s.h.as(user), { caseId });
  const callbackOf = async (caseId: string) => s.db.orm.em.fork().findOneOrFail(CaseProcess, { case: caseId, kind: 'CALLBACK' });
  const escalationsOf = async (caseId: string) =>
    (await s.h.fileOf(caseId))
      .filter((e) => e.type === 'ESCALATED')
      .map((e) => `${e.payload.kind as string}→${e.payload.escalateTo as string}`);
  async function waitFor(check: () => Promise<boolean>): Promise<void> {
    for (let i = 0; i < 100 && !(await check()); i++) await delay(100);
  }
  /** Skips to `ms` before (negative: after) an instant on the workflow clock. */
  const skipTo = async (at: Date, offsetMs: number) => s.h.env.sleep(at.getTime() + offsetMs - (await s.h.env.currentTimeMs()));

  it('closing: a report by a caseworker, approved by someone else; CLOSED with closedAt, the complainant told; the callback due in 10 working days escalates once when missed', async () => {
    const { c, mobile } = await resolvedCase();
    // Not resolved yet: nothing to close.
    await expect(report(c.id)).rejects.toMatchObject({ extensions: { code: 'CONFLICT', rule: 'case.status' } });
    await pay(c.id);
    await s.h.relay.drain();

    // Approval needs a report first; the intake clerk writes none; a stranger's agency sees nothing.
    await expect(approve(c.id)).rejects.toMatchObject({ extensions: { code: 'CONFLICT', rule: 'closure.report-required' } });
    await expect(report(c.id, s.city.clerk)).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    await expect(report(c.id, s.city.policeOfficer)).rejects.toMatchObject({ extensions: { code: 'NOT_FOUND' } });
    await report(c.id, s.city.supervisor);
    // Four eyes: the supervisor who wrote the report may not approve it; an inspector may not approve at all.
    await expect(approve(c.id, s.city.supervisor)).rejects.toMatchObject({
      extensions: { code: 'FORBIDDEN', rule: 'closure.approver-not-author' },
    });
    await expect(approve(c.id, s.city.inspector)).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    const closed = await approve(c.id, s.city.director);
    expect(closed).toMatchObject({ status: 'CLOSED' });
    expect(closed.closedAt).toBeInstanceOf(Date);
    await expect(approve(c.id, s.city.director)).rejects.toMatchObject({ extensions: { code: 'CONFLICT', rule: 'case.status' } });

    // The complainant is told at acceptance, resolution and closing; the 12345 platform that sent the case sees it all.
    const file = await s.h.fileOf(c.id);
    expect(file.map((e) => e.type).slice(-2)).toEqual(['CLOSED', 'NOTICE']);
    expect(file.at(-1)!.payload).toEqual({ milestone: 'CLOSED', text: complainantNotices.CLOSED });
    expect(file.find((e) => e.type === 'ACCEPTED')!.payload.notice).toEqual({ milestone: 'ACCEPTED', text: complainantNotices.ACCEPTED });
    const visible = await s.db.orm.em
      .fork()
      .getConnection()
      .execute<Array<{ type: string; visible: boolean }>>(
        `select type, case_entry_visible_to(?, payload) as visible from case_event
          where case_id = ? and (type = 'NOTICE' or payload->'notice' is not null)`,
        [s.city.integrator.id, c.id],
      );
    expect(visible.map((v) => v.type).sort()).toEqual(['ACCEPTED', 'NOTICE', 'PAYMENT_RECORDED']);
    expect(visible.every((v) => v.visible)).toBe(true);

    // The callback: every closed case by default, due at the end of the 10th working day after closing.
    await s.h.relay.drain();
    const due = addWorkingDays(closed.closedAt!, callbackRules.callbackWithin.workingDays);
    await waitFor(async () => (await callbackOf(c.id)).status === 'WAITING');
    expect(await callbackOf(c.id)).toMatchObject({ status: 'WAITING', dueAt: due, waitingOn: 'INSPECTION' });
    // A call that does not get through is recorded; the callback stays open. Answers without reaching anyone are refused.
    const cb = await callbackOf(c.id);
    await callbacks().recordCallback(s.h.as(s.city.clerk), { processId: cb.id, reached: false, notes: '无人接听' });
    await expect(
      callbacks().recordCallback(s.h.as(s.city.clerk), { processId: cb.id, reached: false, satisfaction: 'SATISFIED' }),
    ).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'input.reached' } });

    await skipTo(due, -HOUR);
    expect(await escalationsOf(c.id)).toEqual([]);
    await skipTo(due, HOUR);
    await waitFor(async () => (await escalationsOf(c.id)).length > 0);
    expect(await escalationsOf(c.id)).toEqual(['CALLBACK_OVERDUE→SUPERVISOR']);
    await s.h.env.sleep(5 * 24 * HOUR);
    expect(await escalationsOf(c.id)).toEqual(['CALLBACK_OVERDUE→SUPERVISOR']); // once

    // Made late, reached, paid and satisfied: done, no review; the complainant is told.
    const done = await callbacks().recordCallback(s.h.as(s.city.inspector2), {
      processId: cb.id,
      reached: true,
      wagesReceivedInFull: true,
      satisfaction: 'SATISFIED',
    });
    expect(done).toMatchObject({ status: 'DONE', outcome: 'CALLBACK_DONE' });
    const after = await s.h.fileOf(c.id);
    expect(after.find((e) => e.type === 'CALLBACK_RECORDED')!.payload).toMatchObject({ reached: true, onTime: false });
    expect(after.at(-1)).toMatchObject({ type: 'NOTICE', payload: { milestone: 'CALLBACK_DONE' } });
    const result = await s.h.finished(cb.workflowId);
    expect(result).toMatchObject({ status: 'DONE', attempts: 2, escalations: ['CALLBACK_OVERDUE'] });

    // The public lookup shows the latest notice; the integrator that sent the case sees it.
    const resolver = new CaseResolver(s.h.services.cases, s.h.services.intake, s.h.services.caseStatusAttempts);
    expect(await resolver.caseStatus(s.h.anonymous(), c.number, mobile)).toMatchObject({
      status: 'CLOSED',
      notice: complainantNotices.CALLBACK_DONE,
    });
    await expect(s.h.services.cases.byId(s.h.as(s.city.hotline), c.id)).resolves.toMatchObject({ id: c.id });
  });

  it('"dissatisfied" opens the supervisor’s review, due in 5 working days and escalated to the director when missed', async () => {
    const { c } = await resolvedCase();
    await pay(c.id);
    await report(c.id);
    const closed = await approve(c.id);
    await s.h.relay.drain();
    await waitFor(async () => (await callbackOf(c.id)).status === 'WAITING');
    const cb = await callbackOf(c.id);
    // Answers are required when reached; a stranger from outside labour inspection cannot see the process.
    await expect(
      callbacks().recordCallback(s.h.as(s.city.inspector), { processId: cb.id, reached: true, wagesReceivedInFull: true }),
    ).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'input.satisfaction' } });
    await expect(
      callbacks().recordCallback(s.h.as(s.city.policeOfficer), {
        processId: cb.id,
        reached: true,
        wagesReceivedInFull: true,
        satisfaction: 'SATISFIED',
      }),
    ).rejects.toMatchObject({ extensions: { code: 'NOT_FOUND' } });

    const recordedAt = new Date();
    const underReview = await callbacks().recordCallback(s.h.as(s.city.inspector2), {
      processId: cb.id,
      reached: true,
      wagesReceivedInFull: false,
      satisfaction: 'DISSATISFIED',
      notes: '尚有两人工资未到账',
    });
    const reviewDue = addWorkingDays(recordedAt, callbackRules.reviewWithin.workingDays);
    expect(underReview).toMatchObject({ status: 'UNDER_REVIEW', waitingOn: 'SUPERVISOR', endedAt: null });
    expect(underReview.dueAt).toEqual(reviewDue);
    const file = await s.h.fileOf(c.id);
    expect(file.map((e) => e.type)).toEqual(expect.arrayContaining(['CALLBACK_RECORDED', 'CALLBACK_REVIEW_OPENED']));
    expect(file.at(-1)!.payload).toMatchObject({ milestone: 'CALLBACK_UNDER_REVIEW', text: complainantNotices.CALLBACK_UNDER_REVIEW });
    await expect(
      callbacks().recordCallback(s.h.as(s.city.inspector2), {
        processId: cb.id,
        reached: true,
        wagesReceivedInFull: true,
        satisfaction: 'SATISFIED',
      }),
    ).rejects.toMatchObject({ extensions: { code: 'CONFLICT' } });

    await skipTo(reviewDue, -HOUR);
    expect(await escalationsOf(c.id)).toEqual([]);
    await skipTo(reviewDue, HOUR);
    await waitFor(async () => (await escalationsOf(c.id)).length > 0);
    expect(await escalationsOf(c.id)).toEqual(['CALLBACK_REVIEW_OVERDUE→DIRECTOR']);
    // The callback's own clock (10 working days from closing) runs out later and says nothing: the call was made.
    await skipTo(addWorkingDays(closed.closedAt!, callbackRules.callbackWithin.workingDays), HOUR);
    expect(await escalationsOf(c.id)).toEqual(['CALLBACK_REVIEW_OVERDUE→DIRECTOR']);

    // Only a supervisor or director decides the review.
    const review = { processId: cb.id, decision: 'FOLLOW_UP_ORDERED' as const, findings: '责令用人单位补发两人工资' };
    await expect(callbacks().reviewCallback(s.h.as(s.city.inspector), review)).rejects.toMatchObject({
      extensions: { code: 'FORBIDDEN' },
    });
    const reviewed = await callbacks().reviewCallback(s.h.as(s.city.supervisor), review);
    expect(reviewed).toMatchObject({ status: 'DONE', outcome: 'FOLLOW_UP_ORDERED' });
    await expect(callbacks().reviewCallback(s.h.as(s.city.supervisor), review)).rejects.toMatchObject({
      extensions: { code: 'CONFLICT' },
    });
  });

  it('closing is refused while a dispatch is open and allowed with a referral the police hold', async () => {
    // A dispatch still open when the case resolves (its end is held in flight): CONFLICT with the rule.
    const { c } = await resolvedCase({ project: true });
    const release = s.h.holdStep('DISPATCH_ENDED');
    const dispatch = await s.h.services.processes.dispatchCase(s.h.as(s.city.inspector), { caseId: c.id });
    await s.h.relay.drain();
    await waitFor(async () => (await s.db.orm.em.fork().findOneOrFail(CaseProcess, { id: dispatch.id })).status !== 'REQUESTED');
    await pay(c.id);
    await s.h.relay.drain();
    await expect(report(c.id)).rejects.toMatchObject({
      extensions: { code: 'CONFLICT', rule: 'closure.process-open', kind: 'DISPATCH', processId: dispatch.id },
    });
    release();
    await waitFor(async () => !!(await s.db.orm.em.fork().findOneOrFail(CaseProcess, { id: dispatch.id })).endedAt);
    await report(c.id);
    expect(await approve(c.id)).toMatchObject({ status: 'CLOSED' });

    // A referral sent to the police outlives the case: the case closes while the police hold it.
    const r = await resolvedCase();
    const referral = await s.h.services.processes.proposePoliceReferral(s.h.as(s.city.inspector), {
      caseId: r.c.id,
      team: [s.city.inspector.id, s.city.inspector2.id],
      policeAgencyId: s.city.police.id,
      orderToPayIssuedOn: '2026-11-01',
      orderToPayDueOn: '2026-11-10',
      grounds: '责令支付后逾期未支付，涉嫌拒不支付劳动报酬罪',
    });
    await s.h.relay.drain();
    await s.h.step(s.city.director, referral.id, 'approveReferral', { approve: true, note: '同意移送' });
    await s.h.step(s.city.inspector2, referral.id, 'sendReferral');
    await pay(r.c.id);
    await s.h.relay.drain();
    expect(await s.db.orm.em.fork().findOneOrFail(CaseProcess, { id: referral.id })).toMatchObject({ status: 'SENT', endedAt: null });
    await report(r.c.id);
    expect(await approve(r.c.id)).toMatchObject({ status: 'CLOSED' });
  });

  it('the webhook of the integrator that sent the case carries each notice (acceptance, resolution, closing, callback)', async () => {
    const conn = s.db.orm.em.fork().getConnection();
    const endpoint = '0e000000-0000-4000-8000-000000000001';
    await conn.execute(
      `insert into webhook_endpoint (id, agency_id, channel, url, secret, give_up_seconds)
       values (?, ?, 'HOTLINE_12345', 'http://127.0.0.1:9/hook', ?, 1) on conflict do nothing`,
      [endpoint, s.city.integrator.id, 'x'.repeat(40)],
    );
    try {
      const { c } = await resolvedCase();
      await pay(c.id);
      await report(c.id);
      await approve(c.id);
      await s.h.relay.drain();
      await waitFor(async () => (await callbackOf(c.id)).status === 'WAITING');
      await callbacks().recordCallback(s.h.as(s.city.inspector), {
        processId: (await callbackOf(c.id)).id,
        reached: true,
        wagesReceivedInFull: true,
        satisfaction: 'BASICALLY_SATISFIED',
      });
      const delivered = await conn.execute<Array<{ type: string; milestone: string }>>(
        `select e.type, coalesce(e.payload->>'milestone', e.payload->'notice'->>'milestone') as milestone
           from webhook_delivery d join case_event e on e.id = d.event_id
          where d.endpoint_id = ? and d.case_id = ? and (e.type = 'NOTICE' or e.payload->'notice' is not null) order by e.seq`,
        [endpoint, c.id],
      );
      expect(delivered).toEqual([
        { type: 'ACCEPTED', milestone: 'ACCEPTED' },
        { type: 'PAYMENT_RECORDED', milestone: 'RESOLVED' },
        { type: 'NOTICE', milestone: 'CLOSED' },
        { type: 'NOTICE', milestone: 'CALLBACK_DONE' },
      ]);
    } finally {
      await conn.execute(`update webhook_endpoint set active = false where id = ?`, [endpoint]);
    }
  });

  it('the city’s sample rate (CALLBACK_SAMPLE_RATE) reaches the closing: at 0 a closed case gets no callback', async () => {
    const city = createServices({
      orm: s.db.orm,
      temporal: Connection.lazy({ address: '127.0.0.1:1' }),
      workflowClient: s.h.env.client,
      callbackSampleRate: 0,
      processModules: [],
    });
    expect(city.closure.callbackSampleRate).toBe(0);
    expect(s.h.services.closure.callbackSampleRate).toBe(1); // unset: the default, every case
    const { c } = await resolvedCase();
    await pay(c.id);
    await s.h.relay.drain();
    await report(c.id);
    const closed = await city.closure.approveClosing(s.h.as(s.city.supervisor), { caseId: c.id });
    expect(closed.status).toBe('CLOSED');
    expect(await s.db.orm.em.fork().count(CaseProcess, { case: c.id, kind: 'CALLBACK' })).toBe(0);
    const entry = (await s.h.fileOf(c.id)).find((e) => e.type === 'CLOSED')!;
    expect(entry.payload).toMatchObject({ callbackProcessId: null, callbackDue: null });
  });

  it('the sample: a rate of 1 calls every case back, a rate of 0 none, a fraction the same cases every time', () => {
    expect(callbackRules.samplingRate.rate).toBe(1);
    expect(sampledForCallback('00000000-0000-4000-8000-000000000000', 0)).toBe(false);
    expect(sampledForCallback('ffffffff-0000-4000-8000-000000000000', 1)).toBe(true);
    expect(sampledForCallback('40000000-0000-4000-8000-000000000000', 0.3)).toBe(true);
    expect(sampledForCallback('80000000-0000-4000-8000-000000000000', 0.3)).toBe(false);
  });
});
