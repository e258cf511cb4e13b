-- An escalation of a missed deadline, written into the case file once, in one statement: the worker's
-- recordEscalation (src/worker/case-activities.ts) calls it, so a deadline storm costs one round trip per escalation
-- instead of six (begin, lock, check, version bump, entry, commit). The same steps as every other change to a case:
-- the case row locked, a retry that finds the entry (same kind, same deadline) stops (returns null), the version bumped, the entry at that version
-- (case_file_append, with before/after of the tracked fields: none change). Returns the case number when it wrote.
-- Once per deadline, not per kind: a resolution deadline escalated at its first instant and then extended (an
-- approval accepted just before the instant, written just after) is escalated again if the extended one is missed.
create or replace function record_escalation(p_case uuid, p_kind text, p_deadline text, p_escalate_to text, p_operation text)
returns text language plpgsql as $$
declare
  c wage_case;
  v_before jsonb;
begin
  select * into c from wage_case where id = p_case for update;
  if not found then
    raise exception 'case % not found', p_case using errcode = 'no_data_found';
  end if;
  if exists (select 1 from case_event where case_id = p_case and type = 'ESCALATED' and payload->>'kind' = p_kind
                                          and payload->>'deadline' = p_deadline) then
    return null;
  end if;
  v_before := case_tracked_state(c);
  update wage_case set version = version + 1, updated_at = now() where id = p_case returning * into c;
  perform case_file_append(c, 'ESCALATED', null, null, p_operation, now(),
                           jsonb_build_object('kind', p_kind, 'deadline', p_deadline, 'escalateTo', p_escalate_to), v_before);
  return c.number;
end $$;
