import { processServiceOf } from '../src/processes/process-module';
import { CaseProcess } from '../src/processes/process.entity';
import { orderToPayModule } from '../src/processes/order-to-pay/order-to-pay.module';
import { addEmployer } from './support/fixtures';
import { useProcessHarness } from './support/process-harness';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** A Beijing calendar date n days from the wall clock (the API's clock). */
const beijingDay = (n: number) => new Date(Date.now() + 8 * HOUR + n * DAY).toISOString().slice(0, 10);
const endOfBeijingDay = (isoDate: string) => Date.parse(`${isoDate}T00:00:00+08:00`) + DAY;

/**
 * 限期支付 (劳动保障监察条例 第二十六条) on the time-skipping server: the order's clock runs to 24:00 Beijing of its
 * due day; paid in time it ends COMPLIED; missed it is escalated once, keeps the facts a police referral needs, and
 * takes additional compensation of 50–100 % (加付赔偿金, 劳动合同法 第八十五条).
 */
describe('order to pay', () => {
  const s = useProcessHarness('order-to-pay-test');
  let phone = 13500004000;
  const orders = () => processServiceOf(s.h.services, orderToPayModule);
  const workers = [
    { name: '王建国', amountFen: 333_333 },
    { name: '李春生', amountFen: 1 },
    { name: '赵铁柱', amountFen: 2_000_000 },
  ];
  const total = 2_333_334;

  async function acceptedCase(amountClaimedFen = 16_658_000, workersAffected = 22) {
    const { case: c } = await s.h.services.intake.intake(s.h.as(s.city.clerk), {
      channel: 'WALK_IN',
      contactPhone: String(phone++),
      description: '工地拖欠22名工人工资',
      // An employer like the contractor, of its own: complaints about one employer join one case (一事一案).
      employerUscc: (await addEmployer(s.db.orm.em.fork(), s.city.contractor)).uscc,
      regionCode: '110102003',
      amountClaimedFen,
      workersAffected,
    });
    await s.h.services.cases.acceptCase(s.h.as(s.city.inspector), { caseId: c.id });
    await s.h.relay.drain();
    return c;
  }
  async function issue(caseId: string, dueOn: string) {
    const order = await orders().issue(s.h.as(s.city.supervisor), { caseId, workers, dueOn });
    await s.h.relay.drain();
    // The case's lifecycle starts the order's workflow, which takes it in (ISSUED).
    for (let i = 0; i < 100 && (await processRow(order.id)).status === 'REQUESTED'; i++) await new Promise((r) => setTimeout(r, 100));
    return order;
  }
  const processRow = (id: string) => s.db.orm.em.fork().findOneOrFail(CaseProcess, { id });
  const missedEscalations = async (caseId: string) =>
    (await s.h.fileOf(caseId)).filter((e) => e.type === 'ESCALATED' && e.payload.kind === 'ORDER_TO_PAY_MISSED');

  it('is issued by a supervisor or director with the amount per worker and a deadline after today', async () => {
    const c = await acceptedCase();
    await expect(orders().issue(s.h.as(s.city.inspector), { caseId: c.id, workers, dueOn: beijingDay(10) })).rejects.toMatchObject({
      extensions: { code: 'FORBIDDEN' },
    });
    await expect(orders().issue(s.h.as(s.city.supervisor), { caseId: c.id, workers, dueOn: beijingDay(0) })).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', field: 'input.dueOn', rule: 'order-to-pay.period' },
    });
    await expect(
      orders().issue(s.h.as(s.city.supervisor), { caseId: c.id, workers: [{ name: '王建国', amountFen: 0 }], dueOn: beijingDay(10) }),
    ).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'input.workers.0.amount' } });
    await expect(orders().issue(s.h.as(s.city.supervisor), { caseId: c.id, workers: [], dueOn: beijingDay(10) })).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', field: 'input.workers' },
    });
    const order = await issue(c.id, beijingDay(10));
    expect(order.facts).toMatchObject({ issuedOn: beijingDay(0), dueOn: beijingDay(10), totalFen: total, workers });
    expect(await processRow(order.id)).toMatchObject({
      kind: 'ORDER_TO_PAY',
      status: 'ISSUED',
      waitingOn: 'EMPLOYER',
      dueAt: new Date(endOfBeijingDay(beijingDay(10))),
    });
    // The case file has the order with its count and total; the workers' names stay in the order's facts.
    const issued = (await s.h.fileOf(c.id)).find((e) => e.type === 'ORDER_TO_PAY_ISSUED')!;
    expect(issued.payload).toMatchObject({ workers: 3, totalFen: total, dueOn: beijingDay(10) });
    expect(JSON.stringify(issued.payload)).not.toContain('王建国');
    // One open order per case; no additional compensation before it is missed.
    await expect(orders().issue(s.h.as(s.city.director), { caseId: c.id, workers, dueOn: beijingDay(12) })).rejects.toMatchObject({
      extensions: { code: 'CONFLICT', rule: 'process.one-open' },
    });
    await expect(
      orders().orderAdditionalCompensation(s.h.as(s.city.supervisor), { processId: order.id, ratePercent: 50 }),
    ).rejects.toMatchObject({ extensions: { code: 'CONFLICT' } });
  });

  it('paid in time: recorded as complied once the case’s payments reach the amount ordered, with no escalation', async () => {
    const c = await acceptedCase();
    const dueOn = beijingDay(7);
    const order = await issue(c.id, dueOn);
    await s.h.env.sleep(5 * DAY);
    await expect(orders().recordComplied(s.h.as(s.city.inspector), { processId: order.id, paidOn: beijingDay(0) })).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', rule: 'order-to-pay.unpaid' },
    });
    await s.h.services.cases.recordPayment(s.h.as(s.city.inspector), {
      caseId: c.id,
      amountFen: total,
      workersPaid: 3,
      paidOn: beijingDay(0),
      payer: '北京城建某工程有限公司',
      source: 'GENERAL_CONTRACTOR',
    });
    await expect(
      orders().recordComplied(s.h.as(s.city.districtOfficer), { processId: order.id, paidOn: beijingDay(0) }),
    ).rejects.toMatchObject({
      extensions: { code: 'NOT_FOUND' },
    });
    const complied = await orders().recordComplied(s.h.as(s.city.inspector), {
      processId: order.id,
      paidOn: beijingDay(0),
      note: '银行流水',
    });
    expect(complied).toMatchObject({ status: 'COMPLIED', outcome: 'COMPLIED' });
    expect(complied.endedAt).toBeTruthy();
    expect(await s.h.finished(order.workflowId)).toMatchObject({ status: 'COMPLIED' });
    await s.h.env.sleep(5 * DAY);
    expect(await missedEscalations(c.id)).toHaveLength(0);
    expect((await s.h.fileOf(c.id)).filter((e) => e.type === 'ORDER_TO_PAY_COMPLIED')).toHaveLength(1);
  });

  it('paid in time: the case resolved (wages paid) before the deadline ends the order COMPLIED', async () => {
    const c = await acceptedCase(total, 3);
    const order = await issue(c.id, beijingDay(3));
    await s.h.env.sleep(2 * DAY);
    await s.h.services.cases.recordPayment(s.h.as(s.city.inspector), {
      caseId: c.id,
      amountFen: total,
      workersPaid: 3,
      paidOn: beijingDay(0),
      payer: '北京城建某工程有限公司',
      source: 'GENERAL_CONTRACTOR',
    });
    await s.h.relay.drain();
    expect(await s.h.finished(order.workflowId)).toMatchObject({ status: 'COMPLIED' });
    expect(await processRow(order.id)).toMatchObject({ status: 'COMPLIED', outcome: 'COMPLIED' });
    expect(await missedEscalations(c.id)).toHaveLength(0);
  });

  it('missed: escalated once at the end of the due day; additional compensation 50–100 %; the referral takes the order', async () => {
    const c = await acceptedCase();
    const dueOn = beijingDay(15);
    const order = await issue(c.id, dueOn);

    // A referral waits while the order runs, typed dates or not.
    const propose = (dates: { orderToPayIssuedOn?: string; orderToPayDueOn?: string } = {}) =>
      s.h.services.processes.proposePoliceReferral(s.h.as(s.city.inspector), {
        caseId: c.id,
        team: [s.city.inspector.id, s.city.inspector2.id],
        policeAgencyId: s.city.police.id,
        grounds: '责令限期支付后逾期未支付，涉嫌拒不支付劳动报酬罪',
        ...dates,
      });
    await expect(propose({ orderToPayIssuedOn: '2026-10-01', orderToPayDueOn: '2026-10-15' })).rejects.toMatchObject({
      extensions: { code: 'CONFLICT', field: 'input.caseId', rule: 'order-to-pay.running' },
    });

    // An hour before the end of the due day: still running. An hour after: missed, escalated.
    await s.h.env.sleep(endOfBeijingDay(dueOn) - HOUR - (await s.h.env.currentTimeMs()));
    expect(await missedEscalations(c.id)).toHaveLength(0);
    expect(await processRow(order.id)).toMatchObject({ status: 'ISSUED' });
    await s.h.env.sleep(2 * HOUR);
    const missed = await missedEscalations(c.id);
    expect(missed.map((e) => e.payload)).toEqual([
      expect.objectContaining({
        issuedOn: beijingDay(0),
        dueOn,
        amountFen: total,
        deadline: new Date(endOfBeijingDay(dueOn)).toISOString(),
        escalateTo: 'ADDITIONAL_COMPENSATION_OR_POLICE_REFERRAL',
      }),
    ]);
    const row = await processRow(order.id);
    expect(row).toMatchObject({ status: 'MISSED', waitingOn: 'HRSS', endedAt: null });
    expect(row.facts).toMatchObject({ issuedOn: beijingDay(0), dueOn, totalFen: total, missedAt: expect.any(String) });
    await expect(orders().recordComplied(s.h.as(s.city.inspector), { processId: order.id, paidOn: beijingDay(0) })).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', rule: 'order-to-pay.unpaid' },
    });

    // 加付赔偿金: a supervisor or director, a whole rate from 50 to 100 %, once.
    const compensate = (user: typeof s.city.supervisor, ratePercent: number) =>
      orders().orderAdditionalCompensation(s.h.as(user), { processId: order.id, ratePercent });
    await expect(compensate(s.city.inspector, 50)).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    for (const rate of [49, 101, 0, 75.5])
      await expect(compensate(s.city.supervisor, rate)).rejects.toMatchObject({
        extensions: { code: 'BAD_USER_INPUT', field: 'input.ratePercent' },
      });
    const compensated = await compensate(s.city.supervisor, 50);
    // Per worker, half up to the fen: 333,333 × 50 % = 166,666.5 → 166,667; 1 × 50 % = 0.5 → 1; 2,000,000 → 1,000,000.
    expect(compensated.status).toBe('COMPENSATION_ORDERED');
    expect((compensated.facts as Record<string, unknown>).additionalCompensation).toMatchObject({
      ratePercent: 50,
      totalFen: 1_166_668,
      perWorker: [
        { name: '王建国', amountFen: 166_667 },
        { name: '李春生', amountFen: 1 },
        { name: '赵铁柱', amountFen: 1_000_000 },
      ],
    });
    const ordered = (await s.h.fileOf(c.id)).filter((e) => e.type === 'ADDITIONAL_COMPENSATION_ORDERED');
    expect(ordered.map((e) => e.payload)).toEqual([expect.objectContaining({ ratePercent: 50, orderedFen: total, totalFen: 1_166_668 })]);
    await expect(compensate(s.city.director, 100)).rejects.toMatchObject({ extensions: { code: 'CONFLICT' } });

    // Escalated once, however long it stays missed.
    await s.h.env.sleep(10 * DAY);
    expect(await missedEscalations(c.id)).toHaveLength(1);

    // The referral is proposed without typed dates and records the order it rests on.
    const referral = await propose();
    expect(referral.facts).toMatchObject({
      orderSource: 'ORDER_TO_PAY_PROCESS',
      orderToPayProcessId: order.id,
      orderToPayIssuedOn: beijingDay(0),
      orderToPayDueOn: dueOn,
      orderToPayAmountFen: total,
      orderToPayMissedAt: (row.facts as Record<string, unknown>).missedAt,
    });
  });

  it('a referral on a case without an order in Anxin needs the stated dates, and records them as STATED', async () => {
    const c = await acceptedCase();
    const base = {
      caseId: c.id,
      team: [s.city.inspector.id, s.city.inspector2.id],
      policeAgencyId: s.city.police.id,
      grounds: '责令限期支付后逾期未支付',
    };
    await expect(s.h.services.processes.proposePoliceReferral(s.h.as(s.city.inspector), base)).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', field: 'input.orderToPayIssuedOn', rule: 'required' },
    });
    const referral = await s.h.services.processes.proposePoliceReferral(s.h.as(s.city.inspector), {
      ...base,
      orderToPayIssuedOn: '2026-11-01',
      orderToPayDueOn: '2026-11-10',
    });
    expect(referral.facts).toMatchObject({ orderSource: 'STATED', orderToPayIssuedOn: '2026-11-01', orderToPayDueOn: '2026-11-10' });
  });
});
