import type { Locator, Page } from 'playwright-core';
import { screenshot } from '../support/browser';
import { caseBrowserSuite, eventually } from '../support/case-browser';
import { addProject } from '../support/fixtures';

interface CaseFile {
  status: string;
  version: number;
  events: Array<{ type: string; payload: Record<string, unknown> }>;
  owedWorkers: Array<{ id: string; name: string; monthsOwed: number; amountOwed: number }>;
  processes: Array<{ id: string; kind: string; status: string; parties: Array<{ name: string }> }>;
  deadlines: { resolution: string | null; resolutionExtended: string | null };
  complainants: Array<{ person: { name: string | null; residentId: string | null } }>;
  limitation: { startedOn: string; endedOn: string | null } | null;
  investigation: {
    team: Array<{ id: string }>;
    inquiries: Array<{ fileRef: string; inspectors: Array<{ id: string }> }>;
    evidence: Array<{ fileRef: string; kind: string }>;
  } | null;
}

const FILE = `query($id: ID!) { case(id: $id) {
  status version events { type payload } owedWorkers { id name monthsOwed amountOwed }
  processes { id kind status parties { name } } deadlines { resolution resolutionExtended }
  complainants { person { name residentId } } limitation { startedOn endedOn }
  investigation { team { id } inquiries { fileRef inspectors { id } } evidence { fileRef kind } }
} }`;

/**
 * The case page's remaining step forms (issue 15), each offered where Case.availableActions lists it and driven by
 * real personas in Debian's headless Chromium against a live stack: the complainant's identity, the roster of owed
 * workers (add, correct, remove), the violation period (the API's refusal shown on its field), the investigating
 * team, an inquiry (refused with one inspector present, recorded with two) and an evidence item, the extension,
 * a joint mediation convened and a session recorded, a police referral proposed, a handover and a referral outside
 * inspection started, and a transfer. What each wrote is read back through the API. Screenshots 22-… in .screenshots/.
 */
describe('the case page offers every step a persona may take', () => {
  const suite = caseBrowserSuite('browser-case-forms');
  const { inspector, supervisor, director, open } = suite;

  async function fileOf(caseId: string): Promise<CaseFile> {
    const [user, agency] = director();
    const r = await suite.stack.api.gql<{ case: CaseFile }>(FILE, { id: caseId }, suite.stack.api.as(user, agency));
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    return r.data!.case;
  }

  /** Waits until the API's view of the case passes `check` (a workflow's step lands a moment after the answer). */
  const until = (caseId: string, check: (c: CaseFile) => boolean): Promise<CaseFile> =>
    eventually(() => fileOf(caseId), check, `case ${caseId}`);

  /**
   * Picks options (one, or several of a multiple select) of the select with this test id, by their labels, and waits
   * until the select shows each; a pick the page lost (a click while the list was still opening) is made again.
   */
  async function pick(page: Page, card: Locator, testId: string, ...labels: string[]): Promise<void> {
    const select = card.getByTestId(testId);
    for (const text of labels) {
      for (let attempt = 1; ; attempt++) {
        await select.click();
        await page.locator('.ant-select-dropdown:visible').first().waitFor();
        // Filter first: the list renders only the options in view (what an earlier attempt typed is replaced).
        await page.keyboard.press('Control+A');
        await page.keyboard.type(text);
        await page.locator('.ant-select-item-option:visible').filter({ hasText: text }).first().click();
        await page.keyboard.press('Escape');
        try {
          await select.getByText(text).first().waitFor({ timeout: 3000 });
          break;
        } catch (err) {
          if (attempt === 3) throw err;
        }
      }
    }
  }

  /** Types a Beijing day into a form's date field (antd names the input `<form>_<field>`) and commits it. */
  async function day(page: Page, id: string, value: string): Promise<void> {
    const input = page.locator(`#${id}`);
    for (let attempt = 0; attempt < 3; attempt++) {
      await input.click();
      await page.locator('.ant-picker-dropdown:visible').first().waitFor();
      await input.fill(value);
      // Leaving the field commits a valid typed day (Enter would also submit the form around it).
      await input.press('Tab');
      if ((await input.getAttribute('value')) === value) return;
    }
    throw new Error(`${id}: the date picker did not take ${value}`);
  }

  async function submitted(card: Locator): Promise<void> {
    await card.locator('button[type="submit"]').click();
  }

  /** A complaint sent in by 12345 with the complainant's name, accepted by the inspector. */
  async function acceptedCase(description: string, accept = true, workersAffected = 4): Promise<string> {
    const intake = suite.stack.as(suite.city.hotline, suite.city.integrator);
    const { case: c } = await intake.services.intake.intake(intake, {
      channel: 'HOTLINE_12345',
      contactPhone: `136${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`,
      complainantName: '刘工人',
      description,
      projectCode: (await addProject(suite.stack.db.orm.em.fork(), suite.city.project)).code,
      amountClaimedFen: 4_000_000,
      workersAffected,
    });
    if (accept) {
      const hrss = suite.stack.as(suite.city.inspector, suite.city.xichengHrss);
      await hrss.services.cases.acceptCase(hrss, { caseId: c.id });
    }
    await suite.stack.settle();
    return c.id;
  }

  it('records who the complainant is, keeps the roster right, and records the violation period (a wrong order of days refused on its field)', async () => {
    const caseId = await acceptedCase('工地拖欠 4 名工人两个月工资');
    const page = await open(inspector(), caseId);

    const identity = page.getByTestId('identity');
    await identity.getByTestId('identity-name').fill('刘实名');
    await identity.getByTestId('identity-residentId').fill('110101199003074514');
    await submitted(identity);
    await until(caseId, (c) => c.complainants[0]!.person.name === '刘实名');

    const add = page.getByTestId('roster-add');
    await add.getByTestId('roster-add-name').fill('钱工人');
    await add.getByTestId('roster-add-monthsOwed').fill('2');
    await add.getByTestId('roster-add-amountOwed').fill('12000');
    await submitted(add);
    const added = await until(caseId, (c) => c.owedWorkers.some((w) => w.name === '钱工人'));
    expect(added.owedWorkers.find((w) => w.name === '钱工人')).toMatchObject({ monthsOwed: 2, amountOwed: 1_200_000 });
    await add.getByTestId('roster-add-name').fill('误录人员');
    await add.getByTestId('roster-add-monthsOwed').fill('1');
    await add.getByTestId('roster-add-amountOwed').fill('100');
    await submitted(add);
    await until(caseId, (c) => c.owedWorkers.length === 2);

    const correct = page.getByTestId('roster-correct');
    await correct.waitFor();
    await pick(page, correct, 'roster-correct-owedWorkerId', '钱工人');
    await correct.getByTestId('roster-correct-monthsOwed').fill('3');
    await correct.getByTestId('roster-correct-amountOwed').fill('18000');
    await submitted(correct);
    await until(caseId, (c) => c.owedWorkers.some((w) => w.name === '钱工人' && w.monthsOwed === 3 && w.amountOwed === 1_800_000));

    const remove = page.getByTestId('roster-remove');
    await pick(page, remove, 'roster-remove-owedWorkerId', '误录人员');
    await remove.getByTestId('roster-remove-reason').fill('重复录入');
    await submitted(remove);
    const roster = await until(caseId, (c) => c.owedWorkers.length === 1);
    expect(roster.owedWorkers[0]!.name).toBe('钱工人');
    await page.getByText('钱工人').first().waitFor();

    // The API's rule (the violation ends on or after the day it began) is shown on the end date's field.
    const period = page.getByTestId('violation-period');
    await day(page, 'recordViolationPeriod_startedOn', '2026-06-01');
    await day(page, 'recordViolationPeriod_endedOn', '2026-05-01');
    await submitted(period);
    // The message on the end date's own field (the form's whole-message line says it too).
    await period
      .locator('.ant-form-item', { has: page.locator('#recordViolationPeriod_endedOn') })
      .locator('.ant-form-item-explain-error')
      .filter({ hasText: /ends on or after the day it began/ })
      .waitFor();
    expect(await period.getByTestId('form-error').textContent()).toMatch(/ends on or after the day it began/);
    await screenshot(page, '22-case-page-violation-period-refused');
    await day(page, 'recordViolationPeriod_endedOn', '2026-09-30');
    await submitted(period);
    const recorded = await until(caseId, (c) => c.limitation?.endedOn === '2026-09-30');
    expect(recorded.limitation).toMatchObject({ startedOn: '2026-06-01', endedOn: '2026-09-30' });
    expect(recorded.events.map((e) => e.type)).toEqual(
      expect.arrayContaining([
        'COMPLAINANT_IDENTIFIED',
        'OWED_WORKER_ADDED',
        'OWED_WORKER_CORRECTED',
        'OWED_WORKER_REMOVED',
        'VIOLATION_PERIOD_RECORDED',
      ]),
    );
  });

  it('the investigation: the team by a supervisor, an inquiry refused with one inspector present and recorded with two, an evidence item; the extension', async () => {
    const caseId = await acceptedCase('装修公司拖欠 4 名工人工资');
    const boss = await open(supervisor(), caseId);
    const team = boss.getByTestId('investigation-team');
    await pick(boss, team, 'investigation-team-inspectorIds', suite.city.inspector.name, suite.city.inspector2.name);
    await submitted(team);
    const withTeam = await until(caseId, (c) => (c.investigation?.team.length ?? 0) === 2);
    expect(withTeam.investigation!.team.map((u) => u.id).sort()).toEqual([suite.city.inspector.id, suite.city.inspector2.id].sort());

    const extension = boss.getByTestId('extension');
    await extension.getByTestId('extension-reason').fill('涉及人数多、需调取银行流水，情况复杂');
    await submitted(extension);
    const extended = await until(caseId, (c) => !!c.deadlines.resolutionExtended);
    expect(Date.parse(extended.deadlines.resolutionExtended!)).toBeGreaterThan(Date.parse(extended.deadlines.resolution!));
    // One extension: the form is no longer offered.
    await boss.getByTestId('extension').waitFor({ state: 'detached', timeout: 20_000 });

    // The inspector is not offered the team (a supervisor's step), and records an inquiry and evidence.
    const page = await open(inspector(), caseId);
    expect(await page.getByTestId('investigation-team').count()).toBe(0);
    const inquiry = page.getByTestId('inquiry');
    await inquiry.getByTestId('inquiry-personAsked').fill('张老板');
    await inquiry.getByTestId('inquiry-capacity').fill('用人单位负责人');
    await inquiry.getByTestId('inquiry-place').fill('西城区劳动保障监察大队询问室');
    await pick(page, inquiry, 'inquiry-inspectorIds', suite.city.inspector.name);
    await inquiry.getByTestId('inquiry-fileRef').fill('西人社询〔2026〕7号');
    await submitted(inquiry);
    await inquiry.getByTestId('form-error').waitFor();
    expect(await inquiry.getByTestId('form-error').textContent()).toMatch(/at least 2 inspectors/);
    await screenshot(page, '23-case-page-inquiry-refused');
    await pick(page, inquiry, 'inquiry-inspectorIds', suite.city.inspector2.name);
    await submitted(inquiry);
    const asked = await until(caseId, (c) => (c.investigation?.inquiries.length ?? 0) === 1);
    expect(asked.investigation!.inquiries[0]).toMatchObject({ fileRef: '西人社询〔2026〕7号' });
    expect(asked.investigation!.inquiries[0]!.inspectors).toHaveLength(2);

    const evidence = page.getByTestId('evidence');
    await evidence.getByTestId('evidence-description').fill('2026 年 8—9 月工资表复印件');
    await pick(page, evidence, 'evidence-collectedBy', suite.city.inspector.name, suite.city.inspector2.name);
    await evidence.getByTestId('evidence-fileRef').fill('证据-01');
    await submitted(evidence);
    const collected = await until(caseId, (c) => (c.investigation?.evidence.length ?? 0) === 1);
    expect(collected.investigation!.evidence[0]).toEqual({ fileRef: '证据-01', kind: 'DOCUMENTARY' });
    await screenshot(page, '24-case-page-investigation');
  });

  it('a joint mediation convened and a session recorded; a police referral proposed; a handover and a referral outside inspection started', async () => {
    // 12 workers owed ¥40,000: over the crime threshold's many-workers condition, so the referral may be proposed.
    const caseId = await acceptedCase('劳务分包拖欠 12 名工人工资', true, 12);
    const page = await open(inspector(), caseId);

    const convene = page.getByTestId('mediation-start');
    await convene.getByTestId('mediation-start-parties-add').click();
    await pick(page, convene, 'mediation-start-parties-1-role', '劳务分包单位');
    await convene.getByTestId('mediation-start-parties-1-name').fill('某劳务公司');
    await pick(page, convene, 'mediation-start-agencyIds', suite.city.union.name);
    await submitted(convene);
    const convened = await until(caseId, (c) => c.processes.some((p) => p.kind === 'MEDIATION' && p.status === 'CONVENED'));
    const mediation = convened.processes.find((p) => p.kind === 'MEDIATION')!;
    expect(mediation.parties.map((p) => p.name)).toEqual(expect.arrayContaining(['某劳务公司', suite.city.union.name]));

    const session = page.getByTestId('mediation-session');
    await session.waitFor({ timeout: 20_000 });
    await pick(page, session, 'mediation-session-attendeePartyIds', '某劳务公司');
    await session.getByTestId('mediation-session-summary').fill('各方同意于两周内分两期支付');
    await submitted(session);
    await until(caseId, (c) => c.events.some((e) => e.type === 'MEDIATION_SESSION_RECORDED'));

    const referral = page.getByTestId('referral-propose');
    await pick(page, referral, 'referral-propose-team', suite.city.inspector.name, suite.city.inspector2.name);
    await pick(page, referral, 'referral-propose-policeAgencyId', suite.city.police.name);
    await day(page, 'proposePoliceReferral_orderToPayIssuedOn', '2026-10-01');
    await day(page, 'proposePoliceReferral_orderToPayDueOn', '2026-10-15');
    await referral.getByTestId('referral-propose-grounds').fill('经责令支付逾期仍不支付，涉嫌拒不支付劳动报酬罪');
    await submitted(referral);
    await until(caseId, (c) => c.processes.some((p) => p.kind === 'POLICE_REFERRAL' && p.status === 'AWAITING_APPROVAL'));
    await page.getByTestId('referral-propose').waitFor({ state: 'detached', timeout: 20_000 });

    const outside = page.getByTestId('refer-outside');
    await pick(page, outside, 'refer-outside-receiverAgencyId', suite.city.justice.name);
    await outside.getByTestId('refer-outside-grounds').fill('工人申请法律援助');
    await submitted(outside);
    await until(caseId, (c) => c.processes.some((p) => p.kind === 'EXTERNAL_REFERRAL'));

    const handover = page.getByTestId('handover-start');
    await pick(page, handover, 'handover-start-toAgencyId', suite.city.cityHrss.name);
    await handover.getByTestId('handover-start-reason').fill('涉及多区，提级由市总队办理');
    await submitted(handover);
    await until(caseId, (c) => c.processes.some((p) => p.kind === 'HANDOVER'));
    await screenshot(page, '25-case-page-processes-started');
  });

  it('a case for another body is transferred (告知移交) before handling; a clerk is offered none of the caseworkers’ forms', async () => {
    const caseId = await acceptedCase('个体户拖欠保姆工资，属劳动争议', false);
    const clerk = await open([suite.city.clerk, suite.city.xichengHrss], caseId);
    await clerk.getByTestId('case-actions').waitFor();
    for (const id of ['transfer', 'roster-add', 'violation-period', 'handover-start', 'refer-outside'])
      expect(await clerk.getByTestId(id).count()).toBe(0);
    expect(await clerk.getByTestId('identity').count()).toBe(1);

    const page = await open(inspector(), caseId);
    const transfer = page.getByTestId('transfer');
    await transfer.getByTestId('transfer-to').fill('西城区劳动人事争议仲裁委员会');
    await transfer.getByTestId('transfer-reason').fill('属劳动争议，告知投诉人申请仲裁');
    await submitted(transfer);
    await page.getByTestId('case-status').filter({ hasText: '已移交' }).waitFor({ timeout: 20_000 });
    expect((await fileOf(caseId)).status).toBe('TRANSFERRED');
  });
});
