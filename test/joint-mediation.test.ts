import { CaseProcess, ProcessInstalment, ProcessParty } from '../src/processes/process.entity';
import { addEmployer } from './support/fixtures';
import { useProcessHarness } from './support/process-harness';

const DAY = 86_400_000;
/** A Beijing calendar date n days from now. */
const beijingDay = (n: number) => new Date(Date.now() + 8 * 3_600_000 + n * DAY).toISOString().slice(0, 10);
const endOfBeijingDay = (isoDate: string) => Date.parse(`${isoDate}T00:00:00+08:00`) + DAY;

/** 联合调处 on the time-skipping server: invitations, sessions, an agreement whose instalments are checked when due. */
describe('joint mediation', () => {
  const s = useProcessHarness('mediation-test');
  let phone = 13600003000;

  async function convene() {
    const { case: c } = await s.h.services.intake.intake(s.h.as(s.city.clerk), {
      channel: 'HOTLINE_12333',
      contactPhone: String(phone++),
      description: '22名员工被拖欠工资共166580元',
      // An employer like the contractor, of its own: complaints about one employer join one case (一事一案).
      employerUscc: (await addEmployer(s.db.orm.em.fork(), s.city.contractor)).uscc,
      regionCode: '110102003',
      amountClaimedFen: 16_658_000,
      workersAffected: 22,
    });
    await s.h.services.cases.acceptCase(s.h.as(s.city.inspector), { caseId: c.id });
    const mediation = await s.h.services.processes.conveneMediation(s.h.as(s.city.inspector), {
      caseId: c.id,
      parties: [
        { role: 'GENERAL_CONTRACTOR', name: '北京城建某工程有限公司' },
        { role: 'WORKER_REPRESENTATIVE', name: '工人代表 张某' },
      ],
      agencyIds: [s.city.union.id, s.city.police.id],
    });
    await s.h.relay.drain();
    const parties = await s.db.orm.em.fork().find(ProcessParty, { process: mediation.id });
    const party = (role: string) => parties.find((p) => p.role === role)!;
    return { c, mediation, party };
  }

  it('the seed story: three instalments, the second missed and escalated, then paid late; the plan completes and the case resolves', async () => {
    const { c, mediation, party } = await convene();

    // Agencies confirm for themselves; HRSS confirms for a party; a stranger cannot; nobody confirms twice.
    await s.h.step(s.city.unionMediator, mediation.id, 'confirmAttendance', { partyId: party('UNION').id });
    await s.h.step(s.city.policeOfficer, mediation.id, 'confirmAttendance', { partyId: party('POLICE').id });
    await s.h.step(s.city.inspector, mediation.id, 'confirmAttendance', { partyId: party('WORKER_REPRESENTATIVE').id });
    await expect(
      s.h.step(s.city.districtOfficer, mediation.id, 'confirmAttendance', { partyId: party('GENERAL_CONTRACTOR').id }),
    ).rejects.toMatchObject({ extensions: { code: 'NOT_FOUND' } }); // not invited: cannot see it
    await expect(
      s.h.step(s.city.unionMediator, mediation.id, 'confirmAttendance', { partyId: party('GENERAL_CONTRACTOR').id }),
    ).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } }); // invited, but not for that party
    await expect(s.h.step(s.city.unionMediator, mediation.id, 'confirmAttendance', { partyId: party('UNION').id })).rejects.toMatchObject({
      extensions: { code: 'CONFLICT' },
    });

    await s.h.step(s.city.inspector, mediation.id, 'recordSession', {
      heldAt: new Date(Date.now() - 60_000).toISOString(),
      summary: '各方同意分三期支付',
      attendeePartyIds: [party('UNION').id, party('WORKER_REPRESENTATIVE').id],
    });
    await expect(
      s.h.step(s.city.inspector, mediation.id, 'recordAgreement', { instalments: [{ dueOn: beijingDay(-1), amountFen: 100 }] }),
    ).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'input.instalments.0.dueOn' } });
    await expect(
      s.h.step(s.city.inspector, mediation.id, 'recordAgreement', { instalments: [{ dueOn: beijingDay(3), amountFen: 0 }] }),
    ).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'input.instalments.0.amountFen' } });
    const plan = [
      { dueOn: beijingDay(3), amountFen: 5_552_600 },
      { dueOn: beijingDay(10), amountFen: 5_552_700 },
      { dueOn: beijingDay(17), amountFen: 5_552_700 },
    ];
    await s.h.step(s.city.inspector, mediation.id, 'recordAgreement', { instalments: plan });
    await expect(s.h.step(s.city.inspector, mediation.id, 'recordAgreement', { instalments: plan })).rejects.toMatchObject({
      extensions: { code: 'CONFLICT' },
    });

    await s.h.env.sleep(2 * DAY);
    await s.h.step(s.city.inspector, mediation.id, 'recordInstalmentPaid', {
      seq: 1,
      paidOn: beijingDay(0),
      payer: '北京城建某工程有限公司',
      workersPaid: 22,
    });
    // Past the end of the second due day, unpaid: escalated once, to enforcement or a police referral.
    await s.h.env.sleep(endOfBeijingDay(plan[1]!.dueOn) + 3_600_000 - (await s.h.env.currentTimeMs()));
    const missed = (await s.h.fileOf(c.id)).filter((e) => e.type === 'ESCALATED' && e.payload.kind === 'INSTALMENT_MISSED');
    expect(missed.map((e) => e.payload)).toEqual([
      expect.objectContaining({ seq: 2, escalateTo: 'ENFORCEMENT_OR_POLICE_REFERRAL', amountFen: 5_552_700 }),
    ]);
    expect(await s.db.orm.em.fork().findOneOrFail(CaseProcess, { id: mediation.id })).toMatchObject({ status: 'BREACHED' });

    await s.h.step(s.city.inspector, mediation.id, 'recordInstalmentPaid', {
      seq: 2,
      paidOn: new Date((await s.h.env.currentTimeMs()) + 8 * 3_600_000).toISOString().slice(0, 10),
      payer: '北京城建某工程有限公司',
      workersPaid: 22,
    });
    await s.h.env.sleep(endOfBeijingDay(plan[2]!.dueOn) - 6 * 3_600_000 - (await s.h.env.currentTimeMs()));
    await s.h.step(s.city.inspector, mediation.id, 'recordInstalmentPaid', {
      seq: 3,
      paidOn: new Date((await s.h.env.currentTimeMs()) + 8 * 3_600_000).toISOString().slice(0, 10),
      payer: '北京城建某工程有限公司',
      workersPaid: 22,
    });

    const result = await s.h.finished(mediation.workflowId);
    expect(result.status).toBe('COMPLETED');
    const instalments = await s.db.orm.em.fork().find(ProcessInstalment, { process: mediation.id }, { orderBy: { seq: 'asc' } });
    expect(instalments.map((i) => i.status)).toEqual(['PAID', 'PAID', 'PAID']);
    // Each instalment paid is a payment on the case: ¥166,580 recovered in all, and the case resolves.
    const resolved = await s.h.services.cases.byId(s.h.as(s.city.inspector), c.id);
    expect(resolved).toMatchObject({ amountRecoveredFen: 16_658_000, status: 'RESOLVED' });
    const file = await s.h.fileOf(c.id);
    expect(file.filter((e) => e.type === 'INSTALMENT_PAID').map((e) => e.payload.late)).toEqual([false, true, false]);
    expect(file.filter((e) => e.type === 'PAYMENT_RECORDED')).toHaveLength(3);
    expect(file.filter((e) => e.type === 'ESCALATED')).toHaveLength(1);
  });

  it('no agreement within 15 days ends the mediation with the arbitration route noted', async () => {
    const { c, mediation } = await convene();
    await s.h.env.sleep(15 * DAY - 3_600_000);
    expect((await s.h.fileOf(c.id)).map((e) => e.type)).not.toContain('MEDIATION_ENDED');
    await s.h.env.sleep(2 * 3_600_000);
    // The window ends at 24:00 of the fifteenth day: the time-skipping result lets the server run on to it.
    const result = await s.h.env.client.workflow.getHandle(mediation.workflowId).result();
    expect(result.status).toBe('NO_AGREEMENT');
    const ended = (await s.h.fileOf(c.id)).find((e) => e.type === 'MEDIATION_ENDED');
    expect(ended!.payload).toMatchObject({ outcome: 'NO_AGREEMENT', route: 'ARBITRATION' });
    expect(await s.db.orm.em.fork().findOneOrFail(CaseProcess, { id: mediation.id })).toMatchObject({ outcome: 'NO_AGREEMENT' });
    await expect(
      s.h.step(s.city.inspector, mediation.id, 'recordAgreement', { instalments: [{ dueOn: beijingDay(30), amountFen: 100 }] }),
    ).rejects.toMatchObject({ extensions: { code: 'CONFLICT', rule: 'process.ended' } });
  });
});
