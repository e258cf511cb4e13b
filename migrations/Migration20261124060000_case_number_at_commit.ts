import { Migration } from '@mikro-orm/migrations';

/**
 * A new case takes its number (district + year + sequence, no gaps, no repeats) when its transaction commits,
 * from a deferred constraint trigger. The district's counter row is then locked only for the commit itself:
 * taken earlier in the transaction, it was held across the client's remaining round trips, and every intake in
 * the district queued behind the slowest of them.
 *
 * The intake inserts the row with a placeholder number (`~…`); only such rows queue the trigger.
 */
export class Migration20261124060000_case_number_at_commit extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create function assign_case_number() returns trigger language plpgsql as $$
      declare
        c record;
        district text;
        yr integer;
        n bigint;
      begin
        select region_code, received_at, number into c from wage_case where id = new.id;
        if not found or c.number not like '~%' then
          return null;
        end if;
        district := left(c.region_code, 6);
        yr := extract(year from c.received_at at time zone 'Asia/Shanghai')::integer;
        insert into case_number_counter (district_code, year, last) values (district, yr, 1)
          on conflict (district_code, year) do update set last = case_number_counter.last + 1
          returning last into n;
        update wage_case set number = district || '-' || yr || '-' || lpad(n::text, 6, '0') where id = new.id;
        return null;
      end $$;

      create constraint trigger wage_case_number_at_commit
        after insert on wage_case
        deferrable initially deferred
        for each row when (new.number like '~%')
        execute function assign_case_number();
    `);
  }

  override async down(): Promise<void> {
    this.addSql(`
      drop trigger if exists wage_case_number_at_commit on wage_case;
      drop function if exists assign_case_number();
    `);
  }
}
