import { Migration } from '@mikro-orm/migrations';

/**
 * The statistics rollup in cuts (`cut`): besides every dimension (F), the same sums by region and owning agency
 * alone (R), and with one of channel (C), sector (S) or status (T); the dimensions a cut leaves out hold '*'.
 * A question about at most one of channel, sector and status reads its cut: a few dozen rows a day rather than
 * a row for nearly every case of the day.
 */
export class Migration20261202010002_case_statistics_cuts extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      alter table case_statistics add column cut char(1) not null default 'F' check (cut in ('F', 'R', 'C', 'S', 'T'));
      alter table case_statistics_delta add column cut char(1) not null default 'F' check (cut in ('F', 'R', 'C', 'S', 'T'));
      alter table case_statistics drop constraint case_statistics_pkey;
      alter table case_statistics add primary key (grain, cut, period, region_code, channel, sector, status, owning_agency_id);
      drop index case_statistics_period_idx;
      create index case_statistics_period_idx on case_statistics (grain, cut, period)
        include (region_code, channel, sector, status, owning_agency_id,
                 cases, accepted, resolved, closed, workers_claimed, fen_claimed, workers_paid, fen_recovered);
    `);
  }

  override async down(): Promise<void> {
    this.addSql(`
      delete from case_statistics where cut <> 'F';
      drop index case_statistics_period_idx;
      alter table case_statistics drop constraint case_statistics_pkey;
      alter table case_statistics add primary key (grain, period, region_code, channel, sector, status, owning_agency_id);
      alter table case_statistics drop column cut;
      alter table case_statistics_delta drop column cut;
      create index case_statistics_period_idx on case_statistics (grain, period)
        include (region_code, channel, sector, status, owning_agency_id,
                 cases, accepted, resolved, closed, workers_claimed, fen_claimed, workers_paid, fen_recovered);
    `);
  }
}
