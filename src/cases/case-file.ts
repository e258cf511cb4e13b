import type { RequiredEntityData } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor } from '../core/execution-context';
import { CaseEvent, type Case, type CaseEventType } from './case.entity';

/**
 * The fields whose changes the case file records as before/after. Intake's entries are written by the database
 * (`case_file_append()` with `case_tracked_state()`, in migrations/sql/): change both, tests compare them
 * (test/cases.test.ts, test/one-writer.test.ts).
 */
const TRACKED = [
  'status',
  'employer',
  'project',
  'leadInspector',
  'amountRecoveredFen',
  'firstContactAt',
  'acceptedAt',
  'resolutionDue',
  'resolutionExtendedDue',
  'resolvedAt',
  'outcomeNote',
  'transferredTo',
] as const satisfies ReadonlyArray<keyof Case>;

export type CaseSnapshot = Partial<Record<(typeof TRACKED)[number], unknown>>;

export function snapshot(c: Case): CaseSnapshot {
  const out: CaseSnapshot = {};
  for (const key of TRACKED) {
    const v = c[key];
    out[key] = v instanceof Date ? v.toISOString() : (v ?? null);
  }
  return out;
}

function diff(before: CaseSnapshot, after: CaseSnapshot): { before: CaseSnapshot; after: CaseSnapshot } {
  const b: CaseSnapshot = {};
  const a: CaseSnapshot = {};
  for (const key of TRACKED) {
    if (before[key] !== after[key]) {
      b[key] = before[key];
      a[key] = after[key];
    }
  }
  return { before: b, after: a };
}

/**
 * Appends one entry to the case file, in the caller's transaction. Its sequence number is the case's version
 * after the change, so every version of a case has exactly one entry and two writers cannot both succeed.
 */
export function appendCaseEvent(em: EntityManager, c: Case, type: CaseEventType, opts: CaseEventOptions): CaseEvent {
  return em.create(CaseEvent, caseEventData(c, type, opts));
}

export interface CaseEventOptions {
  actor?: Actor;
  operation?: string;
  payload?: Record<string, unknown>;
  before?: CaseSnapshot;
  at?: Date;
}

/** The entry `appendCaseEvent` makes, as data (for a caller that writes it in a statement of its own). */
export function caseEventData(c: Case, type: CaseEventType, opts: CaseEventOptions): RequiredEntityData<CaseEvent> {
  const changes = opts.before ? diff(opts.before, snapshot(c)) : { before: undefined, after: snapshot(c) };
  return {
    case: c.id,
    seq: c.version,
    type,
    actorUserId: opts.actor?.userId,
    actorAgencyId: opts.actor?.agencyId,
    operation: opts.operation,
    at: opts.at ?? new Date(),
    payload: opts.payload ?? {},
    before: changes.before,
    after: changes.after,
  };
}
