import type { EntityManager } from '@mikro-orm/postgresql';
import type { AgencyKind } from '../agencies/agency.entity';
import type { Config } from '../config';
import type { CaseEventFeed } from '../events/case-event-feed';
import type { Logger } from '../logger';
import type { Loaders } from './loaders';
import type { Services } from './services';

/** Who is acting: from the request's verified token (absent for anonymous callers), or set by a worker step. */
export interface Actor {
  userId: string;
  agencyId: string;
  agencyKind?: AgencyKind;
  roles?: string[];
  /** When the token that named this caller expires (ms since the epoch): a socket opened with it closes then. */
  expiresAt?: number;
}

/**
 * What every resolver and service call receives, explicitly: who is asking, the request's own entity manager
 * (a fork: no identity map is shared between requests), its batch loaders, logger and id.
 */
export interface RequestContext {
  requestId: string;
  log: Logger;
  em: EntityManager;
  services: Services;
  loaders: Loaders;
  actor?: Actor;
  /** The caller's network address (the anonymous caller's identity for attempt limits). */
  clientAddress?: string;
  /** The root field of the GraphQL operation (e.g. `acceptCase`), or `workflow:<step>` in a worker step. */
  operation?: string;
  /**
   * Set only by the worker for a step a workflow has already authorized (its update validator checked the
   * actor against the process): the policy's own checks are not repeated there.
   */
  trusted?: boolean;
  config: Pick<Config, 'cases'>;
  /** The case-event feed of this API process (subscriptions). */
  feed?: CaseEventFeed;
}
