-- The lifecycle clocks of every case due at one instant, escalated together: the deadline group of that instant
-- (workflows/deadline-group.ts) calls this when its one timer fires, instead of each case's workflow waking on a
-- timer of its own (the deadline storm: BENCHMARKS.md). The database decides which clocks ran out, from the case's
-- own row at the instant: the same three clocks and the same "done" tests as the lifecycle workflow (case-lifecycle.ts):
--   SAME_DAY_CONTACT_MISSED  same_day_contact_due = p_due, still RECEIVED and nobody reached  → SUPERVISOR
--   ACCEPTANCE_OVERDUE       acceptance_due = p_due, still RECEIVED (not accepted, rejected or transferred) → SUPERVISOR
--   RESOLUTION_OVERDUE       the extended resolution deadline, else the first, = p_due, still ACCEPTED or IN_PROGRESS → DIRECTOR
-- Each candidate is locked and tested again on its locked row (a case accepted while the sweep ran is not
-- escalated), then written by record_escalation (version bump, entry through case_file_append, once per kind).
-- At most p_limit candidates per call, so a storm of 100,000 is many short transactions, not one long one; answers
-- one row per candidate looked at, `escalated` false where the locked row no longer qualified. A call that answers
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

-- One candidate: the case row locked, the clock tested again on it, the entry written once (record_escalation).
-- Answers the case number when it wrote, null when the locked row no longer qualifies or the entry was there.
create or replace function escalate_due_clock(p_case uuid, p_kind text, p_escalate_to text, p_due timestamptz, p_operation text)
returns text language plpgsql as $$
declare
  c wage_case;
  v_open boolean;
begin
  select * into c from wage_case w where w.id = p_case for update;
  if not found then
    return null;
  end if;
  -- (an assignment, not IF's condition: PL/pgSQL ends that at the first THEN, the CASE's own)
  v_open := case p_kind
    when 'SAME_DAY_CONTACT_MISSED' then c.same_day_contact_due = p_due and c.status = 'RECEIVED' and c.first_contact_at is null
    when 'ACCEPTANCE_OVERDUE' then c.acceptance_due = p_due and c.status = 'RECEIVED'
    else coalesce(c.resolution_extended_due, c.resolution_due) = p_due and c.status in ('ACCEPTED', 'IN_PROGRESS')
  end;
  if not v_open then
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
      select w.id, 'SAME_DAY_CONTACT_MISSED' as kind, 'SUPERVISOR' as escalate_to from wage_case w
       where w.same_day_contact_due = p_due and w.status = 'RECEIVED' and w.first_contact_at is null
      union all
      select w.id, 'ACCEPTANCE_OVERDUE', 'SUPERVISOR' from wage_case w
       where w.acceptance_due = p_due and w.status = 'RECEIVED'
      union all
      select w.id, 'RESOLUTION_OVERDUE', 'DIRECTOR' from wage_case w
       where coalesce(w.resolution_extended_due, w.resolution_due) = p_due and w.status in ('ACCEPTED', 'IN_PROGRESS')
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
