import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { startTestApi, testTokens, type TestApi } from './support/api';
import { createTestDatabase, type TestDatabase } from './support/database';
import { startDevServer } from './support/temporal';

/** The skeleton end to end over HTTP: real PostgreSQL, real Temporal dev server, Apollo Server. */
describe('GraphQL API over HTTP', () => {
  let db: TestDatabase;
  let temporal: TestWorkflowEnvironment;
  let api: TestApi;

  beforeAll(async () => {
    [db, temporal] = await Promise.all([createTestDatabase(), startDevServer()]);
    api = await startTestApi({ orm: db.orm, temporalAddress: temporal.address });
  });
  /** As an inspector of an inspection agency (employers registered without a region are in its view). */
  const inspector = testTokens.issue({
    userId: '5a1b0c3e-0000-4000-8000-000000000001',
    agencyId: '5a1b0c3e-0000-4000-8000-000000000002',
    agencyKind: 'HRSS_INSPECTION',
    roles: ['INSPECTOR'],
  });
  const gql = <T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>) =>
    api.gql<T>(query, variables, { authorization: `Bearer ${inspector}` });
  afterAll(async () => {
    await api?.stop();
    await temporal?.teardown();
    await db?.drop();
  });

  it('reports the database and Temporal as UP, without a token, and echoes a request id', async () => {
    const res = await api.gql('{ health { database temporal } }', undefined, { 'x-request-id': 'req-42' });
    expect(res.status).toBe(200);
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ health: { database: 'UP', temporal: 'UP' } });
    expect(res.headers.get('x-request-id')).toBe('req-42');
  });

  it('writes a row with a mutation and reads it back with a query', async () => {
    const created = await gql<{ registerEmployer: { id: string; uscc: string; name: string; registeredAt: string } }>(
      `mutation Register($input: RegisterEmployerInput!) {
         registerEmployer(input: $input) { id uscc name legalRepresentative registeredAt }
       }`,
      { input: { uscc: '91110000600037341l', name: '北京城建某工程有限公司', legalRepresentative: '王某' } },
    );
    expect(created.errors).toBeUndefined();
    const employer = created.data!.registerEmployer;
    expect(employer.uscc).toBe('91110000600037341L'); // normalised to capitals
    expect(employer.registeredAt).toMatch(/Z$/); // UTC on the wire

    const [row] = await db.orm.em.fork().getConnection().execute('select name from employer where id = ?', [employer.id]);
    expect(row).toEqual({ name: '北京城建某工程有限公司' });

    const read = await gql('query($uscc: USCC!) { employer(uscc: $uscc) { id name legalRepresentative } }', { uscc: '91110000600037341L' });
    expect(read.data).toEqual({ employer: { id: employer.id, name: '北京城建某工程有限公司', legalRepresentative: '王某' } });
  });

  it('refuses a bad code naming the field and the rule, and writes nothing', async () => {
    const res = await gql('mutation($input: RegisterEmployerInput!) { registerEmployer(input: $input) { id } }', {
      input: { uscc: '91110000600037341M', name: '某劳务公司' },
    });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.uscc', rule: 'uscc.check-character' });
    const rows = await db.orm.em.fork().getConnection().execute("select count(*)::int as n from employer where name = '某劳务公司'");
    expect(rows).toEqual([{ n: 0 }]);
  });

  it('refuses an invalid field value with the field and rule', async () => {
    const res = await gql('mutation($input: RegisterEmployerInput!) { registerEmployer(input: $input) { id } }', {
      input: { uscc: '91350100M000100Y43', name: 'x' },
    });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.name', rule: 'minLength' });
  });

  it('answers CONFLICT for a second registration of the same code, NOT_FOUND for an unknown one', async () => {
    const input = { uscc: '91440300708461136T', name: '深圳某公司' };
    const q = 'mutation($input: RegisterEmployerInput!) { registerEmployer(input: $input) { id } }';
    expect((await gql(q, { input })).errors).toBeUndefined();
    expect(
      (await api.gql(q, { input: { ...input, uscc: '91350100M000100Y43', name: '某餐饮管理有限公司' } })).errors?.[0]?.extensions,
    ).toMatchObject({ code: 'UNAUTHENTICATED' }); // no token, no writes
    expect((await gql(q, { input })).errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'input.uscc' });
    const missing = await gql('{ employer(uscc: "91350100M000100Y43") { id } }');
    expect(missing.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('reports Temporal DOWN when it is unreachable', async () => {
    const down = await startTestApi({ orm: db.orm, temporalAddress: '127.0.0.1:1' });
    try {
      const res = await down.gql('{ health { database temporal } }');
      expect(res.data).toEqual({ health: { database: 'UP', temporal: 'DOWN' } });
    } finally {
      await down.stop();
    }
  });
});
