-- One rule for which case-file entries an agency may see, called by every path that hands entries out: the case
-- read (`case { events }`), the case-event feed (subscriptions) and the webhook trigger.
--
-- case_process_visible_to: a process is shown to labour inspection, to the procuratorate asked to supervise it,
-- and to the agencies that take part in it (the police once a referral has been sent). `seesProcess` in
-- src/auth/policy.ts says the same for a process already loaded; test/entry-visibility.test.ts checks they agree.
create or replace function case_process_visible_to(p_agency uuid, p_process uuid) returns boolean
language sql stable as $$
  select case
    when p_agency is null then false
    when exists (select 1 from agency a where a.id = p_agency and a.kind = 'HRSS_INSPECTION') then true
    else exists (select 1 from case_process px where px.id = p_process and px.facts->>'procuratorateAgencyId' = p_agency::text)
      or exists (select 1 from case_process px join process_party pp on pp.process_id = px.id
                  where px.id = p_process and pp.agency_id = p_agency
                    and not (px.kind = 'POLICE_REFERRAL' and px.facts->>'sentAt' is null))
  end
$$;

-- case_entry_visible_to: an entry is visible unless it belongs to a process the agency may not see.
-- CASE, not OR: the branches are taken in order, so the cast to uuid only meets a well-formed id.
create or replace function case_entry_visible_to(p_agency uuid, p_payload jsonb) returns boolean
language sql stable as $$
  select case
    when p_agency is null then false
    when p_payload->>'processId' is null then true
    -- an entry naming no known process belongs to the case itself
    when p_payload->>'processId' !~ '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' then true
    when not exists (select 1 from case_process px where px.id = (p_payload->>'processId')::uuid) then true
    else case_process_visible_to(p_agency, (p_payload->>'processId')::uuid)
  end
$$;
