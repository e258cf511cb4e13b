import type { Services } from '../app/services';
import type { Orm } from '../db/database';
import type { Logger } from '../logger';
import { applyProcessStep } from '../processes/process-step';
import type { EscalationInput, ProcessActivities, ProcessStepInput } from '../processes/process-step.contract';
import { createWebhookActivities } from '../webhooks/webhook-activities';
import { atWorkerEdge } from './worker-edge';

/**
 * Activities of the case workflows, built from their dependencies (the worker wires the real database).
 * Each is idempotent: Temporal retries an activity whose result it did not hear, so a second run must find
 * the first one's work and do nothing.
 */
export function createCaseActivities(deps: { orm: Orm; log: Logger; services: Services }) {
  const activities = {
    ...createWebhookActivities(deps),
    /** One step of a cross-agency process (or one of its escalations), written once. */
    recordProcessStep(input: ProcessStepInput): Promise<{ recorded: boolean }> {
      return atWorkerEdge(() => applyProcessStep({ em: deps.orm.em, cases: deps.services.cases, outbox: deps.services.outbox, log: deps.log }, input));
    },

    /** Writes the escalation into the case file once (a retry finds it there and stops). */
    async recordEscalation(input: EscalationInput): Promise<{ recorded: boolean }> {
      const em = deps.orm.em.fork();
      return em.transactional(async (tem) => {
        const conn = tem.getConnection();
        const trx = tem.getTransactionContext();
        const locked = await conn.execute<Array<{ number: string }>>(`select number from wage_case where id = ? for update`, [input.caseId], 'all', trx);
        if (!locked[0]) throw new Error(`case ${input.caseId} not found`);
        const already = await conn.execute(
          `select 1 from case_event where case_id = ? and type = 'ESCALATED' and payload->>'kind' = ?`,
          [input.caseId, input.kind],
          'all',
          trx,
        );
        if (already.length > 0) return { recorded: false };
        const [{ version }] = (await conn.execute<Array<{ version: number }>>(
          `update wage_case set version = version + 1, updated_at = now() where id = ? returning version`,
          [input.caseId],
          'all',
          trx,
        )) as [{ version: number }];
        await conn.execute(
          `insert into case_event (case_id, seq, type, at, payload, operation) values (?, ?, 'ESCALATED', now(), ?::jsonb, 'workflow:caseLifecycle')`,
          [input.caseId, version, JSON.stringify({ kind: input.kind, deadline: input.deadline, escalateTo: input.escalateTo })],
          'run',
          trx,
        );
        deps.log.warn({ caseNumber: locked[0].number, kind: input.kind, escalateTo: input.escalateTo }, 'deadline missed: escalated');
        return { recorded: true };
      });
    },
  };
  return activities satisfies ProcessActivities;
}

export type CaseActivities = ReturnType<typeof createCaseActivities>;
