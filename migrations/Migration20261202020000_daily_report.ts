import { Migration } from '@mikro-orm/migrations';

/**
 * The daily report (日通报) of each labour inspection agency, frozen when made: its figures, what changed since the
 * agency's previous report, and every overdue or escalated item flagged for the report, as JSON. One report per
 * agency per Beijing day (the unique key is what makes a retried activity or a second director's request return the
 * first report instead of making another).
 */
export class Migration20261202020000_daily_report extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table daily_report (
        id uuid primary key,
        agency_id uuid not null references agency(id),
        report_day date not null,
        made_at timestamptz not null,
        made_by uuid null references app_user(id),
        content jsonb not null,
        constraint daily_report_agency_day_key unique (agency_id, report_day)
      );
      create index daily_report_agency_newest_idx on daily_report (agency_id, report_day desc, id desc);

      -- A record: once made, a report is never changed or removed.
      create function daily_report_frozen() returns trigger language plpgsql as $$
      begin
        raise exception 'daily_report is a record: % refused', tg_op using errcode = '55000';
      end $$;
      create trigger daily_report_frozen before update or delete on daily_report
        for each row execute function daily_report_frozen();
    `);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table daily_report; drop function daily_report_frozen();`);
  }
}
