-- The database's case-file appender, the mirror of appendCaseEvent in src/cases/case-file.ts (test/one-writer.test.ts
-- compares them): the entry's sequence number is the case's version after the change; with the tracked state from
-- before the change, the entry records before/after of the fields that changed, and without it, the whole state
-- after. The caller has locked the case row and bumped its version.
create or replace function case_file_append(c wage_case, p_type text, p_actor_user uuid, p_actor_agency uuid, p_operation text,
                                            p_at timestamptz, p_payload jsonb, p_before jsonb default null)
returns bigint language plpgsql as $$
declare
  v_after jsonb := case_tracked_state(c);
  v_before jsonb;
  v_id bigint;
begin
  if p_before is not null then
    select coalesce(jsonb_object_agg(k, coalesce(p_before->k, 'null'::jsonb)), '{}'::jsonb), coalesce(jsonb_object_agg(k, v_after->k), '{}'::jsonb)
      into v_before, v_after
      from jsonb_object_keys(v_after) k
     where coalesce(p_before->k, 'null'::jsonb) is distinct from v_after->k;
  end if;
  insert into case_event (case_id, seq, type, actor_user_id, actor_agency_id, operation, at, payload, before, after)
  values (c.id, c.version, p_type, p_actor_user, p_actor_agency, p_operation, p_at, coalesce(p_payload, '{}'::jsonb), v_before, v_after)
  returning id into v_id;
  return v_id;
end $$;
