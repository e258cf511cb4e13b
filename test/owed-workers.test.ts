import type { Agency, User } from '../src/agencies/agency.entity';
import { beijingDate } from '../src/domain/working-days';
import { startTestApi, type TestApi } from './support/api';
import { createTestDatabase, type TestDatabase } from './support/database';
import { addProject, loadTestCity } from './support/fixtures';

type Fixtures = Awaited<ReturnType<typeof loadTestCity>>;

const INTAKE = 'mutation($i: IntakeComplaintInput!) { intakeComplaint(input: $i) { case { id version } } }';
const ACCEPT = 'mutation($i: AcceptCaseInput!) { acceptCase(input: $i) { id version } }';
const ADD = 'mutation($i: AddOwedWorkerInput!) { addOwedWorker(input: $i) { id version } }';
const CORRECT = 'mutation($i: CorrectOwedWorkerInput!) { correctOwedWorker(input: $i) { id version } }';
const REMOVE = 'mutation($i: RemoveOwedWorkerInput!) { removeOwedWorker(input: $i) { id version } }';
const PAY = 'mutation($i: RecordPaymentInput!) { recordPayment(input: $i) { id version status amountRecovered } }';
const PROPOSE = 'mutation($i: ProposePoliceReferralInput!) { proposePoliceReferral(input: $i) { id status } }';
const ROSTER =
  'query($id: ID!) { case(id: $id) { version status owedWorkers { id name residentId mobile monthsOwed amountOwed amountPaid settled done complainantPersonId } } }';

let seq = 0;
const phone = () => `137${String(20_000_000 + ++seq * 7919).slice(-8)}`;

/**
 * Who is owed what (issue 14): a case's roster of owed workers kept by labour inspection and masked for everyone
 * else; payments per worker (工资发放到人) that resolve the case when every worker is paid or settled; and the crime
 * threshold of a police referral counted worker by worker (2013 interpretation art. 3).
 */
describe('owed workers: the roster, payments per worker, the crime threshold per worker', () => {
  let db: TestDatabase;
  let api: TestApi;
  let city: Fixtures;

  beforeAll(async () => {
    db = await createTestDatabase();
    city = await loadTestCity(db.orm.em.fork());
    api = await startTestApi({ orm: db.orm, temporalAddress: '127.0.0.1:1' });
  });
  afterAll(async () => {
    await api?.stop();
    await db?.drop();
  });

  const inspector = () => api.as(city.inspector, city.xichengHrss);
  async function ok<T = Record<string, any>>(doc: string, vars: Record<string, unknown>, who = inspector()): Promise<T> {
    const res = await api.gql<T>(doc, vars, who);
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    return res.data as T;
  }
  async function refused(doc: string, vars: Record<string, unknown>, who = inspector()) {
    const res = await api.gql(doc, vars, who);
    expect(res.errors).toHaveLength(1);
    return { message: res.errors![0]!.message, ...(res.errors![0]!.extensions as Record<string, unknown>) };
  }
  const as = (user: User, agency: Agency) => api.as(user, agency);

  /**
   * An accepted case on a Xicheng project like XC-2026-001 with a named complainant; a project of its own, since
   * complaints about one project join one case (一事一案).
   */
  async function newCase(opts: { amountClaimed?: number; workersAffected?: number } = {}) {
    const r = await ok(INTAKE, {
      i: {
        channel: 'WALK_IN',
        contactPhone: phone(),
        complainantName: '张三丰',
        complainantResidentId: '110101199003074514',
        description: '工地拖欠工资',
        projectCode: (await addProject(db.orm.em.fork(), city.project)).code,
        amountClaimed: opts.amountClaimed ?? 1_000_000,
        workersAffected: opts.workersAffected ?? 2,
      },
    });
    await ok(ACCEPT, { i: { caseId: r.intakeComplaint.case.id } });
    const personId = (
      await db.orm.em
        .fork()
        .getConnection()
        .execute<Array<{ id: string }>>('select primary_complainant_id as id from wage_case where id = ?', [r.intakeComplaint.case.id])
    )[0]!.id;
    return { id: r.intakeComplaint.case.id as string, personId };
  }
  const roster = async (caseId: string, who = inspector()) => (await ok(ROSTER, { id: caseId }, who)).case;
  async function addLine(caseId: string, line: Record<string, unknown>) {
    await ok(ADD, { i: { caseId, name: '李四', monthsOwed: 3, amountOwed: 100_000, ...line } });
    const lines = (await roster(caseId)).owedWorkers as Array<{ id: string; name: string }>;
    return lines[lines.length - 1]!.id;
  }
  const today = () => beijingDate(new Date());
  const payment = (caseId: string, amount: number, allocations?: Array<{ owedWorkerId: string; amount: number }>, over = {}) => ({
    i: {
      caseId,
      amount,
      workersPaid: allocations?.length ?? 1,
      paidOn: today(),
      payer: '总包单位',
      source: 'GENERAL_CONTRACTOR',
      ...(allocations ? { allocations } : {}),
      ...over,
    },
  });
  const fileOf = async (caseId: string) =>
    db.orm.em
      .fork()
      .getConnection()
      .execute<Array<{ type: string; payload: Record<string, unknown> }>>(
        'select type, payload from case_event where case_id = ? order by seq',
        [caseId],
      );

  it('labour inspection adds, corrects and removes lines, each a case-file entry with the version checked; others see them masked', async () => {
    const c = await newCase();
    const v0 = (await roster(c.id)).version as number;
    const added = await ok(ADD, {
      i: {
        caseId: c.id,
        expectedVersion: v0,
        name: '张三丰',
        residentId: '110101199003074514',
        mobile: '13812341234',
        monthsOwed: 3,
        amountOwed: 1_000_000,
        personId: c.personId,
      },
    });
    expect(added.addOwedWorker.version).toBe(v0 + 1);
    // A stale version is a conflict, and writes nothing.
    expect(await refused(ADD, { i: { caseId: c.id, expectedVersion: v0, name: '王五', monthsOwed: 1, amountOwed: 100 } })).toMatchObject({
      code: 'CONFLICT',
      rule: 'version.current',
    });
    const second = await addLine(c.id, { name: '王五', monthsOwed: 2, amountOwed: 400_000 });
    // Each complainant has one line of their own, and only a complainant of this case can be linked.
    expect(await refused(CORRECT, { i: { caseId: c.id, owedWorkerId: second, personId: c.personId } })).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.personId',
      rule: 'complainant.own-line',
    });
    const other = await newCase();
    expect(await refused(CORRECT, { i: { caseId: c.id, owedWorkerId: second, personId: other.personId } })).toMatchObject({
      field: 'input.personId',
      rule: 'complainant.on-case',
    });
    // A line of another case is not found through this one.
    const foreign = await addLine(other.id, {});
    expect(await refused(CORRECT, { i: { caseId: c.id, owedWorkerId: foreign, monthsOwed: 5 } })).toMatchObject({ code: 'NOT_FOUND' });

    await ok(CORRECT, { i: { caseId: c.id, owedWorkerId: second, monthsOwed: 4, amountOwed: 450_000 } });
    expect(await refused(CORRECT, { i: { caseId: c.id, owedWorkerId: second, monthsOwed: 4 } })).toMatchObject({
      field: 'input.owedWorkerId',
      rule: 'owed-worker.changes',
    });
    const third = await addLine(c.id, { name: '赵六' });
    await ok(REMOVE, { i: { caseId: c.id, owedWorkerId: third, reason: '重复登记' } });

    const whole = await roster(c.id);
    expect(whole.owedWorkers).toEqual([
      {
        id: expect.any(String),
        name: '张三丰',
        residentId: '110101199003074514',
        mobile: '13812341234',
        monthsOwed: 3,
        amountOwed: 1_000_000,
        amountPaid: 0,
        settled: false,
        done: false,
        complainantPersonId: c.personId,
      },
      expect.objectContaining({ id: second, name: '王五', monthsOwed: 4, amountOwed: 450_000, complainantPersonId: null }),
    ]);
    // The general contractor's HQ sees the case (its own project) and the roster, masked.
    const masked = await roster(c.id, as(city.contractorLiaison, city.contractorHq));
    expect(masked.owedWorkers[0]).toMatchObject({
      name: '张**',
      residentId: '110***********4514',
      mobile: '138****1234',
      amountOwed: 1_000_000,
    });
    expect(masked.owedWorkers[1]).toMatchObject({ name: '王*' });

    // Only labour inspection's caseworkers keep the roster: a clerk and the HQ are forbidden, another district sees no case.
    expect(
      await refused(ADD, { i: { caseId: c.id, name: '钱七', monthsOwed: 1, amountOwed: 100 } }, as(city.clerk, city.xichengHrss)),
    ).toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(
      await refused(
        ADD,
        { i: { caseId: c.id, name: '钱七', monthsOwed: 1, amountOwed: 100 } },
        as(city.contractorLiaison, city.contractorHq),
      ),
    ).toMatchObject({ code: 'FORBIDDEN' });
    expect(
      await refused(
        ADD,
        { i: { caseId: c.id, name: '钱七', monthsOwed: 1, amountOwed: 100 } },
        as(city.chaoyangInspector, city.chaoyangHrss),
      ),
    ).toMatchObject({ code: 'NOT_FOUND' });

    // The case file has each change, with figures and the fields changed, never a worker's name, ID or phone.
    const file = (await fileOf(c.id)).filter((e) => e.type.startsWith('OWED_WORKER_'));
    expect(file.map((e) => e.type)).toEqual([
      'OWED_WORKER_ADDED',
      'OWED_WORKER_ADDED',
      'OWED_WORKER_CORRECTED',
      'OWED_WORKER_ADDED',
      'OWED_WORKER_REMOVED',
    ]);
    expect(file[2]!.payload).toMatchObject({ owedWorkerId: second, fields: ['monthsOwed', 'amountOwed'], amountOwedFen: 450_000 });
    expect(JSON.stringify(file)).not.toMatch(/张三丰|王五|110101199003074514|13812341234/);
  });

  it('records payments per worker; with a roster the case resolves when every worker is paid, not when the claim is', async () => {
    const c = await newCase({ amountClaimed: 1_000_000 });
    const a = await addLine(c.id, { name: '甲', amountOwed: 600_000 });
    const b = await addLine(c.id, { name: '乙', amountOwed: 600_000 });
    // The whole claim is paid, but worker 乙 is still owed 200,000 fen: the case stays open.
    const first = await ok(
      PAY,
      payment(c.id, 1_000_000, [
        { owedWorkerId: a, amount: 600_000 },
        { owedWorkerId: b, amount: 400_000 },
      ]),
    );
    expect(first.recordPayment).toMatchObject({ status: 'ACCEPTED', amountRecovered: 1_000_000 });
    const second = await ok(PAY, payment(c.id, 200_000, [{ owedWorkerId: b, amount: 200_000 }]));
    expect(second.recordPayment).toMatchObject({ status: 'RESOLVED', amountRecovered: 1_200_000 });
    expect((await roster(c.id)).owedWorkers.map((l: Record<string, unknown>) => [l.amountPaid, l.done])).toEqual([
      [600_000, true],
      [600_000, true],
    ]);
    const entry = (await fileOf(c.id)).filter((e) => e.type === 'PAYMENT_RECORDED')[1]!;
    expect(entry.payload.allocations).toEqual([{ owedWorkerId: b, amountFen: 200_000 }]);
  });

  it('a line settled for less counts as done', async () => {
    const c = await newCase({ amountClaimed: 5_000_000 });
    const a = await addLine(c.id, { name: '甲', amountOwed: 300_000 });
    const b = await addLine(c.id, { name: '乙', amountOwed: 300_000 });
    await ok(PAY, payment(c.id, 100_000, [{ owedWorkerId: b, amount: 100_000 }]));
    await ok(CORRECT, { i: { caseId: c.id, owedWorkerId: b, settled: true } });
    const paid = await ok(PAY, payment(c.id, 300_000, [{ owedWorkerId: a, amount: 300_000 }]));
    expect(paid.recordPayment.status).toBe('RESOLVED');
  });

  it('checks the parts per worker with the field and the rule, and records nothing it refuses', async () => {
    const c = await newCase();
    const a = await addLine(c.id, { amountOwed: 300_000 });
    const b = await addLine(c.id, { name: '王五', amountOwed: 300_000 });
    const other = await newCase();
    const foreign = await addLine(other.id, {});
    const cases: Array<[Record<string, unknown>, Record<string, unknown>]> = [
      [
        payment(c.id, 500_000, [
          { owedWorkerId: a, amount: 300_000 },
          { owedWorkerId: b, amount: 100_000 },
        ]),
        { field: 'input.allocations', rule: 'allocations.sum' },
      ],
      [
        payment(c.id, 100_000, [{ owedWorkerId: foreign, amount: 100_000 }]),
        { field: 'input.allocations[0].owedWorkerId', rule: 'owed-worker.on-case' },
      ],
      [
        payment(c.id, 400_000, [{ owedWorkerId: a, amount: 400_000 }]),
        { field: 'input.allocations[0].amount', rule: 'allocation.within-owed' },
      ],
      [
        payment(c.id, 200_000, [
          { owedWorkerId: a, amount: 100_000 },
          { owedWorkerId: a, amount: 100_000 },
        ]),
        { field: 'input.allocations[1].owedWorkerId', rule: 'allocations.distinct' },
      ],
      [
        payment(c.id, 200_000, [{ owedWorkerId: a, amount: 200_000 }], { workersPaid: 3 }),
        { field: 'input.workersPaid', rule: 'allocations.workers' },
      ],
    ];
    for (const [vars, expected] of cases) expect(await refused(PAY, vars)).toMatchObject({ code: 'BAD_USER_INPUT', ...expected });
    const count = async (table: string) =>
      Number((await db.orm.em.fork().getConnection().execute(`select count(*) as n from ${table} where case_id = ?`, [c.id]))[0]!.n);
    expect([await count('payment'), await count('payment_allocation')]).toEqual([0, 0]);

    // What was paid to a worker binds the line: its amount cannot go below it, and it stays on the roster.
    await ok(PAY, payment(c.id, 200_000, [{ owedWorkerId: a, amount: 200_000 }]));
    expect(await refused(CORRECT, { i: { caseId: c.id, owedWorkerId: a, amountOwed: 100_000 } })).toMatchObject({
      field: 'input.amountOwed',
      rule: 'owed.not-below-paid',
    });
    expect(await refused(REMOVE, { i: { caseId: c.id, owedWorkerId: a, reason: '登记错误' } })).toMatchObject({
      field: 'input.owedWorkerId',
      rule: 'owed-worker.paid',
    });
  });

  describe('the crime threshold of a police referral, worker by worker (2013 interpretation art. 3)', () => {
    const propose = (caseId: string) => ({
      i: {
        caseId,
        team: [city.inspector.id, city.inspector2.id],
        policeAgencyId: city.police.id,
        orderToPayIssuedOn: '2026-10-01',
        orderToPayDueOn: '2026-10-15',
        grounds: '责令支付后逾期未支付',
      },
    });
    async function caseWithRoster(lines: Array<{ monthsOwed: number; amountOwed: number }>, claim: number) {
      const c = await newCase({ amountClaimed: claim, workersAffected: lines.length });
      for (const [i, l] of lines.entries()) await addLine(c.id, { name: `工人${i}`, ...l });
      return c;
    }

    it('refuses five workers owed ¥2,000 each (¥10,000 in all: the case total used to pass)', async () => {
      const c = await caseWithRoster(
        Array.from({ length: 5 }, () => ({ monthsOwed: 3, amountOwed: 200_000 })),
        1_000_000,
      );
      const e = await refused(PROPOSE, propose(c.id));
      expect(e).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.caseId', rule: 'crime-threshold' });
      expect(e.message).toContain('5 workers');
    });

    it('accepts one worker owed 3 months and ¥10,000', async () => {
      const c = await caseWithRoster([{ monthsOwed: 3, amountOwed: 1_000_000 }], 1_000_000);
      expect((await ok(PROPOSE, propose(c.id))).proposePoliceReferral.status).toBe('PROPOSED');
    });

    it('refuses one worker owed ¥10,000 for 2 months', async () => {
      const c = await caseWithRoster([{ monthsOwed: 2, amountOwed: 1_000_000 }], 1_000_000);
      expect(await refused(PROPOSE, propose(c.id))).toMatchObject({ rule: 'crime-threshold' });
    });

    it('accepts ten workers owed ¥30,000 in all', async () => {
      const c = await caseWithRoster(
        Array.from({ length: 10 }, () => ({ monthsOwed: 1, amountOwed: 300_000 })),
        3_000_000,
      );
      expect((await ok(PROPOSE, propose(c.id))).proposePoliceReferral.status).toBe('PROPOSED');
    });

    it('counts what is still owed: a worker paid down below the figure no longer meets it', async () => {
      const c = await caseWithRoster([{ monthsOwed: 4, amountOwed: 1_200_000 }], 1_200_000);
      const line = (await roster(c.id)).owedWorkers[0].id;
      await ok(PAY, payment(c.id, 300_000, [{ owedWorkerId: line, amount: 300_000 }]));
      expect(await refused(PROPOSE, propose(c.id))).toMatchObject({ rule: 'crime-threshold' });
    });

    it('without a roster only the ten-or-more-workers condition can be met, and the refusal says so', async () => {
      const few = await newCase({ amountClaimed: 5_000_000, workersAffected: 5 });
      const e = await refused(PROPOSE, propose(few.id));
      expect(e).toMatchObject({ rule: 'crime-threshold' });
      expect(e.message).toContain('no roster of owed workers');
      const many = await newCase({ amountClaimed: 3_000_000, workersAffected: 10 });
      expect((await ok(PROPOSE, propose(many.id))).proposePoliceReferral.status).toBe('PROPOSED');
    });
  });
});
