import { DateTime, FixedOffsetZone } from 'luxon';
import type { User } from '../src/agencies/agency.entity';
import { calendarPeriodEnd } from '../src/domain/calendar-periods';
import { isWorkingDay } from '../src/domain/working-days';
import { processServiceOf } from '../src/processes/process-module';
import { CaseProcess } from '../src/processes/process.entity';
import { jointMediationModule } from '../src/processes/joint-mediation/mediation.module';
import { policeReferralModule } from '../src/processes/police-referral/referral.module';
import type { Services } from '../src/app/services';
import { referralStateQuery } from '../workflows/police-referral';
import { addEmployer } from './support/fixtures';
import { useProcessHarness } from './support/process-harness';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const BEIJING = FixedOffsetZone.instance(8 * 60);

/**
 * The calendar-day clocks of the police referral and the joint mediation on the time-skipping server, with their
 * real durations: counted as 民法典 arts. 201–203 count them (the first day not counted, 24:00 Beijing of the last
 * day, a last day off work moved to the next working day), not as 72 hours from the event.
 */
describe('calendar-day clocks counted as the Civil Code counts them', () => {
  const s = useProcessHarness('calendar-clocks-test');
  let phone = 13900003000;

  const referrals = () => processServiceOf(s.h.services as unknown as Services, policeReferralModule);
  const mediations = () => processServiceOf(s.h.services as unknown as Services, jointMediationModule);
  /** The API as `user` at the test server's time (the harness's own contexts read the wall clock). */
  const at = async (user: User) => {
    const now = new Date(await s.h.env.currentTimeMs());
    return { ...s.h.as(user), clock: { now: () => now } };
  };
  const skipTo = async (instant: number) => s.h.env.sleep(instant - (await s.h.env.currentTimeMs()));
  /** The next day after the server's today that is `weekday` (1 = Monday) and satisfies `ok`, at `hour` Beijing. */
  const next = async (weekday: number, hour: number, ok: (d: DateTime) => boolean = () => true) => {
    let d = DateTime.fromMillis(await s.h.env.currentTimeMs(), { zone: BEIJING })
      .startOf('day')
      .plus({ days: 1 });
    while (d.weekday !== weekday || !ok(d)) d = d.plus({ days: 1 });
    return d.set({ hour });
  };
  const working = (d: DateTime) => isWorkingDay(d.toISODate()!);
  const escalationsOf = async (caseId: string) =>
    (await s.h.fileOf(caseId)).filter((e) => e.type === 'ESCALATED').map((e) => e.payload.kind as string);
  const processRow = (id: string) => s.db.orm.em.fork().findOneOrFail(CaseProcess, { id });
  /** The process's due instant once its workflow (a child the case lifecycle starts) has written its first step. */
  const dueAtOf = async (id: string): Promise<Date> => {
    for (let i = 0; i < 100; i++) {
      const row = await processRow(id);
      if (row.dueAt) return row.dueAt;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`process ${id} has no due instant`);
  };

  async function acceptedCase() {
    const { case: c } = await s.h.services.intake.intake(s.h.as(s.city.clerk), {
      channel: 'WALK_IN',
      contactPhone: String(phone++),
      description: '22名工人被拖欠工资，老板失联',
      // An employer like the contractor, of its own: complaints about one employer join one case (一事一案).
      employerUscc: (await addEmployer(s.db.orm.em.fork(), s.city.contractor)).uscc,
      regionCode: '110102003',
      amountClaimedFen: 16_658_000,
      workersAffected: 22,
    });
    await s.h.services.cases.acceptCase(s.h.as(s.city.inspector), { caseId: c.id });
    await s.h.relay.drain();
    return c;
  }

  /** Proposed, approved and sent at the server's current time, through the API's service (which counts the days). */
  async function sentReferral(caseId: string) {
    const referral = await referrals().proposePoliceReferral(await at(s.city.inspector), {
      caseId,
      team: [s.city.inspector.id, s.city.inspector2.id],
      policeAgencyId: s.city.police.id,
      orderToPayIssuedOn: '2026-11-01',
      orderToPayDueOn: '2026-11-10',
      grounds: '责令支付后逾期未支付，涉嫌拒不支付劳动报酬罪',
    });
    await s.h.relay.drain();
    await referrals().approve(await at(s.city.director), { processId: referral.id, approve: true });
    await referrals().send(await at(s.city.inspector), { processId: referral.id });
    return referral;
  }

  it('a referral sent on a Friday afternoon before an ordinary weekend is due at 24:00 of the Monday, not 72 hours later', async () => {
    const c = await acceptedCase();
    const friday = await next(
      5,
      15,
      (d) => working(d) && !working(d.plus({ days: 1 })) && !working(d.plus({ days: 2 })) && working(d.plus({ days: 3 })),
    );
    await skipTo(friday.toMillis());
    const referral = await sentReferral(c.id);
    const sent = await processRow(referral.id);
    const mondayEnd = friday.plus({ days: 4 }).startOf('day'); // 24:00 of the Monday
    expect(sent.status).toBe('SENT');
    expect(sent.dueAt!.toISOString()).toBe(mondayEnd.toJSDate().toISOString());
    expect(sent.dueAt!.getTime() - new Date(sent.facts.sentAt!).getTime()).toBeGreaterThan(72 * HOUR);

    // 72 hours and one more after sending (Monday 16:00): the police are still in time.
    await skipTo(friday.toMillis() + 73 * HOUR);
    expect(await escalationsOf(c.id)).toEqual([]);
    await skipTo(mondayEnd.toMillis() - MINUTE);
    expect(await escalationsOf(c.id)).toEqual([]);
    await skipTo(mondayEnd.toMillis() + MINUTE);
    expect(await escalationsOf(c.id)).toEqual(['POLICE_DECISION_OVERDUE']);
  });

  it('a police decision on day 3 at 15:00 is in time; a decline’s 3 days ending on a Sunday run to the end of Monday', async () => {
    const c = await acceptedCase();
    // Sent on a Monday at 10:00 of an ordinary working week: 72 hours would end on Thursday at 10:00.
    const monday = await next(1, 10, (d) => [0, 1, 2, 3, 7].every((n) => working(d.plus({ days: n }))) && !working(d.plus({ days: 6 })));
    await skipTo(monday.toMillis());
    const referral = await sentReferral(c.id);

    // Day 3 (Thursday) at 15:00: the police decline, in time; nothing is escalated.
    const thursday = monday.plus({ days: 3 }).set({ hour: 15 });
    await skipTo(thursday.toMillis());
    await referrals().decide(await at(s.city.policeOfficer), { processId: referral.id, decision: 'DECLINED', reasons: '证据不足' });
    expect(await escalationsOf(c.id)).toEqual([]);
    const declined = await processRow(referral.id);
    expect(declined.status).toBe('DECLINED');
    // Thursday + 3 = Sunday, not a working day: HRSS may ask until Monday ends.
    const nextMondayEnd = monday.plus({ days: 8 }).startOf('day');
    expect(declined.dueAt!.toISOString()).toBe(nextMondayEnd.toJSDate().toISOString());
    expect(declined.dueAt!.toISOString()).toBe(calendarPeriodEnd(thursday.toJSDate(), 3).toISOString());

    // Monday 15:00, four days on (72 hours ended on Sunday at 15:00): the reconsideration request is taken.
    await skipTo(monday.plus({ days: 7 }).set({ hour: 15 }).toMillis());
    await referrals().requestReconsideration(await at(s.city.inspector), { processId: referral.id, grounds: '已补充银行流水' });
    expect(await escalationsOf(c.id)).toEqual([]);
    const asked = await processRow(referral.id);
    expect(asked.status).toBe('RECONSIDERATION_REQUESTED');
    const thursdayEnd = monday.plus({ days: 11 }).startOf('day'); // Monday + 3 = Thursday, 24:00
    expect(asked.dueAt!.toISOString()).toBe(thursdayEnd.toJSDate().toISOString());
    await skipTo(thursdayEnd.toMillis() - MINUTE);
    expect(await escalationsOf(c.id)).toEqual([]);
    await skipTo(thursdayEnd.toMillis() + MINUTE);
    expect(await escalationsOf(c.id)).toEqual(['RECONSIDERATION_DECISION_OVERDUE']);
    expect((await s.h.env.client.workflow.getHandle(referral.workflowId).query(referralStateQuery)).overdue).toEqual([
      'RECONSIDERATION_DECISION_OVERDUE',
    ]);
  });

  it('the director’s approval is due at 24:00 of the third day after the proposal', async () => {
    const c = await acceptedCase();
    const tuesday = await next(2, 11, (d) => [0, 3].every((n) => working(d.plus({ days: n }))));
    await skipTo(tuesday.toMillis());
    const referral = await referrals().proposePoliceReferral(await at(s.city.inspector), {
      caseId: c.id,
      team: [s.city.inspector.id, s.city.inspector2.id],
      policeAgencyId: s.city.police.id,
      orderToPayIssuedOn: '2026-11-01',
      orderToPayDueOn: '2026-11-10',
      grounds: '责令支付后逾期未支付',
    });
    await s.h.relay.drain();
    const fridayEnd = tuesday.plus({ days: 4 }).startOf('day');
    expect((await dueAtOf(referral.id)).toISOString()).toBe(fridayEnd.toJSDate().toISOString());
    await skipTo(tuesday.toMillis() + 73 * HOUR);
    expect(await escalationsOf(c.id)).toEqual([]);
    await skipTo(fridayEnd.toMillis() + MINUTE);
    expect(await escalationsOf(c.id)).toEqual(['REFERRAL_APPROVAL_OVERDUE']);
  });

  it('the workflow refuses a due instant that is not in the future', async () => {
    const c = await acceptedCase();
    const referral = await referrals().proposePoliceReferral(await at(s.city.inspector), {
      caseId: c.id,
      team: [s.city.inspector.id, s.city.inspector2.id],
      policeAgencyId: s.city.police.id,
      orderToPayIssuedOn: '2026-11-01',
      orderToPayDueOn: '2026-11-10',
      grounds: '责令支付后逾期未支付',
    });
    await s.h.relay.drain();
    await s.h.step(s.city.director, referral.id, 'approveReferral', { approve: true });
    await expect(
      s.h.step(s.city.inspector, referral.id, 'sendReferral', { policeDecisionDueAt: '2026-01-01T00:00:00.000Z' }),
    ).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'input.policeDecisionDueAt' } });
    expect((await processRow(referral.id)).status).toBe('APPROVED');
  });

  it('a mediation with no agreement ends at 24:00 of the fifteenth day, not 15 × 24 hours after it was convened', async () => {
    const c = await acceptedCase();
    const convenedAt = await next(2, 10, (d) => working(d.plus({ days: 15 })));
    await skipTo(convenedAt.toMillis());
    const mediation = await mediations().conveneMediation(await at(s.city.inspector), {
      caseId: c.id,
      parties: [{ role: 'GENERAL_CONTRACTOR', name: '某建设集团' }],
      agencyIds: [],
    });
    await s.h.relay.drain();
    const end = convenedAt.plus({ days: 16 }).startOf('day'); // 24:00 of day 15
    expect((await dueAtOf(mediation.id)).toISOString()).toBe(end.toJSDate().toISOString());
    await skipTo(convenedAt.toMillis() + 15 * 24 * HOUR + HOUR);
    expect((await s.h.fileOf(c.id)).map((e) => e.type)).not.toContain('MEDIATION_ENDED');
    await skipTo(end.toMillis() - MINUTE);
    expect((await s.h.fileOf(c.id)).map((e) => e.type)).not.toContain('MEDIATION_ENDED');
    await skipTo(end.toMillis() + MINUTE);
    expect((await s.h.finished(mediation.workflowId)).status).toBe('NO_AGREEMENT');
  });
});
