import { startTestApi, testTokens, type TestApi } from './support/api';
import { createTestDatabase, type TestDatabase } from './support/database';

/**
 * The GraphQL endpoint against hostile documents and callers: depth, alias, cost and batch limits, the request
 * size limit, production mode (no introspection, no stack traces, no field suggestions) and per-principal rate
 * limits. Each refusal is a coded error, never a 5xx.
 */
describe('hardened GraphQL endpoint', () => {
  let db: TestDatabase;
  let api: TestApi;
  let prod: TestApi;
  const token = testTokens.issue({
    userId: '7e000000-0000-4000-8000-000000000001',
    agencyId: '7e000000-0000-4000-8000-000000000002',
    agencyKind: 'HRSS_INSPECTION',
    roles: ['INSPECTOR'],
  });
  const auth = { authorization: `Bearer ${token}` };

  beforeAll(async () => {
    db = await createTestDatabase();
    api = await startTestApi({ orm: db.orm, temporalAddress: '127.0.0.1:1' });
    prod = await startTestApi({ orm: db.orm, temporalAddress: '127.0.0.1:1', production: true, rateLimitPerMinute: 5 });
  });
  afterAll(async () => {
    await prod?.stop();
    await api?.stop();
    await db?.drop();
  });

  const post = (url: string, body: string, headers: Record<string, string> = {}) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  it('refuses a document nested too deep, with too many aliases or too costly, before running it', async () => {
    // No type of the schema nests itself, so depth is bounded by the schema; the limit still refuses a document
    // that tries (each level also an error of its own), before anything runs.
    const depthBomb = `{ regions { ${'n { '.repeat(14)}x${' }'.repeat(14)} } }`;
    const res = await api.gql(depthBomb, undefined, auth);
    expect(res.status).toBe(400);
    expect(res.errors?.every((e) => e.extensions?.code === 'GRAPHQL_VALIDATION_FAILED')).toBe(true);
    expect(res.errors?.some((e) => /depth/i.test(e.message))).toBe(true);

    const aliases = `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: health { database }`).join(' ')} }`;
    const aliased = await api.gql(aliases, undefined, auth);
    expect(aliased.status).toBe(400);
    expect(aliased.errors?.[0]?.message).toMatch(/alias/i);

    const costly = `{ ${Array.from({ length: 14 }, (_, i) => `c${i}: cases(first: 100) { edges { node { number complainants { person { name mobile } } events { seq type payload } processes { parties { name agency { name region { name } } } } } } }`).join(' ')} }`;
    const cost = await api.gql(costly, undefined, auth);
    expect(cost.status).toBe(400);
    expect(cost.errors?.[0]?.message).toMatch(/cost/i);

    // A legitimate dashboard document passes.
    const dashboard = `{ cases(first: 50) { totalCount edges { node { number status region { name } employer { name } leadInspector { name } processes { kind status parties { role status agency { name } } } project { name regulator { name } generalContractor { name uscc } } } } } }`;
    expect((await api.gql(dashboard, undefined, auth)).errors).toBeUndefined();
  });

  it('refuses batched requests and bodies over 1 MB', async () => {
    const batch = await post(api.url, JSON.stringify([{ query: '{ health { database } }' }, { query: '{ health { database } }' }]));
    expect(batch.status).toBe(400);
    const huge = await post(api.url, JSON.stringify({ query: '{ health { database } }', variables: { x: 'x'.repeat(1_100_000) } }));
    expect(huge.status).toBe(413);
    expect(await huge.json()).toEqual({
      errors: [{ message: 'the request body is over the 1 MB limit', extensions: { code: 'PAYLOAD_TOO_LARGE' } }],
    });
    const notJson = await post(api.url, '{"query": ');
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]!.extensions.code).toBe('BAD_REQUEST');
  });

  it('in production: no introspection, no stack traces, no field suggestions', async () => {
    const intro = await prod.gql('{ __schema { types { name } } }');
    expect(intro.status).toBe(400);
    expect(intro.errors?.[0]?.message).toMatch(/introspection/i);
    const typo = await prod.gql('{ healt { database } }');
    expect(typo.errors?.[0]?.message).not.toMatch(/did you mean/i);
    const notFound = await prod.gql('{ case(number: "110102-2026-999999") { id } }', undefined, auth);
    expect(notFound.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND' });
    expect(JSON.stringify(notFound.errors)).not.toMatch(/stacktrace|at \w+ \(/);
  });

  it('limits each principal to its rate, with 429 and a code; another principal is unaffected', async () => {
    const other = {
      authorization: `Bearer ${testTokens.issue({ userId: '7e000000-0000-4000-8000-000000000009', agencyId: '7e000000-0000-4000-8000-000000000002', agencyKind: 'HRSS_INSPECTION', roles: ['INSPECTOR'] })}`,
    };
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await prod.gql('{ regions { code } }', undefined, auth)).status);
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(5);
    const limited = await prod.gql('{ regions { code } }', undefined, auth);
    expect(limited.status).toBe(429);
    expect(limited.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED' });
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await prod.gql('{ regions { code } }', undefined, other)).status).toBe(200);
  });
});
