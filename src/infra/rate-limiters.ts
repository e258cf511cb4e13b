import type { EntityManager } from '@mikro-orm/postgresql';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import type { Orm } from '../db/database';

/** One budget: `points` per `duration` seconds for each key, under `keyPrefix`. */
export interface LimiterSpec {
  points: number;
  duration: number;
  keyPrefix: string;
}

/**
 * A budget's counter: `consume` spends one point of a key's budget, and rejects with a RateLimiterRes (its
 * `msBeforeNext`: when to try again) past it, or with an Error when the count could not be kept.
 */
export interface RateLimiter {
  consume(key: string): Promise<unknown>;
}

/** Makes the rate limiters of the API (src/api/caller-guard.ts) and the public lookups (src/cases/case-status-attempts.ts). */
export type RateLimiters = (spec: LimiterSpec) => RateLimiter;

/** Each process counts for itself: a caller gets the budget once per API process. For tests and benchmarks. */
export const memoryRateLimiters: RateLimiters = (spec) => new RateLimiterMemory(spec);

/**
 * Counters in PostgreSQL (rate-limiter-flexible's RateLimiterPostgres, table `rate_limit`, created by migration
 * Migration20261203050000_rate_limit): every API process on one database shares each principal's budget, so N
 * processes behind a load balancer allow the configured rate, not N times it. One upsert per request, over the
 * ORM's own connection pool.
 *
 * - The budget's figure is part of the key prefix: processes configured alike (a scaled-out API) share a budget;
 *   a process configured with another limit counts apart rather than judging by a neighbour's figure.
 * - A key past its budget is then blocked in this process's memory until its window ends
 *   (`inMemoryBlockOnConsumed`): a caller hammering past the limit costs no further database round trips.
 * - When the database does not answer, an in-memory limiter with the same budget takes over (`insuranceLimiter`,
 *   the library's advice): the limit then holds per process until the database is back.
 * - A large budget is spent in leases (`LeasedRateLimiter`, `leaseSize`): a process takes a few points at once,
 *   so the upsert is one per lease, not one per request.
 */
export function postgresRateLimiters(orm: Orm): RateLimiters {
  return (spec) => {
    const store = postgresCounter(orm, spec);
    const size = leaseSize(spec.points);
    return size > 1 ? new LeasedRateLimiter(store, spec.points, size) : store;
  };
}

/** One budget's shared counter in PostgreSQL, as `postgresRateLimiters` describes it, before any lease. */
export function postgresCounter(orm: Orm, spec: LimiterSpec): RateLimiterPostgres {
  return new RateLimiterPostgres({
    storeClient: (orm.em as EntityManager).getConnection().getKnex(),
    storeType: 'knex',
    tableName: 'rate_limit',
    tableCreated: true,
    points: spec.points,
    duration: spec.duration,
    keyPrefix: `${spec.keyPrefix}:${spec.points}/${spec.duration}s`,
    inMemoryBlockOnConsumed: spec.points + 1,
    insuranceLimiter: new RateLimiterMemory(spec),
  });
}

/**
 * How many points of a budget one process takes at a time: a fiftieth of the budget, at most 20, so a process holds
 * at most 2 % of a caller's budget unspent (600 a minute, the API's default: leases of 12); budgets under 100 (the
 * anonymous and the public lookups' limits) are counted a point at a time.
 */
export function leaseSize(points: number): number {
  return Math.max(1, Math.min(MAX_LEASE, Math.floor(points / 50)));
}

const MAX_LEASE = 20;

/**
 * A shared budget spent in leases. A process consumes `size` points of a key's budget in the shared store at once
 * and hands them out from memory until they run out or the store's window for the key ends (the store resets the
 * count then, so a lease lives no longer than its window). The shared count never passes the budget: a lease the
 * store refuses in part gives out only the points that were left under the budget, and then nothing until the
 * window ends. The price is the other way: the points a process holds unspent when a window ends are lost, so
 * across P processes a caller may be allowed up to P × (size − 1) fewer than the budget in a window, never more.
 * (rate-limiter-flexible has no such mode; this wraps its store.)
 */
export class LeasedRateLimiter implements RateLimiter {
  private readonly held = new Map<string, { left: number; until: number; spent: boolean }>();
  private readonly leasing = new Map<string, Promise<void>>();

  constructor(
    private readonly store: { consume(key: string, points: number): Promise<RateLimiterRes> },
    private readonly points: number,
    private readonly size: number,
  ) {}

  async consume(key: string): Promise<RateLimiterRes> {
    for (;;) {
      const lease = this.held.get(key);
      const now = Date.now();
      if (lease && lease.until > now) {
        if (lease.left > 0) {
          lease.left--;
          return new RateLimiterRes(lease.left, lease.until - now, 0, false);
        }
        // The store's budget for this window is spent: refused here without asking it again.
        if (lease.spent) throw new RateLimiterRes(0, lease.until - now, this.points, false);
      }
      // One lease in flight per key: the requests that arrive meanwhile share what it brings.
      let pending = this.leasing.get(key);
      if (!pending) {
        pending = this.lease(key).finally(() => this.leasing.delete(key));
        this.leasing.set(key, pending);
      }
      await pending;
    }
  }

  private async lease(key: string): Promise<void> {
    if (this.held.size >= MAX_HELD_KEYS) this.forgetEnded();
    try {
      const res = await this.store.consume(key, this.size);
      this.held.set(key, { left: this.size, until: Date.now() + res.msBeforeNext, spent: false });
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw err;
      // The store counted the whole lease; what was left under the budget before it is this process's to give. (A
      // refusal from the store's in-memory block carries no count: nothing is left.)
      const before = err.consumedPoints - this.size;
      const left = err.consumedPoints >= this.size ? Math.min(this.size, Math.max(0, this.points - before)) : 0;
      this.held.set(key, { left, until: Date.now() + err.msBeforeNext, spent: true });
    }
  }

  private forgetEnded(): void {
    const now = Date.now();
    for (const [key, lease] of this.held) if (lease.until <= now) this.held.delete(key);
  }
}

/** How many callers' leases a process keeps before it forgets those whose window has ended. */
const MAX_HELD_KEYS = 10_000;
