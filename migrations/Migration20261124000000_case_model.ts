import { Migration } from '@mikro-orm/migrations';

/** Regions, agencies, users, projects, people and the case with its file, payments and contacts. */
export class Migration20261124000000_case_model extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table region (
        code varchar(12) primary key,
        name varchar(100) not null,
        level text not null check (level in ('PROVINCE','CITY','DISTRICT','STREET','COMMUNITY')),
        parent_code varchar(12) null references region(code),
        path text not null
      );
      create index region_path_idx on region (path text_pattern_ops);

      create table grid (
        code varchar(32) primary key,
        name varchar(100) not null,
        street_code varchar(12) not null references region(code)
      );

      create table agency (
        id uuid primary key,
        kind text not null check (kind in ('HRSS_INSPECTION','DISTRICT_GOVERNMENT','STREET_GOVERNMENT','INDUSTRY_REGULATOR','CONTRACTOR_HQ','POLICE','PROCURATORATE','UNION','PETITION_OFFICE','JUSTICE_BUREAU','COURT','INTEGRATOR')),
        name varchar(200) not null,
        region_code varchar(12) not null references region(code),
        parent_id uuid null references agency(id),
        sector text null check (sector in ('CONSTRUCTION','TRANSPORT','WATER','CATERING','LOGISTICS','RETAIL','MANUFACTURING','OTHER')),
        employer_id uuid null references employer(id)
      );
      create index agency_region_idx on agency (region_code);

      create table app_user (
        id uuid primary key,
        agency_id uuid not null references agency(id),
        name varchar(100) not null,
        roles text[] not null,
        grid_code varchar(32) null references grid(code)
      );
      create index app_user_agency_idx on app_user (agency_id);

      alter table employer
        add column industry text null check (industry in ('CONSTRUCTION','TRANSPORT','WATER','CATERING','LOGISTICS','RETAIL','MANUFACTURING','OTHER')),
        add column region_code varchar(12) null references region(code),
        add column grid_code varchar(32) null references grid(code),
        add column credit_grade text null check (credit_grade in ('A','B','C')),
        add column blacklist_status text not null default 'NONE' check (blacklist_status in ('NONE','NOTICE_SERVED','LISTED','REMOVED'));

      create table project (
        id uuid primary key,
        code varchar(64) not null unique,
        name varchar(200) not null,
        region_code varchar(12) not null references region(code),
        construction_unit_id uuid null references employer(id),
        general_contractor_id uuid null references employer(id),
        labour_subcontractors uuid[] not null default '{}',
        regulator_id uuid null references agency(id),
        team jsonb not null default '[]',
        wage_account_balance_fen bigint null check (wage_account_balance_fen >= 0),
        wage_deposit_fen bigint null check (wage_deposit_fen >= 0),
        worker_count integer null check (worker_count >= 0),
        status text not null check (status in ('PLANNED','UNDER_CONSTRUCTION','SUSPENDED','COMPLETED')),
        version integer not null default 1,
        created_at timestamptz not null
      );
      create index project_region_idx on project (region_code);
      create index project_contractor_idx on project (general_contractor_id);

      create table person (
        id uuid primary key,
        name varchar(100) null,
        mobile varchar(11) null unique,
        resident_id varchar(18) null unique,
        created_at timestamptz not null
      );

      create table wage_case (
        id uuid primary key,
        number varchar(24) not null unique,
        channel text not null check (channel in ('HOTLINE_12345','HOTLINE_12333','NATIONAL_PLATFORM','PROVINCIAL_SYSTEM','QR_FORM','WALK_IN','GRID_PATROL','POLICE_ALERT')),
        channel_ref varchar(100) null,
        idempotency_key varchar(100) null unique,
        received_at timestamptz not null,
        status text not null check (status in ('RECEIVED','ACCEPTED','REJECTED','TRANSFERRED','IN_PROGRESS','RESOLVED','CLOSED')),
        sector text not null check (sector in ('CONSTRUCTION','OTHER')),
        region_code varchar(12) not null references region(code),
        owning_agency_id uuid not null references agency(id),
        primary_complainant_id uuid not null references person(id),
        workers_affected integer null check (workers_affected > 0),
        amount_claimed_fen bigint null check (amount_claimed_fen >= 0),
        amount_recovered_fen bigint not null default 0 check (amount_recovered_fen >= 0),
        employer_id uuid null references employer(id),
        employer_name_given varchar(200) null,
        project_id uuid null references project(id),
        description text not null,
        lead_inspector_id uuid null references app_user(id),
        same_day_contact_due timestamptz not null,
        first_contact_at timestamptz null,
        acceptance_due timestamptz not null,
        accepted_at timestamptz null,
        resolution_due timestamptz null,
        resolution_extended_due timestamptz null,
        resolved_at timestamptz null,
        closed_at timestamptz null,
        outcome_note text null,
        transferred_to varchar(200) null,
        version integer not null default 1,
        created_at timestamptz not null,
        updated_at timestamptz not null
      );
      create unique index wage_case_channel_ref_uq on wage_case (channel, channel_ref) where channel_ref is not null;
      -- The dashboard list: by region and status, newest first, paged by (received_at, id).
      create index wage_case_region_status_received_idx on wage_case (region_code, status, received_at desc, id desc);
      create index wage_case_received_idx on wage_case (received_at desc, id desc);
      create index wage_case_status_received_idx on wage_case (status, received_at desc, id desc);
      create index wage_case_employer_idx on wage_case (employer_id) where employer_id is not null;
      create index wage_case_project_idx on wage_case (project_id) where project_id is not null;
      create index wage_case_owning_agency_idx on wage_case (owning_agency_id);
      create index wage_case_lead_idx on wage_case (lead_inspector_id) where lead_inspector_id is not null;

      create table case_complainant (
        id bigserial primary key,
        case_id uuid not null references wage_case(id),
        person_id uuid not null references person(id),
        channel text not null,
        channel_ref varchar(100) null,
        joined_at timestamptz not null
      );
      create index case_complainant_case_idx on case_complainant (case_id);
      create index case_complainant_person_idx on case_complainant (person_id, case_id);

      create table case_event (
        id bigserial primary key,
        case_id uuid not null references wage_case(id),
        seq integer not null,
        type varchar(40) not null,
        actor_user_id uuid null,
        actor_agency_id uuid null,
        at timestamptz not null,
        payload jsonb not null default '{}',
        before jsonb null,
        after jsonb null,
        unique (case_id, seq)
      );

      -- The case file is append-only: the database itself refuses to change or remove an entry.
      create function case_event_append_only() returns trigger language plpgsql as $$
      begin
        raise exception 'case_event is append-only: % refused', tg_op using errcode = 'restrict_violation';
      end $$;
      create trigger case_event_no_update before update or delete on case_event
        for each row execute function case_event_append_only();
      create trigger case_event_no_truncate before truncate on case_event
        for each statement execute function case_event_append_only();

      create table payment (
        id uuid primary key,
        case_id uuid not null references wage_case(id),
        amount_fen bigint not null check (amount_fen > 0),
        workers_paid integer not null check (workers_paid > 0),
        paid_on date not null,
        payer varchar(200) not null,
        source text not null check (source in ('EMPLOYER','GENERAL_CONTRACTOR','CONSTRUCTION_UNIT','WAGE_DEPOSIT','WAGE_ACCOUNT','OTHER')),
        recorded_by uuid null,
        recorded_at timestamptz not null
      );
      create index payment_case_idx on payment (case_id);

      create table contact (
        id uuid primary key,
        case_id uuid not null references wage_case(id),
        person_id uuid null references person(id),
        kind text not null check (kind in ('CALL','VISIT','SMS')),
        outcome text not null check (outcome in ('REACHED','NO_ANSWER','WRONG_NUMBER','CALLBACK_REQUESTED')),
        notes text null,
        at timestamptz not null,
        recorded_by uuid null
      );
      create index contact_case_idx on contact (case_id);

      -- Case numbers: one counter per district and year, taken inside the intake transaction (no gaps).
      create table case_number_counter (
        district_code varchar(6) not null,
        year integer not null,
        last integer not null,
        primary key (district_code, year)
      );
    `);
  }

  override async down(): Promise<void> {
    this.addSql(`
      drop table if exists case_number_counter, contact, payment;
      drop trigger if exists case_event_no_update on case_event;
      drop trigger if exists case_event_no_truncate on case_event;
      drop table if exists case_event, case_complainant, wage_case, person, project, app_user, agency, grid;
      drop function if exists case_event_append_only();
      alter table employer drop column if exists industry, drop column if exists region_code, drop column if exists grid_code,
        drop column if exists credit_grade, drop column if exists blacklist_status;
      drop table if exists region;
    `);
  }
}
