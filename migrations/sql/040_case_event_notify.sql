-- The case file as a feed: each insert wakes the API processes' listeners. The notification only wakes them; they
-- read the entries from the table.
create or replace function case_event_notify() returns trigger language plpgsql as $$
begin
  perform pg_notify('case_events', new.id::text);
  return null;
end $$;

drop trigger if exists case_event_notify on case_event;
create trigger case_event_notify after insert on case_event for each row execute function case_event_notify();
