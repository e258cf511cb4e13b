import { Migration } from '@mikro-orm/migrations';

/**
 * The facts of the cross-agency processes (three-way dispatch, police referral, joint mediation): the process,
 * its parties (recipients, invitees) with their own status and deadlines, and a mediation's instalments. The
 * workflows hold the clocks; these rows are what the dashboards read.
 */
export class Migration20261124020000_case_processes extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table case_process (
        id uuid primary key,
        case_id uuid not null references wage_case(id),
        kind text not null check (kind in ('DISPATCH','POLICE_REFERRAL','MEDIATION')),
        workflow_id text not null unique,
        status varchar(40) not null,
        started_at timestamptz not null,
        ended_at timestamptz null,
        outcome varchar(40) null,
        due_at timestamptz null,
        waiting_on varchar(40) null,
        facts jsonb not null default '{}',
        started_by uuid null references app_user(id)
      );
      create index case_process_case_idx on case_process (case_id);
      -- One open process of a kind per case: a second dispatch while one runs is refused by the database too.
      create unique index case_process_one_open_idx on case_process (case_id, kind) where ended_at is null;

      create table process_party (
        id uuid primary key,
        process_id uuid not null references case_process(id),
        role varchar(40) not null,
        agency_id uuid null references agency(id),
        name varchar(200) not null,
        status varchar(20) not null,
        acknowledge_due timestamptz null,
        report_due timestamptz null,
        acknowledged_at timestamptz null,
        reported_at timestamptz null,
        report text null,
        escalation_level varchar(40) null
      );
      create index process_party_process_idx on process_party (process_id);

      create table process_instalment (
        process_id uuid not null references case_process(id),
        seq integer not null check (seq > 0),
        due_on date not null,
        amount_fen bigint not null check (amount_fen > 0),
        status varchar(10) not null default 'PENDING' check (status in ('PENDING','PAID','MISSED')),
        paid_on date null,
        primary key (process_id, seq)
      );

      -- A process step is written once: Temporal retries activities, and the retry finds the step's key taken.
      create unique index case_event_step_key_idx on case_event (case_id, (payload->>'stepKey')) where payload ? 'stepKey';
    `);
  }

  override async down(): Promise<void> {
    this.addSql(`
      drop index if exists case_event_step_key_idx;
      drop table if exists process_instalment, process_party, case_process;
    `);
  }
}
