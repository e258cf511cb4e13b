import type { EntityManager } from '@mikro-orm/postgresql';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { LeasedRateLimiter, leaseSize, postgresCounter, postgresRateLimiters } from '../src/infra/rate-limiters';
import { createTestDatabase, type TestDatabase } from './support/database';

/**
 * The per-principal budget shared by API processes in PostgreSQL, spent in leases: two limiters over one database
 * stand for two API processes.
 */
describe('a shared rate limit spent in leases', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db?.drop());

  /** A process's counter in the shared table, counting how often it asks the database. */
  const processCounter = (points: number, duration: number, keyPrefix: string) => {
    const store = postgresCounter(db.orm, { points, duration, keyPrefix });
    const asked = { n: 0 };
    const counted = { consume: (key: string, n: number) => (asked.n++, store.consume(key, n)) };
    return { limiter: new LeasedRateLimiter(counted, points, leaseSize(points)), asked };
  };

  const outcomes = (results: PromiseSettledResult<unknown>[]) => {
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
    for (const reason of refused) expect(reason).toBeInstanceOf(RateLimiterRes);
    return { admitted: results.length - refused.length, refused: refused as RateLimiterRes[] };
  };

  it('takes a fiftieth of a large budget at a time, at most 20, and counts small budgets a point at a time', () => {
    expect([leaseSize(600), leaseSize(200), leaseSize(1_000_000), leaseSize(99), leaseSize(60), leaseSize(5)]).toEqual([
      12, 4, 20, 1, 1, 1,
    ]);
    const limiters = postgresRateLimiters(db.orm);
    expect(limiters({ points: 600, duration: 60, keyPrefix: 'user' })).toBeInstanceOf(LeasedRateLimiter);
    expect(limiters({ points: 60, duration: 60, keyPrefix: 'anon' })).toBeInstanceOf(RateLimiterPostgres);
  });

  it('never admits more than the budget across processes, strands at most a lease per process, and asks the database once per lease', async () => {
    const [a, b] = [processCounter(200, 60, 'two-processes'), processCounter(200, 60, 'two-processes')];
    // 300 requests of one principal, alternating between the two processes, 25 at a time.
    const results: PromiseSettledResult<unknown>[] = [];
    for (let i = 0; i < 300; i += 25)
      results.push(...(await Promise.allSettled(Array.from({ length: 25 }, (_, j) => ((i + j) % 2 ? a : b).limiter.consume('user-1')))));
    const { admitted, refused } = outcomes(results);
    expect(admitted).toBeLessThanOrEqual(200);
    expect(admitted).toBeGreaterThanOrEqual(200 - 2 * (leaseSize(200) - 1));
    expect(refused.every((r) => r.msBeforeNext > 0 && r.msBeforeNext <= 60_000)).toBe(true);
    // One upsert per lease of 4 (and one refused lease per process), not one per request.
    expect(a.asked.n + b.asked.n).toBeLessThanOrEqual(Math.ceil(200 / leaseSize(200)) + 2);
    // The shared count holds what was leased: past the budget, and nothing more was admitted than it allowed.
    const [row] = await (db.orm.em as EntityManager)
      .getConnection()
      .execute<Array<{ points: number }>>(`select points from rate_limit where key = ?`, ['two-processes:200/60s:user-1']);
    expect(row!.points).toBeGreaterThan(200);
    // Another principal has a budget of its own.
    await expect(a.limiter.consume('user-2')).resolves.toBeInstanceOf(RateLimiterRes);
  });

  it('gives out the part of a lease left under the budget when the store refuses the rest', async () => {
    const store = new RateLimiterMemory({ points: 10, duration: 60 });
    await store.consume('k', 7);
    // A lease of 4 with 3 points left: the 3 are admitted, the 4th refused, and the store is not asked again.
    let asked = 0;
    const limiter = new LeasedRateLimiter({ consume: (key, n) => (asked++, store.consume(key, n)) }, 10, 4);
    const { admitted, refused } = outcomes(await Promise.allSettled(Array.from({ length: 6 }, () => limiter.consume('k'))));
    expect({ admitted, refused: refused.length, asked }).toEqual({ admitted: 3, refused: 3, asked: 1 });
  });

  it('takes a new lease when the window ends (the store has reset the count)', async () => {
    const { limiter } = processCounter(100, 1, 'window');
    const first = outcomes(await Promise.allSettled(Array.from({ length: 120 }, () => limiter.consume('user-3'))));
    expect(first.admitted).toBe(100);
    await new Promise((r) => setTimeout(r, Math.max(...first.refused.map((r) => r.msBeforeNext)) + 100));
    await expect(limiter.consume('user-3')).resolves.toBeInstanceOf(RateLimiterRes);
  });

  it('passes on a failure to count as an error, not as a refusal', async () => {
    const limiter = new LeasedRateLimiter({ consume: () => Promise.reject(new Error('database gone')) }, 600, 12);
    await expect(limiter.consume('k')).rejects.toThrow('database gone');
  });
});
