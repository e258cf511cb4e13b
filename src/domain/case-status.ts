import type { CaseStatus } from '../cases/case.entity';

/**
 * Which case statuses are open (a complaint still being handled) and which are in labour inspection's hands. The
 * database says the same of open statuses in `case_status_open()` (migrations/sql/015_case_status_open.sql);
 * test/one-writer.test.ts keeps the two equal.
 */
export const OPEN_CASE_STATUSES = ['RECEIVED', 'ACCEPTED', 'IN_PROGRESS'] as const satisfies ReadonlyArray<CaseStatus>;

/** Accepted and not yet resolved: the statuses in which the case is being handled. */
export const IN_HANDLING_STATUSES = ['ACCEPTED', 'IN_PROGRESS'] as const satisfies ReadonlyArray<CaseStatus>;

export type OpenCaseStatus = (typeof OPEN_CASE_STATUSES)[number];
