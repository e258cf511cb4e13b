import type { Orm } from './database';
import type { Logger } from '../logger';

/**
 * Runs a database fold (a function that folds append-only delta rows into one row per key) every few seconds.
 * Every API process runs one per fold; a transaction-scoped advisory lock lets one process fold at a time, the
 * others skip that turn. Readers sum the folded rows and the deltas, so a fold changes no answer.
 */
export class PeriodicFold {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly orm: Orm,
    private readonly log: Logger,
    /** The advisory lock's name and the SQL function that folds, e.g. `case_tally` and `compact_case_tally`. */
    private readonly fold: { lock: string; fn: string; what: string },
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
          `select pg_try_advisory_xact_lock(hashtextextended(?, 0)) as ok`,
          [this.fold.lock],
          'all',
          trx,
        );
        if (lock?.ok) await conn.execute(`select ${this.fold.fn}()`, [], 'all', trx);
      })
      .catch((err: unknown) => this.log.warn({ err }, `${this.fold.what}: compaction failed; the next turn tries again`))
      .finally(() => (this.running = undefined));
    return this.running;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
