/**
 * What a use case answers when it refuses: an error with a code a client can switch on, and details (the field and
 * the rule broken, what was not found). It knows no transport: the API edge hands it to GraphQL (graphql-js keeps
 * an error's `extensions` when it locates it), the worker edge turns it into a Temporal ApplicationFailure.
 * Anything that is not a DomainError is a fault and reaches clients only as INTERNAL_SERVER_ERROR.
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

export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode];

export class DomainError extends Error {
  readonly extensions: { code: string } & Record<string, unknown>;

  constructor(message: string, code: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'DomainError';
    this.extensions = { code, ...details };
  }

  get code(): string {
    return this.extensions.code;
  }
}

/** Invalid input: names the field (as a path from the argument) and the rule it broke. */
export function badUserInput(field: string, rule: string, message: string): DomainError {
  return new DomainError(`${field}: ${message}`, ErrorCode.BadUserInput, { field, rule });
}

export function notFound(what: string, key: string): DomainError {
  return new DomainError(`${what} ${key} not found`, ErrorCode.NotFound, { what, key });
}

export function conflict(message: string, details: Record<string, unknown> = {}): DomainError {
  return new DomainError(message, ErrorCode.Conflict, details);
}

export function forbidden(message: string): DomainError {
  return new DomainError(message, ErrorCode.Forbidden);
}

export function unauthenticated(message: string): DomainError {
  return new DomainError(message, ErrorCode.Unauthenticated);
}

export function processStarting(workflowId: string): DomainError {
  return new DomainError(`the process ${workflowId} has not started yet; try again shortly`, ErrorCode.ProcessStarting);
}

/** Past a rate or attempt limit: RATE_LIMITED with when to retry. */
export function rateLimited(msBeforeNext: number | undefined): DomainError {
  const retryAfterSeconds = Math.max(1, Math.ceil((msBeforeNext ?? 1000) / 1000));
  return new DomainError(`too many requests: retry in ${retryAfterSeconds} s`, ErrorCode.RateLimited, { retryAfterSeconds });
}

/** A lookup by one of several keys: exactly one must be given; the error names the first key. */
export function requireExactlyOne(keys: Record<string, unknown>): void {
  const names = Object.keys(keys);
  if (names.filter((k) => keys[k] != null).length !== 1) {
    throw badUserInput(names[0]!, 'exactly-one-key', `give exactly one of ${names.join(' or ')}`);
  }
}
