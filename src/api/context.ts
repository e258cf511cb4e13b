import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from '../logger';
import type { Services } from './services';

/**
 * What every resolver and service call receives, explicitly: who is asking (from issue 5 on), the request's
 * own entity manager (a fork: no identity map is shared between requests), its logger and its id.
 */
export interface RequestContext {
  requestId: string;
  log: Logger;
  em: EntityManager;
  services: Services;
}
