import { Case } from '../src/cases/case.entity';
import { addWorkingDays } from '../src/domain/working-days';
import { processServiceOf } from '../src/processes/process-module';
import { CaseProcess, ProcessParty } from '../src/processes/process.entity';
import { handoverModule } from '../src/processes/handover/handover.module';
import { externalReferralModule } from '../src/processes/external-referral/external-referral.module';
import { handoverRules } from '../src/rules/handover-rules';
import type { User } from '../src/agencies/agency.entity';
import { addEmployer } from './support/fixtures';
import { useProcessHarness } from './support/process-harness';

const HOUR = 3_600_000;

/**
 * 移交 that keeps the owner (首问负责) and 转介 outside inspection, on the time-skipping server: the receiver accepts
 * (the owner changes, recorded before/after) or returns with a reason; until then the sender owns the case; each
 * answer clock is the configured number of working days on the holiday calendar, escalated once when missed.
 */
describe('handover and referral outside inspection', () => {
  const s = useProcessHarness('handover-test');
  let phone = 13600007000;

  const handovers = () => processServiceOf(s.h.services, handoverModule);
  const referrals = () => processServiceOf(s.h.services, externalReferralModule);
  const caseRow = (id: string) => s.db.orm.em.fork().findOneOrFail(Case, { id });
  const processRow = (id: string) => s.db.orm.em.fork().findOneOrFail(CaseProcess, { id });
  const escalations = async (caseId: string, kind: string) =>
    (await s.h.fileOf(caseId)).filter((e) => e.type === 'ESCALATED' && e.payload.kind === kind);

  /** An accepted Xicheng case, owned by the Xicheng brigade. */
  async function xichengCase() {
    const { case: c } = await s.h.services.intake.intake(s.h.as(s.city.clerk), {
      channel: 'WALK_IN',
      contactPhone: String(phone++),
      description: '外地总包单位拖欠12名工人工资',
      // An employer like the contractor, of its own: complaints about one employer join one case (一事一案).
      employerUscc: (await addEmployer(s.db.orm.em.fork(), s.city.contractor)).uscc,
      regionCode: '110102003',
      amountClaimedFen: 9_600_000,
      workersAffected: 12,
    });
    await s.h.services.cases.acceptCase(s.h.as(s.city.inspector), { caseId: c.id });
    return caseRow(c.id);
  }

  async function handedToCity(caseId: string, by: User = s.city.inspector) {
    const p = await handovers().handOver(s.h.as(by), { caseId, toAgencyId: s.city.cityHrss.id, reason: '涉及多区项目，提级由市总队办理' });
    await s.h.relay.drain();
    return p;
  }

  it('stays with the sender until the receiver accepts; on acceptance the owner changes, with before and after in the file', async () => {
    const c = await xichengCase();
    // Only a caseworker of the owning agency hands over, and only to another inspection agency.
    await expect(
      handovers().handOver(s.h.as(s.city.clerk), { caseId: c.id, toAgencyId: s.city.cityHrss.id, reason: '提级办理' }),
    ).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    await expect(
      handovers().handOver(s.h.as(s.city.inspector), { caseId: c.id, toAgencyId: s.city.court.id, reason: '提级办理' }),
    ).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'input.toAgencyId', rule: 'agency.inspection' } });
    // (Another region's inspection agency may receive it too, 协查: test/cross-region-handover.test.ts.)
    await expect(
      handovers().handOver(s.h.as(s.city.inspector), { caseId: c.id, toAgencyId: s.city.xichengHrss.id, reason: '提级办理' }),
    ).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', rule: 'agency.other' } });

    const p = await handedToCity(c.id);
    expect(p).toMatchObject({ kind: 'HANDOVER', workflowId: `handover-${p.id}` });
    // A second handover while one waits is refused.
    await expect(handedToCity(c.id)).rejects.toMatchObject({ extensions: { code: 'CONFLICT', rule: 'process.one-open' } });

    // 首问负责: the sender still owns the case and keeps every right; the sender cannot answer its own handover.
    expect((await caseRow(c.id)).owningAgency).toBe(s.city.xichengHrss.id);
    await expect(s.h.step(s.city.supervisor, p.id, 'acceptHandover', { note: '' })).rejects.toMatchObject({
      extensions: { code: 'FORBIDDEN' },
    });
    await s.h.services.cases.assignLead(s.h.as(s.city.supervisor), { caseId: c.id, inspectorId: s.city.inspector.id });
    // Agencies outside inspection do not see it at all.
    await expect(s.h.step(s.city.courtOfficer, p.id, 'acceptHandover', { note: '' })).rejects.toMatchObject({
      extensions: { code: 'NOT_FOUND' },
    });
    await expect(s.h.step(s.city.cityDirector, p.id, 'returnHandover', { reason: ' ' })).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', field: 'input.reason' },
    });

    const before = await caseRow(c.id);
    const accepted = await s.h.step(s.city.cityDirector, p.id, 'acceptHandover', { note: '市总队三支队承办' });
    expect(accepted).toMatchObject({ status: 'ACCEPTED', outcome: 'ACCEPTED' });
    expect(accepted.endedAt).toBeDefined();
    await expect(s.h.step(s.city.cityDirector, p.id, 'acceptHandover', { note: '再次' })).rejects.toMatchObject({
      extensions: { code: 'CONFLICT' },
    });

    const after = await caseRow(c.id);
    expect(after.owningAgency).toBe(s.city.cityHrss.id);
    expect(after.leadInspector).toBeFalsy();
    // The receiver takes the case's clocks over as they stand: the same resolution deadline.
    expect(after.resolutionDue?.toISOString()).toBe(before.resolutionDue?.toISOString());
    expect(after.status).toBe(before.status);

    const file = await s.h.fileOf(c.id);
    const entry = file.find((e) => e.type === 'HANDOVER_ACCEPTED')!;
    expect(entry.payload).toMatchObject({
      processId: p.id,
      owningAgency: { before: s.city.xichengHrss.id, after: s.city.cityHrss.id },
    });
    expect(entry.actor_agency_id).toBe(s.city.cityHrss.id);
    expect(file.map((e) => e.type)).toEqual(expect.arrayContaining(['HANDOVER_REQUESTED', 'HANDOVER_SENT', 'HANDOVER_ACCEPTED']));
    expect(file.filter((e) => e.type === 'HANDOVER_ACCEPTED')).toHaveLength(1);

    // The sender has lost the owner's rights; the new owner has them.
    await expect(handedToCity(c.id)).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    const back = await handovers().handOver(s.h.as(s.city.cityDirector), {
      caseId: c.id,
      toAgencyId: s.city.xichengHrss.id,
      reason: '交由西城大队属地办理',
    });
    expect(back.status).toBe('REQUESTED');
  });

  it('a returned handover leaves the case with the sender, with the reason on record', async () => {
    const c = await xichengCase();
    const p = await handedToCity(c.id);
    const returned = await s.h.step(s.city.cityDirector, p.id, 'returnHandover', { reason: '属地管辖，应由西城大队办理' });
    expect(returned).toMatchObject({ status: 'RETURNED', outcome: 'RETURNED' });
    expect((await caseRow(c.id)).owningAgency).toBe(s.city.xichengHrss.id);
    const entry = (await s.h.fileOf(c.id)).find((e) => e.type === 'HANDOVER_RETURNED')!;
    expect(entry.payload).toMatchObject({ reason: '属地管辖，应由西城大队办理' });
    expect((await processRow(p.id)).facts).toMatchObject({ returnReason: '属地管辖，应由西城大队办理' });
  });

  it(`escalates an unanswered handover once to the sender's supervisor at the end of working day ${handoverRules.answer.workingDays}`, async () => {
    const c = await xichengCase();
    const startedAt = new Date(await s.h.env.currentTimeMs());
    const p = await handedToCity(c.id);
    const due = addWorkingDays(startedAt, handoverRules.answer.workingDays);
    expect((await processRow(p.id)).dueAt?.toISOString()).toBe(due.toISOString());
    const [party] = await s.db.orm.em.fork().find(ProcessParty, { process: p.id });
    expect(party).toMatchObject({ role: 'RECEIVER', agency: s.city.cityHrss.id, status: 'SENT' });

    await s.h.env.sleep(due.getTime() - (await s.h.env.currentTimeMs()) - HOUR);
    expect(await escalations(c.id, 'HANDOVER_ANSWER_OVERDUE')).toHaveLength(0);
    await s.h.env.sleep(2 * HOUR);
    const overdue = await escalations(c.id, 'HANDOVER_ANSWER_OVERDUE');
    expect(overdue).toHaveLength(1);
    expect(overdue[0]!.payload).toMatchObject({ escalateTo: 'SUPERVISOR', agencyId: s.city.xichengHrss.id, deadline: due.toISOString() });
    expect(await processRow(p.id)).toMatchObject({ status: 'OVERDUE' });
    // Once only; the receiver may still answer after.
    await s.h.env.sleep(10 * 24 * HOUR);
    expect(await escalations(c.id, 'HANDOVER_ANSWER_OVERDUE')).toHaveLength(1);
    await s.h.step(s.city.cityDirector, p.id, 'acceptHandover', { note: '逾期后接收' });
    expect((await caseRow(c.id)).owningAgency).toBe(s.city.cityHrss.id);
  });

  it('a handover still waiting ends when the case ends', async () => {
    const c = await xichengCase();
    const p = await handedToCity(c.id);
    await s.h.services.cases.recordPayment(s.h.as(s.city.inspector), {
      caseId: c.id,
      amountFen: 9_600_000,
      workersPaid: 12,
      paidOn: new Date(Date.now() + 8 * HOUR).toISOString().slice(0, 10),
      payer: '总包单位',
      source: 'EMPLOYER',
    });
    await s.h.relay.drain();
    for (let i = 0; i < 50 && !(await processRow(p.id)).endedAt; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await processRow(p.id)).toMatchObject({ status: 'ENDED', outcome: 'CASE_ENDED' });
    expect((await caseRow(c.id)).owningAgency).toBe(s.city.xichengHrss.id);
  });

  it('a referral outside inspection: the receiving body sees the case and its referral, nothing of other processes, and acknowledges', async () => {
    const c = await xichengCase();
    const mediation = await s.h.services.processes.conveneMediation(s.h.as(s.city.inspector), {
      caseId: c.id,
      parties: [{ role: 'WORKER_REPRESENTATIVE', name: '工人代表' }],
      agencyIds: [s.city.union.id],
    });
    // Only to a court, a justice bureau, the arbitration commission or the work-injury office, by a caseworker of the owning agency.
    await expect(
      referrals().refer(s.h.as(s.city.inspector), { caseId: c.id, receiverAgencyId: s.city.police.id, grounds: '劳动争议' }),
    ).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'input.receiverAgencyId' } });
    await expect(
      referrals().refer(s.h.as(s.city.chaoyangInspector), { caseId: c.id, receiverAgencyId: s.city.court.id, grounds: '劳动争议' }),
    ).rejects.toMatchObject({ extensions: { code: 'NOT_FOUND' } });
    await expect(s.h.services.cases.byId(s.h.as(s.city.courtOfficer), c.id)).rejects.toMatchObject({ extensions: { code: 'NOT_FOUND' } });

    const p = await referrals().refer(s.h.as(s.city.inspector), {
      caseId: c.id,
      receiverAgencyId: s.city.court.id,
      grounds: '工资数额有争议，属劳动争议，告知并转介人民法院',
    });
    await s.h.relay.drain();
    expect(p).toMatchObject({ kind: 'EXTERNAL_REFERRAL', workflowId: `ext-referral-${p.id}` });

    // A party: the court sees the case and this referral, not the mediation; the justice bureau, a stranger, sees nothing.
    const court = s.h.as(s.city.courtOfficer);
    expect((await s.h.services.cases.byId(court, c.id)).id).toBe(c.id);
    expect((await s.h.services.processes.byId(court, p.id)).id).toBe(p.id);
    await expect(s.h.services.processes.byId(court, mediation.id)).rejects.toMatchObject({ extensions: { code: 'NOT_FOUND' } });
    await expect(s.h.step(s.city.justiceMediator, p.id, 'acknowledgeExternalReferral', { note: '收到' })).rejects.toMatchObject({
      extensions: { code: 'NOT_FOUND' },
    });
    await expect(s.h.step(s.city.inspector, p.id, 'acknowledgeExternalReferral', { note: '收到' })).rejects.toMatchObject({
      extensions: { code: 'FORBIDDEN' },
    });
    await expect(s.h.step(s.city.courtOfficer, p.id, 'acknowledgeExternalReferral', { note: ' ' })).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', field: 'input.note' },
    });

    // It outlives the case: inspection transfers the case; the court's acknowledgement is still awaited and taken.
    await s.h.services.cases.transferCase(s.h.as(s.city.inspector), { caseId: c.id, to: '西城区人民法院', reason: '转介法院' });
    await s.h.relay.drain();
    const done = await s.h.step(s.city.courtOfficer, p.id, 'acknowledgeExternalReferral', {
      note: '已登记立案',
      reference: '(2026)京0102民初1234号',
    });
    expect(done).toMatchObject({ status: 'ACKNOWLEDGED', outcome: 'ACKNOWLEDGED' });
    expect(done.facts).toMatchObject({ receiverReference: '(2026)京0102民初1234号' });
    const ack = (await s.h.fileOf(c.id)).filter((e) => e.type === 'EXTERNAL_REFERRAL_ACKNOWLEDGED');
    expect(ack).toHaveLength(1);
    expect(ack[0]).toMatchObject({ actor_agency_id: s.city.court.id, payload: { reference: '(2026)京0102民初1234号' } });
  });

  it('a referral to the labour dispute arbitration commission or the work-injury office: each sees its own and acknowledges it', async () => {
    const toArbitration = await xichengCase();
    const toWorkInjury = await xichengCase();
    const a = await referrals().refer(s.h.as(s.city.inspector), {
      caseId: toArbitration.id,
      receiverAgencyId: s.city.arbitration.id,
      grounds: '双方对劳动关系及工资数额存在争议，属劳动争议，转介劳动人事争议仲裁委员会',
    });
    const w = await referrals().refer(s.h.as(s.city.inspector), {
      caseId: toWorkInjury.id,
      receiverAgencyId: s.city.workInjury.id,
      grounds: '一名工人施工中受伤，转介工伤认定',
    });
    await s.h.relay.drain();
    const arbitrator = s.h.as(s.city.arbitrator);
    const officer = s.h.as(s.city.workInjuryOfficer);
    expect((await s.h.services.cases.byId(arbitrator, toArbitration.id)).id).toBe(toArbitration.id);
    expect((await s.h.services.cases.byId(officer, toWorkInjury.id)).id).toBe(toWorkInjury.id);
    // Only the cases referred to each: not the other's.
    await expect(s.h.services.cases.byId(arbitrator, toWorkInjury.id)).rejects.toMatchObject({ extensions: { code: 'NOT_FOUND' } });
    await expect(s.h.services.cases.byId(officer, toArbitration.id)).rejects.toMatchObject({ extensions: { code: 'NOT_FOUND' } });
    await expect(s.h.step(s.city.workInjuryOfficer, a.id, 'acknowledgeExternalReferral', { note: '收到' })).rejects.toMatchObject({
      extensions: { code: 'NOT_FOUND' },
    });
    expect(
      await s.h.step(s.city.arbitrator, a.id, 'acknowledgeExternalReferral', { note: '已立案受理', reference: '京西劳人仲字[2026]第1号' }),
    ).toMatchObject({ status: 'ACKNOWLEDGED' });
    expect(await s.h.step(s.city.workInjuryOfficer, w.id, 'acknowledgeExternalReferral', { note: '已受理工伤认定申请' })).toMatchObject({
      status: 'ACKNOWLEDGED',
    });
    const ack = (await s.h.fileOf(toArbitration.id)).filter((e) => e.type === 'EXTERNAL_REFERRAL_ACKNOWLEDGED');
    expect(ack[0]).toMatchObject({ actor_agency_id: s.city.arbitration.id, payload: { reference: '京西劳人仲字[2026]第1号' } });
  });

  it(`escalates an unacknowledged referral once at the end of working day ${handoverRules.referralAcknowledgement.workingDays}`, async () => {
    const c = await xichengCase();
    const startedAt = new Date(await s.h.env.currentTimeMs());
    const p = await referrals().refer(s.h.as(s.city.inspector), {
      caseId: c.id,
      receiverAgencyId: s.city.justice.id,
      grounds: '工人申请法律援助',
    });
    await s.h.relay.drain();
    const due = addWorkingDays(startedAt, handoverRules.referralAcknowledgement.workingDays);
    expect((await processRow(p.id)).dueAt?.toISOString()).toBe(due.toISOString());
    await s.h.env.sleep(due.getTime() - (await s.h.env.currentTimeMs()) - HOUR);
    expect(await escalations(c.id, 'EXTERNAL_REFERRAL_ACKNOWLEDGEMENT_OVERDUE')).toHaveLength(0);
    await s.h.env.sleep(2 * HOUR);
    const overdue = await escalations(c.id, 'EXTERNAL_REFERRAL_ACKNOWLEDGEMENT_OVERDUE');
    expect(overdue).toHaveLength(1);
    expect(overdue[0]!.payload).toMatchObject({ escalateTo: 'SUPERVISOR', agencyId: s.city.xichengHrss.id });
    await s.h.env.sleep(10 * 24 * HOUR);
    expect(await escalations(c.id, 'EXTERNAL_REFERRAL_ACKNOWLEDGEMENT_OVERDUE')).toHaveLength(1);
    const done = await s.h.step(s.city.justiceMediator, p.id, 'acknowledgeExternalReferral', { note: '已指派法律援助律师' });
    expect(done.status).toBe('ACKNOWLEDGED');
  });
});
