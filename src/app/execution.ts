import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { systemClock, type Actor, type Clock, type ExecutionContext } from '../core/execution-context';
import { createLoaders } from '../db/loaders';
import type { Logger } from '../logger';

/**
 * An execution context over `em` (the caller forks it: one per request, one per activity attempt). The API edge
 * makes one per GraphQL operation, the worker edge one per activity; a use case cannot tell them apart.
 */
export function executionContext(opts: {
  em: EntityManager;
  log: Logger;
  actor?: Actor;
  operation?: string;
  requestId?: string;
  clock?: Clock;
  clientAddress?: string;
}): ExecutionContext {
  return {
    requestId: opts.requestId ?? randomUUID(),
    log: opts.log,
    em: opts.em,
    loaders: createLoaders(opts.em),
    clock: opts.clock ?? systemClock,
    actor: opts.actor,
    operation: opts.operation,
    clientAddress: opts.clientAddress,
  };
}
