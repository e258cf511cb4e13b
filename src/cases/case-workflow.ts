import { caseLifecycle, type CaseLifecycleInput, type CaseStep } from '../../workflows/case-lifecycle';
import { IN_HANDLING_STATUSES, OPEN_CASE_STATUSES } from '../domain/case-status';
import type { EntityManager } from '@mikro-orm/postgresql';
import { enqueueWorkflowStart } from '../outbox/outbox';
import { Case } from './case.entity';

/** The case lifecycle workflow's id: derived from the case, so a retried start can never make a second one. */
export function caseWorkflowId(caseId: string): string {
  return `case-${caseId}`;
}

/** What the lifecycle workflow starts from; a case being taken in has no number yet (the database gives it). */
export type LifecycleFacts = Pick<Case, 'id' | 'status' | 'sameDayContactDue' | 'acceptanceDue'> &
  Partial<Pick<Case, 'number' | 'firstContactAt' | 'resolutionDue' | 'resolutionExtendedDue'>>;

export function caseLifecycleInput(c: LifecycleFacts): CaseLifecycleInput {
  return {
    caseId: c.id,
    ...(c.number ? { caseNumber: c.number } : {}),
    sameDayContactDue: c.sameDayContactDue.toISOString(),
    acceptanceDue: c.acceptanceDue.toISOString(),
    ...(c.firstContactAt ? { contacted: true } : {}),
    ...(c.resolutionDue && (IN_HANDLING_STATUSES as readonly string[]).includes(c.status)
      ? { resolutionDue: (c.resolutionExtendedDue ?? c.resolutionDue).toISOString() }
      : {}),
  };
}

/**
 * Queues a lifecycle workflow for every open case that has none yet (cases loaded in bulk, such as the demo
 * city), in the caller's transaction; the outbox relay starts them.
 */
export async function enqueueLifecycleForOpenCases(em: EntityManager): Promise<number> {
  const open = await em.find(Case, { status: { $in: [...OPEN_CASE_STATUSES] } });
  const queued = await em
    .getConnection()
    .execute<Array<{ workflow_id: string }>>(`select workflow_id from workflow_outbox where action = 'START' and workflow_id in (?)`, [
      open.length ? open.map((c) => caseWorkflowId(c.id)) : [''],
    ]);
  const have = new Set(queued.map((r) => r.workflow_id));
  let n = 0;
  for (const c of open) {
    if (have.has(caseWorkflowId(c.id))) continue;
    await enqueueWorkflowStart(em, { workflow: caseLifecycle, workflowId: caseWorkflowId(c.id), args: [caseLifecycleInput(c)] });
    n++;
  }
  return n;
}

export type { CaseStep };
