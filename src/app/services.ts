import { postgresRateLimiters, type RateLimiters } from '../infra/rate-limiters';
import { Client, type Connection } from '@temporalio/client';
import type { Orm } from '../db/database';
import { noOutboxNotifier, type OutboxNotifier } from '../core/execution-context';
import { CaseStatusAttempts, type CaseStatusLimits } from '../cases/case-status-attempts';
import { CaseService } from '../cases/case.service';
import { IntakeService, type IntakeRules } from '../cases/intake.service';
import { RosterService } from '../cases/owed-worker.service';
import { InvestigationService } from '../cases/investigation.service';
import { EmployerService } from '../employers/employer.service';
import { HealthService } from '../health/health.service';
import { ProjectService } from '../projects/project.service';
import { ProcessService } from '../processes/process.service';
import { ClosureService } from '../processes/closure/closure.service';
import { AgencyTaskService } from '../processes/agency-tasks';
import type { AnyProcessModule } from '../processes/process-module';
import { WebhookService } from '../webhooks/webhook.service';
import { WebhookTargetPolicy } from '../webhooks/webhook-targets';
import { HolidayCalendarService } from '../calendar/holiday-calendar.service';
import { StatisticsService } from '../statistics/statistics.service';
import { DailyReportService } from '../reports/daily-report.service';
import { StatisticsFigureSource } from '../reports/report-figures';

/**
 * The use cases of Anxin, created once per process with their collaborators passed to their constructors. They
 * know no transport: the API's resolvers and the worker's activities both call them with an execution context.
 */
export interface Services {
  health: HealthService;
  employers: EmployerService;
  projects: ProjectService;
  intake: IntakeService;
  cases: CaseService;
  /** The roster of owed workers of a case. */
  roster: RosterService;
  /** The investigation on the record: team, inquiries, evidence. */
  investigation: InvestigationService;
  processes: ProcessService;
  /** 结案: the closing report and its approval (case steps; the approval schedules the callback). */
  closure: ClosureService;
  /** "My tasks": the steps the processes wait for the caller's agency to take. */
  tasks: AgencyTaskService;
  webhooks: WebhookService;
  /** The holiday calendar: loading a year of the State Council schedule. */
  calendar: HolidayCalendarService;
  /** 统计: the figures the dashboard and the daily report read, in the case list's scope. */
  statistics: StatisticsService;
  /** 日通报: each inspection agency's daily report, made once a day and frozen. */
  dailyReports: DailyReportService;
  /** Attempts of the public status lookup, per case number and per caller. */
  caseStatusAttempts: CaseStatusAttempts;
  /** Asks the outbox relay to deliver now (after a commit); a no-op where no relay runs in this process. */
  outbox: OutboxNotifier;
  /** Each registered process's own service (its start and steps), by module: see `processServiceOf`. */
  processServices: ReadonlyMap<AnyProcessModule, unknown>;
}

export interface ServiceDeps {
  orm: Orm;
  temporal: Connection;
  namespace?: string;
  workflowClient?: Client;
  outboxNudge?: () => void;
  /** Where webhooks may go (default: the refused ranges refused, nothing allowed besides). */
  webhookTargets?: WebhookTargetPolicy;
  /** Per integrator (default `DEFAULT_MAX_ACTIVE_ENDPOINTS`). */
  maxActiveWebhookEndpoints?: number;
  caseStatusLimits?: CaseStatusLimits;
  /** Where the public lookups' limits count (default PostgreSQL, shared by every API process on the database). */
  rateLimiters?: RateLimiters;
  /** Intake's configuration (the repeat-complaint window); default 30 days. */
  intakeRules?: IntakeRules;
  /** 回访: the share of closed cases called back, 0–1 (the city's `CALLBACK_SAMPLE_RATE`); default `callbackRules.samplingRate`. */
  callbackSampleRate?: number;
  /** The registered processes (the registry, `src/processes/registry.ts`, passed in by the composition root). */
  processModules: ReadonlyArray<AnyProcessModule>;
}

export function createServices(deps: ServiceDeps): Services {
  const outbox: OutboxNotifier = deps.outboxNudge ? { nudge: deps.outboxNudge } : noOutboxNotifier;
  const cases = new CaseService(outbox);
  const workflows = deps.workflowClient ?? new Client({ connection: deps.temporal, namespace: deps.namespace ?? 'default' });
  const processes = new ProcessService(workflows, cases, outbox);
  const statistics = new StatisticsService();
  return {
    health: new HealthService(deps.orm, deps.temporal),
    employers: new EmployerService(),
    projects: new ProjectService(),
    intake: new IntakeService(deps.intakeRules ?? { repeatComplaintWindowDays: 30 }, outbox),
    cases,
    roster: new RosterService(cases),
    investigation: new InvestigationService(cases),
    webhooks: new WebhookService(deps.webhookTargets ?? new WebhookTargetPolicy(), deps.maxActiveWebhookEndpoints, outbox),
    caseStatusAttempts: new CaseStatusAttempts(deps.caseStatusLimits, deps.rateLimiters ?? postgresRateLimiters(deps.orm)),
    calendar: new HolidayCalendarService(outbox),
    statistics,
    dailyReports: new DailyReportService(new StatisticsFigureSource(statistics)),
    processes,
    closure: new ClosureService(cases, outbox, deps.callbackSampleRate),
    tasks: new AgencyTaskService(deps.processModules.map((m) => m.definition)),
    outbox,
    processServices: new Map(deps.processModules.map((m) => [m, m.createService(processes)])),
  };
}
