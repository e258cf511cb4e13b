import { Client, type Connection } from '@temporalio/client';
import type { Orm } from '../db/database';
import { CaseStatusAttempts, type CaseStatusLimits } from '../cases/case-status-attempts';
import { CaseService } from '../cases/case.service';
import { IntakeService } from '../cases/intake.service';
import { EmployerService } from '../employers/employer.service';
import { HealthService } from '../health/health.service';
import { ProjectService } from '../projects/project.service';
import { ProcessService } from '../processes/process.service';
import { WebhookService } from '../webhooks/webhook.service';
import { WebhookTargetPolicy } from '../webhooks/webhook-targets';

/** The services behind the resolvers: created once per process, given the request context on every call. */
export interface Services {
  health: HealthService;
  employers: EmployerService;
  projects: ProjectService;
  intake: IntakeService;
  cases: CaseService;
  processes: ProcessService;
  webhooks: WebhookService;
  /** Attempts of the public status lookup, per case number and per caller. */
  caseStatusAttempts: CaseStatusAttempts;
  /** Asks the outbox relay to deliver now (after a commit); a no-op where no relay runs in this process. */
  outboxNudge: () => void;
}

/**
 * `webhookTargets`: where webhooks may go (default: the refused ranges refused, nothing allowed besides);
 * `maxActiveWebhookEndpoints`: per integrator (default `DEFAULT_MAX_ACTIVE_ENDPOINTS`).
 */
export function createServices(deps: { orm: Orm; temporal: Connection; namespace?: string; workflowClient?: Client; outboxNudge?: () => void; webhookTargets?: WebhookTargetPolicy; maxActiveWebhookEndpoints?: number; caseStatusLimits?: CaseStatusLimits }): Services {
  return {
    health: new HealthService(deps.orm, deps.temporal),
    employers: new EmployerService(),
    projects: new ProjectService(),
    intake: new IntakeService(),
    cases: new CaseService(),
    webhooks: new WebhookService(deps.webhookTargets ?? new WebhookTargetPolicy(), deps.maxActiveWebhookEndpoints),
    caseStatusAttempts: new CaseStatusAttempts(deps.caseStatusLimits),
    processes: new ProcessService(deps.workflowClient ?? new Client({ connection: deps.temporal, namespace: deps.namespace ?? 'default' })),
    outboxNudge: deps.outboxNudge ?? (() => undefined),
  };
}
