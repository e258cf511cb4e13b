import { Migration } from '@mikro-orm/migrations';

/**
 * The case file as a feed: each entry records the transaction that wrote it (so a reader can tell a gap in the
 * ids that is still in flight from one that was rolled back), and each insert wakes the API processes' listeners
 * with NOTIFY. The notification only wakes them; they read the entries from the table.
 */
export class Migration20261124040000_case_event_feed extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      alter table case_event add column tx xid8 not null default pg_current_xact_id();
      create function case_event_notify() returns trigger language plpgsql as $$
      begin
        perform pg_notify('case_events', new.id::text);
        return null;
      end $$;
      create trigger case_event_notify after insert on case_event for each row execute function case_event_notify();
    `);
  }

  override async down(): Promise<void> {
    this.addSql(`
      drop trigger if exists case_event_notify on case_event;
      drop function if exists case_event_notify();
      alter table case_event drop column if exists tx;
    `);
  }
}
