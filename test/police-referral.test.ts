import { CaseProcess } from '../src/processes/process.entity';
import { referralStateQuery } from '../workflows/police-referral';
import { addEmployer } from './support/fixtures';
import { useProcessHarness } from './support/process-harness';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * 移送 on the time-skipping server, with the real clocks: director's approval in 3 days, sending within 24 hours,
 * the police's decision in 3 days, reconsideration asked within 3 days and decided within 3 days.
 */
describe('police referral', () => {
  const s = useProcessHarness('referral-test');
  let phone = 13900002000;

  /** An accepted case whose arrears meet the threshold, with an order to pay that ran out on 2026-11-10. */
  async function caseForReferral(amountFen = 16_658_000, workers = 22) {
    const { case: c } = await s.h.services.intake.intake(s.h.as(s.city.clerk), {
      channel: 'WALK_IN',
      contactPhone: String(phone++),
      description: '22名餐馆员工被拖欠工资，老板失联',
      // An employer like the contractor, of its own: complaints about one employer join one case (一事一案).
      employerUscc: (await addEmployer(s.db.orm.em.fork(), s.city.contractor)).uscc,
      regionCode: '110102003',
      amountClaimedFen: amountFen,
      workersAffected: workers,
    });
    await s.h.services.cases.acceptCase(s.h.as(s.city.inspector), { caseId: c.id });
    await s.h.relay.drain();
    return c;
  }
  const propose = (caseId: string, over: Partial<{ team: string[]; orderToPayDueOn: string }> = {}) =>
    s.h.services.processes.proposePoliceReferral(s.h.as(s.city.inspector), {
      caseId,
      team: over.team ?? [s.city.inspector.id, s.city.inspector2.id],
      policeAgencyId: s.city.police.id,
      orderToPayIssuedOn: '2026-11-01',
      orderToPayDueOn: over.orderToPayDueOn ?? '2026-11-10',
      grounds: '责令支付后逾期未支付，涉嫌拒不支付劳动报酬罪',
    });
  const escalationsOf = async (caseId: string) =>
    (await s.h.fileOf(caseId))
      .filter((e) => e.type === 'ESCALATED')
      .map((e) => `${e.payload.kind as string}→${e.payload.escalateTo as string}`);
  const skip = async (ms: number) => s.h.env.sleep(ms);

  it('refuses a referral without its preconditions: a team of two, an ignored order to pay, the crime threshold', async () => {
    const c = await caseForReferral();
    await expect(propose(c.id, { team: [s.city.inspector.id] })).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', field: 'input.team', rule: 'team.size' },
    });
    await expect(propose(c.id, { team: [s.city.inspector.id, s.city.clerk.id] })).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', field: 'input.team', rule: 'team.inspectors' },
    });
    await expect(propose(c.id, { orderToPayDueOn: '2099-01-01' })).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', field: 'input.orderToPayDueOn', rule: 'order-to-pay.ignored' },
    });
    const small = await caseForReferral(300_000, 2);
    await expect(propose(small.id)).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', rule: 'crime-threshold' } });
    expect(await s.db.orm.em.fork().count(CaseProcess, {})).toBe(0);
  });

  it('a declined referral: HRSS asks for reconsideration, the refusal is upheld, the procuratorate is asked to supervise', async () => {
    const c = await caseForReferral();
    const referral = await propose(c.id);
    await s.h.relay.drain();

    await expect(s.h.step(s.city.inspector, referral.id, 'approveReferral', { approve: true })).rejects.toMatchObject({
      extensions: { code: 'FORBIDDEN' },
    });
    await s.h.step(s.city.director, referral.id, 'approveReferral', { approve: true, note: '同意移送' });
    await expect(s.h.step(s.city.clerk, referral.id, 'sendReferral')).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    await s.h.step(s.city.inspector2, referral.id, 'sendReferral');
    const sent = await s.db.orm.em.fork().findOneOrFail(CaseProcess, { id: referral.id });
    expect(sent).toMatchObject({ status: 'SENT', waitingOn: 'POLICE' });
    expect(sent.dueAt!.getTime() - new Date(sent.facts.sentAt!).getTime()).toBe(3 * DAY);

    // The police decline: not without written reasons, and not twice.
    await expect(
      s.h.step(s.city.inspector, referral.id, 'decideReferral', { decision: 'DECLINED', reasons: '证据不足' }),
    ).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    await expect(s.h.step(s.city.policeOfficer, referral.id, 'decideReferral', { decision: 'DECLINED' })).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', field: 'input.reasons' },
    });
    await skip(2 * DAY); // in time: day two of three
    await s.h.step(s.city.policeOfficer, referral.id, 'decideReferral', {
      decision: 'DECLINED',
      reasons: '现有证据不足以证明有能力支付而不支付',
    });
    await expect(s.h.step(s.city.policeOfficer, referral.id, 'decideReferral', { decision: 'FILED' })).rejects.toMatchObject({
      extensions: { code: 'CONFLICT' },
    });

    await skip(1 * DAY); // HRSS asks on day one of its three
    await s.h.step(s.city.inspector, referral.id, 'requestReconsideration', { grounds: '已补充银行流水，证明其有支付能力' });
    await skip(2 * DAY);
    await s.h.step(s.city.policeOfficer, referral.id, 'decideReconsideration', { decision: 'UPHELD', reasons: '维持原决定' });
    await s.h.step(s.city.inspector, referral.id, 'requestSupervision', {
      procuratorateAgencyId: s.city.procuratorate.id,
      grounds: '申请检察院立案监督',
    });

    const result = await s.h.finished(referral.workflowId);
    expect(result.status).toBe('SUPERVISION_REQUESTED');
    expect(await escalationsOf(c.id)).toEqual([]); // every step in time
    const row = await s.db.orm.em.fork().findOneOrFail(CaseProcess, { id: referral.id });
    expect(row).toMatchObject({ status: 'SUPERVISION_REQUESTED', outcome: 'SUPERVISION_REQUESTED' });
    expect(row.facts).toMatchObject({
      decision: 'DECLINED',
      reconsiderationDecision: 'UPHELD',
      procuratorateAgencyId: s.city.procuratorate.id,
      team: [s.city.inspector.id, s.city.inspector2.id],
    });
    expect((await s.h.fileOf(c.id)).map((e) => e.type).slice(2)).toEqual([
      'REFERRAL_PROPOSED',
      'REFERRAL_SUBMITTED_FOR_APPROVAL',
      'REFERRAL_APPROVED',
      'REFERRAL_SENT',
      'REFERRAL_DECIDED',
      'RECONSIDERATION_REQUESTED',
      'RECONSIDERATION_DECIDED',
      'SUPERVISION_REQUESTED',
    ]);
    // The administrative case goes on meanwhile.
    expect((await s.h.services.cases.byId(s.h.as(s.city.inspector), c.id)).status).toBe('ACCEPTED');
  });

  it('a police decision not made in 3 days escalates to the procuratorate and the daily report; the late decision is still taken', async () => {
    const c = await caseForReferral();
    const referral = await propose(c.id);
    await s.h.relay.drain();
    await s.h.step(s.city.director, referral.id, 'approveReferral', { approve: true });
    await s.h.step(s.city.inspector, referral.id, 'sendReferral');
    await skip(3 * DAY - HOUR);
    expect(await escalationsOf(c.id)).toEqual([]);
    await skip(2 * HOUR);
    expect(await escalationsOf(c.id)).toEqual(['POLICE_DECISION_OVERDUE→PROCURATORATE']);
    expect((await s.h.fileOf(c.id)).find((e) => e.type === 'ESCALATED')!.payload).toMatchObject({ dailyReport: true, waitingOn: 'POLICE' });
    expect((await s.h.env.client.workflow.getHandle(referral.workflowId).query(referralStateQuery)).overdue).toEqual([
      'POLICE_DECISION_OVERDUE',
    ]);

    // Filed, late: the employer enters the blacklist path; the criminal case is tracked to its outcome.
    await s.h.step(s.city.policeOfficer, referral.id, 'decideReferral', { decision: 'FILED' });
    await s.h.step(s.city.policeOfficer, referral.id, 'recordCriminalOutcome', { outcome: '判处有期徒刑一年，并处罚金' });
    expect((await s.h.finished(referral.workflowId)).status).toBe('CONCLUDED');
    const types = (await s.h.fileOf(c.id)).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['REFERRAL_DECIDED', 'BLACKLIST_PATH_OPENED', 'CRIMINAL_OUTCOME_RECORDED']));
    expect(types.indexOf('BLACKLIST_PATH_OPENED')).toBe(types.indexOf('REFERRAL_DECIDED') + 1);
  });

  it('a director who does not approve in 3 days and a team that does not send in 24 hours are each escalated once', async () => {
    const c = await caseForReferral();
    const referral = await propose(c.id);
    await s.h.relay.drain();
    // The director's 3 calendar days end at 24:00 Beijing of the third day (民法典 arts. 201–203), not 72 hours on.
    let approvalDue = 0;
    while (!approvalDue) approvalDue = (await s.db.orm.em.fork().findOneOrFail(CaseProcess, { id: referral.id })).dueAt?.getTime() ?? 0;
    await skip(approvalDue - (await s.h.env.currentTimeMs()) + HOUR);
    expect(await escalationsOf(c.id)).toEqual(['REFERRAL_APPROVAL_OVERDUE→PARENT_AGENCY']);
    await s.h.step(s.city.director, referral.id, 'approveReferral', { approve: true });
    await skip(23 * HOUR);
    expect(await escalationsOf(c.id)).toHaveLength(1);
    await skip(2 * HOUR);
    expect(await escalationsOf(c.id)).toEqual(['REFERRAL_APPROVAL_OVERDUE→PARENT_AGENCY', 'REFERRAL_SEND_OVERDUE→DIRECTOR']);
    await skip(5 * DAY);
    expect(await escalationsOf(c.id)).toHaveLength(2);
  });

  it('reconsideration is refused once its 3 days have passed; supervision is still open to HRSS', async () => {
    const c = await caseForReferral();
    const referral = await propose(c.id);
    await s.h.relay.drain();
    await s.h.step(s.city.director, referral.id, 'approveReferral', { approve: true });
    await s.h.step(s.city.inspector, referral.id, 'sendReferral');
    await s.h.step(s.city.policeOfficer, referral.id, 'decideReferral', { decision: 'DECLINED', reasons: '不构成犯罪' });
    await skip(3 * DAY + HOUR);
    await expect(s.h.step(s.city.inspector, referral.id, 'requestReconsideration', { grounds: '补充证据' })).rejects.toMatchObject({
      extensions: { code: 'CONFLICT' },
    });
    await s.h.step(s.city.inspector, referral.id, 'requestSupervision', {
      procuratorateAgencyId: s.city.procuratorate.id,
      grounds: '申请立案监督',
    });
    expect((await s.h.finished(referral.workflowId)).status).toBe('SUPERVISION_REQUESTED');
  });

  it('a reconsideration not decided in 3 days escalates to the procuratorate, and supervision may then be asked at once', async () => {
    const c = await caseForReferral();
    const referral = await propose(c.id);
    await s.h.relay.drain();
    await s.h.step(s.city.director, referral.id, 'approveReferral', { approve: true });
    await s.h.step(s.city.inspector, referral.id, 'sendReferral');
    await s.h.step(s.city.policeOfficer, referral.id, 'decideReferral', { decision: 'DECLINED', reasons: '不构成犯罪' });
    await s.h.step(s.city.inspector, referral.id, 'requestReconsideration', { grounds: '补充证据' });
    await expect(
      s.h.step(s.city.inspector, referral.id, 'requestSupervision', {
        procuratorateAgencyId: s.city.procuratorate.id,
        grounds: '申请立案监督',
      }),
    ).rejects.toMatchObject({ extensions: { code: 'CONFLICT' } });
    await skip(3 * DAY - HOUR);
    expect(await escalationsOf(c.id)).toEqual([]);
    await skip(2 * HOUR);
    expect(await escalationsOf(c.id)).toEqual(['RECONSIDERATION_DECISION_OVERDUE→PROCURATORATE']);
    await s.h.step(s.city.inspector, referral.id, 'requestSupervision', {
      procuratorateAgencyId: s.city.procuratorate.id,
      grounds: '复议逾期未决定，申请立案监督',
    });
    expect((await s.h.finished(referral.workflowId)).status).toBe('SUPERVISION_REQUESTED');
  });

  it('a decision taken just in time whose recording is still in flight when the clock runs out is not escalated', async () => {
    const c = await caseForReferral();
    const referral = await propose(c.id);
    await s.h.relay.drain();
    await s.h.step(s.city.director, referral.id, 'approveReferral', { approve: true });
    await s.h.step(s.city.inspector, referral.id, 'sendReferral');
    await skip(3 * DAY - 10_000); // ten seconds to go
    const release = s.h.holdStep('REFERRAL_DECIDED'); // the write of the decision is slow …
    const decided = s.h.step(s.city.policeOfficer, referral.id, 'decideReferral', { decision: 'FILED' });
    await new Promise((r) => setTimeout(r, 500));
    await skip(20_000); // … and the 3 days run out meanwhile (within the activity's own 30-second limit)
    release();
    await decided;
    await skip(HOUR);
    expect(await escalationsOf(c.id)).toEqual([]);
    expect((await s.h.env.client.workflow.getHandle(referral.workflowId).query(referralStateQuery)).status).toBe('FILED');
  });
});
