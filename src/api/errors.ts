import { GraphQLError } from 'graphql';

/**
 * Error codes a client can switch on. Expected business outcomes use these; anything else is a fault and
 * reaches clients only as INTERNAL_SERVER_ERROR.
 */
export const ErrorCode = {
  BadUserInput: 'BAD_USER_INPUT',
  NotFound: 'NOT_FOUND',
  Conflict: 'CONFLICT',
  Forbidden: 'FORBIDDEN',
  Unauthenticated: 'UNAUTHENTICATED',
  /** A process whose workflow is still being started (its start waits in the outbox): retry shortly. */
  ProcessStarting: 'PROCESS_STARTING',
  /** Past a rate or attempt limit; `retryAfterSeconds` says when to try again. */
  RateLimited: 'RATE_LIMITED',
  /** An operation this transport does not carry: the WebSocket carries subscriptions only. */
  OperationNotAllowed: 'OPERATION_NOT_ALLOWED',
} as const;

/** Invalid input: names the field (as a path from the argument) and the rule it broke. */
export function badUserInput(field: string, rule: string, message: string): GraphQLError {
  return new GraphQLError(`${field}: ${message}`, { extensions: { code: ErrorCode.BadUserInput, field, rule } });
}

export function notFound(what: string, key: string): GraphQLError {
  return new GraphQLError(`${what} ${key} not found`, { extensions: { code: ErrorCode.NotFound, what, key } });
}

export function conflict(message: string, details: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.Conflict, ...details } });
}

/** A lookup by one of several keys: exactly one must be given; the error names the first key. */
export function requireExactlyOne(keys: Record<string, unknown>): void {
  const names = Object.keys(keys);
  if (names.filter((k) => keys[k] != null).length !== 1) {
    throw badUserInput(names[0]!, 'exactly-one-key', `give exactly one of ${names.join(' or ')}`);
  }
}

export function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.Forbidden } });
}

export function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.Unauthenticated } });
}

/** Past a rate or attempt limit: RATE_LIMITED with when to retry (HTTP 429 with Retry-After over HTTP). */
export function rateLimited(msBeforeNext: number | undefined): GraphQLError {
  const retryAfterSeconds = Math.max(1, Math.ceil((msBeforeNext ?? 1000) / 1000));
  return new GraphQLError(`too many requests: retry in ${retryAfterSeconds} s`, {
    extensions: { code: ErrorCode.RateLimited, retryAfterSeconds, http: { status: 429, headers: new Map([['retry-after', String(retryAfterSeconds)]]) } },
  });
}
