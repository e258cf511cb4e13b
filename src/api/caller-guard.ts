import { GraphQLError, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { RateLimiterRes } from 'rate-limiter-flexible';
import { memoryRateLimiters, type RateLimiter, type RateLimiters } from '../infra/rate-limiters';
import { Tokens, TokenError } from '../auth/tokens';
import type { Actor } from './context';
import { DocumentLimits, type CallerTier, type OperationRule } from './document-limits';
import { ErrorCode } from '../domain/errors';
import { rateLimitedHttp } from './errors';

/**
 * Who is calling and whether they may, for both transports: HTTP calls it for every request, graphql-ws at
 * `connection_init` (authentication, one rate-limit point) and for every `subscribe` (rate limit, document limits).
 * One principal has one budget whichever transport it uses: a user by id, an anonymous caller by address.
 */
export class CallerGuard {
  private readonly signedInLimiter: RateLimiter;
  private readonly anonymousLimiter: RateLimiter;
  /** Per second, twice the minute's mean rate (at least 10): a minute's budget cannot be spent in one burst. */
  private readonly signedInBurst: RateLimiter;
  private readonly anonymousBurst: RateLimiter;
  readonly documents: DocumentLimits;
  /** Tokens whose signature verified, with who they name (oldest dropped past VERIFIED_TOKENS). */
  private readonly verified = new Map<string, Actor>();

  constructor(
    private readonly tokens: Tokens,
    schema: GraphQLSchema,
    rates: { signedInPerMinute: number; anonymousPerMinute: number },
    /** Where the minute's counts are kept: in PostgreSQL, shared by every API process (src/infra/rate-limiters.ts); default this process's memory. */
    limiters: RateLimiters = memoryRateLimiters,
  ) {
    this.signedInLimiter = limiters({ points: rates.signedInPerMinute, duration: 60, keyPrefix: 'user' });
    this.anonymousLimiter = limiters({ points: rates.anonymousPerMinute, duration: 60, keyPrefix: 'anon' });
    const burst = (perMinute: number) => Math.max(10, Math.ceil(perMinute / 30));
    // The burst limit shapes what one process takes in a second and is kept in its memory: the minute's budget,
    // shared, is what bounds a principal across processes, at one counter's round trip per request, not two.
    this.signedInBurst = memoryRateLimiters({ points: burst(rates.signedInPerMinute), duration: 1, keyPrefix: 'user-burst' });
    this.anonymousBurst = memoryRateLimiters({ points: burst(rates.anonymousPerMinute), duration: 1, keyPrefix: 'anon-burst' });
    this.documents = new DocumentLimits(schema);
  }

  /**
   * The caller named by `Authorization: Bearer <token>`, or nobody when there is none (the public lookups answer
   * anonymous callers). A token that does not verify is refused outright (401): it is never treated as anonymous.
   */
  authenticate(header: string | undefined): Actor | undefined {
    if (!header) return undefined;
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) throw unauthenticatedHttp('the Authorization header must be "Bearer <token>"');
    const token = m[1]!;
    // A token verified before is the same principal until it expires: its signature is not checked again.
    const known = this.verified.get(token);
    if (known && known.expiresAt! > Date.now()) return { ...known, roles: known.roles && [...known.roles] };
    try {
      const p = this.tokens.verify(token);
      const actor: Actor = { userId: p.userId, agencyId: p.agencyId, agencyKind: p.agencyKind, roles: p.roles, expiresAt: p.expiresAt };
      this.verified.set(token, { ...actor, roles: actor.roles && [...actor.roles] });
      if (this.verified.size > VERIFIED_TOKENS) this.verified.delete(this.verified.keys().next().value!);
      return actor;
    } catch (err) {
      if (err instanceof TokenError) throw unauthenticatedHttp(err.message);
      throw err;
    }
  }

  /** One request's point of the principal's budget: past it, RATE_LIMITED (429) with when to retry. */
  async admit(actor: Actor | undefined, address: string | undefined): Promise<void> {
    const [burst, limiter, key] = actor
      ? [this.signedInBurst, this.signedInLimiter, actor.userId]
      : [this.anonymousBurst, this.anonymousLimiter, address ?? 'unknown'];
    try {
      await burst.consume(key);
      await limiter.consume(key);
    } catch (res) {
      if (res instanceof Error) throw res;
      throw rateLimitedHttp((res as RateLimiterRes).msBeforeNext);
    }
  }

  /** The parsed document, within the caller's tier of limits, or DocumentRefused (see DocumentLimits). */
  checkDocument(text: string, actor: Actor | undefined, variables?: unknown, operationRule?: OperationRule): DocumentNode {
    const vars =
      typeof variables === 'object' && variables !== null && !Array.isArray(variables) ? (variables as Record<string, unknown>) : undefined;
    return this.documents.check(text, tierOf(actor), vars, operationRule);
  }
}

/** How many verified tokens one process remembers (about one per signed-in user calling it). */
const VERIFIED_TOKENS = 2_000;

export function tierOf(actor: Actor | undefined): CallerTier {
  return actor ? 'signedIn' : 'anonymous';
}

function unauthenticatedHttp(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.Unauthenticated, http: { status: 401 } } });
}
