import type { RateLimiterRes } from 'rate-limiter-flexible';
import { memoryRateLimiters, type RateLimiter, type RateLimiters } from '../infra/rate-limiters';
import { rateLimited } from '../domain/errors';

/**
 * How many public `caseStatus` lookups are allowed. The lookup answers only to the case number and the
 * complainant's phone, and a masked phone (`138****1234`) leaves 10,000 candidates: without a limit per case
 * number, the number and the masked phone are enough to recover the whole mobile.
 *
 * The figures are local practice, not law (no statute sets them): a complainant checks their case a few times
 * a day at most and mistypes a phone once or twice; 20 lookups of one case number a day and 60 lookups by one
 * caller an hour are far above that, and put the 10,000 guesses at well over a year per case.
 */
export interface CaseStatusLimits {
  /** Lookups of one case number in 24 hours, by anyone (CASE_STATUS_LOOKUPS_PER_NUMBER_PER_DAY). */
  perNumberPerDay: number;
  /** Lookups by one caller (a user, or an address when anonymous) in an hour (CASE_STATUS_LOOKUPS_PER_CALLER_PER_HOUR). */
  perCallerPerHour: number;
}

export const DEFAULT_CASE_STATUS_LIMITS: CaseStatusLimits = { perNumberPerDay: 20, perCallerPerHour: 60 };

/**
 * Counts every lookup, found or not, before it runs: an answer that depended on whether the guess was right
 * would itself be the oracle. A number past its budget is refused for everyone, its complainant included,
 * until the day's window moves on (the hotline still answers them); that is the price of not leaking the phone.
 */
export class CaseStatusAttempts {
  private readonly byNumber: RateLimiter;
  private readonly byCaller: RateLimiter;

  /** `limiters`: where the counts are kept (PostgreSQL in the services, shared by every API process; default memory). */
  constructor(limits: CaseStatusLimits = DEFAULT_CASE_STATUS_LIMITS, limiters: RateLimiters = memoryRateLimiters) {
    this.byNumber = limiters({ points: limits.perNumberPerDay, duration: 24 * 3600, keyPrefix: 'case-status-number' });
    this.byCaller = limiters({ points: limits.perCallerPerHour, duration: 3600, keyPrefix: 'case-status-caller' });
  }

  /** Spends one attempt of the caller and one of the case number; RATE_LIMITED with retryAfterSeconds past either. */
  async spend(caseNumber: string, caller: string): Promise<void> {
    // The caller first: a caller past its own budget does not spend the number's.
    await consume(this.byCaller, caller);
    await consume(this.byNumber, caseNumber);
  }
}

async function consume(limiter: RateLimiter, key: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (res) {
    if (res instanceof Error) throw res;
    throw rateLimited((res as RateLimiterRes).msBeforeNext);
  }
}
