import { randomUUID } from 'node:crypto';
import type { Agency, User } from '../src/agencies/agency.entity';
import { caseWorkflowId } from '../src/cases/case-workflow';
import { resolutionDeadline } from '../src/cases/deadlines';
import { addWorkingDays } from '../src/domain/working-days';
import { caseDeadlineRules } from '../src/rules/case-deadlines';
import { startTestApi, type TestApi } from './support/api';
import { createTestDatabase, type TestDatabase } from './support/database';
import { loadTestCity } from './support/fixtures';

type City = Awaited<ReturnType<typeof loadTestCity>>;

const INTAKE = `mutation($i: IntakeComplaintInput!) { intakeComplaint(input: $i) {
  outcome caseNumber case { id number version complainants { channel } deadlines { acceptance resolution } } } }`;

/**
 * Issue 14, "who is owed what": collective complaints join one case whatever the phone (seed 000's 49 workers, seed
 * 001's one matter, one ticket); the joining channel's stricter clock moves the case's deadlines earlier; the
 * integrator whose channel a joining complaint came on sees the case and gets its webhooks; the police take in
 * their own 110 alerts.
 */
describe('collective complaints, the joining channel, and police alerts', () => {
  let db: TestDatabase;
  let api: TestApi;
  let city: City;
  let seq = 0;
  const phone = () => `1360000${String(1000 + seq++).padStart(4, '0')}`;

  beforeAll(async () => {
    db = await createTestDatabase();
    city = await loadTestCity(db.orm.em.fork());
    api = await startTestApi({ orm: db.orm, temporalAddress: '127.0.0.1:1', collectiveComplaintWindowDays: 30 });
  });
  afterAll(async () => {
    await api?.stop();
    await db?.drop();
  });

  const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) =>
    db.orm.em.fork().getConnection().execute<T[]>(text, params);
  async function intake(who: [User, Agency], input: Record<string, unknown>) {
    const res = await api.gql<{ intakeComplaint: Record<string, any> }>(
      INTAKE,
      { i: { description: '工地拖欠工资', ...input } },
      api.as(...who),
    );
    expect(res.errors).toBeUndefined();
    return res.data!.intakeComplaint;
  }
  /** A Xicheng project of its own (on the contractor and the housing regulator, like XC-2026-001), so tests do not join each other's cases. */
  async function newProject(): Promise<string> {
    const code = `XC-T-${randomUUID().slice(0, 8)}`;
    await sql(
      `insert into project (id, code, name, region_code, general_contractor_id, regulator_id, worker_count, status, created_at)
       select gen_random_uuid(), ?, '测试项目', region_code, general_contractor_id, regulator_id, 10, status, now() from project where code = 'XC-2026-001'`,
      [code],
    );
    return code;
  }
  const inspector = (): [User, Agency] => [city.inspector, city.xichengHrss];
  const hotline = (): [User, Agency] => [city.hotline, city.integrator];
  const chaoyang = (): [User, Agency] => [city.chaoyangInspector, city.chaoyangHrss];
  const fileOf = (caseId: string) =>
    sql<{ seq: number; type: string; payload: Record<string, any> }>(
      `select seq, type, payload from case_event where case_id = ? order by seq`,
      [caseId],
    );

  it('joins complaints by different phones about one project into one case, each a co-complainant', async () => {
    const first = await intake(inspector(), { channel: 'WALK_IN', contactPhone: phone(), projectCode: 'XC-2026-001', workersAffected: 49 });
    expect(first.outcome).toBe('CREATED');
    const others = [];
    for (let i = 0; i < 3; i++)
      others.push(await intake(inspector(), { channel: 'WALK_IN', contactPhone: phone(), projectCode: 'XC-2026-001' }));
    expect(others.map((o) => [o.outcome, o.caseNumber])).toEqual(Array(3).fill(['JOINED', first.caseNumber]));
    expect(others[2]!.case.complainants).toHaveLength(4);
    expect(others[2]!.case.version).toBe(4);
    const file = await fileOf(first.case.id);
    expect(file.map((e) => e.type)).toEqual(['RECEIVED', 'COMPLAINANT_JOINED', 'COMPLAINANT_JOINED', 'COMPLAINANT_JOINED']);
    expect(file[1]!.payload).toMatchObject({ channel: 'WALK_IN', collective: 'PROJECT' });
    // Nothing moves: the joining channel has no stricter clock.
    expect(file[1]!.payload.deadlinesMoved).toBeUndefined();
    expect(others[2]!.case.deadlines).toEqual(first.case.deadlines);
    // One case, one lifecycle workflow queued.
    expect(await sql(`select action from workflow_outbox where workflow_id = ?`, [caseWorkflowId(first.case.id)])).toEqual([
      { action: 'START' },
    ]);
  });

  it('with no project named, joins the open case of the same employer; another employer is another case', async () => {
    const first = await intake(chaoyang(), { channel: 'WALK_IN', contactPhone: phone(), employerUscc: city.restaurant.uscc });
    const joined = await intake(chaoyang(), { channel: 'HOTLINE_12333', contactPhone: phone(), employerUscc: city.restaurant.uscc });
    expect(joined).toMatchObject({ outcome: 'JOINED', caseNumber: first.caseNumber });
    expect((await fileOf(first.case.id))[1]!.payload).toMatchObject({ channel: 'HOTLINE_12333', collective: 'EMPLOYER' });
    const other = await intake(inspector(), { channel: 'WALK_IN', contactPhone: phone(), employerUscc: city.contractor.uscc });
    expect(other.outcome).toBe('CREATED');
    // Nothing named: nothing to join on.
    expect((await intake(inspector(), { channel: 'WALK_IN', contactPhone: phone(), regionCode: '110102003' })).outcome).toBe('CREATED');
  });

  it('makes one case of 12 workers of one project complaining at once by different phones', async () => {
    const code = await newProject();
    const results = await Promise.all(
      Array.from({ length: 12 }, () => intake(inspector(), { channel: 'WALK_IN', contactPhone: phone(), projectCode: code })),
    );
    expect(new Set(results.map((r) => r.caseNumber)).size).toBe(1);
    expect(results.filter((r) => r.outcome === 'CREATED')).toHaveLength(1);
    const [c] = await sql<{ id: string; n: string }>(
      `select c.id, (select count(*) from case_complainant cc where cc.case_id = c.id) as n from wage_case c join project p on p.id = c.project_id where p.code = ?`,
      [code],
    );
    expect(Number(c!.n)).toBe(12);
  });

  it('a 12345 complaint joining a walk-in case moves its acceptance deadline to the hotline’s, on the record and to the workflow', async () => {
    const projectCode = await newProject();
    const first = await intake(inspector(), { channel: 'WALK_IN', contactPhone: phone(), projectCode });
    const before = first.case.deadlines.acceptance as string;
    const joined = await intake(hotline(), { channel: 'HOTLINE_12345', contactPhone: phone(), projectCode });
    expect(joined).toMatchObject({ outcome: 'JOINED', caseNumber: first.caseNumber });
    const file = await fileOf(first.case.id);
    const entry = file.at(-1)!;
    const moved = entry.payload.deadlinesMoved.acceptance;
    expect(moved.from).toBe(before);
    expect(Date.parse(moved.to)).toBeLessThan(Date.parse(before));
    expect(moved.source).toBe(caseDeadlineRules.channels.HOTLINE_12345!.acceptance!.source);
    const [row] = await sql<{ acceptance_due: string }>(`select acceptance_due from wage_case where id = ?`, [first.case.id]);
    expect(new Date(row!.acceptance_due).toISOString()).toBe(moved.to);
    // The integrator now sees the case (its complaint joined it): the new deadline is what it reads.
    expect(joined.case.deadlines.acceptance).toBe(moved.to);
    // The lifecycle workflow is told, through the outbox, in the same transaction.
    const signals = await sql<{ signal_name: string; args: unknown }>(
      `select signal_name, args from workflow_outbox where workflow_id = ? and action = 'SIGNAL'`,
      [caseWorkflowId(first.case.id)],
    );
    expect(signals).toEqual([{ signal_name: 'deadlinesMoved', args: [{ acceptanceDue: moved.to }] }]);
  });

  it('a walk-in case a 12345 complaint joined before acceptance is accepted on the hotline’s 15 working days, not 60', async () => {
    const projectCode = await newProject();
    const first = await intake(inspector(), { channel: 'WALK_IN', contactPhone: phone(), projectCode });
    await intake(hotline(), { channel: 'HOTLINE_12345', contactPhone: phone(), projectCode });
    const accepted = await api.gql<{ acceptCase: { acceptedAt: string; deadlines: { resolution: string } } }>(
      `mutation($i: AcceptCaseInput!) { acceptCase(input: $i) { acceptedAt deadlines { resolution } } }`,
      { i: { caseId: first.case.id } },
      api.as(...inspector()),
    );
    expect(accepted.errors).toBeUndefined();
    const { acceptedAt, deadlines } = accepted.data!.acceptCase;
    expect(deadlines.resolution).toBe(resolutionDeadline(new Date(acceptedAt), 'HOTLINE_12345').toISOString());
    expect(Date.parse(deadlines.resolution)).toBeLessThan(resolutionDeadline(new Date(acceptedAt), 'WALK_IN').getTime());
  });

  it('a 12345 complaint joining an accepted case moves its resolution deadline to 15 working days from the call', async () => {
    const projectCode = await newProject();
    const first = await intake(inspector(), { channel: 'WALK_IN', contactPhone: phone(), projectCode });
    const accepted = await api.gql<{ acceptCase: { deadlines: { resolution: string } } }>(
      `mutation($i: AcceptCaseInput!) { acceptCase(input: $i) { deadlines { resolution } } }`,
      { i: { caseId: first.case.id } },
      api.as(city.director, city.xichengHrss),
    );
    expect(accepted.errors).toBeUndefined();
    const before = accepted.data!.acceptCase.deadlines.resolution;
    const at = new Date();
    const joined = await intake(hotline(), { channel: 'HOTLINE_12345', contactPhone: phone(), projectCode });
    expect(joined).toMatchObject({ outcome: 'JOINED', caseNumber: first.caseNumber });
    const moved = (await fileOf(first.case.id)).at(-1)!.payload.deadlinesMoved;
    expect(moved.acceptance).toBeUndefined();
    expect(moved.resolution.from).toBe(before);
    // 15 working days from the call (the instant is the end of a Beijing working day, whatever the minute).
    expect(moved.resolution.to).toBe(addWorkingDays(at, 15).toISOString());
    expect(joined.case.deadlines.resolution).toBe(moved.resolution.to);
  });

  it('the 12345 integrator sees a walk-in case its complaint joined: read, list, and its webhooks', async () => {
    const endpoint = randomUUID();
    await sql(
      `insert into webhook_endpoint (id, agency_id, channel, url, secret, give_up_seconds) values (?, ?, 'HOTLINE_12345', ?, ?, 60)`,
      [endpoint, city.integrator.id, `http://127.0.0.1:9/hook-${endpoint}`, 'y'.repeat(40)],
    );
    const projectCode = await newProject();
    const first = await intake(inspector(), { channel: 'WALK_IN', contactPhone: phone(), regionCode: '110102003' });
    const read = `query($id: ID!) { case(id: $id) { number } }`;
    // Before: not its case (NOT_FOUND), no delivery.
    const hidden = await api.gql(read, { id: first.case.id }, api.as(...hotline()));
    expect(hidden.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(await sql(`select 1 from webhook_delivery where case_id = ?`, [first.case.id])).toEqual([]);

    // A walk-in case on a project, which a worker of the same site then reports to 12345.
    const second = await intake(inspector(), { channel: 'WALK_IN', contactPhone: phone(), projectCode });
    const joined = await intake(hotline(), { channel: 'HOTLINE_12345', contactPhone: phone(), projectCode });
    expect(joined).toMatchObject({ outcome: 'JOINED', caseNumber: second.caseNumber });
    expect(joined.case).not.toBeNull(); // it may read what it joined

    const shown = await api.gql<{ case: { number: string } }>(read, { id: second.case.id }, api.as(...hotline()));
    expect(shown.data?.case.number).toBe(second.caseNumber);
    const list = await api.gql<{ cases: { edges: Array<{ node: { number: string } }> } }>(
      `{ cases(first: 100) { edges { node { number } } } }`,
      undefined,
      api.as(...hotline()),
    );
    expect(list.data!.cases.edges.map((e) => e.node.number)).toContain(second.caseNumber);
    // Its webhook gets the entries from the join on (the join itself, then what follows), not the ones before.
    await api.gql(
      `mutation($i: RecordContactInput!) { recordContact(input: $i) { id } }`,
      { i: { caseId: second.case.id, kind: 'CALL', outcome: 'REACHED' } },
      api.as(...inspector()),
    );
    const deliveries = await sql<{ type: string }>(
      `select e.type from webhook_delivery d join case_event e on e.id = d.event_id where d.endpoint_id = ? and d.case_id = ? order by e.seq`,
      [endpoint, second.case.id],
    );
    expect(deliveries.map((d) => d.type)).toEqual(['COMPLAINANT_JOINED', 'CONTACT_RECORDED']);
    // The walk-in case it never joined stays out of its sight.
    expect((await api.gql(read, { id: first.case.id }, api.as(...hotline()))).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('the police take in a 110 alert themselves, on the POLICE_ALERT channel only', async () => {
    const police = (): [User, Agency] => [city.policeOfficer, city.police];
    const alert = await intake(police(), {
      channel: 'POLICE_ALERT',
      contactPhone: phone(),
      description: '110接警: 49名工人聚集讨薪',
      regionCode: '110102003',
      workersAffected: 49,
    });
    expect(alert).toMatchObject({ outcome: 'CREATED', case: null });
    expect(alert.caseNumber).toMatch(/^110102-/);
    const [c] = await sql<{ channel: string; actor_agency_id: string }>(
      `select c.channel, e.actor_agency_id from wage_case c join case_event e on e.case_id = c.id and e.seq = 1 where c.number = ?`,
      [alert.caseNumber],
    );
    expect(c).toEqual({ channel: 'POLICE_ALERT', actor_agency_id: city.police.id });
    const other = await api.gql(INTAKE, { i: { channel: 'WALK_IN', contactPhone: phone(), description: '拖欠工资' } }, api.as(...police()));
    expect(other.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
