import { Migration } from '@mikro-orm/migrations';

/**
 * Case counts by region and status for the dashboards' `totalCount`, without counting the cases. A trigger adds
 * a +1/-1 row for every case that appears in or leaves a (region, status): rows are only ever inserted, so
 * intakes never wait on one another for a counter. `compact_case_tally()` folds the rows into one per
 * (region, status); run every few seconds, it keeps the table a few thousand rows long. Counting a district's
 * 125k closed cases took 30 ms; summing their tally takes well under one.
 *
 * Seeding in bulk with triggers off (session_replication_role = replica) must end with `rebuild_case_tally()`.
 */
export class Migration20261124080000_case_tally extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table case_tally (
        region_code varchar(12) not null,
        status text not null,
        n bigint not null
      );
      create index case_tally_region_status_idx on case_tally (region_code, status);

      create function case_tally_count() returns trigger language plpgsql as $$
      begin
        if tg_op in ('UPDATE', 'DELETE') then
          insert into case_tally (region_code, status, n) values (old.region_code, old.status, -1);
        end if;
        if tg_op in ('INSERT', 'UPDATE') then
          insert into case_tally (region_code, status, n) values (new.region_code, new.status, 1);
        end if;
        return null;
      end $$;
      create trigger wage_case_tally
        after insert or delete on wage_case
        for each row execute function case_tally_count();
      create trigger wage_case_tally_moved
        after update of region_code, status on wage_case
        for each row when (old.region_code is distinct from new.region_code or old.status is distinct from new.status)
        execute function case_tally_count();

      create function compact_case_tally() returns void language sql as $$
        with gone as (delete from case_tally returning region_code, status, n)
        insert into case_tally (region_code, status, n)
        select region_code, status, sum(n) from gone group by region_code, status having sum(n) <> 0;
      $$;

      create function rebuild_case_tally() returns void language plpgsql as $$
      begin
        lock table wage_case in share mode; -- no case changes while it recounts
        delete from case_tally;
        insert into case_tally (region_code, status, n) select region_code, status, count(*) from wage_case group by region_code, status;
      end $$;

      select rebuild_case_tally();
    `);
  }

  override async down(): Promise<void> {
    this.addSql(`
      drop trigger if exists wage_case_tally on wage_case;
      drop trigger if exists wage_case_tally_moved on wage_case;
      drop function if exists case_tally_count(), compact_case_tally(), rebuild_case_tally();
      drop table if exists case_tally;
    `);
  }
}
