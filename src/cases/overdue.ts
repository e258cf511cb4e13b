import type { CaseStatus } from './case.entity';
import { IN_HANDLING_STATUSES } from '../domain/case-status';
import type { CaseRecord } from './case.entity';

export type OverdueDeadline = 'sameDayContact' | 'acceptance' | 'resolution';

/**
 * When each deadline is overdue: it has passed while the case is still in a status the step it guards belongs
 * to. One table for the list filter (SQL over `wage_case c`) and for each case's `deadlines.overdue`; a test
 * checks the two agree on every case.
 */
const RULES: ReadonlyArray<{
  deadline: OverdueDeadline;
  statuses: readonly CaseStatus[];
  /** The instant it falls due, or null when the step is done; in TypeScript and in SQL. */
  due: (c: CaseRecord) => Date | null | undefined;
  dueSql: string;
}> = [
  // 首日对接: the first contact reached ends it.
  {
    deadline: 'sameDayContact',
    statuses: ['RECEIVED'],
    due: (c) => (c.firstContactAt ? null : c.sameDayContactDue),
    dueSql: 'case when c.first_contact_at is null then c.same_day_contact_due end',
  },
  { deadline: 'acceptance', statuses: ['RECEIVED'], due: (c) => c.acceptanceDue, dueSql: 'c.acceptance_due' },
  // An approved extension replaces the original resolution deadline.
  {
    deadline: 'resolution',
    statuses: IN_HANDLING_STATUSES,
    due: (c) => c.resolutionExtendedDue ?? c.resolutionDue,
    dueSql: 'coalesce(c.resolution_extended_due, c.resolution_due)',
  },
];

export function overdueDeadlines(c: CaseRecord, now = new Date()): OverdueDeadline[] {
  return RULES.filter((r) => {
    const due = r.statuses.includes(c.status) ? r.due(c) : null;
    return !!due && due < now;
  }).map((r) => r.deadline);
}

/**
 * A case with at least one overdue deadline, as a condition on `wage_case c`. Never null (a deadline not set is
 * not overdue), so `not` of it selects exactly the other cases.
 */
export const OVERDUE_SQL = `(${RULES.map((r) => `(c.status in (${r.statuses.map((s) => `'${s}'`).join(', ')}) and coalesce(${r.dueSql} < now(), false))`).join(' or ')})`;
