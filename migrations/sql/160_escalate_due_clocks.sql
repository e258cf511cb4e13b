-- The lifecycle clocks of every case due at one instant, escalated together: the deadline group of that instant
-- (workflows/deadline-group.ts) calls this when its one timer fires, instead of each case's workflow waking on a
-- timer of its own (the deadline storm: BENCHMARKS.md). The database decides which clocks ran out, from the case's
-- state at the instant (its case file): the same three clocks and the same "done" tests as the lifecycle workflow (case-lifecycle.ts):
--   SAME_DAY_CONTACT_MISSED  same_day_contact_due = p_due, still RECEIVED and nobody reached  → SUPERVISOR
--   ACCEPTANCE_OVERDUE       acceptance_due = p_due, still RECEIVED (not accepted, rejected or transferred) → SUPERVISOR
--   RESOLUTION_OVERDUE       the extended resolution deadline, else the first, = p_due, still ACCEPTED or IN_PROGRESS → DIRECTOR
-- Whether a clock ran out is judged as the case stood at the instant, read from its case file: a case accepted
-- (or reached, resolved, extended) a second after the instant, before the sweep came to it, still missed its
-- deadline, and one settled a second before it did not. A candidate is a case due at the instant that is open now or
-- changed since (updated_at after it); each is locked, its state at the instant rebuilt (the current tracked state
-- with the `before` of every entry after the instant laid over it, newest first), tested, and written by
-- record_escalation (version bump, entry through case_file_append, once per kind and deadline).
-- At most p_limit candidates per call, so a storm of 100,000 is many short transactions, not one long one; answers
-- one row per candidate looked at, `escalated` false where the clock was settled by the instant or is on record. A call that answers
-- fewer than p_limit rows found the last of them. The next call starts after the last (case, kind) answered
-- (p_after_case, p_after_kind; null for the first): without that cursor every batch looked again at all the cases
-- the batches before it had escalated, and a storm of 100,000 cost PostgreSQL 0.56 ms per escalation against 0.35 at
-- 10,000.
-- p_isolate: each case in a subtransaction of its own, a failure answered in `error` instead of rolling the batch
-- back. The activity asks for it only to rerun a batch that failed: one case whose write raises (a trigger, a
-- constraint) must not keep every case after it at that instant from being escalated, retry after retry. Not by
-- default: a subtransaction per case costs, and past 64 of them in one transaction every other session's visibility
-- checks on the rows it wrote get slower.
drop function if exists escalate_due_clocks(timestamptz, int, text);
drop function if exists escalate_due_clocks(timestamptz, int, text, uuid, text);
drop function if exists escalate_due_clocks(timestamptz, int, text, uuid, text, boolean);

-- One candidate: the case row locked, the clock tested on the case as it stood at p_due, the entry written once
-- (record_escalation). Answers the case number when it wrote, null when the clock was settled by the instant (or
-- is not due then) or the entry was there.
create or replace function escalate_due_clock(p_case uuid, p_kind text, p_escalate_to text, p_due timestamptz, p_operation text)
returns text language plpgsql as $$
declare
  c wage_case;
  v_then jsonb;
  v_before jsonb;
  v_open boolean;
begin
  select * into c from wage_case w where w.id = p_case for update;
  if not found then
    return null;
  end if;
  -- The tracked state at p_due: each entry after it holds, in `before`, what it changed from. A case unchanged since
  -- the instant (updated_at moves with every change, as escalate_due_clocks' choice of candidates assumes) is as it
  -- stood then, and its file is not read: one query less for nearly every case of a storm.
  v_then := case_tracked_state(c);
  if c.updated_at > p_due then
    for v_before in select e.before from case_event e where e.case_id = p_case and e.at > p_due and e.before is not null order by e.seq desc loop
      v_then := v_then || v_before;
    end loop;
  end if;
  -- (an assignment, not IF's condition: PL/pgSQL ends that at the first THEN, the CASE's own)
  v_open := case p_kind
    when 'SAME_DAY_CONTACT_MISSED' then c.same_day_contact_due = p_due and v_then->>'status' = 'RECEIVED' and v_then->>'firstContactAt' is null
    when 'ACCEPTANCE_OVERDUE' then c.acceptance_due = p_due and v_then->>'status' = 'RECEIVED'
    else coalesce(v_then->>'resolutionExtendedDue', v_then->>'resolutionDue') = iso_instant(p_due)
         and v_then->>'status' in ('ACCEPTED', 'IN_PROGRESS')
  end;
  if not coalesce(v_open, false) then
    return null;
  end if;
  return record_escalation(p_case, p_kind, iso_instant(p_due), p_escalate_to, p_operation);
end $$;

create or replace function escalate_due_clocks(p_due timestamptz, p_limit int, p_operation text,
                                               p_after_case uuid default null, p_after_kind text default null,
                                               p_isolate boolean default false)
returns table(case_id uuid, case_number text, kind text, escalate_to text, escalated boolean, error text)
language plpgsql as $$
declare
  r record;
  v_number text;
  v_error text;
begin
  for r in
    select k.id, k.kind, k.escalate_to from (
      -- Open now, or changed since the instant (escalate_due_clock decides on the state at the instant).
      select w.id, 'SAME_DAY_CONTACT_MISSED' as kind, 'SUPERVISOR' as escalate_to from wage_case w
       where w.same_day_contact_due = p_due and ((w.status = 'RECEIVED' and w.first_contact_at is null) or w.updated_at > p_due)
      union all
      select w.id, 'ACCEPTANCE_OVERDUE', 'SUPERVISOR' from wage_case w
       where w.acceptance_due = p_due and (w.status = 'RECEIVED' or w.updated_at > p_due)
      union all
      -- Due at the instant by its first deadline or its extended one (an extension written after the instant does
      -- not move a deadline that had run out).
      select w.id, 'RESOLUTION_OVERDUE', 'DIRECTOR' from wage_case w
       where (w.resolution_due = p_due or w.resolution_extended_due = p_due)
         and (w.status in ('ACCEPTED', 'IN_PROGRESS') or w.updated_at > p_due)
    ) k
    where (p_after_case is null or (k.id, k.kind) > (p_after_case, p_after_kind))
      and not exists (select 1 from case_event e
                       where e.case_id = k.id and e.type = 'ESCALATED' and e.payload->>'kind' = k.kind
                         and e.payload->>'deadline' = iso_instant(p_due))
    order by k.id, k.kind
    limit p_limit
  loop
    v_number := null;
    v_error := null;
    if p_isolate then
      begin
        v_number := escalate_due_clock(r.id, r.kind, r.escalate_to, p_due, p_operation);
      exception when others then
        v_error := sqlerrm;
      end;
    else
      v_number := escalate_due_clock(r.id, r.kind, r.escalate_to, p_due, p_operation);
    end if;
    case_id := r.id;
    case_number := coalesce(v_number, (select w.number from wage_case w where w.id = r.id));
    kind := r.kind;
    escalate_to := r.escalate_to;
    escalated := v_number is not null;
    error := v_error;
    return next;
  end loop;
end $$;

-- One clock of one case, by the same rule: the lifecycle's own timer (a deadline under 5 minutes away when its clock
-- was set, or a history from before the deadline groups) calls this when the timer fires, and when the step's signal
-- reaches the workflow only after the deadline (a worker down at the instant gets both at once). The case file
-- decides, not the order in which the workflow heard of them: a step taken before the instant whose signal came late
-- escalates nothing; one taken after it still leaves the clock missed. `escalated`: the entry is on record (written
-- now or before, by a retry's first attempt or by the sweep); false when the clock was settled by the instant.
create or replace function escalate_clock_at(p_case uuid, p_kind text, p_escalate_to text, p_due timestamptz, p_operation text)
returns table(case_number text, escalated boolean) language plpgsql as $$
begin
  case_number := escalate_due_clock(p_case, p_kind, p_escalate_to, p_due, p_operation);
  escalated := case_number is not null or exists (
    select 1 from case_event e where e.case_id = p_case and e.type = 'ESCALATED' and e.payload->>'kind' = p_kind
                                  and e.payload->>'deadline' = iso_instant(p_due));
  return next;
end $$;
