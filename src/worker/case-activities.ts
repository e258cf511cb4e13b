import { Context } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { deadlineGroup, deadlineGroupId } from '../../workflows/deadline-group';
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
  /** Cases per escalate_due_clocks call (default DUE_CLOCK_BATCH); a test sets it small to sweep in several batches. */
  dueClockBatch?: number;
}) {
  const dueClockBatch = deps.dueClockBatch ?? DUE_CLOCK_BATCH;
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

  /** The deadline groups this worker has started, by workflow id, with their instants (joinDeadlineGroup). */
  const groupsStarted = new Map<string, number>();

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
     * Escalates a lifecycle clock whose own timer ran out into the case file once (a retry finds it there and stops),
     * judged as the case stood at the deadline, like the deadline groups' sweep: one statement,
     * `escalate_clock_at()` (migrations/sql/160_escalate_due_clocks.sql), which locks the case row, rebuilds its
     * state at the instant from its file and writes through `record_escalation()` (version bump, entry at that
     * version). A step committed before the deadline whose signal reached the workflow after its timer escalates
     * nothing.
     */
    async recordEscalation(input: EscalationInput): Promise<{ recorded: boolean; escalated: boolean }> {
      const rows = await deps.orm.em
        .getConnection()
        .execute<Array<{ case_number: string | null; escalated: boolean }>>(
          'select case_number, escalated from escalate_clock_at(?, ?, ?, ?::timestamptz, ?)',
          [input.caseId, input.kind, input.escalateTo, input.deadline, 'workflow:caseLifecycle'],
        );
      const number = rows[0]?.case_number ?? null;
      const escalated = !!rows[0]?.escalated;
      if (number === null) return { recorded: false, escalated };
      deps.log.warn({ caseNumber: number, kind: input.kind, escalateTo: input.escalateTo }, 'deadline missed: escalated');
      return { recorded: true, escalated: true };
    },

    /**
     * The clocks of every case due at `due`, escalated in batches of `dueClockBatch` (each one statement and one
     * transaction, escalate_due_clocks in migrations/sql/160_escalate_due_clocks.sql). A retry after a worker died
     * mid-sweep finds the written entries and goes on with the rest. `failed`: the cases whose entry could not be
     * written (each logged as an error), which the sweep passed over.
     */
    async escalateDueClocks(input: { due: string }): Promise<{ escalated: number; failed: number }> {
      let escalated = 0;
      let failed = 0;
      let after: { caseId: string; kind: string } | null = null; // the last candidate answered: the next batch starts past it
      const sweep = (isolate: boolean) =>
        deps.orm.em
          .getConnection()
          .execute<
            Array<{ case_id: string; case_number: string; kind: string; escalate_to: string; escalated: boolean; error: string | null }>
          >('select case_id, case_number, kind, escalate_to, escalated, error from escalate_due_clocks(?, ?, ?, ?::uuid, ?, ?)', [
            input.due,
            dueClockBatch,
            'workflow:deadlineGroup',
            after?.caseId ?? null,
            after?.kind ?? null,
            isolate,
          ]);
      for (;;) {
        let rows: Awaited<ReturnType<typeof sweep>>;
        try {
          rows = await sweep(false);
        } catch (err) {
          // The batch rolled back: one case's write raised, or the database went away. The batch again, each case on
          // its own, so one case that cannot be written does not hold back every case after it (a second failure
          // here is the database's: the activity fails and Temporal retries it).
          deps.log.error({ err, due: input.due }, 'deadline sweep: a batch failed; its cases again, one at a time');
          rows = await sweep(true);
        }
        for (const r of rows) {
          if (r.error !== null) {
            failed++;
            deps.log.error(
              { caseNumber: r.case_number, kind: r.kind, error: r.error },
              'deadline missed: the escalation could not be written',
            );
            continue;
          }
          if (!r.escalated) continue;
          escalated++;
          deps.log.warn({ caseNumber: r.case_number, kind: r.kind, escalateTo: r.escalate_to }, 'deadline missed: escalated');
        }
        heartbeat(escalated);
        if (rows.length < dueClockBatch) return { escalated, failed };
        const last = rows[rows.length - 1]!;
        after = { caseId: last.case_id, kind: last.kind };
      }
    },

    /**
     * Starts the deadline group of `due` unless it runs. Called by every case that has a clock at that instant —
     * thousands at once on a busy day — so the worker remembers the instants whose group it has started and asks
     * the server once per instant, not once per case. A group is started long before its instant (the lifecycle
     * keeps a timer of its own for a deadline closer than DEADLINE_GROUP_MIN_LEAD_MS), so a remembered group has not
     * yet run its sweep, and the sweep reads the case's row, committed before its workflow existed.
     */
    async joinDeadlineGroup(input: { due: string }): Promise<void> {
      const ctx = Context.current();
      const workflowId = deadlineGroupId(ctx.info.taskQueue, input.due);
      if (groupsStarted.has(workflowId)) return;
      try {
        await ctx.client.workflow.start(deadlineGroup, {
          workflowId,
          taskQueue: ctx.info.taskQueue,
          args: [{ due: new Date(input.due).toISOString() }],
        });
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      }
      const now = Date.now();
      for (const [id, due] of groupsStarted) if (due < now) groupsStarted.delete(id); // run out: nobody joins them now
      groupsStarted.set(workflowId, Date.parse(input.due));
    },

    /** The case's number, region, owner and status for the calling workflow's search attributes; null where unregistered. */
    caseSearchFacts(input: { caseId: string }): Promise<CaseSearchFacts | null> {
      return searchFacts(input.caseId);
    },
  };
  return activities satisfies ProcessActivities;
}

/** Cases per escalate_due_clocks call: one transaction each, a few seconds at most. */
const DUE_CLOCK_BATCH = 2_000;

/** Reports progress where an activity runs (the sweep's heartbeat); a direct call from a test has no context. */
function heartbeat(details: unknown): void {
  try {
    Context.current().heartbeat(details);
  } catch {
    // not in an activity
  }
}

export type CaseActivities = ReturnType<typeof createCaseActivities>;
