import type { EntityManager } from '@mikro-orm/postgresql';
import { RateLimiterMemory, RateLimiterPostgres, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Orm } from '../db/database';

/** One budget: `points` per `duration` seconds for each key, under `keyPrefix`. */
export interface LimiterSpec {
  points: number;
  duration: number;
  keyPrefix: string;
}

/** Makes the rate limiters of the API (src/api/caller-guard.ts) and the public lookups (src/cases/case-status-attempts.ts). */
export type RateLimiters = (spec: LimiterSpec) => RateLimiterAbstract;

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
 */
export function postgresRateLimiters(orm: Orm): RateLimiters {
  const knex = (orm.em as EntityManager).getConnection().getKnex();
  return (spec) =>
    new RateLimiterPostgres({
      storeClient: knex,
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
