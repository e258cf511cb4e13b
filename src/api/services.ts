import type { Connection } from '@temporalio/client';
import type { Orm } from '../db/database';
import { CaseService } from '../cases/case.service';
import { IntakeService } from '../cases/intake.service';
import { EmployerService } from '../employers/employer.service';
import { HealthService } from '../health/health.service';
import { ProjectService } from '../projects/project.service';

/** The services behind the resolvers: created once per process, given the request context on every call. */
export interface Services {
  health: HealthService;
  employers: EmployerService;
  projects: ProjectService;
  intake: IntakeService;
  cases: CaseService;
  /** Asks the outbox relay to deliver now (after a commit); a no-op where no relay runs in this process. */
  outboxNudge: () => void;
}

export function createServices(deps: { orm: Orm; temporal: Connection; outboxNudge?: () => void }): Services {
  return {
    health: new HealthService(deps.orm, deps.temporal),
    employers: new EmployerService(),
    projects: new ProjectService(),
    intake: new IntakeService(),
    cases: new CaseService(),
    outboxNudge: deps.outboxNudge ?? (() => undefined),
  };
}
