import { Migration } from '@mikro-orm/migrations';

/**
 * The W3C `traceparent` of the transaction that wrote an outbox row, so whichever relay delivers it (another
 * process's, a poll minutes later) continues the trace of the request or activity that committed it. Filled by the
 * column default from the transaction's `anxin.traceparent` setting, which the traced processes set at each
 * transaction's start (src/observability/transaction-trace.ts): rows written by database functions and triggers
 * (intake_complaint, the webhook trigger) get it too. Null when tracing is off.
 */
export class Migration20261204010000_outbox_traceparent extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      alter table workflow_outbox
        add column traceparent text default nullif(current_setting('anxin.traceparent', true), '');
    `);
  }

  override async down(): Promise<void> {
    this.addSql('alter table workflow_outbox drop column traceparent;');
  }
}
