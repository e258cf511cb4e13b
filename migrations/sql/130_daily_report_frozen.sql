-- A daily report is a record: once made, the database refuses to change or remove it.
create or replace function daily_report_frozen() returns trigger language plpgsql as $$
begin
  raise exception 'daily_report is a record: % refused', tg_op using errcode = '55000';
end $$;

drop trigger if exists daily_report_frozen on daily_report;
create trigger daily_report_frozen before update or delete on daily_report
  for each row execute function daily_report_frozen();
