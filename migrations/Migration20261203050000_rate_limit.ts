import { Migration } from '@mikro-orm/migrations';

/**
 * The per-principal rate limits' counters, shared by every API process (src/infra/rate-limiters.ts): the table of
 * rate-limiter-flexible's PostgreSQL store, in the library's own layout (key, points consumed, expiry in epoch ms),
 * created here rather than by the library at start-up (`tableCreated: true`). Unlogged: a counter lost in a
 * crash only gives a caller a fresh minute, and the writes, one per request, skip the write-ahead log. Expired rows
 * are deleted hourly by the library.
 */
export class Migration20261203050000_rate_limit extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create unlogged table rate_limit (
        key varchar(255) primary key,
        points integer not null default 0,
        expire bigint
      );
    `);
  }

  override async down(): Promise<void> {
    this.addSql('drop table rate_limit;');
  }
}
