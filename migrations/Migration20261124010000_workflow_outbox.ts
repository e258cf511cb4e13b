import { Migration } from '@mikro-orm/migrations';

/**
 * The transactional outbox between the database and Temporal: a mutation writes the workflow start or signal
 * it needs in its own transaction; the relay delivers it. A crash between the commit and the Temporal call
 * loses nothing: the row waits for the next relay pass.
 */
export class Migration20261124010000_workflow_outbox extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table workflow_outbox (
        id bigserial primary key,
        action text not null check (action in ('START','SIGNAL')),
        workflow_type text null,
        workflow_id text not null,
        signal_name text null,
        args jsonb not null default '[]',
        created_at timestamptz not null default now(),
        delivered_at timestamptz null,
        attempts integer not null default 0,
        last_error text null
      );
      create index workflow_outbox_pending_idx on workflow_outbox (id) where delivered_at is null;
    `);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists workflow_outbox;');
  }
}
