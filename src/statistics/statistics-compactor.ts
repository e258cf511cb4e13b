import type { Orm } from '../db/database';
import type { Logger } from '../logger';

/**
 * Folds the statistics rollup's delta rows into one row per key every few seconds (see the case_statistics
 * migration and migrations/sql/120_case_statistics.sql). Every API process runs one; an advisory lock lets one
 * fold at a time, the others skip that turn. Readers sum the folded rows and the deltas, so a fold changes no answer.
 */
export class StatisticsCompactor {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly orm: Orm,
    private readonly log: Logger,
    private readonly everyMs = 5_000,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.compact(), this.everyMs);
    this.timer.unref();
  }

  /** One fold, now. */
  compact(): Promise<void> {
    this.running ??= this.orm.em
      .fork()
      .transactional(async (em) => {
        const conn = em.getConnection();
        const trx = em.getTransactionContext();
        const [lock] = await conn.execute<Array<{ ok: boolean }>>(
          `select pg_try_advisory_xact_lock(hashtextextended('case_statistics', 0)) as ok`,
          [],
          'all',
          trx,
        );
        if (lock?.ok) await conn.execute('select compact_case_statistics()', [], 'all', trx);
      })
      .catch((err: unknown) => this.log.warn({ err }, 'statistics rollup: compaction failed; the next turn tries again'))
      .finally(() => (this.running = undefined));
    return this.running;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
