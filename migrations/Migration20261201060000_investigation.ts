import { Migration } from '@mikro-orm/migrations';

/**
 * The investigation on the record (调查): the inspectors on a case's investigating team (besides its lead), the
 * inquiries made (询问笔录) and the evidence collected, each with the inspectors present (行政处罚法 第四十二条: no
 * fewer than two) and a reference to the file that holds the record itself. Append-only like the case file: an
 * inquiry or evidence item is recorded once; the team is the set of its current members.
 */
export class Migration20261201060000_investigation extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table case_investigator (
        case_id uuid not null references wage_case(id),
        user_id uuid not null references app_user(id),
        added_at timestamptz not null,
        added_by uuid null references app_user(id),
        primary key (case_id, user_id)
      );

      create table case_inquiry (
        id uuid primary key,
        case_id uuid not null references wage_case(id),
        person_asked varchar(200) not null,
        capacity varchar(200) null,
        asked_at timestamptz not null,
        place varchar(300) not null,
        inspector_ids uuid[] not null check (cardinality(inspector_ids) >= 2),
        file_ref varchar(500) not null,
        recorded_by uuid not null references app_user(id),
        recorded_at timestamptz not null
      );
      create index case_inquiry_case_idx on case_inquiry (case_id, asked_at);

      create table case_evidence (
        id uuid primary key,
        case_id uuid not null references wage_case(id),
        kind varchar(40) not null,
        description text not null,
        collected_at timestamptz not null,
        collected_by uuid[] not null check (cardinality(collected_by) >= 2),
        file_ref varchar(500) not null,
        recorded_by uuid not null references app_user(id),
        recorded_at timestamptz not null
      );
      create index case_evidence_case_idx on case_evidence (case_id, collected_at);
    `);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists case_evidence; drop table if exists case_inquiry; drop table if exists case_investigator;`);
  }
}
