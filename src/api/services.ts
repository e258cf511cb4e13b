import type { Connection } from '@temporalio/client';
import type { Orm } from '../db/database';
import { EmployerService } from '../employers/employer.service';
import { HealthService } from '../health/health.service';

/** The services behind the resolvers: created once per process, given the request context on every call. */
export interface Services {
  health: HealthService;
  employers: EmployerService;
}

export function createServices(deps: { orm: Orm; temporal: Connection }): Services {
  return {
    health: new HealthService(deps.orm, deps.temporal),
    employers: new EmployerService(),
  };
}
