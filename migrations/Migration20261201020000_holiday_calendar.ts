import { Migration } from '@mikro-orm/migrations';
import { checkedInSchedule } from '../src/domain/state-council-schedule';

/**
 * The State Council holiday schedule as data (issue 14, "the holiday calendar is data"): `calendar_day` lists each
 * holiday (HOLIDAY, weekends inside a holiday included) and each weekend day worked (ADJUSTED_WORKDAY, 调休上班)
 * of a known year; `calendar_year` says which years are known, from which notice, loaded when and by whom (no
 * one: null, for the years this migration seeds). A year not listed is counted on weekdays only.
 *
 * Seeded with 2004–2026 from the checked-in schedule (src/domain/state-council-schedule.ts, generated once from the
 * `chinese-days` package 1.5.7): checked in, not generated from the package as the migration runs, so that this
 * migration seeds the same rows whichever version of the package is installed.
 */
export class Migration20261201020000_holiday_calendar extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table calendar_year (
        year int primary key check (year between 1949 and 2200),
        source text not null check (length(source) > 0),
        loaded_at timestamptz not null default now(),
        loaded_by uuid null references app_user (id)
      );
      create table calendar_day (
        day date primary key,
        kind text not null check (kind in ('HOLIDAY', 'ADJUSTED_WORKDAY')),
        name text not null,
        year int not null references calendar_year (year) on delete cascade,
        check (extract(year from day) = year)
      );
    `);
    for (const y of checkedInSchedule()) {
      this.addSql(`insert into calendar_year (year, source) values (${y.year}, '${y.source.replace(/'/g, "''")}');`);
      const values = y.days.map((d) => `('${d.date}', '${d.kind}', '${d.name.replace(/'/g, "''")}', ${y.year})`).join(',\n        ');
      this.addSql(`insert into calendar_day (day, kind, name, year) values\n        ${values};`);
    }
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists calendar_day; drop table if exists calendar_year;`);
  }
}
