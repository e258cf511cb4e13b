import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Case } from '../../src/cases/case.entity';
import { browserContext, launchChromium, screenshot } from '../support/browser';
import { startTestApi, type TestApi } from '../support/api';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { loadTestCity } from '../support/fixtures';

type City = Awaited<ReturnType<typeof loadTestCity>>;

const INTAKE = `mutation($i: IntakeComplaintInput!) { intakeComplaint(input: $i) { case { id number } } }`;
const SUBMIT_CLOSING = `mutation($i: SubmitClosingReportInput!) { submitClosingReport(input: $i) { id } }`;

/**
 * The case board's region and received-date filters, and a case step (结案审批) in My tasks, in Debian's headless
 * Chromium against the API (no workflows needed: nothing here waits on a clock). The city's director sees every
 * district: picking Xicheng and a range of Beijing days narrows the board, the URL carries both, and a reload (or
 * the link opened afresh) shows the same view. A closing report an inspector wrote waits in a supervisor's My tasks,
 * not in the inspector's.
 */
describe('the case board’s filters and case steps in My tasks, in a browser', () => {
  let db: TestDatabase;
  let api: TestApi;
  let city: City;
  let browser: Browser;
  let base: string;
  const contexts: BrowserContext[] = [];
  let seq = 0;

  beforeAll(async () => {
    [db, browser] = await Promise.all([createTestDatabase(), launchChromium()]);
    city = await loadTestCity(db.orm.em.fork());
    api = await startTestApi({ orm: db.orm, temporalAddress: '127.0.0.1:1' });
    base = new URL(api.url).origin;
  }, 120_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await api?.stop();
    await db?.drop();
  });

  async function pageAs(user: City['clerk'], agency: City['xichengHrss']): Promise<Page> {
    const context = await browserContext(browser, base, api.tokenFor(user, agency));
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (err) => process.stderr.write(`[browser] ${err.message}\n`));
    return page;
  }

  /** A case taken in by the city director in `regionCode`, received at `receivedAt` (set as the intake would have). */
  async function caseIn(regionCode: string, receivedAt: string): Promise<{ id: string; number: string }> {
    const res = await api.gql<any>(
      INTAKE,
      {
        i: {
          channel: 'WALK_IN',
          contactPhone: `139${String(30_000_000 + ++seq * 7919).slice(-8)}`,
          description: `拖欠工资 ${seq}`,
          regionCode,
        },
      },
      api.as(city.cityDirector, city.cityHrss),
    );
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    const c = res.data.intakeComplaint.case;
    await db.orm.em.fork().nativeUpdate(Case, { id: c.id }, { receivedAt: new Date(receivedAt) });
    return c;
  }

  const rows = async (page: Page) =>
    (await page.locator('[data-testid^="case-row-"]').evaluateAll((es) => es.map((e) => e.getAttribute('data-testid')))).sort();
  const rowsOf = (...cs: Array<{ number: string }>) => cs.map((c) => `case-row-${c.number}`).sort();

  /** Waits until the board shows exactly `expected` (the query answers after the URL changes). */
  async function boardShows(page: Page, expected: string[]): Promise<void> {
    const until = Date.now() + 15_000;
    let seen: string[] = [];
    while (Date.now() < until) {
      seen = await rows(page);
      if (JSON.stringify(seen) === JSON.stringify(expected) && !(await page.locator('.ant-spin-spinning').count())) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`the board shows ${JSON.stringify(seen)}, not ${JSON.stringify(expected)}`);
  }

  it('narrows the board by district and by a range of Beijing days, keeps both in the URL, and a reload keeps the view', async () => {
    // Beijing days: 2026-11-01 00:30 Beijing is 2026-10-31 16:30 UTC (in range); 2026-11-05 00:30 Beijing is 11-04 16:30 UTC (out).
    const firstMinute = await caseIn('110102003', '2026-10-31T16:30:00Z');
    const inRange = await caseIn('110102003', '2026-11-03T02:00:00Z');
    const afterRange = await caseIn('110102003', '2026-11-04T16:30:00Z');
    const before = await caseIn('110102003', '2026-10-31T15:59:00Z');
    const chaoyang = await caseIn('110105001', '2026-11-02T02:00:00Z');

    const page = await pageAs(city.cityDirector, city.cityHrss);
    await page.goto('/');
    await boardShows(page, rowsOf(firstMinute, inRange, afterRange, before, chaoyang));

    // The districts the city's agency covers; Xicheng picked, then its streets offered.
    await page.getByTestId('board-district').locator('.ant-select').click();
    await page.locator('.ant-select-item-option', { hasText: '西城区' }).click();
    await boardShows(page, rowsOf(firstMinute, inRange, afterRange, before));
    expect(new URL(page.url()).searchParams.get('district')).toBe('110102');
    await page.getByTestId('board-street').waitFor();

    // A range of Beijing days, typed as a person would.
    const inputs = page.getByTestId('board-received').locator('input');
    await inputs.nth(0).click();
    await inputs.nth(0).fill('2026-11-01');
    await inputs.nth(0).press('Enter');
    await inputs.nth(1).fill('2026-11-04');
    await inputs.nth(1).press('Enter');
    await boardShows(page, rowsOf(firstMinute, inRange));
    const url = new URL(page.url());
    expect([url.searchParams.get('district'), url.searchParams.get('from'), url.searchParams.get('to')]).toEqual([
      '110102',
      '2026-11-01',
      '2026-11-04',
    ]);
    await screenshot(page, '20-board-filters');

    // A reload, and the link opened in another browser, show the same view with the same filters.
    await page.reload();
    await boardShows(page, rowsOf(firstMinute, inRange));
    expect(await page.getByTestId('board-district').textContent()).toContain('西城区');
    expect(await page.getByTestId('board-received').locator('input').nth(0).inputValue()).toBe('2026-11-01');
    const other = await pageAs(city.cityDirector, city.cityHrss);
    await other.goto(`/${url.search}`);
    await boardShows(other, rowsOf(firstMinute, inRange));
    // Another district by link alone.
    await other.goto('/?district=110105');
    await boardShows(other, rowsOf(chaoyang));
  }, 90_000);

  it('shows a closing report awaiting approval (结案审批) in a supervisor’s My tasks, not in the inspector’s', async () => {
    const c = await caseIn('110102003', new Date().toISOString());
    await db.orm.em.fork().nativeUpdate(Case, { id: c.id }, { status: 'RESOLVED' });
    const res = await api.gql<any>(
      SUBMIT_CLOSING,
      { i: { caseId: c.id, findings: '查明拖欠工资', recovery: '已全部追回', outcome: '已解决' } },
      api.as(city.inspector, city.xichengHrss),
    );
    if (res.errors) throw new Error(JSON.stringify(res.errors));

    const supervisor = await pageAs(city.supervisor, city.xichengHrss);
    await supervisor.goto('/tasks');
    const task = supervisor.getByTestId(`task-${c.number}`).and(supervisor.locator('[data-action="approveClosing"]'));
    await task.waitFor({ timeout: 15_000 });
    expect(await task.textContent()).toContain('结案审批');
    await screenshot(supervisor, '21-my-tasks-closing-approval');

    const inspector = await pageAs(city.inspector, city.xichengHrss);
    await inspector.goto('/tasks');
    // The inspector's own tasks are there (the acceptances of the cases above), the approval is not.
    await inspector.locator('[data-action="acceptCase"]').first().waitFor({ timeout: 15_000 });
    expect(await inspector.locator('[data-action="approveClosing"]').count()).toBe(0);
    expect(await inspector.getByTestId(`task-${c.number}`).count()).toBe(0);
  }, 60_000);
});
