import { Migration } from '@mikro-orm/migrations';

/**
 * Intake answers for the caller's agency only (issue 12).
 *
 * - An idempotency key is scoped to the agency that sent it: keys were global, so another agency reusing one got
 *   that agency's case back as a DUPLICATE. `wage_case.idempotency_agency_id` holds the scope (backfilled from the
 *   case file's first entry) and the uniqueness is per (agency, key).
 * - A complaint never rewrites a person, and identity never travels between cases: intake used to fill a known
 *   phone's missing name or ID number from whatever a stranger's complaint said, and any case with that phone then
 *   showed it. What a complaint says of its complainant is kept with it (`case_complainant.stated_*`), and what
 *   labour inspection establishes is kept on that case (`identified_*`).
 * - `intake_complaint` also answers which given codes it did not know (`unknown_fields`).
 *
 * The function is given whole, as create-or-replace cannot change its result columns.
 */
export class Migration20261129000000_intake_scoped_answers extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      alter table wage_case add column idempotency_agency_id uuid null references agency(id);
      update wage_case c set idempotency_agency_id = e.actor_agency_id
        from case_event e where e.case_id = c.id and e.seq = 1 and c.idempotency_key is not null;
      alter table wage_case drop constraint if exists wage_case_idempotency_key_key;
      drop index if exists wage_case_idempotency_key_key;
      create unique index wage_case_idempotency_idx on wage_case (idempotency_agency_id, idempotency_key) where idempotency_key is not null;

      -- Who a complainant is, per case: what the complaint said (stated_*) and what labour inspection established on
      -- this case (identified_*). A person row is only the mobile number that links complaints: identity held by
      -- another agency's case never shows through this one. Existing complaints said what their person holds.
      alter table case_complainant add column stated_name varchar(100) null, add column stated_resident_id varchar(18) null,
        add column identified_name varchar(100) null, add column identified_resident_id varchar(18) null;
      update case_complainant cc set stated_name = p.name, stated_resident_id = p.resident_id from person p where p.id = cc.person_id;

      drop function intake_complaint(jsonb);
      create function intake_complaint(request jsonb, out intake_outcome text, out intake_case wage_case, out unknown_fields text[])
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
      begin
        -- Identical requests racing each other queue here, in one order (no deadlock), and the later one then
        -- sees what the first committed: each statement below reads a fresh snapshot.
        foreach v_lock in array (
          select array_agg(k order by k) from unnest(array['idem:' || v_key_scope || ':' || v_key, 'ref:' || v_channel || ':' || v_ref, 'phone:' || (request->>'contactPhone')]) k
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
          select c.id into v_open from wage_case c
           where c.status in ('RECEIVED', 'ACCEPTED', 'IN_PROGRESS')
             and c.received_at >= (request->>'repeatSince')::timestamptz
             and (c.employer_id = v_employer_id or c.project_id = v_project_id)
             and exists (select 1 from case_complainant cc where cc.case_id = c.id and cc.person_id = v_person)
           order by c.received_at desc limit 1;
          if found then
            insert into case_complainant (case_id, person_id, channel, channel_ref, joined_at, stated_name, stated_resident_id)
              values (v_open, v_person, v_channel, v_ref, v_received, request->>'complainantName', request->>'complainantResidentId');
            -- The new version is the entry's sequence number, as for every other change to a case.
            update wage_case set version = version + 1, updated_at = now() where id = v_open returning * into intake_case;
            insert into case_event (case_id, seq, type, actor_user_id, actor_agency_id, operation, at, payload, after)
              values (v_open, intake_case.version, 'COMPLAINANT_JOINED', (request->>'actorUserId')::uuid, (request->>'actorAgencyId')::uuid,
                      request->>'operation', v_received,
                      jsonb_build_object('personId', v_person, 'channel', v_channel, 'channelRef', v_ref),
                      case_tracked_state(intake_case));
            intake_outcome := 'JOINED';
            return;
          end if;
        end if;

        -- Last before the inserts: the district's counter row stays locked until commit.
        v_number := next_case_number(v_region, v_received);
        insert into wage_case (id, number, channel, channel_ref, idempotency_key, idempotency_agency_id, received_at, status, sector, region_code,
                               owning_agency_id, primary_complainant_id, workers_affected, amount_claimed_fen, employer_id,
                               employer_name_given, project_id, description, same_day_contact_due, acceptance_due,
                               created_at, updated_at)
        values ((request->>'id')::uuid, v_number, v_channel, v_ref, v_key, v_key_scope, v_received, 'RECEIVED',
                coalesce(request->>'sector', case when v_project_id is not null or v_employer_industry = 'CONSTRUCTION' then 'CONSTRUCTION' else 'OTHER' end),
                v_region, v_agency, v_person, (request->>'workersAffected')::integer, (request->>'amountClaimedFen')::bigint,
                v_employer_id, case when v_employer_id is null then request->>'employerName' end, v_project_id,
                request->>'description', (request->>'sameDayContactDue')::timestamptz, (request->>'acceptanceDue')::timestamptz,
                now(), now())
        returning * into intake_case;
        insert into case_complainant (case_id, person_id, channel, channel_ref, joined_at, stated_name, stated_resident_id)
          values (intake_case.id, v_person, v_channel, v_ref, v_received, request->>'complainantName', request->>'complainantResidentId');
        insert into case_event (case_id, seq, type, actor_user_id, actor_agency_id, operation, at, payload, after)
          values (intake_case.id, intake_case.version, 'RECEIVED', (request->>'actorUserId')::uuid, (request->>'actorAgencyId')::uuid,
                  request->>'operation', v_received,
                  jsonb_build_object('channel', v_channel, 'channelRef', v_ref),
                  case_tracked_state(intake_case));
        insert into workflow_outbox (action, workflow_type, workflow_id, args)
          values ('START', 'caseLifecycle', request->>'workflowId',
                  jsonb_build_array(request->'lifecycle' || jsonb_build_object('caseNumber', v_number)));
        intake_outcome := 'CREATED';
      end $$;
    `);
  }

  override async down(): Promise<void> {
    this.addSql(`
      drop function intake_complaint(jsonb);
      create function intake_complaint(request jsonb, out intake_outcome text, out intake_case wage_case)
      language plpgsql as $$
      declare
        v_channel text := request->>'channel';
        v_ref text := request->>'channelRef';
        v_key text := request->>'idempotencyKey';
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
      begin
        -- Identical requests racing each other queue here, in one order (no deadlock), and the later one then
        -- sees what the first committed: each statement below reads a fresh snapshot.
        foreach v_lock in array (
          select array_agg(k order by k) from unnest(array['idem:' || v_key, 'ref:' || v_channel || ':' || v_ref, 'phone:' || (request->>'contactPhone')]) k
           where k is not null)
        loop
          perform pg_advisory_xact_lock(hashtextextended(v_lock, 0));
        end loop;

        if v_key is not null then
          select * into intake_case from wage_case where idempotency_key = v_key;
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

        -- One person per mobile number; a name or ID number learnt later fills in what was missing (an ID number
        -- already on another person is not copied).
        insert into person (id, name, mobile, resident_id, created_at)
        values (gen_random_uuid(), request->>'complainantName', request->>'contactPhone',
                case when exists (select 1 from person where resident_id = request->>'complainantResidentId') then null else request->>'complainantResidentId' end,
                now())
        on conflict (mobile) do update set
          name = coalesce(person.name, excluded.name),
          resident_id = coalesce(person.resident_id, excluded.resident_id)
        returning id into v_person;

        if v_employer_id is not null or v_project_id is not null then
          select c.id into v_open from wage_case c
           where c.status in ('RECEIVED', 'ACCEPTED', 'IN_PROGRESS')
             and c.received_at >= (request->>'repeatSince')::timestamptz
             and (c.employer_id = v_employer_id or c.project_id = v_project_id)
             and exists (select 1 from case_complainant cc where cc.case_id = c.id and cc.person_id = v_person)
           order by c.received_at desc limit 1;
          if found then
            insert into case_complainant (case_id, person_id, channel, channel_ref, joined_at)
              values (v_open, v_person, v_channel, v_ref, v_received);
            -- The new version is the entry's sequence number, as for every other change to a case.
            update wage_case set version = version + 1, updated_at = now() where id = v_open returning * into intake_case;
            insert into case_event (case_id, seq, type, actor_user_id, actor_agency_id, operation, at, payload, after)
              values (v_open, intake_case.version, 'COMPLAINANT_JOINED', (request->>'actorUserId')::uuid, (request->>'actorAgencyId')::uuid,
                      request->>'operation', v_received,
                      jsonb_build_object('personId', v_person, 'channel', v_channel, 'channelRef', v_ref),
                      case_tracked_state(intake_case));
            intake_outcome := 'JOINED';
            return;
          end if;
        end if;

        -- 首问负责: the labour inspection agency nearest above the region owns the case until it is routed;
        -- with nothing to locate it, the top-level (city) one, and the case is placed in its region.
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

        -- Last before the inserts: the district's counter row stays locked until commit.
        v_number := next_case_number(v_region, v_received);
        insert into wage_case (id, number, channel, channel_ref, idempotency_key, received_at, status, sector, region_code,
                               owning_agency_id, primary_complainant_id, workers_affected, amount_claimed_fen, employer_id,
                               employer_name_given, project_id, description, same_day_contact_due, acceptance_due,
                               created_at, updated_at)
        values ((request->>'id')::uuid, v_number, v_channel, v_ref, v_key, v_received, 'RECEIVED',
                coalesce(request->>'sector', case when v_project_id is not null or v_employer_industry = 'CONSTRUCTION' then 'CONSTRUCTION' else 'OTHER' end),
                v_region, v_agency, v_person, (request->>'workersAffected')::integer, (request->>'amountClaimedFen')::bigint,
                v_employer_id, case when v_employer_id is null then request->>'employerName' end, v_project_id,
                request->>'description', (request->>'sameDayContactDue')::timestamptz, (request->>'acceptanceDue')::timestamptz,
                now(), now())
        returning * into intake_case;
        insert into case_complainant (case_id, person_id, channel, channel_ref, joined_at)
          values (intake_case.id, v_person, v_channel, v_ref, v_received);
        insert into case_event (case_id, seq, type, actor_user_id, actor_agency_id, operation, at, payload, after)
          values (intake_case.id, intake_case.version, 'RECEIVED', (request->>'actorUserId')::uuid, (request->>'actorAgencyId')::uuid,
                  request->>'operation', v_received,
                  jsonb_build_object('channel', v_channel, 'channelRef', v_ref),
                  case_tracked_state(intake_case));
        insert into workflow_outbox (action, workflow_type, workflow_id, args)
          values ('START', 'caseLifecycle', request->>'workflowId',
                  jsonb_build_array(request->'lifecycle' || jsonb_build_object('caseNumber', v_number)));
        intake_outcome := 'CREATED';
      end $$;
      alter table case_complainant drop column stated_name, drop column stated_resident_id, drop column identified_name, drop column identified_resident_id;
      drop index if exists wage_case_idempotency_idx;
      alter table wage_case drop column idempotency_agency_id;
      alter table wage_case add constraint wage_case_idempotency_key_key unique (idempotency_key);
    `);
  }
}
