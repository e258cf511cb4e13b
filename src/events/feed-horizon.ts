import { EventEmitter } from 'node:events';
import type { Orm } from '../db/database';
import type { CaseEventListener } from './event-listener';

/**
 * The highest entry id below which every entry is final: committed, or known never to come (rolled back).
 * Ids are handed out when a transaction inserts, not when it commits, so a reader that moved past a gap could
 * miss an entry committed later. A gap is waited on until every transaction that was running when it was first
 * seen has finished; then it is a rollback.
 *
 * One per API process. The listener's wake-ups move it (one query each, however many subscribers there are),
 * and it tells the feed only when it has moved: a tick that brought nothing wakes no one.
 */
export class FeedHorizon {
  private readonly advanced = new EventEmitter();
  private safe: bigint | undefined;
  private gap: { id: bigint; xmax: bigint } | undefined;
  private pumping: Promise<void> | undefined;
  private dirty = false;
  private failure: unknown;
  private retry: NodeJS.Timeout | undefined;
  private readonly stopListening: () => void;

  constructor(
    private readonly orm: Orm,
    listener: CaseEventListener,
  ) {
    this.advanced.setMaxListeners(0);
    this.stopListening = listener.onWake(() => this.poke());
  }

  /** The horizon as last read; `current()` reads it first. */
  get top(): bigint | undefined {
    return this.safe;
  }

  /** Calls `fn` whenever the horizon moves; returns the function that stops it. */
  onAdvance(fn: () => void): () => void {
    this.advanced.on('advanced', fn);
    return () => this.advanced.off('advanced', fn);
  }

  /** The horizon as of now: includes every entry committed before the call. */
  async current(): Promise<bigint> {
    this.poke();
    await this.pumping;
    if (this.safe === undefined) throw this.failure;
    return this.safe;
  }

  stop(): void {
    this.stopListening();
    if (this.retry) clearTimeout(this.retry);
    this.advanced.removeAllListeners();
  }

  /** Asks for a read of the horizon; a wake-up during a read asks for another after it, so none is lost. */
  private poke(): void {
    this.dirty = true;
    this.pumping ??= this.pump().finally(() => (this.pumping = undefined));
  }

  private async pump(): Promise<void> {
    while (this.dirty) {
      this.dirty = false;
      const before = this.safe;
      try {
        await this.step();
        this.failure = undefined;
      } catch (err) {
        this.failure = err;
        this.later(1_000); // the database is away: try again rather than wait for the next commit
        return;
      }
      if (this.safe !== before) this.advanced.emit('advanced');
    }
    // A gap ends when its transaction does, which sends no notification of its own when it rolls back.
    if (this.gap) this.later(50);
  }

  private later(ms: number): void {
    if (this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      this.poke();
    }, ms);
    this.retry.unref();
  }

  private async step(): Promise<void> {
    const conn = this.orm.em.getConnection();
    if (this.safe === undefined) {
      const [row] = await conn.execute<Array<{ max: string | null }>>('select max(id)::text as max from case_event');
      this.safe = BigInt(row?.max ?? '0');
    }
    // The ids and the snapshot in one statement. The snapshot is the statement's own, so a transaction that
    // holds a missing id is running in it: every entry is written after its transaction's first change to the
    // case, which is when the transaction takes its id.
    const [read] = (await conn.execute<Array<{ ids: string[]; xmin: string; xmax: string }>>(
      `select array(select id::text from case_event where id > ? order by id limit 5000) as ids,
              pg_snapshot_xmin(s)::text as xmin, pg_snapshot_xmax(s)::text as xmax
         from pg_current_snapshot() s`,
      [this.safe.toString()],
    )) as [{ ids: string[]; xmin: string; xmax: string }];
    let safe: bigint = this.safe;
    try {
      for (const id of read.ids) {
        const next = BigInt(id);
        while (next > safe + 1n) {
          const missing: bigint = safe + 1n;
          if (this.gap?.id === missing && BigInt(read.xmin) >= this.gap.xmax) {
            safe = missing; // every transaction that could have held it has ended: it was rolled back
            this.gap = undefined;
            continue;
          }
          if (this.gap?.id !== missing) this.gap = { id: missing, xmax: BigInt(read.xmax) };
          return;
        }
        safe = next;
        if (this.gap && this.gap.id <= next) this.gap = undefined;
      }
    } finally {
      this.safe = safe;
    }
  }
}
