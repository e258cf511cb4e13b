/*
 * 零门槛受理, in one database call: lock the request's keys, answer a replay, find the employer and project, store
 * the complainant, join an open case or open a new one with its number, its first file entry (case_file_append)
 * and the start of its lifecycle workflow (outbox_append). The request (built by src/cases/intake.service.ts) holds
 * the complaint as given plus what the service computed: the new case's id, its deadlines, the start of the
 * repeat-complaint window, its workflow id and lifecycle input, and the actor and operation for the case file.
 *
 * Outcomes: DUPLICATE (this request was seen before: the caller's agency's idempotency key, or the same channel
 * and channel reference), JOINED (a repeat complaint: same phone, same employer or project, an open case received
 * since repeatSince; or, when the city joins collective complaints (collectiveSince given), a co-complainant
 * whatever the phone: same project, or with no project the same employer, an open case received since
 * collectiveSince), CREATED. A region nothing covers raises ANX01. unknown_fields names the given codes (employer
 * USCC, project code) it did not know.
 *
 * A joining complaint whose channel has its own, stricter clock (channelAcceptanceDue, channelResolutionDue,
 * computed by the service on the working-day calendar) moves the case's deadline earlier: the joining entry says
 * from what to what and by which rule, and the case's lifecycle workflow is told (deadlinesSignal, via the outbox).
 *
 * Create-or-replace cannot change the result columns: changing them needs a migration that drops the function
 * before this source is applied again.
 */
create or replace function intake_complaint(request jsonb, out intake_outcome text, out intake_case wage_case, out unknown_fields text[])
language plpgsql as $$
declare
  v_channel text := request->>'channel';
  v_ref text := request->>'channelRef';
  v_key text := request->>'idempotencyKey';
  -- An idempotency key is the caller's agency's own: another agency's equal key is another request.
  v_key_scope uuid := (request->>'actorAgencyId')::uuid;
  v_received timestamptz := (request->>'receivedAt')::timestamptz;
  v_lock text;
  v_person uuid;
  v_employer_id uuid;
  v_employer_region text;
  v_employer_industry text;
  v_project_id uuid;
  v_project_region text;
  v_open uuid;
  v_located text;
  v_region text;
  v_agency uuid;
  v_number text;
  v_collective boolean := request->>'collectiveSince' is not null;
  v_basis text;
  v_case wage_case;
  v_moved jsonb := '{}'::jsonb;
  v_payload jsonb;
begin
  -- The caller's trace, when tracing is on: the outbox rows this statement writes keep it (workflow_outbox.traceparent's
  -- default reads the setting) and their delivery continues it. Local to this statement's transaction.
  if request->>'traceparent' ~ '^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$' then
    perform set_config('anxin.traceparent', request->>'traceparent', true);
  end if;
  -- Identical requests racing each other queue here, in one order (no deadlock), and the later one then
  -- sees what the first committed: each statement below reads a fresh snapshot.
  foreach v_lock in array (
    select array_agg(k order by k) from unnest(array['idem:' || v_key_scope || ':' || v_key, 'ref:' || v_channel || ':' || v_ref, 'phone:' || (request->>'contactPhone'),
                                                     -- collective complaints about one project or employer join one case: they queue too
                                                     case when v_collective then 'project:' || (request->>'projectCode') end,
                                                     case when v_collective then 'employer:' || (request->>'employerUscc') end]) k
     where k is not null)
  loop
    perform pg_advisory_xact_lock(hashtextextended(v_lock, 0));
  end loop;

  if v_key is not null then
    select * into intake_case from wage_case where idempotency_agency_id = v_key_scope and idempotency_key = v_key;
    if found then intake_outcome := 'DUPLICATE'; return; end if;
  end if;
  if v_ref is not null then
    select * into intake_case from wage_case where channel = v_channel and channel_ref = v_ref;
    if found then intake_outcome := 'DUPLICATE'; return; end if;
  end if;

  select e.id, e.region_code, e.industry into v_employer_id, v_employer_region, v_employer_industry
    from employer e where e.uscc = request->>'employerUscc';
  select p.id, p.region_code into v_project_id, v_project_region
    from project p where p.code = request->>'projectCode';
  -- A code given but not known is said in the answer, not silently dropped.
  unknown_fields := array_remove(array[
    case when request->>'employerUscc' is not null and v_employer_id is null then 'employerUscc' end,
    case when request->>'projectCode' is not null and v_project_id is null then 'projectCode' end], null);

  -- One person per mobile number, the link between complaints. A complaint never rewrites it: what it says of
  -- its complainant (name, ID number) is kept with the complaint (case_complainant.stated_*), and a case shows
  -- only what its own complaints said or labour inspection established on it (recordComplainantIdentity).
  select id into v_person from person where mobile = request->>'contactPhone';
  if not found then
    insert into person (id, name, mobile, resident_id, created_at)
    values (gen_random_uuid(), request->>'complainantName', request->>'contactPhone',
            case when exists (select 1 from person where resident_id = request->>'complainantResidentId') then null else request->>'complainantResidentId' end,
            now())
    returning id into v_person;
  end if;

  -- 首问负责: the labour inspection agency nearest above the region owns the case until it is routed; with
  -- nothing to locate it, the top-level (city) one, and the case is placed in its region. Resolved before a
  -- repeat complaint is looked for, so a region nothing covers fails the same way whatever the phone: a join
  -- must never answer a guess that writes nothing.
  v_located := coalesce(request->>'regionCode', v_project_region, v_employer_region);
  if v_located is null then
    select a.id, a.region_code into v_agency, v_region
      from agency a join region ar on ar.code = a.region_code
     where a.kind = 'HRSS_INSPECTION'
     order by cardinality(ar.ancestors), a.region_code limit 1;
  else
    select a.id, r.code into v_agency, v_region
      from region r
      join region ar on ar.code = any(r.ancestors)
      join agency a on a.region_code = ar.code and a.kind = 'HRSS_INSPECTION'
     where r.code = v_located
     order by cardinality(ar.ancestors) desc limit 1;
  end if;
  if v_agency is null then
    raise exception 'region % is unknown or no labour inspection agency covers it', coalesce(v_located, '(none)')
      using errcode = 'ANX01', detail = coalesce(v_located, '(none)');
  end if;

  if v_employer_id is not null or v_project_id is not null then
    select c.id, 'PHONE' into v_open, v_basis from wage_case c
     where case_status_open(c.status)
       and c.received_at >= (request->>'repeatSince')::timestamptz
       and (c.employer_id = v_employer_id or c.project_id = v_project_id)
       and exists (select 1 from case_complainant cc where cc.case_id = c.id and cc.person_id = v_person)
     order by c.received_at desc limit 1;
    -- 一事一案: a collective complaint joins the open case of the same project (with no project named, of the same
    -- employer, a case without a project first), whoever calls.
    if v_open is null and v_collective then
      if v_project_id is not null then
        select c.id, 'PROJECT' into v_open, v_basis from wage_case c
         where case_status_open(c.status) and c.received_at >= (request->>'collectiveSince')::timestamptz and c.project_id = v_project_id
         order by c.received_at desc limit 1;
      else
        select c.id, 'EMPLOYER' into v_open, v_basis from wage_case c
         where case_status_open(c.status) and c.received_at >= (request->>'collectiveSince')::timestamptz and c.employer_id = v_employer_id
         order by c.project_id is null desc, c.received_at desc limit 1;
      end if;
    end if;
    if v_open is not null then
      insert into case_complainant (case_id, person_id, channel, channel_ref, joined_at, stated_name, stated_resident_id)
        values (v_open, v_person, v_channel, v_ref, v_received, request->>'complainantName', request->>'complainantResidentId');
      select * into v_case from wage_case where id = v_open for update;
      -- The joining channel's own clock, if stricter: acceptance while the case awaits it; resolution while it is
      -- being handled (not after the statute's one extension, which the director approved on its own dates).
      if v_case.status = 'RECEIVED' and (request->>'channelAcceptanceDue')::timestamptz < v_case.acceptance_due then
        v_moved := v_moved || jsonb_build_object('acceptance', jsonb_build_object('from', iso_instant(v_case.acceptance_due),
                     'to', iso_instant((request->>'channelAcceptanceDue')::timestamptz), 'source', request->>'channelAcceptanceSource'));
      end if;
      if v_case.status in ('ACCEPTED', 'IN_PROGRESS') and v_case.resolution_extended_due is null and v_case.accepted_at <= v_received
         and (request->>'channelResolutionDue')::timestamptz < v_case.resolution_due then
        v_moved := v_moved || jsonb_build_object('resolution', jsonb_build_object('from', iso_instant(v_case.resolution_due),
                     'to', iso_instant((request->>'channelResolutionDue')::timestamptz), 'source', request->>'channelResolutionSource'));
      end if;
      -- The new version is the entry's sequence number, as for every other change to a case.
      update wage_case set version = version + 1, updated_at = now(),
             acceptance_due = case when v_moved ? 'acceptance' then (request->>'channelAcceptanceDue')::timestamptz else acceptance_due end,
             resolution_due = case when v_moved ? 'resolution' then (request->>'channelResolutionDue')::timestamptz else resolution_due end
       where id = v_open returning * into intake_case;
      v_payload := jsonb_build_object('personId', v_person, 'channel', v_channel, 'channelRef', v_ref);
      if v_basis <> 'PHONE' then v_payload := v_payload || jsonb_build_object('collective', v_basis); end if;
      if v_moved <> '{}'::jsonb then
        v_payload := v_payload || jsonb_build_object('deadlinesMoved', v_moved);
        perform outbox_append('SIGNAL', null, request->>'lifecycleWorkflowIdPrefix' || v_open, request->>'deadlinesSignal',
                              jsonb_build_array(jsonb_strip_nulls(jsonb_build_object('acceptanceDue', v_moved->'acceptance'->'to',
                                                                                     'resolutionDue', v_moved->'resolution'->'to'))));
      end if;
      perform case_file_append(intake_case, 'COMPLAINANT_JOINED', (request->>'actorUserId')::uuid, (request->>'actorAgencyId')::uuid,
                               request->>'operation', v_received, v_payload);
      intake_outcome := 'JOINED';
      return;
    end if;
  end if;

  -- Last before the inserts: the district's counter row stays locked until commit.
  v_number := next_case_number(v_region, v_received);
  insert into wage_case (id, number, channel, channel_ref, idempotency_key, idempotency_agency_id, received_at, status, sector, region_code,
                         owning_agency_id, primary_complainant_id, workers_affected, amount_claimed_fen, employer_id,
                         employer_name_given, project_id, description, same_day_contact_due, acceptance_due,
                         violation_started_on, violation_ended_on, created_at, updated_at)
  values ((request->>'id')::uuid, v_number, v_channel, v_ref, v_key, v_key_scope, v_received, 'RECEIVED',
          coalesce(request->>'sector', case when v_project_id is not null or v_employer_industry = 'CONSTRUCTION' then 'CONSTRUCTION' else 'OTHER' end),
          v_region, v_agency, v_person, (request->>'workersAffected')::integer, (request->>'amountClaimedFen')::bigint,
          v_employer_id, case when v_employer_id is null then request->>'employerName' end, v_project_id,
          request->>'description', (request->>'sameDayContactDue')::timestamptz, (request->>'acceptanceDue')::timestamptz,
          (request->>'violationStartedOn')::date, (request->>'violationEndedOn')::date, now(), now())
  returning * into intake_case;
  insert into case_complainant (case_id, person_id, channel, channel_ref, joined_at, stated_name, stated_resident_id)
    values (intake_case.id, v_person, v_channel, v_ref, v_received, request->>'complainantName', request->>'complainantResidentId');
  perform case_file_append(intake_case, 'RECEIVED', (request->>'actorUserId')::uuid, (request->>'actorAgencyId')::uuid,
                           request->>'operation', v_received,
                           jsonb_build_object('channel', v_channel, 'channelRef', v_ref)
                           -- the violation period the complaint states, and the two-year limit on it (劳动保障监察条例 第二十条)
                           || case when jsonb_typeof(request->'limitation') = 'object'
                                   then jsonb_build_object('violationPeriod', jsonb_build_object('startedOn', request->>'violationStartedOn',
                                                                                                  'endedOn', request->'violationEndedOn'),
                                                           'limitation', request->'limitation')
                                   else '{}'::jsonb end);
  perform outbox_append('START', request->>'workflowType', request->>'workflowId', null,
                        jsonb_build_array(request->'lifecycle' || jsonb_build_object('caseNumber', v_number)));
  intake_outcome := 'CREATED';
end $$;
