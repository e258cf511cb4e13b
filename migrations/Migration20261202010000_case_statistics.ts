import { Migration } from '@mikro-orm/migrations';

/**
 * 统计 rollup: the figures of the cases summed by receipt period (a Beijing day, and the month it falls in),
 * region, channel, sector, status and owning agency, so the city's statistics sum a few thousand rows, not a
 * million cases. Triggers (migrations/sql/120_case_statistics.sql) only ever insert signed rows into
 * `case_statistics_delta` (a case leaving a key subtracts, entering adds; a payment adds to its case's key), so
 * concurrent writers never wait on a counter; `compact_case_statistics()` folds the deltas into `case_statistics`
 * (one row per key) and readers sum both. The functions, triggers and the first fill live in the SQL source.
 */
export class Migration20261202010000_case_statistics extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table case_statistics (
        grain char(1) not null check (grain in ('D', 'M')),
        period date not null,
        region_code varchar(12) not null,
        channel text not null,
        sector text not null,
        status text not null,
        owning_agency_id uuid not null,
        cases bigint not null default 0,
        accepted bigint not null default 0,
        resolved bigint not null default 0,
        closed bigint not null default 0,
        workers_claimed bigint not null default 0,
        fen_claimed bigint not null default 0,
        workers_paid bigint not null default 0,
        fen_recovered bigint not null default 0,
        primary key (grain, period, region_code, channel, sector, status, owning_agency_id)
      );
      create table case_statistics_delta (like case_statistics including defaults);
    `);
  }

  override async down(): Promise<void> {
    this.addSql(`
      drop trigger if exists wage_case_statistics on wage_case;
      drop trigger if exists wage_case_statistics_moved on wage_case;
      drop trigger if exists payment_statistics on payment;
      drop function if exists case_statistics_count(), payment_statistics_count(), compact_case_statistics(), rebuild_case_statistics();
      drop table if exists case_statistics_delta;
      drop table if exists case_statistics;
    `);
  }
}
