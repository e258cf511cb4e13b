import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Agency, User } from '../src/agencies/agency.entity';
import { Project } from '../src/projects/project.entity';
import type { TestApi } from './support/api';
import { useCityApi, type TestCity } from './support/city-api';
import type { TestDatabase } from './support/database';
import { addProject } from './support/fixtures';

const cursor = (parts: unknown[]) => Buffer.from(JSON.stringify(parts)).toString('base64url');

/**
 * Issue 12 (9, 10, 11): hostile or impossible input is refused as BAD_USER_INPUT naming the field and rule, never a
 * fault; values no real case has are refused; the smaller leaks are closed.
 */
describe('hostile and impossible input', () => {
  const env = useCityApi();
  let db: TestDatabase;
  let api: TestApi;
  let city: TestCity;
  beforeAll(() => ({ db, api, city } = env));

  const xc = (): [User, Agency] => [city.inspector, city.xichengHrss];
  async function errorOf(query: string, variables: Record<string, unknown>, who?: [User, Agency]) {
    const res = await api.gql(query, variables, who ? api.as(...who) : undefined);
    expect(res.status).toBeLessThan(500);
    expect(res.errors).toHaveLength(1);
    return res.errors![0]!.extensions as Record<string, unknown>;
  }
  const INTAKE = 'mutation($i: IntakeComplaintInput!) { intakeComplaint(input: $i) { outcome case { id version } } }';
  async function acceptedCase(): Promise<{ id: string; version: number }> {
    const r = await api.gql<{ intakeComplaint: { case: { id: string } } }>(
      INTAKE,
      {
        i: {
          channel: 'WALK_IN',
          contactPhone: `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`,
          description: '欠薪',
          // A case of its own: complaints about one project join one case (一事一案).
          projectCode: (await addProject(db.orm.em.fork(), city.project)).code,
        },
      },
      api.as(...xc()),
    );
    const id = r.data!.intakeComplaint.case.id;
    const accepted = await api.gql<{ acceptCase: { id: string; version: number } }>(
      'mutation($i: AcceptCaseInput!) { acceptCase(input: $i) { id version } }',
      { i: { caseId: id } },
      api.as(...xc()),
    );
    return accepted.data!.acceptCase;
  }

  describe('9: NUL bytes and crafted cursors', () => {
    it('a NUL in any string argument, even anonymously, is BAD_USER_INPUT naming it', async () => {
      expect(
        await errorOf('query($n: String!) { caseStatus(number: $n, phone: "13800001111") { status } }', { n: '110102-2026-000001\u0000' }),
      ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'number', rule: 'string.no-nul' });
      expect(
        await errorOf(INTAKE, { i: { channel: 'WALK_IN', contactPhone: '13800001111', description: '欠薪\u0000三个月' } }, xc()),
      ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.description', rule: 'string.no-nul' });
      const rows = await db.orm.em
        .fork()
        .getConnection()
        .execute(`select count(*)::int as n from wage_case where description like '欠薪%三个月'`);
      expect(rows).toEqual([{ n: 0 }]);
    });

    it('a lone UTF-16 surrogate in a string argument is BAD_USER_INPUT naming it, never a fault', async () => {
      // JSON-escaped in the variables ("\\ud800"), as a client would send it; PostgreSQL's text and jsonb refuse it.
      expect(
        await errorOf(INTAKE, { i: { channel: 'WALK_IN', contactPhone: '13800001112', description: 'ab\ud800cd' } }, xc()),
      ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.description', rule: 'string.well-formed' });
      const received = await api.gql<{ intakeComplaint: { case: { id: string } } }>(
        INTAKE,
        { i: { channel: 'WALK_IN', contactPhone: '13800001113', description: '欠薪', projectCode: 'XC-2026-001' } },
        api.as(...xc()),
      );
      const c = received.data!.intakeComplaint.case;
      const reject = 'mutation($i: RejectCaseInput!) { rejectCase(input: $i) { id status } }';
      expect(await errorOf(reject, { i: { caseId: c.id, reason: 'abcd\ud800' } }, xc())).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'input.reason',
        rule: 'string.well-formed',
      });
      expect(await errorOf(reject, { i: { caseId: c.id, reason: '\udc00违法行为已超过两年' } }, xc())).toMatchObject({
        code: 'BAD_USER_INPUT',
        rule: 'string.well-formed',
      });
      // A well-formed pair (an emoji) is text like any other.
      expect(
        (await api.gql(reject, { i: { caseId: c.id, reason: '违法行为已超过两年 \ud83d\ude00' } }, api.as(...xc()))).errors,
      ).toBeUndefined();
    });

    it('a list argument longer than 100 items, from a variable at any depth, is BAD_USER_INPUT naming it', async () => {
      const q = 'query($s: [CaseStatus!]) { cases(first: 200, filter: { statuses: $s }) { totalCount edges { cursor } } }';
      const started = Date.now();
      expect(await errorOf(q, { s: Array.from({ length: 2_000 }, () => 'RECEIVED') }, [city.cityDirector, city.cityHrss])).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'filter.statuses',
        rule: 'list.max-length',
      });
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(
        await errorOf(
          'query($f: CaseFilter) { cases(filter: $f) { totalCount } }',
          { f: { channels: Array.from({ length: 101 }, () => 'HOTLINE_12345') } },
          xc(),
        ),
      ).toMatchObject({ field: 'filter.channels', rule: 'list.max-length' });
      // At the limit the list is taken.
      expect((await api.gql(q, { s: Array.from({ length: 100 }, () => 'RECEIVED') }, api.as(...xc()))).errors).toBeUndefined();
    });

    it('a cursor carrying an ORM operator, a bad date or a non-number is refused before it reaches a query', async () => {
      const q = 'query($a: String) { employers(after: $a) { nodes { id } } }';
      expect(await errorOf(q, { a: cursor([{ $ne: 'x' }, { $ne: 'y' }]) }, xc())).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'after',
        rule: 'cursor.valid',
      });
      expect(await errorOf(q, { a: cursor(['某公司', { $gt: '' }]) }, xc())).toMatchObject({
        code: 'BAD_USER_INPUT',
        rule: 'cursor.valid',
      });
      expect(
        await errorOf(
          'query($a: String) { cases(after: $a) { edges { node { id } } } }',
          { a: cursor(['not a date', randomUUID()]) },
          xc(),
        ),
      ).toMatchObject({ code: 'BAD_USER_INPUT', rule: 'cursor.valid' });
      expect(
        await errorOf('query($a: String) { cases(after: $a) { edges { node { id } } } }', { a: 'not-base64-json' }, xc()),
      ).toMatchObject({ code: 'BAD_USER_INPUT', rule: 'cursor.valid' });
      // A cursor the list gave out still pages.
      const page = await api.gql<{ employers: { pageInfo: { endCursor: string } } }>(
        '{ employers(first: 1) { pageInfo { endCursor } } }',
        undefined,
        api.as(...xc()),
      );
      expect((await api.gql(q, { a: page.data!.employers.pageInfo.endCursor }, api.as(...xc()))).errors).toBeUndefined();
    });
  });

  describe('10: values no real case has', () => {
    it('assignLead takes an inspector of the owning or acting agency only', async () => {
      const c = await acceptedCase();
      expect(
        await errorOf(
          'mutation($i: AssignLeadInput!) { assignLead(input: $i) { id } }',
          { i: { caseId: c.id, inspectorId: city.chaoyangInspector.id } },
          [city.supervisor, city.xichengHrss],
        ),
      ).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'input.inspectorId',
        rule: 'inspector.own-agency',
      });
      const ok = await api.gql(
        'mutation($i: AssignLeadInput!) { assignLead(input: $i) { leadInspector { name } } }',
        { i: { caseId: c.id, inspectorId: city.inspector.id } },
        api.as(city.supervisor, city.xichengHrss),
      );
      expect(ok.errors).toBeUndefined();
    });

    it('an intake received in 1900 is refused; one received last month is taken', async () => {
      expect(
        await errorOf(
          INTAKE,
          { i: { channel: 'WALK_IN', contactPhone: '13800002222', description: '欠薪', receivedAt: '1900-01-01T00:00:00Z' } },
          xc(),
        ),
      ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.receivedAt', rule: 'not-before-limit' });
      const lastMonth = new Date(Date.now() - 30 * 86_400_000).toISOString();
      expect(
        (
          await api.gql(
            INTAKE,
            { i: { channel: 'WALK_IN', contactPhone: '13800002222', description: '欠薪', receivedAt: lastMonth } },
            api.as(...xc()),
          )
        ).errors,
      ).toBeUndefined();
    });

    it('a payment dated 2099, or before the complaint by years, is refused', async () => {
      const c = await acceptedCase();
      const PAY = 'mutation($i: RecordPaymentInput!) { recordPayment(input: $i) { amountRecovered } }';
      const pay = { caseId: c.id, amount: 100, workersPaid: 1, payer: '总包单位', source: 'GENERAL_CONTRACTOR' };
      expect(await errorOf(PAY, { i: { ...pay, paidOn: '2099-01-01' } }, xc())).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'input.paidOn',
        rule: 'not-in-future',
      });
      expect(await errorOf(PAY, { i: { ...pay, paidOn: '2001-01-01' } }, xc())).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'input.paidOn',
        rule: 'not-before-limit',
      });
      const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
      expect((await api.gql(PAY, { i: { ...pay, paidOn: today } }, api.as(...xc()))).errors).toBeUndefined();
    });

    it('money past the sane maximum is refused exactly, not rounded, whether sent as a number or a string', async () => {
      for (const amountClaimed of [2 ** 53 + 2, '90071992547409930', 10_000_000_000_001]) {
        expect(
          await errorOf(INTAKE, { i: { channel: 'WALK_IN', contactPhone: '13800003333', description: '欠薪', amountClaimed } }, xc()),
        ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'i.amountClaimed', rule: 'money.max' });
      }
      const exact = await api.gql<{ intakeComplaint: { case: { amountClaimed: number } } }>(
        'mutation($i: IntakeComplaintInput!) { intakeComplaint(input: $i) { case { amountClaimed } } }',
        {
          i: {
            channel: 'WALK_IN',
            contactPhone: '13800003334',
            description: '欠薪',
            regionCode: '110102003',
            amountClaimed: '9999999999999',
          },
        },
        api.as(...xc()),
      );
      expect(exact.data?.intakeComplaint.case.amountClaimed).toBe(9_999_999_999_999);
    });
  });

  describe('11: smaller leaks', () => {
    it('project team mobiles are whole for labour inspection and masked for everyone else', async () => {
      const em = db.orm.em.fork();
      const p = await em.findOneOrFail(Project, { code: 'XC-2026-001' });
      p.team = [{ role: 'PROJECT_MANAGER', name: '项目经理', mobile: '13712345678' }];
      await em.flush();
      const q = '{ project(code: "XC-2026-001") { team { name mobile } } }';
      expect((await api.gql(q, undefined, api.as(...xc()))).data).toEqual({
        project: { team: [{ name: '项目经理', mobile: '13712345678' }] },
      });
      const regulator = await api.gql(q, undefined, api.as(city.regulatorOfficer, city.housing));
      expect(regulator.data).toEqual({ project: { team: [{ name: '项目经理', mobile: '137****5678' }] } });
      const district = await api.gql(q, undefined, api.as(city.districtOfficer, city.xichengGov));
      expect(JSON.stringify(district)).not.toContain('13712345678');
    });

    it('registering a code on file answers the same whether or not the caller could see it, and the answer tells nothing it cannot then read', async () => {
      const REGISTER = 'mutation($i: RegisterEmployerInput!) { registerEmployer(input: $i) { id } }';
      const LOOKUP = 'query($u: USCC!) { employer(uscc: $u) { name } }';
      // The Chaoyang restaurant is outside a Xicheng inspector's view; the Xicheng contractor is inside it.
      expect((await api.gql(LOOKUP, { u: city.restaurant.uscc }, api.as(...xc()))).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      const outside = await errorOf(REGISTER, { i: { uscc: city.restaurant.uscc, name: '探测' } }, xc());
      const inside = await errorOf(REGISTER, { i: { uscc: city.contractor.uscc, name: '探测' } }, xc());
      const shape = (e: Record<string, unknown>) => ({ code: e.code, field: e.field, rule: e.rule });
      expect(shape(outside)).toEqual(shape(inside));
      expect(outside).toMatchObject({ code: 'CONFLICT', field: 'input.uscc', rule: 'uscc.unique' });
      expect((await api.gql(LOOKUP, { u: city.restaurant.uscc }, api.as(...xc()))).data).toEqual({
        employer: { name: '某餐饮管理有限公司' },
      });
      // A new employer registered with a region outside the registrar's stays in its view too.
      const created = await api.gql(
        REGISTER,
        { i: { uscc: '91110000MA01AAAA10', name: '朝阳某劳务公司', regionCode: '110105' } },
        api.as(...xc()),
      );
      expect(created.errors).toBeUndefined();
      expect((await api.gql(LOOKUP, { u: '91110000MA01AAAA10' }, api.as(...xc()))).data).toEqual({ employer: { name: '朝阳某劳务公司' } });
    });

    it('a token without an expiry is refused; an unknown key and a bad signature get the same answer', async () => {
      const claims = { agency: city.xichengHrss.id, kind: 'HRSS_INSPECTION', roles: ['INSPECTOR'] };
      const secret = 'test-secret-two-0123456789abcdefghijklmnop';
      const forever = jwt.sign(claims, secret, { keyid: 'test-2', subject: city.inspector.id, audience: 'anxin-api', issuer: 'anxin' });
      const res = await api.gql('{ regions { code } }', undefined, { authorization: `Bearer ${forever}` });
      expect(res.status).toBe(401);
      const unknownKey = jwt.sign(claims, secret, {
        keyid: 'test-9',
        subject: city.inspector.id,
        audience: 'anxin-api',
        issuer: 'anxin',
        expiresIn: '1h',
      });
      const badSignature = jwt.sign(claims, 'not-our-secret-0123456789abcdefghijklmnop', {
        keyid: 'test-2',
        subject: city.inspector.id,
        audience: 'anxin-api',
        issuer: 'anxin',
        expiresIn: '1h',
      });
      const answers = await Promise.all(
        [unknownKey, badSignature].map(
          async (t) => (await api.gql('{ regions { code } }', undefined, { authorization: `Bearer ${t}` })).errors?.[0]?.message,
        ),
      );
      expect(answers).toEqual(['token invalid', 'token invalid']);
    });
  });
});
