import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor } from './actor';
import type { Loaders } from '../db/loaders';
import type { Logger } from '../logger';

export type { Actor };

/** The time a use case runs at: the system clock in production, a fixed or skipped one in a test. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * What a use case needs to run, whoever calls it: a GraphQL resolver (API edge) or a Temporal activity (worker
 * edge) builds one and passes it explicitly. Its own entity manager (a fork: no identity map is shared between
 * calls), who is acting, a logger, a clock, and the batch loaders of its reads. Nothing here knows a transport.
 */
export interface ExecutionContext {
  requestId: string;
  log: Logger;
  em: EntityManager;
  loaders: Loaders;
  clock: Clock;
  actor?: Actor;
  /** The caller's network address (the anonymous caller's identity for attempt limits), when it has one. */
  clientAddress?: string;
  /** What is being done, for the case file: a GraphQL root field (`acceptCase`) or `workflow:<step>`. */
  operation?: string;
}

/** Tells whoever delivers the workflow outbox that rows were just committed (a no-op where nobody delivers). */
export interface OutboxNotifier {
  nudge(): void;
}

export const noOutboxNotifier: OutboxNotifier = { nudge: () => undefined };
