import { Migration } from '@mikro-orm/migrations';

/**
 * The statistics rollup by year as well (grain 'Y'): a city's all-time figures sum a few thousand year rows instead
 * of every month's; an index holding every column of the rollup lets a range of periods be read from the index
 * alone. And the open cases by age (against their acceptance and resolution deadlines) read from an
 * index of the open cases alone, with every column the statistics filter and count by, not from the cases.
 */
export class Migration20261202010001_case_statistics_years extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      alter table case_statistics drop constraint case_statistics_grain_check;
      alter table case_statistics add constraint case_statistics_grain_check check (grain in ('D', 'M', 'Y'));
      alter table case_statistics_delta add constraint case_statistics_delta_grain_check check (grain in ('D', 'M', 'Y'));
      create index case_statistics_period_idx on case_statistics (grain, period)
        include (region_code, channel, sector, status, owning_agency_id,
                 cases, accepted, resolved, closed, workers_claimed, fen_claimed, workers_paid, fen_recovered);
      create index wage_case_open_age_idx on wage_case (status, region_code)
        include (channel, sector, owning_agency_id, received_at, acceptance_due, resolution_due, resolution_extended_due)
        where status in ('RECEIVED', 'ACCEPTED', 'IN_PROGRESS');
    `);
  }

  override async down(): Promise<void> {
    this.addSql(`
      drop index if exists wage_case_open_age_idx;
      drop index if exists case_statistics_period_idx;
      alter table case_statistics_delta drop constraint if exists case_statistics_delta_grain_check;
      alter table case_statistics drop constraint case_statistics_grain_check;
      alter table case_statistics add constraint case_statistics_grain_check check (grain in ('D', 'M'));
    `);
  }
}
