-- Case counts by region and status for the dashboards' totalCount, without counting the cases: a +1/-1 row for
-- every case that appears in or leaves a (region, status); compact_case_tally() folds them into one per
-- (region, status). Seeding in bulk with triggers off must end with rebuild_case_tally().
create or replace function case_tally_count() returns trigger language plpgsql as $$
begin
  if tg_op in ('UPDATE', 'DELETE') then
    insert into case_tally (region_code, status, n) values (old.region_code, old.status, -1);
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    insert into case_tally (region_code, status, n) values (new.region_code, new.status, 1);
  end if;
  return null;
end $$;

drop trigger if exists wage_case_tally on wage_case;
create trigger wage_case_tally
  after insert or delete on wage_case
  for each row execute function case_tally_count();
drop trigger if exists wage_case_tally_moved on wage_case;
create trigger wage_case_tally_moved
  after update of region_code, status on wage_case
  for each row when (old.region_code is distinct from new.region_code or old.status is distinct from new.status)
  execute function case_tally_count();

create or replace function compact_case_tally() returns void language sql as $$
  with gone as (delete from case_tally returning region_code, status, n)
  insert into case_tally (region_code, status, n)
  select region_code, status, sum(n) from gone group by region_code, status having sum(n) <> 0;
$$;

create or replace function rebuild_case_tally() returns void language plpgsql as $$
begin
  lock table wage_case in share mode; -- no case changes while it recounts
  delete from case_tally;
  insert into case_tally (region_code, status, n) select region_code, status, count(*) from wage_case group by region_code, status;
end $$;
