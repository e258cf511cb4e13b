import type { Orm } from '../db/database';
import { PeriodicFold } from '../db/periodic-fold';
import type { Logger } from '../logger';

/** Folds the case tally's +1/-1 rows into one per (region, status) every few seconds (see the case_tally migration). */
export class CaseTallyCompactor extends PeriodicFold {
  constructor(orm: Orm, log: Logger, everyMs = 5_000) {
    super(orm, log, { lock: 'case_tally', fn: 'compact_case_tally', what: 'case tally' }, everyMs);
  }
}
