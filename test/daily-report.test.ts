import { Client } from '@temporalio/client';
import ExcelJS from 'exceljs';
import { dailyReport } from '../workflows/daily-report';
import { dispatchStateQuery } from '../workflows/three-way-dispatch';
import { ProcessParty } from '../src/processes/process.entity';
import { DAILY_REPORT_SCHEDULE_ID, ensureDailyReportSchedule } from '../src/reports/daily-report-schedule';
import { addProject } from './support/fixtures';
import { testLog } from './support/logger';
import { startDevServer } from './support/temporal';
import { REPORT_FIGURES } from '../src/reports/report-figures';
import { DailyReportService } from '../src/reports/daily-report.service';
import { printedLabel } from '../src/reports/daily-report-render';
import { startTestApi, type TestApi } from './support/api';
import { useProcessHarness } from './support/process-harness';

const DAY = 86_400_000;

/**
 * 日通报 on the time-skipping server: the schedule's workflow makes one report per inspection agency on a working day
 * (the holiday calendar in the database decides) and none on a holiday; each report counts what changed since the
 * agency's previous one and lists the escalations addressed to the daily report; once made, a report never changes.
 * Downloads: XLSX parsed back, the printable page, and NOT_FOUND for a caller out of scope.
 */
describe('daily report', () => {
  const s = useProcessHarness('daily-report-test');
  let phone = 13700005000;

  const reportRows = async () =>
    s.db.orm.em
      .fork()
      .getConnection()
      .execute<Array<{ id: string; agency_id: string; day: string; content: Record<string, unknown> }>>(
        `select id, agency_id, to_char(report_day, 'YYYY-MM-DD') as day, content from daily_report order by report_day, agency_id`,
      );
  // A plain client, not the environment's: the environment's unlocks time skipping while it awaits a result, and the
  // server may then skip years ahead (other workflows hold long timers) before the run reads its clock.
  const run = async (input: { day?: string }) =>
    new Client({ connection: s.h.env.connection, namespace: s.h.env.namespace }).workflow.execute(dailyReport, {
      taskQueue: 'daily-report-test',
      workflowId: `daily-report-${phone++}`,
      args: [input],
    });
  async function xichengCase(accept = false) {
    const { case: c } = await s.h.services.intake.intake(s.h.as(s.city.clerk), {
      channel: 'HOTLINE_12345',
      contactPhone: String(phone++),
      description: '西城区某工地农民工被拖欠工资',
      // A site of its own: a second complaint about the same project would join the first case (一事一案).
      projectCode: (await addProject(s.db.orm.em.fork(), s.city.project)).code,
      amountClaimedFen: 1_234_500,
      workersAffected: 7,
    });
    if (accept) await s.h.services.cases.acceptCase(s.h.as(s.city.inspector), { caseId: c.id });
    await s.h.relay.drain();
    return c;
  }
  const xichengReport = async (day: string) => (await reportRows()).find((r) => r.day === day && r.agency_id === s.city.xichengHrss.id)!;

  it('a working day makes one report per inspection agency, a holiday none; the next working day counts what changed; a rerun makes nothing', async () => {
    const agencies = [s.city.cityHrss.id, s.city.xichengHrss.id, s.city.chaoyangHrss.id].sort();
    await xichengCase(true);
    // 2026-09-30, a Wednesday: a working day.
    const first = await run({ day: '2026-09-30' });
    expect(first).toMatchObject({ day: '2026-09-30', workingDay: true });
    expect(first.reportIds).toHaveLength(3);
    expect((await reportRows()).map((r) => r.agency_id).sort()).toEqual(agencies);
    const before = (await xichengReport('2026-09-30')).content as { figures: Record<string, number>; deltas: unknown };
    expect(before.deltas).toBeNull();
    expect(before.figures).toMatchObject({ casesReceived: 1, casesAccepted: 1, workersClaimed: 7, amountClaimedFen: 1_234_500 });

    // Two more complaints, one accepted; then 国庆节 2026-10-01: a holiday, no report.
    await xichengCase(true);
    await xichengCase(false);
    expect(await run({ day: '2026-10-01' })).toEqual({ day: '2026-10-01', workingDay: false, reportIds: [] });
    expect(await reportRows()).toHaveLength(3);

    // 2026-10-10 is a Saturday worked (调休): a working day. Its report counts against 09-30's.
    const next = await run({ day: '2026-10-10' });
    expect(next.workingDay).toBe(true);
    const after = (await xichengReport('2026-10-10')).content as {
      figures: Record<string, number>;
      deltas: Record<string, number>;
      previous: { day: string };
    };
    expect(after.previous.day).toBe('2026-09-30');
    expect(after.figures).toMatchObject({ casesReceived: 3, casesAccepted: 2, casesOpen: 3 });
    expect(after.deltas).toMatchObject({
      casesReceived: 2,
      casesAccepted: 1,
      casesOpen: 2,
      workersClaimed: 14,
      amountClaimedFen: 2_469_000,
    });
    // The city's 总队 sees its districts' cases; Chaoyang none of Xicheng's.
    const rows = await reportRows();
    const of = (agency: string) =>
      rows.find((r) => r.day === '2026-10-10' && r.agency_id === agency)!.content as { deltas: Record<string, number> };
    expect(of(s.city.cityHrss.id).deltas.casesReceived).toBe(2);
    expect(of(s.city.chaoyangHrss.id).deltas.casesReceived).toBe(0);

    // The same day again (a second run, a retried activity): the same reports, nothing made.
    expect((await run({ day: '2026-10-10' })).reportIds.sort()).toEqual([...next.reportIds].sort());
    expect(await reportRows()).toHaveLength(6);
  });

  it('the scheduled run reports on the Beijing day of its own clock; a holiday loaded into the database since is kept', async () => {
    const now = await s.h.env.currentTimeMs();
    const today = new Date(now + 8 * 3_600_000).toISOString().slice(0, 10);
    const scheduled = await run({});
    expect(scheduled.day).toBe(today);
    // Tomorrow becomes a holiday in the database (as an administrator's correction would make it): the run skips it.
    await s.h.env.sleep(DAY);
    const tomorrow = new Date(now + DAY + 8 * 3_600_000).toISOString().slice(0, 10);
    const conn = s.db.orm.em.fork().getConnection();
    await conn.execute(`insert into calendar_year (year, source) values (?, 'test') on conflict do nothing`, [
      Number(tomorrow.slice(0, 4)),
    ]);
    await conn.execute(`insert into calendar_day (day, kind, name, year) values (?::date, 'HOLIDAY', '测试假日', ?)`, [
      tomorrow,
      Number(tomorrow.slice(0, 4)),
    ]);
    try {
      expect(await run({})).toEqual({ day: tomorrow, workingDay: false, reportIds: [] });
    } finally {
      await conn.execute(`delete from calendar_day where day = ?::date and name = '测试假日'`, [tomorrow]);
    }
  });

  it('collects the escalations addressed to the city daily report (the dispatch ladder’s last rung) with their case numbers', async () => {
    const c = await xichengCase(true);
    const dispatch = await s.h.services.processes.dispatchCase(s.h.as(s.city.inspector), { caseId: c.id });
    await s.h.relay.drain();
    const handle = s.h.env.client.workflow.getHandle(dispatch.workflowId);
    for (let i = 0; i < 200 && (await handle.query(dispatchStateQuery).catch(() => undefined))?.ready !== true; i++)
      await new Promise((r) => setTimeout(r, 50));
    const parties = await s.db.orm.em.fork().find(ProcessParty, { process: dispatch.id });
    const lastRung = Math.max(...parties.map((p) => p.reportDue!.getTime())) + 7 * DAY;
    await s.h.env.sleep(lastRung - (await s.h.env.currentTimeMs()));
    const ctx = s.h.as(s.city.director);
    console.log(
      JSON.stringify((await s.h.fileOf(c.id)).filter((e) => e.type === 'ESCALATED')),
      parties.map((p) => p.reportDue),
    );
    // A day no report has been made for yet (today's was made by the scheduled run above).
    const report = await s.h.services.dailyReports.makeOnDemand(ctx, { agencyId: s.city.xichengHrss.id, day: '2026-11-27' });
    const flagged = report.content.items.filter((i) => i.kind === 'ESCALATED' && i.caseNumber === c.number);
    expect(flagged.map((i) => `${i.party}:${i.what}:${i.escalateTo}`).sort()).toEqual([
      'CONTRACTOR_HQ:DISPATCH_ACKNOWLEDGE_OVERDUE:CITY_DAILY_REPORT',
      'CONTRACTOR_HQ:DISPATCH_REPORT_OVERDUE:CITY_DAILY_REPORT',
      'DISTRICT_GOVERNMENT:DISPATCH_ACKNOWLEDGE_OVERDUE:CITY_DAILY_REPORT',
      'DISTRICT_GOVERNMENT:DISPATCH_REPORT_OVERDUE:CITY_DAILY_REPORT',
      'INDUSTRY_REGULATOR:DISPATCH_ACKNOWLEDGE_OVERDUE:CITY_DAILY_REPORT',
      'INDUSTRY_REGULATOR:DISPATCH_REPORT_OVERDUE:CITY_DAILY_REPORT',
    ]);
    // The reminder and supervisor rungs are not the report's.
    expect(report.content.items.filter((i) => i.kind === 'ESCALATED').every((i) => i.escalateTo === 'CITY_DAILY_REPORT')).toBe(true);
    // Chaoyang's report does not list a Xicheng case.
    const cy = await s.h.services.dailyReports.make(s.h.as(s.city.director), { agencyId: s.city.chaoyangHrss.id, day: report.day });
    expect(cy.report.content.items.some((i) => i.caseNumber === c.number)).toBe(false);
  });

  it('is frozen when made: later cases change the next report, never this one; the database refuses a change', async () => {
    const director = () => s.h.as(s.city.director);
    const made = await s.h.services.dailyReports.makeOnDemand(director(), { agencyId: s.city.xichengHrss.id, day: '2026-11-02' });
    await xichengCase(true);
    const again = await s.h.services.dailyReports.makeOnDemand(director(), { agencyId: s.city.xichengHrss.id, day: '2026-11-02' });
    expect(again.id).toBe(made.id);
    expect(again.content).toEqual(made.content);
    expect((await s.h.services.dailyReports.get(director(), made.id)).content.figures).toEqual(made.content.figures);
    const later = await s.h.services.dailyReports.makeOnDemand(director(), { agencyId: s.city.xichengHrss.id, day: '2026-11-03' });
    expect(later.content.deltas).toMatchObject({ casesReceived: 1, casesAccepted: 1 });
    await expect(
      s.db.orm.em.fork().getConnection().execute(`update daily_report set content = '{}'::jsonb where id = ?`, [made.id]),
    ).rejects.toThrow(/daily_report is a record/);
    // Not a future day; not a reader's to make; not another agency's.
    await expect(
      s.h.services.dailyReports.makeOnDemand(director(), { agencyId: s.city.xichengHrss.id, day: '2099-01-01' }),
    ).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'day' } });
    await expect(
      s.h.services.dailyReports.makeOnDemand(s.h.as(s.city.inspector), { agencyId: s.city.xichengHrss.id }),
    ).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    await expect(s.h.services.dailyReports.makeOnDemand(director(), { agencyId: s.city.chaoyangHrss.id })).rejects.toMatchObject({
      extensions: { code: 'NOT_FOUND' },
    });
  });

  it('lists an agency’s reports newest day first, page by page, in the same number of statements whatever the page size', async () => {
    const director = () => s.h.as(s.city.director);
    for (const day of ['2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19'])
      await s.h.services.dailyReports.make(director(), { agencyId: s.city.xichengHrss.id, day });
    const statements = async (first: number, after?: string | null) => {
      const ctx = director();
      const spy = jest.spyOn(ctx.em.getConnection(), 'execute');
      const page = await s.h.services.dailyReports.list(ctx, { agencyId: s.city.xichengHrss.id, first, after });
      const n = spy.mock.calls.length;
      spy.mockRestore();
      return { page, n };
    };
    const all = await statements(200);
    const days = all.page.nodes.map((r) => r.day);
    expect(days).toEqual([...days].sort().reverse());
    expect(all.page.totalCount).toBe(days.length);
    const one = await statements(1);
    expect(all.n).toBeGreaterThan(0);
    expect(one.n).toBe(all.n);
    const second = await statements(1, DailyReportService.cursorOf(one.page.nodes[0]!));
    expect(second.page.nodes[0]!.day).toBe(days[1]);
    expect(second.page.hasNextPage).toBe(days.length > 2);
  });

  describe('over HTTP', () => {
    let api: TestApi;
    beforeAll(async () => {
      api = await startTestApi({ orm: s.db.orm, temporalAddress: '127.0.0.1:1' });
    });
    afterAll(async () => {
      await api?.stop();
    });

    it('lists and fetches through GraphQL; downloads as XLSX (parsed back) and as a printable page; out of scope is 404', async () => {
      await xichengCase(true);
      const director = api.as(s.city.director, s.city.xichengHrss);
      const made = await api.gql<{
        makeDailyReport: { id: string; xlsxPath: string; printPath: string; figures: Array<{ key: string; value: number }> };
      }>(
        'mutation($a: ID!) { makeDailyReport(agencyId: $a) { id xlsxPath printPath figures { key label value delta } items { caseNumber } } }',
        { a: s.city.xichengHrss.id },
        director,
      );
      expect(made.errors).toBeUndefined();
      const report = made.data!.makeDailyReport;
      const value = (key: string) => report.figures.find((f) => f.key === key)!.value;
      const list = await api.gql<{ dailyReports: { edges: Array<{ node: { id: string } }>; totalCount: number } }>(
        'query($a: ID!) { dailyReports(agencyId: $a, first: 1) { totalCount edges { node { id } } pageInfo { hasNextPage endCursor } } }',
        { a: s.city.xichengHrss.id },
        api.as(s.city.cityDirector, s.city.cityHrss),
      );
      expect(list.data!.dailyReports.edges[0]!.node.id).toBe(report.id);

      const base = api.url.replace(/\/graphql$/, '');
      const xlsx = await fetch(`${base}${report.xlsxPath}`, { headers: director });
      expect(xlsx.status).toBe(200);
      expect(xlsx.headers.get('content-type')).toMatch(/spreadsheetml/);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(await xlsx.arrayBuffer());
      const sheet = wb.getWorksheet('日通报')!;
      const cells = new Map<string, number>();
      sheet.eachRow((row) => {
        const [label, v] = [row.getCell(1).value, row.getCell(2).value];
        if (typeof label === 'string' && typeof v === 'number') cells.set(label, v);
      });
      for (const f of REPORT_FIGURES) expect(cells.get(printedLabel(f))).toBe(f.unit === 'FEN' ? value(f.key) / 100 : value(f.key));
      expect(cells.get('案件受理数')).toBeGreaterThan(0);

      const print = await fetch(`${base}${report.printPath}`, { headers: director });
      expect(print.status).toBe(200);
      const html = await print.text();
      expect(html).toContain('案件受理数');
      expect(html).toContain(`<th>案件受理数</th><td>${value('casesAccepted')}</td>`);
      expect(html).toContain(`<th>追发工资金额（元）</th><td>${(value('amountRecoveredFen') / 100).toFixed(2)}</td>`);

      // Chaoyang's inspector, a district officer: the report does not exist for them. No token: 401.
      for (const outsider of [api.as(s.city.chaoyangInspector, s.city.chaoyangHrss), api.as(s.city.districtOfficer, s.city.xichengGov)]) {
        expect((await fetch(`${base}${report.xlsxPath}`, { headers: outsider })).status).toBe(404);
        expect((await fetch(`${base}${report.printPath}`, { headers: outsider })).status).toBe(404);
      }
      expect((await fetch(`${base}${report.xlsxPath}`)).status).toBe(401);
      expect((await fetch(`${base}/reports/00000000-0000-4000-8000-000000000000.xlsx`, { headers: director })).status).toBe(404);
    });
  });

  it('the schedule is created at start-up on a dev server, and a second start (another worker, a new hour) updates the one schedule', async () => {
    const server = await startDevServer();
    try {
      const ensure = (hour: number) =>
        ensureDailyReportSchedule(server.client, { taskQueue: 'anxin', time: { hour, minute: 0 }, log: testLog });
      expect(await ensure(8)).toBe('created');
      const [again, other] = await Promise.all([ensure(8), ensure(8)]);
      expect([again, other]).toEqual(['updated', 'updated']);
      expect(await ensure(9)).toBe('updated');
      const described = await server.client.schedule.getHandle(DAILY_REPORT_SCHEDULE_ID).describe();
      expect(described.spec.timezone).toBe('Asia/Shanghai');
      expect(described.spec.calendars).toMatchObject([{ hour: [{ start: 9, end: 9, step: 1 }], minute: [{ start: 0, end: 0, step: 1 }] }]);
      expect(described.action).toMatchObject({ type: 'startWorkflow', workflowType: 'dailyReport', taskQueue: 'anxin' });
      expect(described.policies.overlap).toBe('SKIP');
      const ids: string[] = [];
      for await (const sch of server.client.schedule.list()) ids.push(sch.scheduleId);
      expect(ids).toEqual([DAILY_REPORT_SCHEDULE_ID]);
    } finally {
      await server.teardown();
    }
  });
});
