import type { CaseLifecycleInput, CaseStep } from '../../workflows/case-lifecycle';
import type { Case } from './case.entity';

/** The case lifecycle workflow's id: derived from the case, so a retried start can never make a second one. */
export function caseWorkflowId(caseId: string): string {
  return `case-${caseId}`;
}

export function caseLifecycleInput(c: Case): CaseLifecycleInput {
  return { caseId: c.id, caseNumber: c.number, sameDayContactDue: c.sameDayContactDue.toISOString(), acceptanceDue: c.acceptanceDue.toISOString() };
}

export type { CaseStep };
