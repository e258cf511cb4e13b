import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startLiveStack, type LiveStack } from '../support/live-stack';
import { browserContext, launchChromium, screenshot } from '../support/browser';
import { addProject } from '../support/fixtures';
import { processServiceOf } from '../../src/processes/process-module';
import { handoverModule } from '../../src/processes/handover/handover.module';

/**
 * The dashboard as a person uses it (issue 15), in Debian's headless Chromium against the API, worker and
 * Temporal of a live stack: a clerk signs in with a token and takes in a complaint, which a supervisor's board,
 * open in a second browser, shows without a reload; an inspector accepts it, dispatches it (三交办) and records a
 * payment; the supervisor names the inspector the case's lead; the district officer acknowledges the dispatch
 * from My tasks and files the district's report on the case page; the statistics count the payment, and
 * the day's report downloads as Excel. Each view is photographed into
 * .screenshots/.
 */
describe('the dashboard in a browser', () => {
  let stack: LiveStack;
  let browser: Browser;
  let base: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startLiveStack('browser-dashboard'), launchChromium()]);
    await stack.startWorker();
    base = new URL(stack.api.url).origin;
  }, 120_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await stack?.stop();
  });

  async function pageAs(token: string): Promise<Page> {
    const context = await browserContext(browser, base, token);
    contexts.push(context);
    return watch(await context.newPage());
  }

  /** The page's errors go to the test's output: a failing journey then says what the browser saw. */
  function watch(page: Page): Page {
    page.on('pageerror', (err) => process.stderr.write(`[browser] ${err.message}\n`));
    page.on('console', (m) => m.type() === 'error' && process.stderr.write(`[browser console] ${m.text()}\n`));
    return page;
  }

  it('serves the app at / and its client routes, and keeps /graphql the API', async () => {
    const root = await fetch(`${base}/`, { headers: { accept: 'text/html' } });
    expect(root.status).toBe(200);
    expect(await root.text()).toContain('<div id="root">');
    const route = await fetch(`${base}/cases/some-id`, { headers: { accept: 'text/html' } });
    expect(route.status).toBe(200);
    expect(route.headers.get('content-type')).toContain('text/html');
    const api = await stack.api.gql('{ __typename }');
    expect(api.data).toEqual({ __typename: 'Query' });
    // Not under npm start in development: no demo personas are offered.
    expect((await fetch(`${base}/dev/personas`, { headers: { accept: 'application/json' } })).headers.get('content-type')).not.toContain(
      'application/json',
    );
  });

  it('a complaint goes from the intake window to a paid, dispatched case, and other browsers see it live', async () => {
    const { city } = stack;
    const t = (user: Parameters<typeof stack.api.tokenFor>[0], agency: Parameters<typeof stack.api.tokenFor>[1]) =>
      stack.api.tokenFor(user, agency);

    // A supervisor keeps the board open in a second browser.
    const watcher = await pageAs(t(city.supervisor, city.xichengHrss));
    await watcher.goto('/');
    await watcher.getByTestId('total-count').waitFor();
    const before = await watcher.getByTestId('total-count').textContent();

    // The clerk signs in by pasting a token on the sign-in page.
    const clerkContext = await browserContext(browser, base);
    contexts.push(clerkContext);
    const clerk = watch(await clerkContext.newPage());
    await clerk.goto('/');
    await screenshot(clerk, '01-sign-in');
    await clerk.getByTestId('token-input').fill(`Bearer ${t(city.clerk, city.xichengHrss)}`);
    await clerk.getByTestId('token-submit').click();
    await clerk.getByTestId('persona').waitFor();
    expect(await clerk.getByTestId('persona').textContent()).toContain('受理员');

    // Zero threshold: a phone and a description (the API's refusal of a bad phone is shown on the form).
    await clerk.getByTestId('intake-open').click();
    await clerk.getByTestId('intake-phone').fill('12345');
    await clerk.getByTestId('intake-description').fill('西城区某住宅项目拖欠 3 名木工两个月工资');
    await clerk.getByTestId('intake-project').fill('XC-2026-001');
    await clerk.getByTestId('intake-submit').click();
    await clerk.getByTestId('form-error').waitFor();
    expect(await clerk.getByTestId('form-error').textContent()).toMatch(/contactPhone/);
    await clerk.getByTestId('intake-phone').fill('13800138000');
    await clerk.getByTestId('intake-submit').click();
    const row = clerk.locator('[data-testid^="case-row-"]').first();
    await row.waitFor();
    await clerk.getByText('西城区某住宅项目拖欠 3 名木工两个月工资').first().waitFor();
    const number = (await clerk.getByTestId('case-link').first().textContent())!;
    expect(number).toMatch(/^110102-\d{4}-\d{6}$/);
    await screenshot(clerk, '02-case-board-clerk');
    // The clerk takes complaints in but does not decide them: no accept form on the case page.
    await clerk.getByTestId('case-link').first().click();
    await clerk.getByTestId('case-number').waitFor();
    await clerk.getByTestId('contact-submit').waitFor();
    expect(await clerk.getByTestId('accept-submit').count()).toBe(0);

    // The supervisor's board shows it without a reload.
    await watcher.getByTestId(`case-row-${number}`).waitFor({ timeout: 15_000 });
    expect(await watcher.getByTestId('total-count').textContent()).not.toBe(before);
    await screenshot(watcher, '03-case-board-live');

    // The inspector accepts it on the case page, then starts the three-way dispatch and records a payment.
    const inspector = await pageAs(t(city.inspector, city.xichengHrss));
    await inspector.goto('/');
    await inspector.getByTestId(`case-row-${number}`).getByTestId('case-link').click();
    await inspector.getByTestId('accept-uscc').fill(city.contractor.uscc);
    await inspector.getByTestId('accept-submit').click();
    await inspector.getByTestId('case-status').filter({ hasText: '已受理' }).waitFor();
    await inspector.getByTestId('dispatch-submit').click();
    await inspector.getByTestId('processes').getByText('签收期限').waitFor();
    await inspector.getByTestId('payment-amount').fill('12000');
    await inspector.getByTestId('payment-payer').fill(city.contractor.name);
    await inspector.getByTestId('payment-submit').click();
    await inspector.getByTestId('case-recovered').filter({ hasText: '¥12,000.00' }).waitFor();
    await screenshot(inspector, '04-case-page-inspector');

    // The supervisor names the lead on the case page, picking from the owning agency's inspectors.
    await watcher.getByTestId(`case-row-${number}`).getByTestId('case-link').click();
    await watcher.getByTestId('lead-select').click();
    await watcher.locator('.ant-select-item-option').filter({ hasText: city.inspector.name }).first().click();
    await watcher.getByTestId('lead-submit').click();
    await watcher.getByTestId('case-lead').filter({ hasText: city.inspector.name }).waitFor({ timeout: 15_000 });
    await screenshot(watcher, '09-case-page-lead-supervisor');

    // The district officer finds the dispatch in My tasks and acknowledges it there for the district.
    const officer = await pageAs(t(city.districtOfficer, city.xichengGov));
    await officer.goto('/tasks');
    const task = officer.getByTestId(`task-${number}`);
    await task.waitFor();
    await screenshot(officer, '05-my-tasks-district-officer');
    await task.getByTestId('task-acknowledge').click();
    // Acknowledged: what waits on the district now is its report.
    await task.getByText('反馈交办处理情况').waitFor({ timeout: 20_000 });
    // On the case page: no case steps for the district, the dispatch acknowledged.
    await officer.goto('/');
    await officer.getByTestId(`case-row-${number}`).getByTestId('case-link').click();
    await officer.getByTestId('processes').getByText('ACKNOWLEDGED').waitFor({ timeout: 20_000 });
    expect(await officer.getByTestId('case-actions').count()).toBe(0);
    // The district's report is awaited: its form shows the API's refusal of a report too short on the field, then files it.
    const report = officer.getByTestId('report-dispatch');
    await report.waitFor({ timeout: 20_000 });
    await report.getByTestId('report-text').fill('已办');
    await report.getByTestId('report-submit').click();
    await report.getByTestId('form-error').waitFor();
    expect(await report.locator('.ant-form-item-explain-error').first().textContent()).toMatch(/at least 4 characters/);
    await report.getByTestId('report-text').fill('已约谈总承包单位，督促其三日内足额支付');
    await report.getByTestId('report-submit').click();
    await officer.getByTestId('processes').getByText('REPORTED').waitFor({ timeout: 20_000 });
    await officer.getByTestId('report-dispatch').waitFor({ state: 'detached', timeout: 20_000 });
    await screenshot(officer, '06-case-page-district-officer');

    // The statistics page counts the payment (its charts load on demand).
    const stats = await pageAs(t(city.supervisor, city.xichengHrss));
    await stats.goto('/statistics');
    await stats.getByTestId('fen-recovered').filter({ hasText: '¥12,000.00' }).waitFor({ timeout: 20_000 });
    await stats.getByTestId('chart-heat').locator('canvas').first().waitFor();
    await screenshot(stats, '07-statistics');

    // The day's report (a director makes it on demand; the schedule makes it at 08:00) with its Excel download.
    const made = await stack.api.gql(
      'mutation($agencyId: ID!) { makeDailyReport(agencyId: $agencyId) { id } }',
      { agencyId: city.xichengHrss.id },
      stack.api.as(city.director, city.xichengHrss),
    );
    expect(made.errors).toBeUndefined();
    await stats.goto('/daily-reports');
    await stats.getByTestId('report-item').first().waitFor();
    const [xlsx] = await Promise.all([stats.waitForEvent('download'), stats.getByTestId('report-xlsx').click()]);
    expect(xlsx.suggestedFilename()).toMatch(/^日通报-.*\.xlsx$/);
    const body = await (await import('node:fs/promises')).readFile((await xlsx.path())!);
    expect(body.subarray(0, 2).toString()).toBe('PK'); // a zip: an XLSX workbook
    await screenshot(stats, '08-daily-report');

    // The inspector's open case page follows without a reload.
    await inspector.getByTestId('processes').getByText('REPORTED').waitFor({ timeout: 15_000 });
    expect(await inspector.getByTestId('case-lead').textContent()).toBe(city.inspector.name);
  });

  it('the case page offers the process steps awaited of the persona as forms: a police decision, a mediation confirmation, a handover', async () => {
    const { city } = stack;
    const hrss = stack.as(city.inspector, city.xichengHrss);
    const director = stack.as(city.director, city.xichengHrss);
    // A case past the crime threshold (49 workers, ¥637,130), sent in by 12345 and accepted.
    const intakeCtx = stack.as(city.hotline, city.integrator);
    const { case: c } = await intakeCtx.services.intake.intake(intakeCtx, {
      channel: 'HOTLINE_12345',
      contactPhone: '13700009999',
      description: '工地拖欠 49 名工人工资',
      projectCode: (await addProject(stack.db.orm.em.fork(), city.project)).code,
      amountClaimedFen: 63_713_000,
      workersAffected: 49,
    });
    await hrss.services.cases.acceptCase(hrss, { caseId: c.id });
    // A referral sent to the police, a mediation inviting the union, a handover to the city.
    const referral = await hrss.services.processes.proposePoliceReferral(hrss, {
      caseId: c.id,
      team: [city.inspector.id, city.inspector2.id],
      policeAgencyId: city.police.id,
      orderToPayIssuedOn: '2026-10-01',
      orderToPayDueOn: '2026-10-15',
      grounds: '逾期未支付',
    });
    await stack.settle();
    await director.services.processes.step(director, { processId: referral.id, update: 'approveReferral', args: { approve: true } });
    await hrss.services.processes.step(hrss, { processId: referral.id, update: 'sendReferral' });
    await hrss.services.processes.conveneMediation(hrss, {
      caseId: c.id,
      parties: [{ role: 'WORKER_REPRESENTATIVE', name: '工人代表' }],
      agencyIds: [city.union.id],
    });
    await processServiceOf(hrss.services, handoverModule).handOver(hrss, {
      caseId: c.id,
      toAgencyId: city.cityHrss.id,
      reason: '提级由市总队办理',
    });
    await stack.settle();
    const t = (user: Parameters<typeof stack.api.tokenFor>[0], agency: Parameters<typeof stack.api.tokenFor>[1]) =>
      stack.api.tokenFor(user, agency);

    // The police decline without reasons: the API's refusal is on the reasons field; with them, the decision is taken.
    const police = await pageAs(t(city.policeOfficer, city.police));
    await police.goto(`/cases/${c.id}`);
    const decide = police.getByTestId('decide-referral');
    await decide.waitFor({ timeout: 20_000 });
    await decide.getByText('不予立案', { exact: true }).click();
    await decide.getByTestId('decide-referral-submit').click();
    await decide.getByTestId('form-error').waitFor();
    expect(await decide.locator('.ant-form-item-explain-error').first().textContent()).toMatch(/written reasons/);
    await screenshot(police, '10-case-page-police-decision');
    await decide.getByTestId('decide-referral-reasons').fill('证据不足，尚未达到立案标准');
    await decide.getByTestId('decide-referral-submit').click();
    await decide.waitFor({ state: 'detached', timeout: 20_000 });

    // The union confirms it will attend the mediation.
    const union = await pageAs(t(city.unionMediator, city.union));
    await union.goto(`/cases/${c.id}`);
    await union.getByTestId('confirm-attendance-submit').click();
    await union.getByTestId('confirm-attendance-submit').waitFor({ state: 'detached', timeout: 20_000 });
    await union.getByTestId('processes').getByText('CONFIRMED').waitFor({ timeout: 20_000 });

    // The city's director accepts the case handed over to the city.
    const city_ = await pageAs(t(city.cityDirector, city.cityHrss));
    await city_.goto(`/cases/${c.id}`);
    await city_.getByTestId('handover-note').fill('由市总队一支队承办');
    await city_.getByTestId('handover-accept').click();
    await city_.getByTestId('handover-accept').waitFor({ state: 'detached', timeout: 20_000 });

    const processes = (
      await stack.api.gql(
        'query($id: ID!) { case(id: $id) { owningAgency { id } processes { kind status } } }',
        { id: c.id },
        stack.api.as(city.director, city.xichengHrss),
      )
    ).data as { case: { owningAgency: { id: string }; processes: Array<{ kind: string; status: string }> } };
    expect(processes.case.processes.find((p) => p.kind === 'POLICE_REFERRAL')?.status).toBe('DECLINED');
    // The handover accepted: the city's agency owns the case now.
    expect(processes.case.owningAgency.id).toBe(city.cityHrss.id);
  }, 120_000);
});
