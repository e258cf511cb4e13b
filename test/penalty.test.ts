import type { User } from '../src/agencies/agency.entity';
import { addWorkingDays } from '../src/domain/working-days';
import { processServiceOf } from '../src/processes/process-module';
import { CaseProcess } from '../src/processes/process.entity';
import { penaltyModule } from '../src/processes/penalty/penalty.module';
import { decisionServiceDue, noticeDeadlines, PENALTY_LAW_DAY_COUNTS, penaltyDayCount, penaltyRules } from '../src/rules/penalty-rules';
import { addEmployer } from './support/fixtures';
import { useProcessHarness } from './support/process-harness';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const beijing = (iso: string) => new Date(`${iso}+08:00`);
const endOf = (day: string) => new Date(`${day}T23:59:59.999+08:00`).toISOString();

/** The Administrative Penalty Law's day counts (第八十五条) on the holiday calendar: the instants the workflow then waits for. */
describe('penalty periods on the working-day calendar', () => {
  it('counts the law’s 2/3/5/7-day periods as working days and other counts as calendar days (第八十五条)', () => {
    expect(PENALTY_LAW_DAY_COUNTS.map((r) => r.days)).toEqual([2, 3, 5, 7]);
    for (const days of [2, 3, 5, 7]) expect(penaltyDayCount(days)).toBe('WORKING_DAYS');
    for (const days of [1, 10, 15, 60, 90]) expect(penaltyDayCount(days)).toBe('CALENDAR_DAYS');
    expect(penaltyRules.hearingRequest.days).toBe(5);
    expect(penaltyRules.hearingRequest.source).toMatch(/第六十四条/);
    expect(penaltyRules.decisionService.source).toMatch(/第六十一条/);
    expect(penaltyRules.largeFine.source).toMatch(/provincial configuration/);
    expect(penaltyRules.serious.source).toMatch(/provincial configuration/);
  });

  it('a notice served on the eve of National Day 2026: hearing requested until 12 October, across the holiday and its worked Saturday', () => {
    const d = noticeDeadlines(beijing('2026-09-29T10:00:00'), true);
    // 30 Sep (1); 1–7 Oct off; 8 (2), 9 (3), Saturday 10 worked (4); Sunday 11 off; Monday 12 (5).
    expect(d.hearingRequestDue!.toISOString()).toBe(endOf('2026-10-12'));
    expect(d.statementDue.toISOString()).toBe(endOf('2026-10-09'));
    // Five calendar days would have closed it on 4 October, in the middle of the holiday.
    expect(d.hearingRequestDue!.getTime()).toBeGreaterThan(beijing('2026-10-04T23:59:59').getTime());
    expect(decisionServiceDue(beijing('2026-09-29T16:00:00')).toISOString()).toBe(endOf('2026-10-14'));
    expect(noticeDeadlines(beijing('2026-09-29T10:00:00'), false).hearingRequestDue).toBeNull();
  });
});

/** 行政处罚 on the time-skipping server: notice, statement and defence, the hearing window, deliberation, decision, service. */
describe('administrative penalty', () => {
  const s = useProcessHarness('penalty-test');
  let phone = 13600005000;

  /** The services as `user`, at the time-skipping server's clock (the API works deadlines out from its own "now"). */
  async function as(user: User) {
    const now = await s.h.env.currentTimeMs();
    return { ...s.h.as(user), clock: { now: () => new Date(now) } };
  }
  const penalties = () => processServiceOf(s.h.services, penaltyModule);
  const processRow = (id: string) => s.db.orm.em.fork().findOneOrFail(CaseProcess, { id });

  /** An accepted case investigated by 李监察 (lead), 赵监察 and 钱科长, and a penalty proposed on it. */
  async function proposed(amountFen: number, serious = false) {
    const { case: c } = await s.h.services.intake.intake(s.h.as(s.city.clerk), {
      channel: 'HOTLINE_12333',
      contactPhone: String(phone++),
      description: '拖欠工资，拒不改正',
      // An employer like the contractor, of its own: complaints about one employer join one case (一事一案).
      employerUscc: (await addEmployer(s.db.orm.em.fork(), s.city.contractor)).uscc,
      regionCode: '110102003',
    });
    await s.h.services.cases.acceptCase(s.h.as(s.city.inspector), { caseId: c.id });
    await s.h.services.cases.assignLead(s.h.as(s.city.supervisor), { caseId: c.id, inspectorId: s.city.inspector.id });
    await s.h.services.investigation.setTeam(s.h.as(s.city.director), {
      caseId: c.id,
      inspectorIds: [s.city.inspector2.id, s.city.supervisor.id],
    });
    const p = await penalties().proposePenalty(await as(s.city.inspector), {
      caseId: c.id,
      amountFen,
      provision: '劳动保障监察条例 第二十六条',
      serious,
    });
    await s.h.relay.drain();
    return { c, p };
  }

  it('a large fine: the hearing window is 5 working days, it passes, a non-investigator decides, service is late and escalated, then served', async () => {
    const { c, p } = await proposed(penaltyRules.largeFine.amountFen);
    expect(p.facts).toMatchObject({ largeFine: true, serious: false, proposedBy: s.city.inspector.id });

    const servedAt = new Date(await s.h.env.currentTimeMs());
    await penalties().serveNotice(await as(s.city.inspector), { processId: p.id, noticeRef: '京西人社监罚告〔2026〕1号' });
    const hearingDue = addWorkingDays(servedAt, 5);
    const facts = (await processRow(p.id)).facts as Record<string, unknown>;
    expect(facts.hearingRequestDue).toBe(hearingDue.toISOString());
    expect(facts.statementDue).toBe(addWorkingDays(servedAt, 3).toISOString());
    // Working days: at least as long as five calendar days, longer over a weekend.
    expect(hearingDue.getTime()).toBeGreaterThanOrEqual(servedAt.getTime() + 5 * DAY - DAY);

    // An hour before the window closes it is still open; an hour after, it has passed and the penalty awaits its decision.
    await s.h.env.sleep(hearingDue.getTime() - HOUR - (await s.h.env.currentTimeMs()));
    expect((await s.h.fileOf(c.id)).map((e) => e.type)).not.toContain('PENALTY_HEARING_WINDOW_PASSED');
    expect((await s.h.fileOf(c.id)).map((e) => e.type)).toContain('PENALTY_STATEMENT_PERIOD_ENDED');
    await s.h.env.sleep(2 * HOUR);
    expect((await s.h.fileOf(c.id)).map((e) => e.type)).toContain('PENALTY_HEARING_WINDOW_PASSED');
    expect(await processRow(p.id)).toMatchObject({ status: 'AWAITING_DECISION', waitingOn: 'DECIDER' });
    await expect(
      penalties().requestHearing(await as(s.city.inspector), { processId: p.id, requestedBy: '公司法定代表人' }),
    ).rejects.toMatchObject({ extensions: { code: 'CONFLICT' } });

    // 查处分离: a supervisor on the investigating team may not decide; an inspector has not the role; the director may.
    const decision = {
      processId: p.id,
      decision: 'IMPOSE' as const,
      amountFen: penaltyRules.largeFine.amountFen,
      decisionRef: '京西人社监罚决〔2026〕1号',
    };
    await expect(penalties().decide(await as(s.city.supervisor), decision)).rejects.toMatchObject({
      extensions: { code: 'FORBIDDEN', rule: 'penalty.separation' },
    });
    await expect(penalties().decide(await as(s.city.inspector2), decision)).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    await expect(penalties().decide(await as(s.city.director), { ...decision, amountFen: decision.amountFen + 1 })).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', rule: 'penalty.within-notice' },
    });
    const decidedAt = new Date(await s.h.env.currentTimeMs());
    await penalties().decide(await as(s.city.director), decision);
    const serviceDue = addWorkingDays(decidedAt, 7);
    expect(((await processRow(p.id)).facts as Record<string, unknown>).serviceDue).toBe(serviceDue.toISOString());

    // Not served within 7 working days (第六十一条): escalated once, an hour after the deadline and not before.
    await s.h.env.sleep(serviceDue.getTime() - HOUR - (await s.h.env.currentTimeMs()));
    const escalated = async () =>
      (await s.h.fileOf(c.id)).filter((e) => e.type === 'ESCALATED' && e.payload.kind === 'PENALTY_DECISION_SERVICE_OVERDUE');
    expect(await escalated()).toHaveLength(0);
    await s.h.env.sleep(2 * HOUR);
    expect((await escalated()).map((e) => e.payload)).toEqual([
      expect.objectContaining({ escalateTo: 'SUPERVISOR', deadline: serviceDue.toISOString() }),
    ]);

    await penalties().serveDecision(await as(s.city.inspector), { processId: p.id, method: '直接送达' });
    const result = await s.h.finished(p.workflowId);
    expect(result).toMatchObject({ status: 'SERVED', decision: 'IMPOSE', overdue: ['PENALTY_DECISION_SERVICE_OVERDUE'] });
    expect(await processRow(p.id)).toMatchObject({ status: 'SERVED', outcome: 'IMPOSED' });
    const types = (await s.h.fileOf(c.id)).map((e) => e.type);
    expect(types.filter((t) => t.startsWith('PENALTY_'))).toEqual([
      'PENALTY_PROPOSED',
      'PENALTY_PROPOSAL_RECORDED',
      'PENALTY_NOTICE_SERVED',
      'PENALTY_STATEMENT_PERIOD_ENDED',
      'PENALTY_HEARING_WINDOW_PASSED',
      'PENALTY_AWAITING_DECISION',
      'PENALTY_DECIDED',
      'PENALTY_DECISION_SERVED',
    ]);
  });

  it('a hearing requested within the window is held before the decision', async () => {
    const { c, p } = await proposed(penaltyRules.largeFine.amountFen + 100_000);
    await penalties().serveNotice(await as(s.city.inspector), { processId: p.id, noticeRef: '告〔2026〕2号' });
    await s.h.env.sleep(DAY);
    await penalties().requestHearing(await as(s.city.inspector), { processId: p.id, requestedBy: '公司法定代表人' });
    await expect(
      penalties().decide(await as(s.city.director), { processId: p.id, decision: 'IMPOSE', amountFen: 100, decisionRef: '决〔2026〕2号' }),
    ).rejects.toMatchObject({ extensions: { code: 'CONFLICT', rule: 'penalty.order' } });
    // The hearing is noticed 7 days ahead (第六十四条第二项): held well after the statement period ends.
    await s.h.env.sleep(9 * DAY);
    await penalties().recordHearing(await as(s.city.inspector), {
      processId: p.id,
      heldAt: new Date((await s.h.env.currentTimeMs()) - HOUR).toISOString(),
      summary: '当事人对事实无异议，请求从轻',
    });
    await penalties().decide(await as(s.city.director), {
      processId: p.id,
      decision: 'IMPOSE',
      amountFen: 4_000_000,
      decisionRef: '决〔2026〕2号',
    });
    await penalties().serveDecision(await as(s.city.inspector), { processId: p.id, method: '邮寄送达' });
    expect(await processRow(p.id)).toMatchObject({ outcome: 'IMPOSED' });
    const types = (await s.h.fileOf(c.id)).map((e) => e.type);
    expect(types).toContain('PENALTY_HEARING_REQUESTED');
    expect(types).toContain('PENALTY_HEARING_HELD');
    expect(types).not.toContain('PENALTY_HEARING_WINDOW_PASSED');
  });

  it('a small fine has no hearing; a serious case waits 3 working days for statements, then for collective deliberation', async () => {
    const { c, p } = await proposed(200_000, true);
    expect(p.facts).toMatchObject({ largeFine: false, serious: true });
    const servedAt = new Date(await s.h.env.currentTimeMs());
    await penalties().serveNotice(await as(s.city.inspector), { processId: p.id, noticeRef: '告〔2026〕3号' });
    await expect(penalties().requestHearing(await as(s.city.inspector), { processId: p.id, requestedBy: '当事人' })).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', rule: 'penalty.hearing-large-fine' },
    });
    await penalties().recordStatement(await as(s.city.inspector), { processId: p.id, summary: '已补发工资，请求不予处罚' });

    const statementDue = addWorkingDays(servedAt, 3);
    await s.h.env.sleep(statementDue.getTime() - HOUR - (await s.h.env.currentTimeMs()));
    await expect(
      penalties().decide(await as(s.city.director), { processId: p.id, decision: 'NO_PENALTY', decisionRef: '决〔2026〕3号' }),
    ).rejects.toMatchObject({ extensions: { code: 'CONFLICT' } });
    await s.h.env.sleep(2 * HOUR);
    expect(await processRow(p.id)).toMatchObject({ status: 'AWAITING_DECISION', waitingOn: 'COLLECTIVE_DELIBERATION' });

    await expect(
      penalties().decide(await as(s.city.director), { processId: p.id, decision: 'NO_PENALTY', decisionRef: '决〔2026〕3号' }),
    ).rejects.toMatchObject({ extensions: { code: 'CONFLICT', rule: 'penalty.collective-deliberation' } });
    const deliberation = {
      processId: p.id,
      heldAt: new Date((await s.h.env.currentTimeMs()) - HOUR).toISOString(),
      participants: ['孙大队长', '副大队长', '法制科长'],
      conclusion: '已足额补发，情节轻微，不予处罚',
    };
    await expect(penalties().recordDeliberation(await as(s.city.supervisor), deliberation)).rejects.toMatchObject({
      extensions: { code: 'FORBIDDEN' },
    });
    await penalties().recordDeliberation(await as(s.city.director), deliberation);
    await penalties().decide(await as(s.city.director), { processId: p.id, decision: 'NO_PENALTY', decisionRef: '决〔2026〕3号' });
    await penalties().serveDecision(await as(s.city.inspector), { processId: p.id, method: '直接送达' });
    expect(await processRow(p.id)).toMatchObject({ status: 'SERVED', outcome: 'NO_PENALTY' });
    const file = await s.h.fileOf(c.id);
    expect(file.find((e) => e.type === 'PENALTY_STATEMENT_RECORDED')!.payload).toMatchObject({ late: false });
    expect(file.find((e) => e.type === 'PENALTY_DELIBERATED')).toBeDefined();
  });
});
