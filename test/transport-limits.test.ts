import { startTestApi, testTokens, type TestApi } from './support/api';
import { createTestDatabase, type TestDatabase } from './support/database';
import { loadTestCity } from './support/fixtures';
import { WsCaller, wsOnce } from './support/ws';
import WebSocket from 'ws';

/**
 * The same protections on both transports (issue 12, items 2 and 3): over graphql-ws (the `graphql-ws` client on
 * `ws`) the socket authenticates, rate-limits and refuses hostile documents as HTTP does, and carries subscriptions
 * only; documents whose validation would stall the event loop (`{ health { database ×1990 } }`) are refused by
 * counting before graphql-js validates them, with smaller budgets for anonymous callers.
 */
describe('document limits and the WebSocket, on both transports', () => {
  let db: TestDatabase;
  let api: TestApi;
  let limited: TestApi;
  let city: Awaited<ReturnType<typeof loadTestCity>>;
  let auth: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    city = await loadTestCity(db.orm.em.fork());
    api = await startTestApi({ orm: db.orm, temporalAddress: '127.0.0.1:1' });
    limited = await startTestApi({ orm: db.orm, temporalAddress: '127.0.0.1:1', rateLimitPerMinute: 6, anonymousRateLimitPerMinute: 3 });
    auth = `Bearer ${api.tokenFor(city.inspector, city.xichengHrss)}`;
  });
  afterAll(async () => {
    await limited?.stop();
    await api?.stop();
    await db?.drop();
  });

  const codes = (o: { errors?: Array<{ extensions?: Record<string, unknown> }> }) => (o.errors ?? []).map((e) => e.extensions?.code);
  const employers = async (uscc: string) =>
    Number(
      (
        await db.orm.em.fork().getConnection().execute<Array<{ n: string }>>('select count(*) as n from employer where uscc = ?', [uscc])
      )[0]!.n,
    );

  it('the socket refuses queries and mutations with OPERATION_NOT_ALLOWED, and the mutation does not run', async () => {
    const query = await wsOnce(api.url, '{ regions { code } }', undefined, auth);
    expect(codes(query)).toEqual(['OPERATION_NOT_ALLOWED']);
    expect(query.data).toBeUndefined();
    const anonymousQuery = await wsOnce(api.url, 'query($n: String!, $p: Mobile!) { caseStatus(number: $n, phone: $p) { status } }', {
      n: '110102-2026-000001',
      p: '13800000000',
    });
    expect(codes(anonymousQuery)).toEqual(['OPERATION_NOT_ALLOWED']);
    const mutation = await wsOnce(
      api.url,
      'mutation { registerEmployer(input: { uscc: "91440300708461136T", name: "深圳某公司" }) { id } }',
      undefined,
      auth,
    );
    expect(codes(mutation)).toEqual(['OPERATION_NOT_ALLOWED']);
    expect(await employers('91440300708461136T')).toBe(0);
    // Over HTTP the same caller may (the socket's refusal is about the transport, not the caller).
    expect((await api.gql('{ regions { code } }', undefined, { authorization: auth })).errors).toBeUndefined();
  });

  it('a socket lives no longer than its token: a subscription opened with a token about to expire is closed at expiry', async () => {
    const shortLived = testTokens.issue(
      { userId: city.inspector.id, agencyId: city.xichengHrss.id, agencyKind: 'HRSS_INSPECTION', roles: ['INSPECTOR'] },
      { ttl: '2s' },
    );
    const started = Date.now();
    const outcome = await wsOnce(api.url, 'subscription { caseEvents { seq } }', undefined, `Bearer ${shortLived}`, 6_000);
    expect(outcome.closeCode).toBe(4403);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('the socket authenticates: a bad token closes it with 4403, anonymous subscribers are refused, a good token subscribes', async () => {
    expect((await wsOnce(api.url, 'subscription { caseEvents { seq } }', undefined, 'Bearer not-a-token')).closeCode).toBe(4403);
    const forged =
      testTokens
        .issue({
          userId: '7e000000-0000-4000-8000-000000000001',
          agencyId: city.xichengHrss.id,
          agencyKind: 'HRSS_INSPECTION',
          roles: ['INSPECTOR'],
        })
        .slice(0, -3) + 'abc';
    expect((await wsOnce(api.url, 'subscription { caseEvents { seq } }', undefined, `Bearer ${forged}`)).closeCode).toBe(4403);
    expect(codes(await wsOnce(api.url, 'subscription { caseEvents { seq } }'))).toEqual(['UNAUTHENTICATED']);
    expect(await wsOnce(api.url, 'subscription { caseEvents { seq } }', undefined, auth, 500)).toEqual({ open: true });
  });

  it('holds at most five open sockets without a token per address; a closed one frees its place', async () => {
    // Raw graphql-transport-ws sockets that only connect and then sit idle, as the piled-up ones did.
    const open = () =>
      new Promise<{ socket: WebSocket; acked: boolean; code?: number }>((resolve) => {
        const socket = new WebSocket(api.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
        socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: {} })));
        socket.on('message', (m) => JSON.parse(String(m)).type === 'connection_ack' && resolve({ socket, acked: true }));
        socket.on('close', (code) => resolve({ socket, acked: false, code }));
      });
    const five = [await open(), await open(), await open(), await open(), await open()];
    const later: Array<{ socket: WebSocket }> = [];
    try {
      expect(five.every((s) => s.acked)).toBe(true);
      const sixth = await open();
      later.push(sixth);
      expect(sixth).toMatchObject({ acked: false, code: 4429 });
      await new Promise<void>((resolve) => {
        five[0]!.socket.once('close', () => resolve());
        five[0]!.socket.close();
      });
      await new Promise((r) => setTimeout(r, 100));
      const again = await open();
      later.push(again);
      expect(again.acked).toBe(true);
    } finally {
      for (const s of [...five, ...later]) s.socket.close();
    }
  });

  it('caps live subscriptions per user across all its sockets (RATE_LIMITED), freeing a slot when one completes or its socket closes', async () => {
    const token = `Bearer ${api.tokenFor(city.supervisor, city.xichengHrss)}`;
    const sub = 'subscription { caseEvents { seq } }';
    const [a, b, other] = [
      new WsCaller(api.url, token),
      new WsCaller(api.url, token),
      new WsCaller(api.url, `Bearer ${api.tokenFor(city.director, city.xichengHrss)}`),
    ];
    try {
      const onA = [];
      for (let i = 0; i < 15; i++) onA.push(await a.start(sub));
      const onB = [];
      for (let i = 0; i < 5; i++) onB.push(await b.start(sub));
      expect([...onA, ...onB].map((o) => o.open)).toEqual(Array.from({ length: 20 }, () => true));
      // The 21st of the same user, on either socket, is refused; another user is not held back.
      const over = await b.start(sub);
      expect(over.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) });
      expect(codes(await a.start(sub))).toEqual(['RATE_LIMITED']);
      expect((await other.start(sub)).open).toBe(true);
      // A completed subscription frees its slot…
      onB[0]!.stop();
      await new Promise((r) => setTimeout(r, 200));
      expect((await b.start(sub)).open).toBe(true);
      expect(codes(await b.start(sub))).toEqual(['RATE_LIMITED']);
      // …and a closed socket frees all of its own.
      await a.dispose();
      await new Promise((r) => setTimeout(r, 300));
      const after = [];
      for (let i = 0; i < 15; i++) after.push(await b.start(sub, undefined, 100));
      expect(after.map((o) => o.open)).toEqual(Array.from({ length: 15 }, () => true));
      expect(codes(await b.start(sub))).toEqual(['RATE_LIMITED']);
    } finally {
      await Promise.all([a.dispose(), b.dispose(), other.dispose()]);
    }
  }, 30_000);

  it('the socket refuses the alias, token and depth bombs that HTTP refuses, and the cost bomb as a query', async () => {
    const aliases = `subscription { ${Array.from({ length: 30 }, (_, i) => `a${i}: caseEvents { seq }`).join(' ')} }`;
    const costly = `{ ${Array.from({ length: 14 }, (_, i) => `c${i}: cases(first: 100) { edges { node { number complainants { person { name mobile } } events { seq type payload } } } }`).join(' ')} }`;
    const tokens = `subscription { caseEvents { ${'seq '.repeat(3000)} } }`;
    const deep = `subscription { caseEvents { ${'n { '.repeat(14)}x${' }'.repeat(14)} } }`;
    const cases: Array<[string, string, RegExp]> = [
      ['aliases', aliases, /alias/i],
      ['tokens', tokens, /tokens/i],
      ['depth', deep, /depth/i],
    ];
    for (const [name, doc, message] of cases) {
      const ws = await wsOnce(api.url, doc, undefined, auth);
      expect([name, ws.errors?.[0]?.message]).toEqual([name, expect.stringMatching(message)]);
      expect([name, codes(ws)[0]]).toEqual([name, expect.stringMatching(/^GRAPHQL_(PARSE|VALIDATION)_FAILED$/)]);
      const http = await api.gql(doc, undefined, { authorization: auth });
      expect([name, http.status, http.errors?.[0]?.message]).toEqual([name, 400, expect.stringMatching(message)]);
    }
    // The costly document is a query: HTTP refuses its cost, the socket refuses it as a query before counting.
    // (No subscription can reach the cost limit: caseEvents is one flat entry.)
    expect((await api.gql(costly, undefined, { authorization: auth })).errors?.[0]?.message).toMatch(/cost/i);
    expect(codes(await wsOnce(api.url, costly, undefined, auth))).toEqual(['OPERATION_NOT_ALLOWED']);
  });

  it('refuses { health { database ×1990 } } quickly, anonymous or signed in, over both transports, whatever comment makes it unique', async () => {
    for (const [who, authorization] of [
      ['anonymous', undefined],
      ['signed in', auth],
    ] as const) {
      for (let i = 0; i < 3; i++) {
        const doc = `# ${who} ${i} ${Math.random()}\n{ health { ${'database '.repeat(1990)} } }`;
        let t = performance.now();
        const http = await api.gql(doc, undefined, authorization ? { authorization } : {});
        const httpMs = performance.now() - t;
        expect([who, http.status, http.errors?.[0]?.extensions?.code]).toEqual([
          who,
          400,
          expect.stringMatching(/^GRAPHQL_(PARSE|VALIDATION)_FAILED$/),
        ]);
        t = performance.now();
        const ws = await wsOnce(api.url, doc.replace('{ health', 'subscription { health'), undefined, authorization);
        const wsMs = performance.now() - t;
        expect([who, codes(ws)[0]]).toEqual([who, expect.stringMatching(/^GRAPHQL_(PARSE|VALIDATION)_FAILED$/)]);
        // Validating it took about 900 ms of event loop; refusing it by counting takes a few.
        expect([who, httpMs < 250, wsMs < 250]).toEqual([who, true, true]);
      }
    }
    // Within the token limit for a signed-in caller, the selection count refuses it.
    const selections = await api.gql(`{ health { ${'database '.repeat(400)} } }`, undefined, { authorization: auth });
    expect(selections.errors?.[0]).toMatchObject({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'selections' } });
    // Repeated fields are what validation compares pair by pair: 30 of them are refused though under 300 selections.
    const repeated = await api.gql(`{ ${'case(number: "1") { id } '.repeat(30)} }`, undefined, { authorization: auth });
    expect(repeated.errors?.[0]).toMatchObject({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'repeated-fields' } });
    // Fragments count expanded (spreads × fragment size), and a cycle is refused.
    const fanOut = `{ health { ...D } } fragment A on Health { database temporal } fragment B on Health { ...A ...A ...A ...A ...A } fragment C on Health { ...B ...B ...B ...B ...B } fragment D on Health { ...C ...C ...C ...C ...C }`;
    expect((await api.gql(fanOut, undefined, { authorization: auth })).errors?.[0]?.extensions).toMatchObject({ limit: 'selections' });
    const cycle = `{ health { ...A } } fragment A on Health { database ...B } fragment B on Health { temporal ...A }`;
    expect((await api.gql(cycle, undefined, { authorization: auth })).errors?.[0]?.extensions).toMatchObject({
      code: 'GRAPHQL_VALIDATION_FAILED',
      limit: 'fragment-cycle',
    });
  });

  it('counts a page size given by a variable in the cost', async () => {
    const doc = `query($f: Int) { ${[0, 1, 2].map((i) => `c${i}: cases(first: $f) { edges { node { number status employer { name } region { name } } } }`).join(' ')} }`;
    const big = await api.gql(doc, { f: 200 }, { authorization: auth });
    expect([big.status, big.errors?.[0]?.extensions?.limit]).toEqual([400, 'cost']);
    expect((await api.gql(doc, { f: 20 }, { authorization: auth })).errors).toBeUndefined();
    // The accepted document is remembered; its cost is still counted with each request's variables.
    expect((await api.gql(doc, { f: 200 }, { authorization: auth })).errors?.[0]?.extensions?.limit).toBe('cost');
  });

  it("counts a page size left to the variable's default value in the cost, sent or not, fresh or remembered", async () => {
    const body = [0, 1, 2]
      .map((i) => `c${i}: cases(first: $n) { edges { node { number status employer { name } region { name } } } }`)
      .join(' ');
    const doc = `query($n: Int = 200) { ${body} }`;
    const unsent = await api.gql(doc, undefined, { authorization: auth });
    expect([unsent.status, unsent.errors?.[0]?.extensions?.limit]).toEqual([400, 'cost']);
    expect((await api.gql(doc, { n: 200 }, { authorization: auth })).errors?.[0]?.extensions?.limit).toBe('cost');
    // Sent small, the same document runs; remembered, it is still refused when the default applies.
    expect((await api.gql(doc, { n: 20 }, { authorization: auth })).errors).toBeUndefined();
    expect((await api.gql(doc, {}, { authorization: auth })).errors?.[0]?.extensions?.limit).toBe('cost');
    // A default that is not a positive integer counts as the largest page.
    expect((await api.gql(`query($n: Int = 0) { ${body} }`, undefined, { authorization: auth })).errors?.[0]?.extensions?.limit).toBe(
      'cost',
    );
    // A small default is counted as it is.
    expect((await api.gql(`query($n: Int = 20) { ${body} }`, undefined, { authorization: auth })).errors).toBeUndefined();
  });

  it('gives anonymous callers far smaller budgets than signed-in ones; the dashboard document passes when signed in', async () => {
    const fifty = `{ ${Array.from({ length: 10 }, (_, i) => `r${i}: regions { code name level parentCode }`).join(' ')} }`;
    expect((await api.gql(fifty)).errors?.[0]?.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'selections' });
    expect((await api.gql(fifty, undefined, { authorization: auth })).errors).toBeUndefined();
    const longish = `{ __typename } # ${'x'.repeat(3000)}`;
    expect((await api.gql(longish)).errors?.[0]?.extensions).toMatchObject({ limit: 'characters' });
    expect((await api.gql(longish, undefined, { authorization: auth })).errors).toBeUndefined();
    const dashboard = `{ cases(first: 50) { totalCount edges { node { number status region { name } employer { name } leadInspector { name } processes { kind status parties { role status agency { name } } } project { name regulator { name } generalContractor { name uscc } } } } } }`;
    expect((await api.gql(dashboard, undefined, { authorization: auth })).errors).toBeUndefined();
    // The public lookups still answer anonymously (health would wait on the absent Temporal here).
    expect(
      (
        await api.gql('query($n: String!, $p: Mobile!) { caseStatus(number: $n, phone: $p) { status nextStep receivedAt number } }', {
          n: '110102-2026-000001',
          p: '13800000000',
        })
      ).errors?.[0]?.extensions?.code,
    ).toBe('NOT_FOUND');
  });

  it('rate-limits the socket with the HTTP budget of the same principal, anonymous callers with a smaller one', async () => {
    const token = `Bearer ${limited.tokenFor(city.supervisor, city.xichengHrss)}`;
    // Six a minute for the user: two over HTTP, the connection, then three subscribes; the fourth is refused.
    expect((await limited.gql('{ regions { code } }', undefined, { authorization: token })).status).toBe(200);
    expect((await limited.gql('{ regions { code } }', undefined, { authorization: token })).status).toBe(200);
    const socket = new WsCaller(limited.url, token);
    try {
      const outcomes = [];
      for (let i = 0; i < 4; i++) outcomes.push(await socket.run('subscription { caseEvents { seq } }', undefined, 300));
      expect(outcomes.slice(0, 3)).toEqual([{ open: true }, { open: true }, { open: true }]);
      expect(outcomes[3]!.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) });
    } finally {
      await socket.dispose();
    }
    // A new connection of the same user is refused at once.
    expect((await wsOnce(limited.url, 'subscription { caseEvents { seq } }', undefined, token)).closeCode).toBe(4429);
    expect((await limited.gql('{ regions { code } }', undefined, { authorization: token })).status).toBe(429);

    // Anonymous: three a minute per address.
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await limited.gql('{ __typename }')).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect((await wsOnce(limited.url, 'subscription { caseEvents { seq } }')).closeCode).toBe(4429);
  });
});
