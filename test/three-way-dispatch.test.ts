import { caseWorkflowId } from '../src/cases/case-workflow';
import { CaseProcess, ProcessParty } from '../src/processes/process.entity';
import { createCaseActivities } from '../src/worker/case-activities';
import { dispatchStateQuery } from '../workflows/three-way-dispatch';
import { testLog } from './support/logger';
import { addEmployer, addProject } from './support/fixtures';
import { useProcessHarness } from './support/process-harness';

/**
 * 三交办 on the time-skipping server: recipients acknowledge and report through the API as their own agencies,
 * strangers and repeats are refused at once, silence climbs the escalation ladder on the working-day calendar,
 * and wages paid by anyone end the dispatch (the Qingdao story: the contractor's HQ pays).
 */
describe('three-way dispatch', () => {
  const s = useProcessHarness('dispatch-test');
  let phone = 13800001000;

  async function constructionCase(amountFen = 63_713_000, workers = 49) {
    const { case: c } = await s.h.services.intake.intake(s.h.as(s.city.clerk), {
      channel: 'HOTLINE_12345',
      contactPhone: String(phone++),
      description: '西城区某工地49名农民工被拖欠工资',
      // A project like XC-2026-001 of its own: complaints about one project join one case (一事一案).
      projectCode: (await addProject(s.db.orm.em.fork(), s.city.project)).code,
      amountClaimedFen: amountFen,
      workersAffected: workers,
    });
    await s.h.services.cases.acceptCase(s.h.as(s.city.inspector), { caseId: c.id });
    await s.h.relay.drain();
    return c;
  }
  const partiesOf = async (processId: string) => {
    const rows = await s.db.orm.em.fork().find(ProcessParty, { process: processId }, { orderBy: { role: 'asc' } });
    return Object.fromEntries(rows.map((p) => [p.role, p]));
  };

  it('the Qingdao story: sent to all three at once, the HQ acknowledges while the dispatch is still being sent, reports and pays; the dispatch ends', async () => {
    const c = await constructionCase();
    const release = s.h.holdStep('DISPATCH_SENT'); // the handover sheets are still going out …
    const dispatch = await s.h.services.processes.dispatchCase(s.h.as(s.city.inspector), { caseId: c.id });
    expect(dispatch).toMatchObject({ kind: 'DISPATCH', status: 'REQUESTED' });
    const parties = await partiesOf(dispatch.id);
    expect(Object.keys(parties).sort()).toEqual(['CONTRACTOR_HQ', 'DISTRICT_GOVERNMENT', 'INDUSTRY_REGULATOR']);
    expect(parties.CONTRACTOR_HQ!.agency).toBe(s.city.contractorHq.id);

    // … when the contractor's HQ acknowledges: the update is kept until the dispatch is ready, not dropped.
    const ack = s.h.services.processes.step(s.h.as(s.city.contractorLiaison), {
      processId: dispatch.id,
      update: 'acknowledgeDispatch',
      args: {},
    });
    const handle = s.h.env.client.workflow.getHandle(dispatch.workflowId);
    await waitFor(async () => (await handle.query(dispatchStateQuery).catch(() => undefined))?.ready === false);
    release();
    await ack;
    expect((await partiesOf(dispatch.id)).CONTRACTOR_HQ!.status).toBe('ACKNOWLEDGED');

    // A stranger is refused at once (the police cannot even see the case; an inspector who can is no
    // recipient); so is a second acknowledgement; nothing is written.
    const before = (await s.h.fileOf(c.id)).length;
    await expect(
      s.h.services.processes.step(s.h.as(s.city.policeOfficer), { processId: dispatch.id, update: 'acknowledgeDispatch', args: {} }),
    ).rejects.toMatchObject({ extensions: { code: 'NOT_FOUND' } });
    await expect(
      s.h.services.processes.step(s.h.as(s.city.inspector), { processId: dispatch.id, update: 'acknowledgeDispatch', args: {} }),
    ).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    await expect(
      s.h.services.processes.step(s.h.as(s.city.contractorLiaison), { processId: dispatch.id, update: 'acknowledgeDispatch', args: {} }),
    ).rejects.toMatchObject({ extensions: { code: 'CONFLICT' } });
    await expect(
      s.h.services.processes.step(s.h.as(s.city.districtOfficer), {
        processId: dispatch.id,
        update: 'reportDispatch',
        args: { report: '已约谈' },
      }),
    ).rejects.toMatchObject({ extensions: { code: 'CONFLICT' } });
    expect((await s.h.fileOf(c.id)).length).toBe(before);

    await s.h.services.processes.step(s.h.as(s.city.districtOfficer), { processId: dispatch.id, update: 'acknowledgeDispatch', args: {} });
    await s.h.services.processes.step(s.h.as(s.city.regulatorOfficer), { processId: dispatch.id, update: 'acknowledgeDispatch', args: {} });
    await s.h.services.processes.step(s.h.as(s.city.contractorLiaison), {
      processId: dispatch.id,
      update: 'reportDispatch',
      args: {
        report: '总部督促项目部筹措资金，已足额支付49名农民工工资',
        payment: { amountFen: 63_713_000, workersPaid: 49, paidOn: '2026-11-24', payer: '北京城建某工程有限公司' },
      },
    });

    // Paid in full: the case resolves, its lifecycle ends and tells the dispatch, which ends.
    await s.h.relay.drain();
    await s.h.finished(caseWorkflowId(c.id));
    const final = await s.h.finished(handle.workflowId);
    expect(final.ended).toBe('WAGES_PAID');
    const row = await s.db.orm.em.fork().findOneOrFail(CaseProcess, { id: dispatch.id });
    expect(row).toMatchObject({ status: 'ENDED', outcome: 'WAGES_PAID' });
    expect(row.endedAt).toBeInstanceOf(Date);

    const file = await s.h.fileOf(c.id);
    expect(file.map((e) => e.type)).toEqual([
      'RECEIVED',
      'ACCEPTED',
      'DISPATCH_REQUESTED',
      'DISPATCH_SENT',
      'DISPATCH_ACKNOWLEDGED',
      'DISPATCH_ACKNOWLEDGED',
      'DISPATCH_ACKNOWLEDGED',
      'DISPATCH_REPORTED',
      'PAYMENT_RECORDED',
      'DISPATCH_ENDED',
    ]);
    expect(file.find((e) => e.type === 'DISPATCH_REPORTED')!.actor_agency_id).toBe(s.city.contractorHq.id);
  });

  it('silence climbs the ladder: reminder, supervisor, city daily report — for each recipient and deadline missed, once', async () => {
    const c = await constructionCase();
    const dispatch = await s.h.services.processes.dispatchCase(s.h.as(s.city.inspector), { caseId: c.id });
    await s.h.relay.drain();
    await waitFor(
      async () =>
        (
          await s.h.env.client.workflow
            .getHandle(dispatch.workflowId)
            .query(dispatchStateQuery)
            .catch(() => undefined)
        )?.ready === true,
    );
    // The HQ acknowledges in time and reports; the district acknowledges but never reports; the regulator is silent.
    await s.h.services.processes.step(s.h.as(s.city.contractorLiaison), {
      processId: dispatch.id,
      update: 'acknowledgeDispatch',
      args: {},
    });
    await s.h.services.processes.step(s.h.as(s.city.contractorLiaison), {
      processId: dispatch.id,
      update: 'reportDispatch',
      args: { report: '已督促项目部制定支付计划' },
    });
    await s.h.services.processes.step(s.h.as(s.city.districtOfficer), { processId: dispatch.id, update: 'acknowledgeDispatch', args: {} });

    const parties = await partiesOf(dispatch.id);
    // Past the last rung, weekends included.
    const lastRung = Math.max(...Object.values(parties).map((p) => p.reportDue!.getTime())) + 3 * 86_400_000 + 4 * 86_400_000;
    await s.h.env.sleep(lastRung - (await s.h.env.currentTimeMs()));

    const escalations = (await s.h.fileOf(c.id))
      .filter((e) => e.type === 'ESCALATED')
      .map((e) => `${e.payload.role as string}:${e.payload.kind as string}:${e.payload.level as string}`);
    expect(escalations.sort()).toEqual(
      [
        'DISTRICT_GOVERNMENT:DISPATCH_REPORT_OVERDUE:REMINDER',
        'DISTRICT_GOVERNMENT:DISPATCH_REPORT_OVERDUE:SUPERVISOR',
        'DISTRICT_GOVERNMENT:DISPATCH_REPORT_OVERDUE:CITY_DAILY_REPORT',
        'INDUSTRY_REGULATOR:DISPATCH_ACKNOWLEDGE_OVERDUE:REMINDER',
        'INDUSTRY_REGULATOR:DISPATCH_ACKNOWLEDGE_OVERDUE:SUPERVISOR',
        'INDUSTRY_REGULATOR:DISPATCH_ACKNOWLEDGE_OVERDUE:CITY_DAILY_REPORT',
        'INDUSTRY_REGULATOR:DISPATCH_REPORT_OVERDUE:REMINDER',
        'INDUSTRY_REGULATOR:DISPATCH_REPORT_OVERDUE:SUPERVISOR',
        'INDUSTRY_REGULATOR:DISPATCH_REPORT_OVERDUE:CITY_DAILY_REPORT',
      ].sort(),
    );
    const after = await partiesOf(dispatch.id);
    expect(after.CONTRACTOR_HQ).toMatchObject({ status: 'REPORTED', escalationLevel: null });
    expect(after.INDUSTRY_REGULATOR).toMatchObject({ status: 'OVERDUE', escalationLevel: 'CITY_DAILY_REPORT' });
    // The regulator's first rung fell at the end of the next working day after the dispatch, as the rule says.
    const regulatorReminder = (await s.h.fileOf(c.id)).find(
      (e) =>
        e.type === 'ESCALATED' &&
        e.payload.role === 'INDUSTRY_REGULATOR' &&
        e.payload.level === 'REMINDER' &&
        e.payload.kind === 'DISPATCH_ACKNOWLEDGE_OVERDUE',
    );
    expect(regulatorReminder!.payload.deadline).toBe(after.INDUSTRY_REGULATOR!.acknowledgeDue!.toISOString());

    // A late acknowledgement is still taken.
    await s.h.services.processes.step(s.h.as(s.city.regulatorOfficer), { processId: dispatch.id, update: 'acknowledgeDispatch', args: {} });
    expect((await partiesOf(dispatch.id)).INDUSTRY_REGULATOR!.status).toBe('ACKNOWLEDGED');
  });

  it('refuses a dispatch without a project, a second one while one runs, and one started by a non-caseworker', async () => {
    const { case: noProject } = await s.h.services.intake.intake(s.h.as(s.city.clerk), {
      channel: 'WALK_IN',
      contactPhone: String(phone++),
      description: '餐馆拖欠工资',
      employerUscc: (await addEmployer(s.db.orm.em.fork(), s.city.restaurant)).uscc,
      regionCode: '110102003',
    });
    await expect(s.h.services.processes.dispatchCase(s.h.as(s.city.inspector), { caseId: noProject.id })).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', field: 'input.caseId', rule: 'case.project-known' },
    });
    const c = await constructionCase();
    await expect(s.h.services.processes.dispatchCase(s.h.as(s.city.clerk), { caseId: c.id })).rejects.toMatchObject({
      extensions: { code: 'FORBIDDEN' },
    });
    await expect(s.h.services.processes.dispatchCase(s.h.anonymous(), { caseId: c.id })).rejects.toMatchObject({
      extensions: { code: 'UNAUTHENTICATED' },
    });
    await s.h.services.processes.dispatchCase(s.h.as(s.city.inspector), { caseId: c.id });
    await expect(s.h.services.processes.dispatchCase(s.h.as(s.city.inspector), { caseId: c.id })).rejects.toMatchObject({
      extensions: { code: 'CONFLICT', rule: 'process.one-open' },
    });
    expect(await s.db.orm.em.fork().count(CaseProcess, { case: c.id })).toBe(1);
  });

  it('a step retried with the same idempotency key is taken once', async () => {
    const c = await constructionCase();
    const dispatch = await s.h.services.processes.dispatchCase(s.h.as(s.city.inspector), { caseId: c.id });
    const step = () =>
      s.h.services.processes.step(s.h.as(s.city.districtOfficer), {
        processId: dispatch.id,
        update: 'acknowledgeDispatch',
        args: {},
        idempotencyKey: 'district-ack-1',
      });
    await step();
    await step(); // the same update id: Temporal answers with the first result; the validator does not run again
    expect((await s.h.fileOf(c.id)).filter((e) => e.type === 'DISPATCH_ACKNOWLEDGED')).toHaveLength(1);
    // The same key from another agency is another step: keys are the caller's own.
    await s.h.services.processes.step(s.h.as(s.city.regulatorOfficer), {
      processId: dispatch.id,
      update: 'acknowledgeDispatch',
      args: {},
      idempotencyKey: 'district-ack-1',
    });
    expect((await s.h.fileOf(c.id)).filter((e) => e.type === 'DISPATCH_ACKNOWLEDGED')).toHaveLength(2);
  });

  it('a step whose activity runs twice (Temporal retried it after a lost reply) is written once', async () => {
    const c = await constructionCase();
    const dispatch = await s.h.services.processes.dispatchCase(s.h.as(s.city.inspector), { caseId: c.id });
    const party = (await partiesOf(dispatch.id)).DISTRICT_GOVERNMENT!;
    const activities = createCaseActivities({ orm: s.db.orm, log: testLog, services: s.h.services });
    const input = {
      caseId: c.id,
      processId: dispatch.id,
      stepKey: `${dispatch.id}:ack:${party.id}:retried`,
      at: new Date().toISOString(),
      event: { type: 'DISPATCH_ACKNOWLEDGED' as const, payload: { partyId: party.id } },
      effects: [{ kind: 'party' as const, partyId: party.id, status: 'ACKNOWLEDGED' as const, acknowledged: true }],
    };
    expect(await activities.recordProcessStep(input)).toEqual({ recorded: true });
    expect(await activities.recordProcessStep(input)).toEqual({ recorded: false });
    expect((await s.h.fileOf(c.id)).filter((e) => e.type === 'DISPATCH_ACKNOWLEDGED')).toHaveLength(1);
  });
});

async function waitFor(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
