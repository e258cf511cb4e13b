import type { Orm } from '../db/database';
import type { Logger } from '../logger';

/**
 * Folds the case tally's +1/-1 rows into one per (region, status) every few seconds (see the case_tally
 * migration). Every API process runs one; an advisory lock lets one fold at a time, the others skip that turn.
 */
export class CaseTallyCompactor {
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
        const [lock] = await em
          .getConnection()
          .execute<Array<{ ok: boolean }>>(
            `select pg_try_advisory_xact_lock(hashtextextended('case_tally', 0)) as ok`,
            [],
            'all',
            em.getTransactionContext(),
          );
        if (lock?.ok) await em.getConnection().execute('select compact_case_tally()', [], 'all', em.getTransactionContext());
      })
      .catch((err: unknown) => this.log.warn({ err }, 'case tally: compaction failed; the next turn tries again'))
      .finally(() => (this.running = undefined));
    return this.running;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
