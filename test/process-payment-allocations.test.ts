import { caseWorkflowId } from '../src/cases/case-workflow';
import { Case } from '../src/cases/case.entity';
import { OwedWorker, PaymentAllocation } from '../src/cases/owed-worker.entity';
import { CaseProcess, ProcessInstalment, ProcessParty } from '../src/processes/process.entity';
import { addEmployer, addProject } from './support/fixtures';
import { useProcessHarness } from './support/process-harness';

const DAY = 86_400_000;
/** A Beijing calendar date n days from now (on the test server's clock). */
const beijingDay = (now: number, n: number) => new Date(now + 8 * 3_600_000 + n * DAY).toISOString().slice(0, 10);

/**
 * 工资发放到人 through the processes (issue 14): a payment recorded by a process step — a three-way dispatch report
 * of payment, a mediation instalment paid — carries its parts per worker of the case's roster like `recordPayment`,
 * checked the same way (`checkAllocations`), so a case with a roster resolves through them; a refused part writes
 * nothing, neither the payment nor the step.
 */
describe('payments of process steps, per worker', () => {
  const s = useProcessHarness('process-allocations-test');
  let phone = 13500004000;

  /** An accepted case with a roster of two workers, owed ¥3,000 and ¥2,000. */
  async function rosterCase(about: { projectCode?: string; employerUscc?: string; regionCode?: string }) {
    const { case: c } = await s.h.services.intake.intake(s.h.as(s.city.clerk), {
      channel: 'HOTLINE_12345',
      contactPhone: String(phone++),
      description: '两名工人被拖欠工资共5000元',
      amountClaimedFen: 500_000,
      workersAffected: 2,
      ...about,
    });
    const inspector = s.h.as(s.city.inspector);
    await s.h.services.cases.acceptCase(inspector, { caseId: c.id });
    await s.h.services.roster.addOwedWorker(inspector, { caseId: c.id, name: '张三', monthsOwed: 3, amountOwedFen: 300_000 });
    await s.h.services.roster.addOwedWorker(s.h.as(s.city.inspector), {
      caseId: c.id,
      name: '李四',
      monthsOwed: 2,
      amountOwedFen: 200_000,
    });
    await s.h.relay.drain();
    const lines = await s.db.orm.em.fork().find(OwedWorker, { case: c.id }, { orderBy: { amountOwedFen: 'desc' } });
    return { c, zhang: lines[0]!.id, li: lines[1]!.id };
  }
  const caseRow = (id: string) => s.db.orm.em.fork().findOneOrFail(Case, { id });
  const allocationsOf = async (caseId: string) =>
    (await s.db.orm.em.fork().find(PaymentAllocation, { case: caseId })).map((a) => ({ owedWorker: a.owedWorker, amountFen: a.amountFen }));

  it('a dispatch report of payment with its parts per worker resolves a case with a roster; wrong parts are refused naming the field, writing nothing', async () => {
    const project = await addProject(s.db.orm.em.fork(), s.city.project);
    const { c, zhang, li } = await rosterCase({ projectCode: project.code });
    const dispatch = await s.h.services.processes.dispatchCase(s.h.as(s.city.inspector), { caseId: c.id });
    await s.h.relay.drain();
    for (const who of [s.city.contractorLiaison, s.city.districtOfficer, s.city.regulatorOfficer])
      await s.h.services.processes.step(s.h.as(who), { processId: dispatch.id, update: 'acknowledgeDispatch', args: {} });
    const report = (allocations: Array<{ owedWorkerId: string; amountFen: number }>, workersPaid = allocations.length) =>
      s.h.services.processes.step(s.h.as(s.city.contractorLiaison), {
        processId: dispatch.id,
        update: 'reportDispatch',
        args: {
          report: '总部督促项目部足额支付两名工人工资',
          payment: { amountFen: 500_000, workersPaid, paidOn: '2026-11-24', payer: '北京城建某工程有限公司', allocations },
        },
      });
    const before = (await s.h.fileOf(c.id)).length;

    // The parts add up to the payment, one per worker, as many as paid, none past what the worker is owed.
    await expect(
      report([
        { owedWorkerId: zhang, amountFen: 300_000 },
        { owedWorkerId: li, amountFen: 100_000 },
      ]),
    ).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'input.payment.allocations', rule: 'allocations.sum' } });
    await expect(
      report([
        { owedWorkerId: zhang, amountFen: 250_000 },
        { owedWorkerId: li, amountFen: 250_000 },
      ]),
    ).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', field: 'input.payment.allocations[1].amount', rule: 'allocation.within-owed' },
    });
    await expect(report([{ owedWorkerId: zhang, amountFen: 500_000 }], 1)).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', field: 'input.payment.allocations[0].amount', rule: 'allocation.within-owed' },
    });
    await expect(
      report(
        [
          { owedWorkerId: zhang, amountFen: 300_000 },
          { owedWorkerId: li, amountFen: 200_000 },
        ],
        3,
      ),
    ).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'input.payment.workersPaid', rule: 'allocations.workers' } });
    // Nothing of a refused report is kept: no entry, no payment, the recipient has not reported.
    expect((await s.h.fileOf(c.id)).length).toBe(before);
    expect(await allocationsOf(c.id)).toEqual([]);
    expect((await caseRow(c.id)).amountRecoveredFen).toBe(0);
    expect((await s.db.orm.em.fork().findOneOrFail(ProcessParty, { process: dispatch.id, agency: s.city.contractorHq.id })).status).toBe(
      'ACKNOWLEDGED',
    );

    await report([
      { owedWorkerId: zhang, amountFen: 300_000 },
      { owedWorkerId: li, amountFen: 200_000 },
    ]);
    await s.h.relay.drain();
    await s.h.finished(caseWorkflowId(c.id));
    expect(await caseRow(c.id)).toMatchObject({ status: 'RESOLVED', amountRecoveredFen: 500_000 });
    expect(await allocationsOf(c.id)).toEqual(
      expect.arrayContaining([
        { owedWorker: zhang, amountFen: 300_000 },
        { owedWorker: li, amountFen: 200_000 },
      ]),
    );
    const paid = (await s.h.fileOf(c.id)).find((e) => e.type === 'PAYMENT_RECORDED')!;
    expect(paid.payload).toMatchObject({
      amountFen: 500_000,
      source: 'GENERAL_CONTRACTOR',
      allocations: [
        { owedWorkerId: zhang, amountFen: 300_000 },
        { owedWorkerId: li, amountFen: 200_000 },
      ],
    });
    expect((await s.h.finished(dispatch.workflowId)).ended).toBe('WAGES_PAID');
    expect(await s.db.orm.em.fork().findOneOrFail(CaseProcess, { id: dispatch.id })).toMatchObject({ outcome: 'WAGES_PAID' });
  });

  it('a dispatch report of payment without parts leaves a case with a roster open (nobody on the roster is paid by it)', async () => {
    const project = await addProject(s.db.orm.em.fork(), s.city.project);
    const { c } = await rosterCase({ projectCode: project.code });
    const dispatch = await s.h.services.processes.dispatchCase(s.h.as(s.city.inspector), { caseId: c.id });
    await s.h.relay.drain();
    await s.h.services.processes.step(s.h.as(s.city.contractorLiaison), {
      processId: dispatch.id,
      update: 'acknowledgeDispatch',
      args: {},
    });
    await s.h.services.processes.step(s.h.as(s.city.contractorLiaison), {
      processId: dispatch.id,
      update: 'reportDispatch',
      args: { report: '已支付', payment: { amountFen: 500_000, workersPaid: 2, paidOn: '2026-11-24', payer: '北京城建某工程有限公司' } },
    });
    expect(await caseRow(c.id)).toMatchObject({ status: 'ACCEPTED', amountRecoveredFen: 500_000 });
    expect(await allocationsOf(c.id)).toEqual([]);
  });

  it('mediation instalments paid with their parts per worker resolve a case with a roster; a part past what is owed is refused and the instalment stays unpaid', async () => {
    const employer = await addEmployer(s.db.orm.em.fork(), s.city.contractor);
    const { c, zhang, li } = await rosterCase({ employerUscc: employer.uscc, regionCode: '110102003' });
    const mediation = await s.h.services.processes.conveneMediation(s.h.as(s.city.inspector), {
      caseId: c.id,
      parties: [
        { role: 'GENERAL_CONTRACTOR', name: employer.name },
        { role: 'WORKER_REPRESENTATIVE', name: '工人代表 张三' },
      ],
      agencyIds: [s.city.union.id],
    });
    await s.h.relay.drain();
    const now = await s.h.env.currentTimeMs();
    await s.h.step(s.city.inspector, mediation.id, 'recordAgreement', {
      instalments: [
        { dueOn: beijingDay(now, 3), amountFen: 300_000 },
        { dueOn: beijingDay(now, 10), amountFen: 200_000 },
      ],
    });
    const pay = (seq: number, allocations: Array<{ owedWorkerId: string; amountFen: number }>) =>
      s.h.step(s.city.inspector, mediation.id, 'recordInstalmentPaid', {
        seq,
        paidOn: beijingDay(now, 0),
        payer: employer.name,
        workersPaid: allocations.length,
        allocations,
      });

    await pay(1, [{ owedWorkerId: zhang, amountFen: 300_000 }]);
    expect(await caseRow(c.id)).toMatchObject({ status: 'ACCEPTED', amountRecoveredFen: 300_000 });
    // 张三 is paid in full: the second instalment cannot go to him, nor be split otherwise than it is.
    await expect(pay(2, [{ owedWorkerId: zhang, amountFen: 200_000 }])).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', field: 'input.allocations[0].amount', rule: 'allocation.within-owed' },
    });
    await expect(pay(2, [{ owedWorkerId: li, amountFen: 150_000 }])).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', field: 'input.allocations', rule: 'allocations.sum' },
    });
    expect((await s.db.orm.em.fork().findOneOrFail(ProcessInstalment, { process: mediation.id, seq: 2 })).status).toBe('PENDING');
    expect((await caseRow(c.id)).amountRecoveredFen).toBe(300_000);

    await pay(2, [{ owedWorkerId: li, amountFen: 200_000 }]);
    const result = await s.h.finished(mediation.workflowId);
    expect(result.status).toBe('COMPLETED');
    expect(await caseRow(c.id)).toMatchObject({ status: 'RESOLVED', amountRecoveredFen: 500_000 });
    expect(await allocationsOf(c.id)).toEqual(
      expect.arrayContaining([
        { owedWorker: zhang, amountFen: 300_000 },
        { owedWorker: li, amountFen: 200_000 },
      ]),
    );
    const payments = (await s.h.fileOf(c.id)).filter((e) => e.type === 'PAYMENT_RECORDED').map((e) => e.payload.allocations);
    expect(payments).toEqual([[{ owedWorkerId: zhang, amountFen: 300_000 }], [{ owedWorkerId: li, amountFen: 200_000 }]]);
  });
});
