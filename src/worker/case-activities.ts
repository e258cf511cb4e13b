import { Context } from '@temporalio/activity';
import type { Services } from '../app/services';
import type { Orm } from '../db/database';
import type { Logger } from '../logger';
import { applyProcessStep } from '../processes/process-step';
import type { EscalationInput, ProcessActivities, ProcessStepInput } from '../processes/process-step.contract';
import type { CaseSearchFacts } from '../domain/search-attributes';
import { createWebhookActivities } from '../webhooks/webhook-activities';
import { atWorkerEdge } from './worker-edge';
import { createDailyReportActivities } from './daily-report-activities';

/**
 * Activities of the case workflows, built from their dependencies (the worker wires the real database).
 * Each is idempotent: Temporal retries an activity whose result it did not hear, so a second run must find
 * the first one's work and do nothing.
 */
export function createCaseActivities(deps: {
  orm: Orm;
  log: Logger;
  services: Services;
  /** Whether a namespace has Anxin's search attributes (src/worker/search-attributes-registered.ts); none: never. */
  searchAttributesRegistered?: (namespace: string) => Promise<boolean>;
}) {
  /** The case's number, region, owner and status, where the calling activity's namespace has the search attributes. */
  async function searchFacts(caseId: string): Promise<CaseSearchFacts | null> {
    const registered = deps.searchAttributesRegistered;
    if (!registered || !(await registered(Context.current().info.namespace))) return null;
    const rows = await deps.orm.em
      .fork()
      .getConnection()
      .execute<Array<{ number: string; region_code: string; owning_agency_id: string; status: string }>>(
        'select number, region_code, owning_agency_id, status from wage_case where id = ?',
        [caseId],
      );
    const c = rows[0];
    return c ? { caseNumber: c.number, region: c.region_code, owningAgency: c.owning_agency_id, caseStatus: c.status } : null;
  }

  const activities = {
    ...createWebhookActivities(deps),
    ...createDailyReportActivities({ orm: deps.orm, log: deps.log, reports: deps.services.dailyReports }),
    /** One step of a cross-agency process (or one of its escalations), written once. */
    async recordProcessStep(input: ProcessStepInput): Promise<{ recorded: boolean; facts?: CaseSearchFacts }> {
      const result = await atWorkerEdge(() =>
        applyProcessStep({ em: deps.orm.em, cases: deps.services.cases, outbox: deps.services.outbox, log: deps.log }, input),
      );
      // The workflow's search attributes follow the step from this answer, without a second activity to read them.
      const facts = await searchFacts(input.caseId);
      return facts ? { ...result, facts } : result;
    },

    /**
     * Writes the escalation into the case file once (a retry finds it there and stops), like every other change: the
     * case row locked, its version bumped, the entry at that version. One statement, `record_escalation()`
     * (migrations/sql/150_record_escalation.sql): in a deadline storm every escalation is one round trip.
     */
    async recordEscalation(input: EscalationInput): Promise<{ recorded: boolean }> {
      const rows = await deps.orm.em
        .getConnection()
        .execute<Array<{ number: string | null }>>('select record_escalation(?, ?, ?, ?, ?) as number', [
          input.caseId,
          input.kind,
          input.deadline,
          input.escalateTo,
          'workflow:caseLifecycle',
        ]);
      const number = rows[0]?.number ?? null;
      if (number === null) return { recorded: false };
      deps.log.warn({ caseNumber: number, kind: input.kind, escalateTo: input.escalateTo }, 'deadline missed: escalated');
      return { recorded: true };
    },

    /** The case's number, region, owner and status for the calling workflow's search attributes; null where unregistered. */
    caseSearchFacts(input: { caseId: string }): Promise<CaseSearchFacts | null> {
      return searchFacts(input.caseId);
    },
  };
  return activities satisfies ProcessActivities;
}

export type CaseActivities = ReturnType<typeof createCaseActivities>;
