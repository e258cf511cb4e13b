import { startTestApi, type TestApi } from './support/api';
import { createTestDatabase, type TestDatabase } from './support/database';
import { loadTestCity } from './support/fixtures';

/**
 * The public `caseStatus` lookup against a caller who knows the case number and the masked phone (`138****1234`,
 * 10,000 candidates; issue 12, item 4): attempts are limited per case number, whoever asks, and per caller, in the
 * resolver's path (so on every transport), with RATE_LIMITED and retryAfterSeconds past either.
 */
describe('caseStatus attempts', () => {
  let db: TestDatabase;
  let api: TestApi;
  let perCaller: TestApi;
  let city: Awaited<ReturnType<typeof loadTestCity>>;
  const numbers: string[] = [];
  const LOOKUP = 'query($n: String!, $p: Mobile!) { caseStatus(number: $n, phone: $p) { status } }';

  beforeAll(async () => {
    db = await createTestDatabase();
    city = await loadTestCity(db.orm.em.fork());
    api = await startTestApi({ orm: db.orm, temporalAddress: '127.0.0.1:1' }); // the default limits: 20 a day per number
    perCaller = await startTestApi({
      orm: db.orm,
      temporalAddress: '127.0.0.1:1',
      caseStatusLimits: { perNumberPerDay: 1000, perCallerPerHour: 5 },
    });
    for (const phone of ['13811111234', '13922225678']) {
      const created = await api.gql<{ intakeComplaint: { case: { number: string } } }>(
        'mutation($i: IntakeComplaintInput!) { intakeComplaint(input: $i) { case { number } } }',
        { i: { channel: 'WALK_IN', contactPhone: phone, description: '拖欠工资', regionCode: '110102003' } },
        api.as(city.inspector, city.xichengHrss),
      );
      numbers.push(created.data!.intakeComplaint.case.number);
    }
  });
  afterAll(async () => {
    await perCaller?.stop();
    await api?.stop();
    await db?.drop();
  });

  const code = (r: { errors?: Array<{ extensions?: Record<string, unknown> }> }) => r.errors?.[0]?.extensions?.code ?? 'data';

  it('limits the guesses at one case number, whoever makes them; the right phone is refused too once the number is spent', async () => {
    const [target, other] = numbers as [string, string];
    const guesser = api.as(city.gridWorker, city.xinjiekou);
    const answers: string[] = [];
    for (let guess = 0; guess < 25; guess++)
      answers.push(String(code(await api.gql(LOOKUP, { n: target, p: `1381111${String(guess).padStart(4, '0')}` }, guesser))));
    expect(answers.slice(0, 20).every((c) => c === 'NOT_FOUND')).toBe(true);
    expect(answers.slice(20)).toEqual(['RATE_LIMITED', 'RATE_LIMITED', 'RATE_LIMITED', 'RATE_LIMITED', 'RATE_LIMITED']);
    // Another caller, anonymous, with the right phone: refused the same way (an answer would confirm the guess).
    const refused = await api.gql(LOOKUP, { n: target, p: '13811111234' });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) });
    expect(refused.errors![0]!.extensions!.retryAfterSeconds as number).toBeGreaterThan(3600);
    // Over HTTP the refusal is a 429 with Retry-After, as an edge rate limit is.
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe(String(refused.errors![0]!.extensions!.retryAfterSeconds));
    // Another number is unaffected.
    expect((await api.gql<{ caseStatus: { status: string } }>(LOOKUP, { n: other, p: '13922225678' })).data?.caseStatus.status).toBe(
      'RECEIVED',
    );
  });

  it('limits one caller across case numbers', async () => {
    const answers: string[] = [];
    for (let i = 0; i < 6; i++)
      answers.push(String(code(await perCaller.gql(LOOKUP, { n: `110102-2026-${String(900000 + i)}`, p: '13800000000' }))));
    expect(answers).toEqual(['NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', 'RATE_LIMITED']);
    // A signed-in caller is counted as itself, not by address.
    expect(code(await perCaller.gql(LOOKUP, { n: numbers[1]!, p: '13922225678' }, perCaller.as(city.inspector, city.xichengHrss)))).toBe(
      'data',
    );
  });
});
