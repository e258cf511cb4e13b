import type { ExecutionContext } from '../core/execution-context';
import type { CaseEventFeed } from '../events/case-event-feed';

export type { Actor } from '../core/execution-context';

/**
 * The GraphQL edge's context: the execution context every use case takes (entity manager, actor, logger, clock,
 * loaders), plus what only this transport has: the case-event feed of this API process (subscriptions). Services
 * reach resolvers through their constructors, never through the context.
 */
export interface RequestContext extends ExecutionContext {
  feed?: CaseEventFeed;
}
