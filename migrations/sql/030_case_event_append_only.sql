-- The case file is append-only: the database itself refuses to change or remove an entry.
create or replace function case_event_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'case_event is append-only: % refused', tg_op using errcode = 'restrict_violation';
end $$;

drop trigger if exists case_event_no_update on case_event;
create trigger case_event_no_update before update or delete on case_event
  for each row execute function case_event_append_only();
drop trigger if exists case_event_no_truncate on case_event;
create trigger case_event_no_truncate before truncate on case_event
  for each statement execute function case_event_append_only();
