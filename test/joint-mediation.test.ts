import { CaseProcess, ProcessInstalment, ProcessParty } from '../src/processes/process.entity';
import { createTestDatabase, type TestDatabase } from './support/database';
import { loadTestCity } from './support/fixtures';
import { startProcessHarness, type ProcessHarness } from './support/process-harness';

const DAY = 86_400_000;
/** A Beijing calendar date n days from now. */
const beijingDay = (n: number) => new Date(Date.now() + 8 * 3_600_000 + n * DAY).toISOString().slice(0, 10);
const endOfBeijingDay = (isoDate: string) => Date.parse(`${isoDate}T00:00:00+08:00`) + DAY;

/** 联合调处 on the time-skipping server: invitations, sessions, an agreement whose instalments are checked when due. */
describe('joint mediation', () => {
  let db: TestDatabase;
  let city: Awaited<ReturnType<typeof loadTestCity>>;
  let h: ProcessHarness;
  let phone = 13600003000;

  beforeAll(async () => {
    db = await createTestDatabase();
    city = await loadTestCity(db.orm.em.fork());
  });
  afterAll(async () => {
    await db?.drop();
  });
  beforeEach(async () => {
    h = await startProcessHarness(db, 'mediation-test');
  });
  afterEach(async () => {
    await h.stop();
  });

  async function convene() {
    const { case: c } = await h.services.intake.intake(h.as(city.clerk), { channel: 'HOTLINE_12333', contactPhone: String(phone++), description: '22名员工被拖欠工资共166580元', employerUscc: city.contractor.uscc, regionCode: '110102003', amountClaimedFen: 16_658_000, workersAffected: 22 });
    await h.services.cases.acceptCase(h.as(city.inspector), { caseId: c.id });
    const mediation = await h.services.processes.conveneMediation(h.as(city.inspector), {
      caseId: c.id,
      parties: [
        { role: 'GENERAL_CONTRACTOR', name: '北京城建某工程有限公司' },
        { role: 'WORKER_REPRESENTATIVE', name: '工人代表 张某' },
      ],
      agencyIds: [city.union.id, city.police.id],
    });
    await h.relay.drain();
    const parties = await db.orm.em.fork().find(ProcessParty, { process: mediation.id });
    const party = (role: string) => parties.find((p) => p.role === role)!;
    return { c, mediation, party };
  }
  const step = (user: Parameters<ProcessHarness['as']>[0], processId: string, update: string, args: Record<string, unknown> = {}) => h.services.processes.step(h.as(user), { processId, update, args });
  const fileOf = async (caseId: string) => db.orm.em.fork().getConnection().execute<Array<{ type: string; payload: Record<string, unknown> }>>(`select type, payload from case_event where case_id = ? order by seq`, [caseId]);

  it('the seed story: three instalments, the second missed and escalated, then paid late; the plan completes and the case resolves', async () => {
    const { c, mediation, party } = await convene();

    // Agencies confirm for themselves; HRSS confirms for a party; a stranger cannot; nobody confirms twice.
    await step(city.unionMediator, mediation.id, 'confirmAttendance', { partyId: party('UNION').id });
    await step(city.policeOfficer, mediation.id, 'confirmAttendance', { partyId: party('POLICE').id });
    await step(city.inspector, mediation.id, 'confirmAttendance', { partyId: party('WORKER_REPRESENTATIVE').id });
    await expect(step(city.districtOfficer, mediation.id, 'confirmAttendance', { partyId: party('GENERAL_CONTRACTOR').id })).rejects.toMatchObject({ extensions: { code: 'NOT_FOUND' } }); // not invited: cannot see it
    await expect(step(city.unionMediator, mediation.id, 'confirmAttendance', { partyId: party('GENERAL_CONTRACTOR').id })).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } }); // invited, but not for that party
    await expect(step(city.unionMediator, mediation.id, 'confirmAttendance', { partyId: party('UNION').id })).rejects.toMatchObject({ extensions: { code: 'CONFLICT' } });

    await step(city.inspector, mediation.id, 'recordSession', { heldAt: new Date(Date.now() - 60_000).toISOString(), summary: '各方同意分三期支付', attendeePartyIds: [party('UNION').id, party('WORKER_REPRESENTATIVE').id] });
    await expect(step(city.inspector, mediation.id, 'recordAgreement', { instalments: [{ dueOn: beijingDay(-1), amountFen: 100 }] })).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'input.instalments.0.dueOn' } });
    await expect(step(city.inspector, mediation.id, 'recordAgreement', { instalments: [{ dueOn: beijingDay(3), amountFen: 0 }] })).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'input.instalments.0.amountFen' } });
    const plan = [
      { dueOn: beijingDay(3), amountFen: 5_552_600 },
      { dueOn: beijingDay(10), amountFen: 5_552_700 },
      { dueOn: beijingDay(17), amountFen: 5_552_700 },
    ];
    await step(city.inspector, mediation.id, 'recordAgreement', { instalments: plan });
    await expect(step(city.inspector, mediation.id, 'recordAgreement', { instalments: plan })).rejects.toMatchObject({ extensions: { code: 'CONFLICT' } });

    await h.env.sleep(2 * DAY);
    await step(city.inspector, mediation.id, 'recordInstalmentPaid', { seq: 1, paidOn: beijingDay(0), payer: '北京城建某工程有限公司', workersPaid: 22 });
    // Past the end of the second due day, unpaid: escalated once, to enforcement or a police referral.
    await h.env.sleep(endOfBeijingDay(plan[1]!.dueOn) + 3_600_000 - (await h.env.currentTimeMs()));
    const missed = (await fileOf(c.id)).filter((e) => e.type === 'ESCALATED' && e.payload.kind === 'INSTALMENT_MISSED');
    expect(missed.map((e) => e.payload)).toEqual([expect.objectContaining({ seq: 2, escalateTo: 'ENFORCEMENT_OR_POLICE_REFERRAL', amountFen: 5_552_700 })]);
    expect(await db.orm.em.fork().findOneOrFail(CaseProcess, { id: mediation.id })).toMatchObject({ status: 'BREACHED' });

    await step(city.inspector, mediation.id, 'recordInstalmentPaid', { seq: 2, paidOn: new Date((await h.env.currentTimeMs()) + 8 * 3_600_000).toISOString().slice(0, 10), payer: '北京城建某工程有限公司', workersPaid: 22 });
    await h.env.sleep(endOfBeijingDay(plan[2]!.dueOn) - 6 * 3_600_000 - (await h.env.currentTimeMs()));
    await step(city.inspector, mediation.id, 'recordInstalmentPaid', { seq: 3, paidOn: new Date((await h.env.currentTimeMs()) + 8 * 3_600_000).toISOString().slice(0, 10), payer: '北京城建某工程有限公司', workersPaid: 22 });

    const result = await h.env.client.workflow.getHandle(mediation.workflowId).result();
    expect(result.status).toBe('COMPLETED');
    const instalments = await db.orm.em.fork().find(ProcessInstalment, { process: mediation.id }, { orderBy: { seq: 'asc' } });
    expect(instalments.map((i) => i.status)).toEqual(['PAID', 'PAID', 'PAID']);
    // Each instalment paid is a payment on the case: ¥166,580 recovered in all, and the case resolves.
    const resolved = await h.services.cases.byId(h.as(city.inspector), c.id);
    expect(resolved).toMatchObject({ amountRecoveredFen: 16_658_000, status: 'RESOLVED' });
    const file = await fileOf(c.id);
    expect(file.filter((e) => e.type === 'INSTALMENT_PAID').map((e) => e.payload.late)).toEqual([false, true, false]);
    expect(file.filter((e) => e.type === 'PAYMENT_RECORDED')).toHaveLength(3);
    expect(file.filter((e) => e.type === 'ESCALATED')).toHaveLength(1);
  });

  it('no agreement within 15 days ends the mediation with the arbitration route noted', async () => {
    const { c, mediation } = await convene();
    await h.env.sleep(15 * DAY - 3_600_000);
    expect((await fileOf(c.id)).map((e) => e.type)).not.toContain('MEDIATION_ENDED');
    await h.env.sleep(2 * 3_600_000);
    const result = await h.env.client.workflow.getHandle(mediation.workflowId).result();
    expect(result.status).toBe('NO_AGREEMENT');
    const ended = (await fileOf(c.id)).find((e) => e.type === 'MEDIATION_ENDED');
    expect(ended!.payload).toMatchObject({ outcome: 'NO_AGREEMENT', route: 'ARBITRATION' });
    expect(await db.orm.em.fork().findOneOrFail(CaseProcess, { id: mediation.id })).toMatchObject({ outcome: 'NO_AGREEMENT' });
    await expect(step(city.inspector, mediation.id, 'recordAgreement', { instalments: [{ dueOn: beijingDay(30), amountFen: 100 }] })).rejects.toMatchObject({ extensions: { code: 'CONFLICT', rule: 'process.ended' } });
  });
});
