import type { CaseStatus } from '../cases/case.entity';

/** The case statuses a process may start in: an open case (dispatch), or one accepted and in handling. */
export const IN_HANDLING_OR_RECEIVED: readonly CaseStatus[] = ['RECEIVED', 'ACCEPTED', 'IN_PROGRESS'];
export const IN_HANDLING: readonly CaseStatus[] = ['ACCEPTED', 'IN_PROGRESS'];
