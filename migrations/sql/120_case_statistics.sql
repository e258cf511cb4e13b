-- 统计 rollup (see Migration20261202010000_case_statistics): each case's figures summed by receipt period (a
-- Beijing day, grain 'D', its month, grain 'M', and its year, grain 'Y'), region, channel, sector, status and owning agency,
-- in five cuts (every dimension, F; region and agency alone, R; with channel, C, sector, S, or status, T: '*' for the rest). Triggers
-- only insert signed rows into case_statistics_delta: a case leaving a key subtracts its figures there, entering
-- adds them; a payment adds to (or, removed, subtracts from) its case's key. compact_case_statistics() folds the
-- deltas into case_statistics; readers sum both. A payment locks its case's row, so a payment and a change of the
-- case's key in two transactions follow one another: whichever commits second sees the other's write.
-- Seeding in bulk with triggers off must end with rebuild_case_statistics(); changing this file rebuilds (below).

create or replace function case_statistics_add(
  received timestamptz, region varchar, ch text, sec text, st text, agency uuid,
  n bigint, acc bigint, res bigint, clo bigint, wc bigint, fc bigint, wp bigint, fr bigint
) returns void language sql as $$
  insert into case_statistics_delta (grain, cut, period, region_code, channel, sector, status, owning_agency_id,
      cases, accepted, resolved, closed, workers_claimed, fen_claimed, workers_paid, fen_recovered)
  select g.grain, k.cut, g.period, region,
         case when k.cut in ('F', 'C') then ch else '*' end,
         case when k.cut in ('F', 'S') then sec else '*' end,
         case when k.cut in ('F', 'T') then st else '*' end,
         agency, n, acc, res, clo, wc, fc, wp, fr
    from (values ('D', (received at time zone 'Asia/Shanghai')::date),
                 ('M', date_trunc('month', received at time zone 'Asia/Shanghai')::date),
                 ('Y', date_trunc('year', received at time zone 'Asia/Shanghai')::date)) g(grain, period)
    cross join (values ('F'), ('R'), ('C'), ('S'), ('T')) k(cut);
$$;

create or replace function case_statistics_count() returns trigger language plpgsql as $$
declare
  wp bigint;
  fr bigint;
begin
  if tg_op in ('UPDATE', 'DELETE') then
    select coalesce(sum(p.workers_paid), 0), coalesce(sum(p.amount_fen), 0) into wp, fr from payment p where p.case_id = old.id;
    perform case_statistics_add(old.received_at, old.region_code, old.channel, old.sector, old.status, old.owning_agency_id,
      -1, -(old.accepted_at is not null)::int, -(old.resolved_at is not null)::int, -(old.closed_at is not null)::int,
      -coalesce(old.workers_affected, 0), -coalesce(old.amount_claimed_fen, 0), -wp, -fr);
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    select coalesce(sum(p.workers_paid), 0), coalesce(sum(p.amount_fen), 0) into wp, fr from payment p where p.case_id = new.id;
    perform case_statistics_add(new.received_at, new.region_code, new.channel, new.sector, new.status, new.owning_agency_id,
      1, (new.accepted_at is not null)::int, (new.resolved_at is not null)::int, (new.closed_at is not null)::int,
      coalesce(new.workers_affected, 0), coalesce(new.amount_claimed_fen, 0), wp, fr);
  end if;
  return null;
end $$;

drop trigger if exists wage_case_statistics on wage_case;
create trigger wage_case_statistics
  after insert or delete on wage_case
  for each row execute function case_statistics_count();
drop trigger if exists wage_case_statistics_moved on wage_case;
create trigger wage_case_statistics_moved
  after update on wage_case
  for each row when (
    (old.received_at, old.region_code, old.channel, old.sector, old.status, old.owning_agency_id, old.accepted_at,
     old.resolved_at, old.closed_at, old.workers_affected, old.amount_claimed_fen)
    is distinct from
    (new.received_at, new.region_code, new.channel, new.sector, new.status, new.owning_agency_id, new.accepted_at,
     new.resolved_at, new.closed_at, new.workers_affected, new.amount_claimed_fen))
  execute function case_statistics_count();

create or replace function payment_statistics_count() returns trigger language plpgsql as $$
declare
  c record;
begin
  if tg_op in ('UPDATE', 'DELETE') then
    select * into c from wage_case w where w.id = old.case_id for no key update;
    if found then
      perform case_statistics_add(c.received_at, c.region_code, c.channel, c.sector, c.status, c.owning_agency_id,
        0, 0, 0, 0, 0, 0, -old.workers_paid, -old.amount_fen);
    end if;
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    select * into c from wage_case w where w.id = new.case_id for no key update;
    if found then
      perform case_statistics_add(c.received_at, c.region_code, c.channel, c.sector, c.status, c.owning_agency_id,
        0, 0, 0, 0, 0, 0, new.workers_paid, new.amount_fen);
    end if;
  end if;
  return null;
end $$;

drop trigger if exists payment_statistics on payment;
create trigger payment_statistics
  after insert or update or delete on payment
  for each row execute function payment_statistics_count();

-- Folds the deltas visible now into one row per key; deltas committed meanwhile wait for the next fold.
create or replace function compact_case_statistics() returns void language sql as $$
  with gone as (delete from case_statistics_delta returning *)
  insert into case_statistics as s (grain, cut, period, region_code, channel, sector, status, owning_agency_id,
      cases, accepted, resolved, closed, workers_claimed, fen_claimed, workers_paid, fen_recovered)
  select grain, cut, period, region_code, channel, sector, status, owning_agency_id,
         sum(cases), sum(accepted), sum(resolved), sum(closed), sum(workers_claimed), sum(fen_claimed), sum(workers_paid), sum(fen_recovered)
    from gone group by grain, cut, period, region_code, channel, sector, status, owning_agency_id
  on conflict (grain, cut, period, region_code, channel, sector, status, owning_agency_id) do update set
    cases = s.cases + excluded.cases, accepted = s.accepted + excluded.accepted, resolved = s.resolved + excluded.resolved,
    closed = s.closed + excluded.closed, workers_claimed = s.workers_claimed + excluded.workers_claimed,
    fen_claimed = s.fen_claimed + excluded.fen_claimed, workers_paid = s.workers_paid + excluded.workers_paid,
    fen_recovered = s.fen_recovered + excluded.fen_recovered;
$$;

-- Counts everything afresh from the cases and the payments (after a bulk load with triggers off).
create or replace function rebuild_case_statistics() returns void language plpgsql as $$
begin
  lock table wage_case, payment in share mode; -- no case or payment changes while it recounts
  delete from case_statistics_delta;
  delete from case_statistics;
  insert into case_statistics (grain, cut, period, region_code, channel, sector, status, owning_agency_id,
      cases, accepted, resolved, closed, workers_claimed, fen_claimed, workers_paid, fen_recovered)
  select g.grain, 'F', g.period, c.region_code, c.channel, c.sector, c.status, c.owning_agency_id,
         count(*), count(c.accepted_at), count(c.resolved_at), count(c.closed_at),
         coalesce(sum(c.workers_affected), 0), coalesce(sum(c.amount_claimed_fen), 0),
         coalesce(sum(p.workers_paid), 0), coalesce(sum(p.fen), 0)
    from wage_case c
    left join (select case_id, sum(workers_paid) as workers_paid, sum(amount_fen) as fen from payment group by case_id) p on p.case_id = c.id
    cross join lateral (values ('D', (c.received_at at time zone 'Asia/Shanghai')::date),
                               ('M', date_trunc('month', c.received_at at time zone 'Asia/Shanghai')::date),
                               ('Y', date_trunc('year', c.received_at at time zone 'Asia/Shanghai')::date)) g(grain, period)
   group by 1, 2, 3, 4, 5, 6, 7, 8;
  -- The other cuts, from the full one.
  insert into case_statistics (grain, cut, period, region_code, channel, sector, status, owning_agency_id,
      cases, accepted, resolved, closed, workers_claimed, fen_claimed, workers_paid, fen_recovered)
  select s.grain, k.cut, s.period, s.region_code,
         case when k.cut = 'C' then s.channel else '*' end,
         case when k.cut = 'S' then s.sector else '*' end,
         case when k.cut = 'T' then s.status else '*' end,
         s.owning_agency_id,
         sum(s.cases), sum(s.accepted), sum(s.resolved), sum(s.closed), sum(s.workers_claimed), sum(s.fen_claimed), sum(s.workers_paid), sum(s.fen_recovered)
    from case_statistics s cross join (values ('R'), ('C'), ('S'), ('T')) k(cut)
   where s.cut = 'F'
   group by 1, 2, 3, 4, 5, 6, 7, 8;
end $$;

select rebuild_case_statistics();
