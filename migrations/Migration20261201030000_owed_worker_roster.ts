import { Migration } from '@mikro-orm/migrations';

/**
 * Who is owed what (issue 14): a case's roster of owed workers, each line optionally the complainant it belongs to
 * (one line per complainant on a case), and the part of each payment that reached each worker (工资发放到人).
 */
export class Migration20261201030000_owed_worker_roster extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table owed_worker (
        id uuid primary key,
        case_id uuid not null references wage_case(id),
        person_id uuid null references person(id),
        name varchar(100) not null,
        resident_id varchar(18) null,
        mobile varchar(11) null,
        months_owed integer not null check (months_owed > 0),
        amount_owed_fen bigint not null check (amount_owed_fen > 0),
        settled boolean not null default false,
        added_at timestamptz not null,
        updated_at timestamptz not null
      );
      create index owed_worker_case_idx on owed_worker (case_id);
      create unique index owed_worker_case_person_uq on owed_worker (case_id, person_id) where person_id is not null;

      create table payment_allocation (
        id bigserial primary key,
        payment_id uuid not null references payment(id),
        owed_worker_id uuid not null references owed_worker(id),
        case_id uuid not null references wage_case(id),
        amount_fen bigint not null check (amount_fen > 0),
        unique (payment_id, owed_worker_id)
      );
      create index payment_allocation_case_idx on payment_allocation (case_id);
      create index payment_allocation_worker_idx on payment_allocation (owed_worker_id);
    `);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists payment_allocation, owed_worker;`);
  }
}
