import { Migration } from '@mikro-orm/migrations';

/**
 * Intake as one database call. `intake_complaint(request)` does in one transaction what the intake service did
 * in eight round trips: lock the request's keys, answer a replay, find the employer and project, store the
 * complainant, join an open case or open a new one with its number, its first file entry and the start of its
 * lifecycle workflow (outbox). At 32 concurrent clients the round trips, and the statements' parse and bind,
 * cost more CPU than the writes.
 *
 * The number is now taken in that call, after every lookup and just before the inserts: the district's counter
 * row is held only for the inserts and the commit, as before, and the case row is written once. The deferred
 * numbering trigger wrote every new case twice (insert, then update of the number), and an update of the
 * number rewrote all ten of the table's index entries.
 */
export class Migration20261124090000_intake_in_one_statement extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      drop trigger if exists wage_case_number_at_commit on wage_case;
      drop function if exists assign_case_number();

      -- An instant as JavaScript's toISOString() writes it, which is how the case file stores times.
      create function iso_instant(t timestamptz) returns text language sql stable as $$
        select to_char(t at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
      $$;

      -- The tracked state of a case, as src/cases/case-file.ts snapshot() writes it into the case file (a test
      -- keeps the two equal).
      create function case_tracked_state(c wage_case) returns jsonb language sql stable as $$
        select jsonb_build_object(
          'status', c.status,
          'employer', c.employer_id,
          'project', c.project_id,
          'leadInspector', c.lead_inspector_id,
          'amountRecoveredFen', c.amount_recovered_fen,
          'firstContactAt', iso_instant(c.first_contact_at),
          'acceptedAt', iso_instant(c.accepted_at),
          'resolutionDue', iso_instant(c.resolution_due),
          'resolutionExtendedDue', iso_instant(c.resolution_extended_due),
          'resolvedAt', iso_instant(c.resolved_at),
          'outcomeNote', c.outcome_note,
          'transferredTo', c.transferred_to)
      $$;

      -- The next number of a district (first six digits of the region) in the Beijing year of receipt: no gaps, no
      -- repeats. It locks the counter row until the caller's transaction ends.
      create function next_case_number(region_code text, received_at timestamptz) returns text language plpgsql as $$
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

      /*
       * 零门槛受理. The request (built by src/cases/intake.service.ts) holds the complaint as given plus what the
       * service computed: the new case's id, its deadlines, the start of the repeat-complaint window, its
       * workflow id and lifecycle input, and the actor and operation for the case file.
       *
       * Outcomes: DUPLICATE (this request was seen before: same idempotency key, or same channel and channel
       * reference), JOINED (a repeat complaint: same phone, same employer or project, an open case received
       * since repeatSince), CREATED. A region nothing covers raises ANX01.
       */
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
    `);
  }

  override async down(): Promise<void> {
    this.addSql(`
      drop function if exists intake_complaint(jsonb);
      drop function if exists case_tracked_state(wage_case);
      drop function if exists iso_instant(timestamptz);
    `);
    // The deferred numbering of the previous migration comes back with it, numbering with next_case_number.
    this.addSql(`
      create function assign_case_number() returns trigger language plpgsql as $$
      declare
        c record;
      begin
        select region_code, received_at, number into c from wage_case where id = new.id;
        if not found or c.number not like '~%' then
          return null;
        end if;
        update wage_case set number = next_case_number(c.region_code, c.received_at) where id = new.id;
        return null;
      end $$;
      create constraint trigger wage_case_number_at_commit
        after insert on wage_case
        deferrable initially deferred
        for each row when (new.number like '~%')
        execute function assign_case_number();
    `);
  }
}
