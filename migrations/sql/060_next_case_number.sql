-- The next number of a district (first six digits of the region) in the Beijing year of receipt: no gaps, no
-- repeats. It locks the counter row until the caller's transaction ends.
create or replace function next_case_number(region_code text, received_at timestamptz) returns text language plpgsql as $$
declare
  district text := left(region_code, 6);
  yr integer := extract(year from received_at at time zone 'Asia/Shanghai')::integer;
  n bigint;
begin
  insert into case_number_counter (district_code, year, last) values (district, yr, 1)
    on conflict (district_code, year) do update set last = case_number_counter.last + 1
    returning last into n;
  return district || '-' || yr || '-' || lpad(n::text, 6, '0');
end $$;
