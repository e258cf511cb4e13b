import { screenshot } from '../support/browser';
import { caseBrowserSuite, eventually, type Persona } from '../support/case-browser';
import { addProject } from '../support/fixtures';
import { processServiceOf } from '../../src/processes/process-module';
import { handoverModule } from '../../src/processes/handover/handover.module';

/**
 * The case page's step forms (issue 15), each described for the one generic step form, driven by real personas in
 * Debian's headless Chromium against a live stack: a case closed (the report by an inspector, the approval by a
 * supervisor, the inspector's own approval refused) and called back; an order to pay issued and complied with; a
 * penalty proposed and its notice served; a mediation agreement and an instalment allocated to the workers (an
 * allocation over what a worker is owed refused beside that worker's row); a referral approved, sent,
 * reconsideration asked for and, the decline upheld, the procuratorate's supervision; a handover returned; a court
 * acknowledging an external referral. State the journey does not test is set up through the API. Screenshots
 * 11-… in .screenshots/.
 */
describe('case step forms in a browser', () => {
  const suite = caseBrowserSuite('browser-case-steps');
  const { inspector, supervisor, director, open } = suite;

  /** A GraphQL call as the persona that must succeed. */
  async function api<T = Record<string, unknown>>([user, agency]: Persona, query: string, variables: Record<string, unknown>): Promise<T> {
    const r = await suite.stack.api.gql(query, variables, suite.stack.api.as(user, agency));
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    return r.data as T;
  }

  /** A complaint sent in by 12345 and accepted by the inspector. */
  async function acceptedCase(description: string, workers: number, claimedFen: number): Promise<string> {
    const intake = suite.stack.as(suite.city.hotline, suite.city.integrator);
    const { case: c } = await intake.services.intake.intake(intake, {
      channel: 'HOTLINE_12345',
      contactPhone: `137${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`,
      description,
      projectCode: (await addProject(suite.stack.db.orm.em.fork(), suite.city.project)).code,
      amountClaimedFen: claimedFen,
      workersAffected: workers,
    });
    const hrss = suite.stack.as(suite.city.inspector, suite.city.xichengHrss);
    await hrss.services.cases.acceptCase(hrss, { caseId: c.id });
    await suite.stack.settle();
    return c.id;
  }

  async function addWorker(caseId: string, name: string, amountOwed: number): Promise<void> {
    await api(inspector(), 'mutation($input: AddOwedWorkerInput!) { addOwedWorker(input: $input) { id } }', {
      input: { caseId, name, monthsOwed: 2, amountOwed },
    });
  }

  async function processes(caseId: string): Promise<{ status: string; processes: Array<{ id: string; kind: string; status: string }> }> {
    const data = await api<{ case: { status: string; processes: Array<{ id: string; kind: string; status: string }> } }>(
      director(),
      'query($id: ID!) { case(id: $id) { status processes { id kind status } } }',
      { id: caseId },
    );
    return data.case;
  }

  /** Waits until the API says `check` of the case (a workflow's step lands in the database a moment later). */
  const until = (caseId: string, check: (c: Awaited<ReturnType<typeof processes>>) => boolean) =>
    eventually(() => processes(caseId), check, `case ${caseId}`, 100);

  const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

  it('closes a case: the report by an inspector, the approval by a supervisor (not the author), then the callback', async () => {
    const caseId = await acceptedCase('某餐饮店拖欠 2 名服务员一个月工资', 2, 1_000_000);
    await api(inspector(), 'mutation($input: RecordPaymentInput!) { recordPayment(input: $input) { id } }', {
      input: { caseId, amount: 1_000_000, workersPaid: 2, paidOn: today(), payer: '某餐饮店', source: 'EMPLOYER', settlesCase: true },
    });

    const page = await open(inspector(), caseId);
    const report = page.getByTestId('closing-report');
    await report.getByTestId('closing-report-findings').fill('经查，该店拖欠 2 名服务员 2026 年 9 月工资共 1 万元');
    await report.getByTestId('closing-report-recovery').fill('用人单位已足额支付');
    await report.getByTestId('closing-report-outcome').fill('工资已追回，建议结案');
    await report.getByTestId('closing-report-submit').click();
    // The report is in the file (the form now offers a resubmission); its author is not offered the approval.
    await report.filter({ hasText: '结案报告（重新提交）' }).waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('approve-closing').count()).toBe(0);
    await screenshot(page, '11-case-page-closing-report');

    const boss = await open(supervisor(), caseId);
    await boss.getByTestId('approve-closing-note').fill('同意结案');
    await boss.getByTestId('approve-closing-submit').click();
    await boss.getByTestId('case-status').filter({ hasText: '已办结' }).waitFor({ timeout: 20_000 });
    expect(await boss.getByTestId('closing-report').count()).toBe(0);
    await screenshot(boss, '12-case-page-closed');

    // Closing scheduled the callback (every closed case, by default): the inspector records it with the satisfaction.
    await until(caseId, (c) => c.processes.some((p) => p.kind === 'CALLBACK'));
    await page.reload();
    const callback = page.getByTestId('record-callback');
    await callback.waitFor({ timeout: 20_000 });
    await callback.getByTestId('record-callback-satisfaction').click();
    await page.locator('.ant-select-item-option').filter({ hasText: '基本满意' }).click();
    await callback.getByTestId('record-callback-notes').fill('投诉人确认工资已到账，对处理基本满意');
    await screenshot(page, '13-case-page-callback');
    await callback.getByTestId('record-callback-submit').click();
    await callback.waitFor({ state: 'detached', timeout: 20_000 });
    await until(caseId, (c) => c.processes.some((p) => p.kind === 'CALLBACK' && p.status === 'DONE'));
  });

  it('an order to pay issued by a supervisor and complied with; a penalty proposed and its notice served', async () => {
    const caseId = await acceptedCase('物流公司拖欠 2 名分拣员工资', 2, 1_000_000);
    await addWorker(caseId, '赵大', 500_000);
    await addWorker(caseId, '钱二', 500_000);

    // The supervisor issues the order: each worker's amount prefilled from the roster, a day to pay by.
    const boss = await open(supervisor(), caseId);
    const order = boss.getByTestId('issue-order');
    expect(await order.getByTestId('issue-order-workers-0').inputValue()).toBe('5000.00');
    await order.getByTestId('issue-order-submit').click();
    await boss
      .getByTestId('processes')
      .getByText(/限期支付 · ISSUED/)
      .waitFor({ timeout: 20_000 });
    await screenshot(boss, '14-case-page-order-issued');

    // The employer pays; the inspector records the order complied with.
    await api(inspector(), 'mutation($input: RecordPaymentInput!) { recordPayment(input: $input) { id } }', {
      input: { caseId, amount: 1_000_000, workersPaid: 2, paidOn: today(), payer: '某物流公司', source: 'EMPLOYER' },
    });
    const page = await open(inspector(), caseId);
    const complied = page.getByTestId('order-complied');
    await complied.waitFor({ timeout: 20_000 });
    await complied.getByTestId('order-complied-note').fill('用人单位已于限期内足额支付');
    await complied.getByTestId('order-complied-submit').click();
    await complied.waitFor({ state: 'detached', timeout: 20_000 });
    await until(caseId, (c) => c.processes.some((p) => p.kind === 'ORDER_TO_PAY' && p.status === 'COMPLIED'));

    // The inspector proposes a fine and serves its notice.
    await page.getByTestId('propose-penalty-amount').fill('20000');
    await page.getByTestId('propose-penalty-provision').fill('劳动保障监察条例 第二十六条');
    await page.getByTestId('propose-penalty-submit').click();
    const notice = page.getByTestId('penalty-notice');
    await notice.waitFor({ timeout: 20_000 });
    await notice.getByTestId('penalty-notice-noticeRef').fill('西人社罚告〔2026〕12号');
    await notice.getByTestId('penalty-notice-submit').click();
    await page.getByTestId('penalty-statement').waitFor({ timeout: 20_000 });
    await screenshot(page, '15-case-page-penalty-notice');
    await until(caseId, (c) => c.processes.some((p) => p.kind === 'PENALTY' && p.status === 'NOTICE_SERVED'));
  });

  it('a mediation agreement, and an instalment allocated to the workers (over what one is owed: refused on that row)', async () => {
    const caseId = await acceptedCase('装修公司拖欠 2 名瓦工工资', 2, 600_000);
    await addWorker(caseId, '孙三', 300_000);
    await addWorker(caseId, '李四', 300_000);
    await api(inspector(), 'mutation($input: ConveneMediationInput!) { conveneMediation(input: $input) { id } }', {
      input: { caseId, parties: [{ role: 'WORKER_REPRESENTATIVE', name: '工人代表' }], agencyIds: [] },
    });
    await suite.stack.settle();

    const page = await open(inspector(), caseId);
    const agreement = page.getByTestId('mediation-agreement');
    await agreement.waitFor({ timeout: 20_000 });
    await agreement.getByTestId('mediation-agreement-instalments-0-amount').fill('6000');
    await agreement.getByTestId('mediation-agreement-submit').click();

    const paid = page.getByTestId('instalment-paid');
    await paid.waitFor({ timeout: 20_000 });
    await paid.getByTestId('instalment-paid-payer').fill('某装修公司');
    await paid.getByTestId('instalment-paid-allocations-0').fill('3500');
    await paid.getByTestId('instalment-paid-allocations-1').fill('2500');
    await paid.getByTestId('instalment-paid-submit').click();
    await paid.getByTestId('form-error').waitFor();
    expect(await paid.getByTestId('form-error').textContent()).toMatch(/owed 300000 fen more/);
    // The API's message is beside the first worker's amount.
    const rowError = paid.locator('tr', { hasText: '孙三' }).locator('.ant-form-item-explain-error');
    expect(await rowError.textContent()).toMatch(/owed 300000 fen more/);
    await screenshot(page, '16-case-page-instalment-refused');
    await paid.getByTestId('instalment-paid-allocations-0').fill('3000');
    await paid.getByTestId('instalment-paid-allocations-1').fill('3000');
    await paid.getByTestId('instalment-paid-submit').click();
    await paid.waitFor({ state: 'detached', timeout: 20_000 });
    await page.getByTestId('payments').getByText('¥6,000.00').waitFor({ timeout: 20_000 });
    await screenshot(page, '17-case-page-instalment-paid');
  });

  it('a referral approved, sent, reconsideration and supervision asked; a handover returned; an external referral acknowledged', async () => {
    const caseId = await acceptedCase('工地拖欠 49 名工人工资', 49, 63_713_000);
    const hrss = suite.stack.as(suite.city.inspector, suite.city.xichengHrss);
    const referral = await hrss.services.processes.proposePoliceReferral(hrss, {
      caseId,
      team: [suite.city.inspector.id, suite.city.inspector2.id],
      policeAgencyId: suite.city.police.id,
      orderToPayIssuedOn: '2026-10-01',
      orderToPayDueOn: '2026-10-15',
      grounds: '逾期未支付',
    });
    await suite.stack.settle();

    // The director approves; the inspector sends it.
    const boss = await open(director(), caseId);
    await boss.getByTestId('approve-referral-note').fill('同意移送');
    await boss.getByTestId('approve-referral-submit').click();
    await boss.getByTestId('approve-referral').waitFor({ state: 'detached', timeout: 20_000 });
    const page = await open(inspector(), caseId);
    await page.getByTestId('send-referral-submit').click();
    await page.getByTestId('send-referral').waitFor({ state: 'detached', timeout: 20_000 });

    // The police decline; the inspector asks them to reconsider.
    await api(
      [suite.city.policeOfficer, suite.city.police],
      'mutation($input: DecidePoliceReferralInput!) { decidePoliceReferral(input: $input) { id } }',
      {
        input: { processId: referral.id, decision: 'DECLINED', reasons: '证据不足' },
      },
    );
    const ask = page.getByTestId('request-reconsideration');
    await ask.waitFor({ timeout: 20_000 });
    await ask.getByTestId('request-reconsideration-grounds').fill('用人单位转移财产逃匿，已有证据证明');
    await ask.getByTestId('request-reconsideration-submit').click();
    await ask.waitFor({ state: 'detached', timeout: 20_000 });
    await until(caseId, (c) => c.processes.some((p) => p.id === referral.id && p.status === 'RECONSIDERATION_REQUESTED'));
    await screenshot(page, '18-case-page-reconsideration');
    // The police uphold the decline; the inspector asks the procuratorate to supervise.
    await api(
      [suite.city.policeOfficer, suite.city.police],
      'mutation($input: DecideReconsiderationInput!) { decideReconsideration(input: $input) { id } }',
      { input: { processId: referral.id, decision: 'UPHELD', reasons: '维持原决定' } },
    );
    const supervision = page.getByTestId('request-supervision');
    await supervision.waitFor({ timeout: 20_000 });
    await supervision.getByTestId('request-supervision-grounds').fill('公安机关维持不予立案，提请检察院立案监督');
    await supervision.getByTestId('request-supervision-submit').click();
    await supervision.waitFor({ state: 'detached', timeout: 20_000 });
    await until(caseId, (c) => c.processes.some((p) => p.id === referral.id && p.status === 'SUPERVISION_REQUESTED'));

    // Handed over to the city, which returns it with the reason.
    const owner = suite.stack.as(suite.city.inspector, suite.city.xichengHrss);
    await processServiceOf(owner.services, handoverModule).handOver(owner, {
      caseId,
      toAgencyId: suite.city.cityHrss.id,
      reason: '提级由市总队办理',
    });
    await suite.stack.settle();
    const cityPage = await open([suite.city.cityDirector, suite.city.cityHrss], caseId);
    await cityPage.getByTestId('handover-reason').fill('属区级管辖，退回西城区办理');
    await cityPage.getByTestId('handover-return').click();
    await cityPage.getByTestId('handover-return').waitFor({ state: 'detached', timeout: 20_000 });
    await until(caseId, (c) => c.processes.some((p) => p.kind === 'HANDOVER' && p.status === 'RETURNED'));

    // Another case referred to the court, which acknowledges it with its own file number.
    const other = await acceptedCase('劳务公司与工人对工资数额有争议', 3, 3_000_000);
    await api(inspector(), 'mutation($input: ReferCaseOutsideInspectionInput!) { referCaseOutsideInspection(input: $input) { id } }', {
      input: { caseId: other, receiverAgencyId: suite.city.court.id, grounds: '工资数额争议，属劳动争议' },
    });
    await suite.stack.settle();
    const court = await open([suite.city.courtOfficer, suite.city.court], other);
    const ack = court.getByTestId('acknowledge-referral');
    await ack.waitFor({ timeout: 20_000 });
    await ack.getByTestId('acknowledge-referral-note').fill('已立案，指定法官审理');
    await ack.getByTestId('acknowledge-referral-reference').fill('（2026）京0102民初123号');
    await screenshot(court, '19-case-page-court-acknowledgement');
    await ack.getByTestId('acknowledge-referral-submit').click();
    await ack.waitFor({ state: 'detached', timeout: 20_000 });
  }, 120_000);
});
