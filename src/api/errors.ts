import { GraphQLError } from 'graphql';
import { rateLimited, type DomainError } from '../domain/errors';

/** The API edge's side of errors: a domain error as GraphQL gives it to clients, with an HTTP status if it has one. */
export function toGraphQLError(err: DomainError, http?: { status: number; headers?: Map<string, string> }): GraphQLError {
  return new GraphQLError(err.message, { originalError: err, extensions: { ...err.extensions, ...(http ? { http } : {}) } });
}

/** Past the caller's rate budget, at the edge (before anything runs): 429 with Retry-After. */
export function rateLimitedHttp(msBeforeNext: number | undefined): GraphQLError {
  const err = rateLimited(msBeforeNext);
  return toGraphQLError(err, { status: 429, headers: new Map([['retry-after', String(err.extensions.retryAfterSeconds)]]) });
}
