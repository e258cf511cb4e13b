import { startTestApi, type TestApi } from './support/api';
import { createTestDatabase, type TestDatabase } from './support/database';
import { loadTestCity } from './support/fixtures';
import { expectBoundedStatements, requestStatements } from './support/background-statements';
import { CaseProcess, ProcessParty } from '../src/processes/process.entity';
import { Case } from '../src/cases/case.entity';
import { signedInPersonas } from './support/personas';

type Fixtures = Awaited<ReturnType<typeof loadTestCity>>;

const INTAKE = `mutation($i: IntakeComplaintInput!) { intakeComplaint(input: $i) { case { id number } } }`;
const MY_TASKS = `query($first: Int) { myTasks(first: $first) {
  action label dueAt overdue
  process { id kind status parties { name agency { name } } }
  case { id number region { name } owningAgency { name } complainants { person { name mobile } } }
} }`;

const MY_CASE_TASKS = `query($first: Int) { myCaseTasks(first: $first) {
  caseAction action label dueAt overdue
  case { id number status availableActions region { name } owningAgency { name } deadlines { acceptance } }
} }`;
const SUBMIT_CLOSING = `mutation($i: SubmitClosingReportInput!) { submitClosingReport(input: $i) { id status } }`;

let seq = 0;
const phone = () => `136${String(20_000_000 + ++seq * 7919).slice(-8)}`;
const HOUR = 3600_000;

describe('myTasks: the steps the processes wait for the caller’s agency to take', () => {
  let db: TestDatabase;
  let api: TestApi;
  let city: Fixtures;
  const statements: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase({ onQuery: (sql) => statements.push(sql) });
    city = await loadTestCity(db.orm.em.fork());
    api = await startTestApi({ orm: db.orm, temporalAddress: '127.0.0.1:1' });
  });
  afterAll(async () => {
    await api?.stop();
    await db?.drop();
  });

  /** A Xicheng case (owned by Xicheng's inspection agency), taken in by the city director with a named complainant. */
  async function xichengCase(): Promise<{ id: string; number: string }> {
    const res = await api.gql<any>(
      INTAKE,
      { i: { channel: 'WALK_IN', contactPhone: phone(), complainantName: '王小明', description: '工地拖欠工资', regionCode: '110102003' } },
      api.as(city.cityDirector, city.cityHrss),
    );
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return res.data.intakeComplaint.case;
  }

  /** A process row as its workflow would have left it (the workflows are not the subject here). */
  async function process(
    caseId: string,
    row: Partial<CaseProcess> & { kind: string; status: string },
    parties: Array<Partial<ProcessParty> & { role: string; name: string; status: ProcessParty['status'] }> = [],
  ): Promise<CaseProcess> {
    const em = db.orm.em.fork();
    const p = em.create(CaseProcess, { case: caseId, workflowId: `test-${Math.random()}`, ...row });
    for (const party of parties) em.create(ProcessParty, { process: p.id, ...party });
    await em.flush();
    return p;
  }
  const dispatchTo = (agency: { id: string; name: string }, due: Date, extra: Partial<ProcessParty> = {}) => ({
    role: 'DISTRICT_GOVERNMENT',
    agency: agency.id,
    name: agency.name,
    status: 'SENT' as const,
    acknowledgeDue: due,
    ...extra,
  });

  async function tasks(who: [{ id: string }, { id: string }], first?: number): Promise<any[]> {
    const res = await api.gql<any>(MY_TASKS, { first }, api.as(who[0] as never, who[1] as never));
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return res.data.myTasks;
  }

  it('gives a dispatch recipient its acknowledgement, then its report, soonest deadline first, overdue flagged; masked', async () => {
    const a = await xichengCase();
    const b = await xichengCase();
    const now = Date.now();
    const later = await process(a.id, { kind: 'DISPATCH', status: 'IN_PROGRESS' }, [
      dispatchTo(city.xichengGov, new Date(now + 48 * HOUR)),
      {
        role: 'INDUSTRY_REGULATOR',
        agency: city.housing.id,
        name: city.housing.name,
        status: 'SENT',
        acknowledgeDue: new Date(now + HOUR),
      },
    ]);
    const late = await process(b.id, { kind: 'DISPATCH', status: 'IN_PROGRESS' }, [dispatchTo(city.xichengGov, new Date(now - HOUR))]);

    const mine = await tasks([city.districtOfficer, city.xichengGov]);
    expect(mine.map((t) => [t.process.id, t.action, t.label, t.overdue])).toEqual([
      [late.id, 'acknowledgeDispatch', '确认接收交办', true],
      [later.id, 'acknowledgeDispatch', '确认接收交办', false],
    ]);
    expect(mine[1].dueAt).toBe(new Date(now + 48 * HOUR).toISOString());
    // The district government sees the case as a dispatch recipient: the complainant's name and phone masked.
    expect(mine[0].case.number).toBe(b.number);
    expect(mine[0].case.complainants[0].person.name).toMatch(/^王\*+$/);
    expect(mine[0].case.complainants[0].person.mobile).toMatch(/^\d{3}\*{4}\d{4}$/);

    // Acknowledged: the report is awaited next, by its own deadline.
    const reportDue = new Date(now + 72 * HOUR);
    await db.orm.em
      .fork()
      .nativeUpdate(
        ProcessParty,
        { process: later.id, agency: city.xichengGov.id },
        { status: 'ACKNOWLEDGED', acknowledgedAt: new Date(), reportDue },
      );
    const next = (await tasks([city.districtOfficer, city.xichengGov])).find((t) => t.process.id === later.id);
    expect([next.action, next.label, next.dueAt, next.overdue]).toEqual([
      'reportDispatch',
      '反馈交办处理情况',
      reportDue.toISOString(),
      false,
    ]);

    // The housing bureau has its own acknowledgement on one of them; the contractor's HQ and Chaoyang's inspectors none.
    expect((await tasks([city.regulatorOfficer, city.housing])).map((t) => [t.process.id, t.action])).toEqual([
      [later.id, 'acknowledgeDispatch'],
    ]);
    expect(await tasks([city.contractorLiaison, city.contractorHq])).toEqual([]);
    expect(await tasks([city.chaoyangInspector, city.chaoyangHrss])).toEqual([]);
    // The owning inspection agency takes no step of a dispatch: the recipients do.
    expect((await tasks([city.inspector, city.xichengHrss])).filter((t) => [later.id, late.id].includes(t.process.id))).toEqual([]);
  });

  it('gives a referral to the director to approve, and to the police only once it is sent', async () => {
    const c = await xichengCase();
    const policeParty = { role: 'POLICE', agency: city.police.id, name: city.police.name, status: 'INVITED' as const };
    const due = new Date(Date.now() + 24 * HOUR);
    const proposed = await process(c.id, { kind: 'POLICE_REFERRAL', status: 'AWAITING_APPROVAL', waitingOn: 'DIRECTOR', dueAt: due }, [
      policeParty,
    ]);
    const xc = await tasks([city.director, city.xichengHrss]);
    expect(xc.filter((t) => t.process.id === proposed.id).map((t) => [t.action, t.label, t.dueAt])).toEqual([
      ['approveReferral', '审批移送', due.toISOString()],
    ]);
    expect((await tasks([city.policeOfficer, city.police])).filter((t) => t.process.id === proposed.id)).toEqual([]);

    await db.orm.em
      .fork()
      .nativeUpdate(CaseProcess, { id: proposed.id }, { status: 'SENT', waitingOn: 'POLICE', facts: { sentAt: new Date().toISOString() } });
    const police = (await tasks([city.policeOfficer, city.police])).filter((t) => t.process.id === proposed.id);
    expect(police.map((t) => [t.action, t.label])).toEqual([['decideReferral', '作出是否立案决定']]);
    expect(police[0].case.complainants[0].person.name).toMatch(/^王\*+$/);
    expect((await tasks([city.director, city.xichengHrss])).filter((t) => t.process.id === proposed.id)).toEqual([]);
    // An ended process waits for nobody.
    await db.orm.em.fork().nativeUpdate(CaseProcess, { id: proposed.id }, { endedAt: new Date(), outcome: 'FILED' });
    expect((await tasks([city.policeOfficer, city.police])).filter((t) => t.process.id === proposed.id)).toEqual([]);
  });

  it('gives a mediation invitee its confirmation and a handover’s receiver its answer', async () => {
    const c = await xichengCase();
    const mediation = await process(
      c.id,
      { kind: 'MEDIATION', status: 'CONVENED', waitingOn: 'PARTIES', dueAt: new Date(Date.now() + 5 * 24 * HOUR) },
      [{ role: 'UNION', agency: city.union.id, name: city.union.name, status: 'INVITED' }],
    );
    expect((await tasks([city.unionMediator, city.union])).map((t) => [t.process.id, t.action])).toEqual([
      [mediation.id, 'confirmAttendance'],
    ]);
    expect((await tasks([city.inspector, city.xichengHrss])).filter((t) => t.process.id === mediation.id).map((t) => t.action)).toEqual([
      'recordAgreement',
    ]);
    const handover = await process(c.id, { kind: 'HANDOVER', status: 'WAITING', waitingOn: 'RECEIVER' }, [
      { role: 'RECEIVER', agency: city.cityHrss.id, name: city.cityHrss.name, status: 'SENT' },
    ]);
    const receiver = await tasks([city.cityDirector, city.cityHrss]);
    expect(receiver.filter((t) => t.process.id === handover.id).map((t) => [t.action, t.dueAt])).toEqual([['acceptHandover', null]]);
  });

  async function caseTasks(who: [{ id: string }, { id: string }], first?: number): Promise<any[]> {
    const res = await api.gql<any>(MY_CASE_TASKS, { first }, api.as(who[0] as never, who[1] as never));
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return res.data.myCaseTasks;
  }
  /** A resolved Xicheng case whose closing report `author` wrote (the case is set RESOLVED as its lifecycle would). */
  async function closingReportBy(author: [{ id: string }, { id: string }]): Promise<{ id: string; number: string }> {
    const c = await xichengCase();
    await db.orm.em.fork().nativeUpdate(Case, { id: c.id }, { status: 'RESOLVED' });
    const res = await api.gql<any>(
      SUBMIT_CLOSING,
      { i: { caseId: c.id, findings: '查明拖欠三人两个月工资', recovery: '已全部追回', outcome: '已解决' } },
      api.as(author[0] as never, author[1] as never),
    );
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return c;
  }

  it('gives a received case’s acceptance (受理) to the owning agency’s caseworkers, by its acceptance deadline', async () => {
    const c = await xichengCase();
    const mine = (await caseTasks([city.inspector, city.xichengHrss])).filter((t) => t.case.id === c.id);
    expect(mine.map((t) => [t.caseAction, t.action, t.label, t.overdue])).toEqual([['ACCEPT', 'acceptCase', '受理审查', false]]);
    expect(mine[0].dueAt).toBe(mine[0].case.deadlines.acceptance);
    expect((await caseTasks([city.supervisor, city.xichengHrss])).some((t) => t.case.id === c.id)).toBe(true);
    // The clerk takes complaints in and decides none; the city sees the case but does not own it; other agencies own none.
    expect((await caseTasks([city.clerk, city.xichengHrss])).filter((t) => t.case.id === c.id)).toEqual([]);
    expect((await caseTasks([city.cityDirector, city.cityHrss])).filter((t) => t.case.id === c.id)).toEqual([]);
    expect(await caseTasks([city.districtOfficer, city.xichengGov])).toEqual([]);
    expect(await caseTasks([city.chaoyangInspector, city.chaoyangHrss])).toEqual([]);
    // Accepted: nothing waits on it any more.
    await db.orm.em.fork().nativeUpdate(Case, { id: c.id }, { status: 'ACCEPTED' });
    expect((await caseTasks([city.inspector, city.xichengHrss])).filter((t) => t.case.id === c.id)).toEqual([]);
  });

  it('gives a closing report awaiting approval (结案审批) to a supervisor or director who did not write it, not to an inspector', async () => {
    const byInspector = await closingReportBy([city.inspector, city.xichengHrss]);
    const approvals = (who: [{ id: string }, { id: string }]) =>
      caseTasks(who).then((ts) => ts.filter((t) => t.case.id === byInspector.id).map((t) => [t.caseAction, t.action, t.label, t.dueAt]));
    expect(await approvals([city.supervisor, city.xichengHrss])).toEqual([['APPROVE_CLOSING', 'approveClosing', '结案审批', null]]);
    expect(await approvals([city.director, city.xichengHrss])).toEqual([['APPROVE_CLOSING', 'approveClosing', '结案审批', null]]);
    expect(await approvals([city.inspector, city.xichengHrss])).toEqual([]);
    expect(await approvals([city.inspector2, city.xichengHrss])).toEqual([]);
    expect(await approvals([city.cityDirector, city.cityHrss])).toEqual([]);
    // The supervisor wrote this one: the director approves it, not its author.
    const bySupervisor = await closingReportBy([city.supervisor, city.xichengHrss]);
    expect((await caseTasks([city.supervisor, city.xichengHrss])).filter((t) => t.case.id === bySupervisor.id)).toEqual([]);
    expect((await caseTasks([city.director, city.xichengHrss])).filter((t) => t.case.id === bySupervisor.id).map((t) => t.action)).toEqual([
      'approveClosing',
    ]);
    // A resolved case without a report waits for the report (a caseworker's writing), not for an approval.
    const bare = await xichengCase();
    await db.orm.em.fork().nativeUpdate(Case, { id: bare.id }, { status: 'RESOLVED' });
    expect((await caseTasks([city.director, city.xichengHrss])).filter((t) => t.case.id === bare.id)).toEqual([]);
  });

  it('gives a process step only to the roles that may take it: an approval to a director or supervisor, not to an inspector', async () => {
    const c = await xichengCase();
    const referral = await process(c.id, { kind: 'POLICE_REFERRAL', status: 'AWAITING_APPROVAL', waitingOn: 'DIRECTOR' }, [
      { role: 'POLICE', agency: city.police.id, name: city.police.name, status: 'INVITED' },
    ]);
    const review = await process(c.id, { kind: 'CALLBACK', status: 'REVIEW', waitingOn: 'SUPERVISOR' });
    const steps = async (who: [{ id: string }, { id: string }]) =>
      (await tasks(who))
        .filter((t) => [referral.id, review.id].includes(t.process.id))
        .map((t) => t.action)
        .sort();
    expect(await steps([city.director, city.xichengHrss])).toEqual(['approveReferral', 'reviewCallback']);
    expect(await steps([city.supervisor, city.xichengHrss])).toEqual(['reviewCallback']);
    expect(await steps([city.inspector, city.xichengHrss])).toEqual([]);
    expect(await steps([city.clerk, city.xichengHrss])).toEqual([]);
  });

  it('agrees with Case.availableActions: every case task of every persona is among the case’s actions for that persona', async () => {
    await closingReportBy([city.inspector, city.xichengHrss]);
    await xichengCase();
    const seen = new Set<string>();
    for (const [name, who] of Object.entries(signedInPersonas(city))) {
      for (const t of await caseTasks(who as never, 200)) {
        seen.add(t.caseAction);
        if (!t.case.availableActions.includes(t.caseAction))
          throw new Error(
            `${name}: ${t.caseAction} on ${t.case.number} (${t.case.status}) is not among ${t.case.availableActions.join(', ')}`,
          );
      }
    }
    expect([...seen].sort()).toEqual(['ACCEPT', 'APPROVE_CLOSING']);
  });

  it('refuses a caller without a token and answers an integrator with nothing', async () => {
    const anon = await api.gql<any>('{ myTasks(first: 1) { action } }', {});
    expect(anon.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(await tasks([city.hotline, city.integrator])).toEqual([]);
    expect(await caseTasks([city.hotline, city.integrator])).toEqual([]);
    const anonCase = await api.gql<any>('{ myCaseTasks(first: 1) { action } }', {});
    expect(anonCase.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('issues the same number of SQL statements for 10 tasks and for 60 (no N+1)', async () => {
    const due = Date.now() + 10 * 24 * HOUR;
    for (let i = 0; i < 60; i++) {
      const c = await xichengCase();
      await process(c.id, { kind: 'DISPATCH', status: 'IN_PROGRESS' }, [
        {
          role: 'CONTRACTOR_HQ',
          agency: city.contractorHq.id,
          name: city.contractorHq.name,
          status: 'SENT',
          acknowledgeDue: new Date(due + i * HOUR),
        },
      ]);
    }
    // The least of two runs: a statement of some earlier request finishing late is not this query's.
    const measure = async (first: number) => Math.min(await once(first), await once(first));
    const once = async (first: number) => {
      statements.length = 0;
      const mine = await tasks([city.contractorLiaison, city.contractorHq], first);
      expect(mine).toHaveLength(first);
      expect(mine.every((t: any) => t.process.parties.length === 1 && t.case.owningAgency.name && t.case.region.name)).toBe(true);
      return requestStatements(statements).length;
    };
    expectBoundedStatements({ 10: await measure(10), 60: await measure(60) }, 12);
  });

  it('issues the same number of SQL statements for 10 case tasks and for 60 (no N+1)', async () => {
    // The sixty cases of the test above await acceptance by Xicheng.
    // The least of two runs: a statement of some earlier request finishing late is not this query's.
    const measure = async (first: number) => Math.min(await once(first), await once(first));
    const once = async (first: number) => {
      statements.length = 0;
      const mine = await caseTasks([city.supervisor, city.xichengHrss], first);
      expect(mine).toHaveLength(first);
      expect(mine.every((t: any) => t.case.owningAgency.name && t.case.region.name && t.case.availableActions.includes(t.caseAction))).toBe(
        true,
      );
      return requestStatements(statements).length;
    };
    expectBoundedStatements({ 10: await measure(10), 60: await measure(60) }, 12);
  });
});
