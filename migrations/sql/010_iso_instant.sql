-- An instant as JavaScript's toISOString() writes it, which is how the case file stores times.
create or replace function iso_instant(t timestamptz) returns text language sql stable as $$
  select to_char(t at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;
