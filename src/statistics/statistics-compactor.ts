import type { Orm } from '../db/database';
import { PeriodicFold } from '../db/periodic-fold';
import type { Logger } from '../logger';

/**
 * Folds the statistics rollup's delta rows into one row per key every few seconds (see the case_statistics
 * migration and migrations/sql/120_case_statistics.sql).
 */
export class StatisticsCompactor extends PeriodicFold {
  constructor(orm: Orm, log: Logger, everyMs = 5_000) {
    super(orm, log, { lock: 'case_statistics', fn: 'compact_case_statistics', what: 'statistics rollup' }, everyMs);
  }
}
