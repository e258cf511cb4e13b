import type { User } from '../src/agencies/agency.entity';
import { useProcessHarness } from './support/process-harness';

const HOUR = 3_600_000;

/**
 * "A case's latest closing report" (结案报告) has one reading, `case_latest_closing_report` (migrations/sql/140_…):
 * the report last written to the case file (highest seq; seq is unique per case, so no two tie). Its three readers —
 * the approval (approveClosing: its author may not approve), the loaders (Case.availableActions) and the agency tasks
 * (结案审批 in myCaseTasks) — agree on it: with two reports by two approvers, each of them sees the same report as the
 * latest, whichever of them wrote last.
 */
describe('one reading of a case’s latest closing report', () => {
  const s = useProcessHarness('latest-closing-report');
  let phone = 13700008000;
  const sql = <T>(q: string, params: unknown[] = []) => s.db.orm.em.fork().getConnection().execute<T[]>(q, params);

  async function resolvedCase() {
    const { case: c } = await s.h.services.intake.intake(s.h.as(s.city.clerk), {
      channel: 'HOTLINE_12345',
      contactPhone: String(phone++),
      description: '某工地3名农民工被拖欠工资共12000元',
      employerUscc: s.city.contractor.uscc,
      regionCode: '110102003',
      amountClaimedFen: 1_200_000,
      workersAffected: 3,
    });
    await s.h.services.cases.acceptCase(s.h.as(s.city.inspector), { caseId: c.id });
    await s.h.services.cases.recordPayment(s.h.as(s.city.inspector), {
      caseId: c.id,
      amountFen: 1_200_000,
      workersPaid: 3,
      paidOn: new Date(Date.now() + 8 * HOUR).toISOString().slice(0, 10),
      payer: '北京城建某工程有限公司',
      source: 'GENERAL_CONTRACTOR',
    });
    return c;
  }
  const report = (caseId: string, user: User, n: number) =>
    s.h.services.closure.submitClosingReport(s.h.as(user), {
      caseId,
      findings: `第${n}稿：查明拖欠3名农民工工资12000元`,
      recovery: '已追回12000元',
      outcome: '工资已足额支付',
    });
  const reportSeqs = async (caseId: string) =>
    (
      await sql<{ seq: number }>(`select seq from case_event where case_id = ? and type = 'CLOSING_REPORT_SUBMITTED' order by seq`, [
        caseId,
      ])
    ).map((r) => Number(r.seq));

  /** What each reader takes for the case's latest report, as `user` asks. */
  async function readers(caseId: string, user: User) {
    const ctx = s.h.as(user);
    const [fn] = await sql<{ seq: number; actor_user_id: string }>(`select seq, actor_user_id from case_latest_closing_report(?)`, [
      caseId,
    ]);
    const loaded = await ctx.loaders.closingReports.load(caseId);
    const tasks = await s.h.services.tasks.myCaseTasks(ctx, 100);
    return {
      function: { seq: Number(fn!.seq), author: fn!.actor_user_id },
      loaderAuthor: loaded?.authorUserId,
      inTasks: tasks.some((t) => t.case.id === caseId && t.caseAction === 'APPROVE_CLOSING'),
    };
  }

  it.each([
    ['the supervisor, then the director', 'supervisor', 'director'],
    ['the director, then the supervisor', 'director', 'supervisor'],
  ] as const)('two reports, by %s: every reader takes the second', async (_, firstBy, secondBy) => {
    const first = s.city[firstBy];
    const second = s.city[secondBy];
    const c = await resolvedCase();
    await report(c.id, first, 1);
    await report(c.id, second, 2);
    const [, latestSeq] = await reportSeqs(c.id);

    // The definition: the last written (highest seq), by the second author.
    const bySecond = await readers(c.id, second);
    const byFirst = await readers(c.id, first);
    expect(bySecond.function).toEqual({ seq: latestSeq, author: second.id });
    expect(byFirst.function).toEqual(bySecond.function);
    // The loaders (Case.availableActions) and the agency tasks: the second author wrote the latest, so has nothing to
    // approve; the first author has the approval waiting.
    expect(bySecond).toMatchObject({ loaderAuthor: second.id, inTasks: false });
    expect(byFirst).toMatchObject({ loaderAuthor: second.id, inTasks: true });

    // The approval: refused to the latest report's author, taken by the other, citing the same report.
    await expect(s.h.services.closure.approveClosing(s.h.as(second), { caseId: c.id })).rejects.toMatchObject({
      extensions: { code: 'FORBIDDEN', rule: 'closure.approver-not-author' },
    });
    await s.h.services.closure.approveClosing(s.h.as(first), { caseId: c.id });
    const [closed] = await sql<{ payload: { reportSeq: number; submittedBy: string } }>(
      `select payload from case_event where case_id = ? and type = 'CLOSED'`,
      [c.id],
    );
    expect(closed!.payload).toMatchObject({ reportSeq: latestSeq, submittedBy: second.id });
  });

  it('the order is the case file’s (seq), not the entries’ clocks: a report whose writer’s clock ran behind is still the latest', async () => {
    const c = await resolvedCase();
    await report(c.id, s.city.supervisor, 1);
    const [seq1] = await reportSeqs(c.id);
    // An entry written after it (the next seq) with an earlier `at`, as a writer with a slow clock would leave it.
    await sql(
      `insert into case_event (case_id, seq, type, actor_user_id, actor_agency_id, at, payload)
       select case_id, seq + 1, type, ?, actor_agency_id, at - interval '1 hour', payload from case_event where case_id = ? and seq = ?`,
      [s.city.director.id, c.id, seq1],
    );
    const [latest] = await sql<{ seq: number; actor_user_id: string }>(`select seq, actor_user_id from case_latest_closing_report(?)`, [
      c.id,
    ]);
    expect({ seq: Number(latest!.seq), author: latest!.actor_user_id }).toEqual({ seq: seq1! + 1, author: s.city.director.id });
    expect((await s.h.as(s.city.supervisor).loaders.closingReports.load(c.id))?.authorUserId).toBe(s.city.director.id);
    // A case without a report has none.
    const none = await resolvedCase();
    expect(await sql(`select * from case_latest_closing_report(?)`, [none.id])).toEqual([]);
    expect(await s.h.as(s.city.supervisor).loaders.closingReports.load(none.id)).toBeNull();
  });
});
