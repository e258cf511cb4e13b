-- The statuses of an open case (a complaint still being handled): OPEN_CASE_STATUSES in src/domain/case-status.ts
-- says the same, and test/one-writer.test.ts keeps the two equal. Immutable and a single expression, so the planner
-- inlines it into a query (`status in (...)`) and can still use an index on the status.
create or replace function case_status_open(p_status text) returns boolean language sql immutable as $$
  select p_status in ('RECEIVED', 'ACCEPTED', 'IN_PROGRESS')
$$;
