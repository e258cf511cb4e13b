import { Migration } from '@mikro-orm/migrations';

/**
 * The deadline groups (workflows/deadline-group.ts) find every case whose clock runs out at one instant
 * (escalate_due_clocks, migrations/sql/160_escalate_due_clocks.sql). Partial indexes over the open clocks only, so
 * the look-up is the cases due at that instant, not a walk of a city's million: one per clock, each over exactly
 * the rows that clock can still escalate.
 */
export class Migration20261205010000_due_clock_indexes extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create index wage_case_same_day_contact_due_open_idx on wage_case (same_day_contact_due)
        where status = 'RECEIVED' and first_contact_at is null;
      create index wage_case_acceptance_due_open_idx on wage_case (acceptance_due) where status = 'RECEIVED';
      create index wage_case_resolution_due_open_idx on wage_case ((coalesce(resolution_extended_due, resolution_due)))
        where status in ('ACCEPTED', 'IN_PROGRESS');
    `);
  }

  override async down(): Promise<void> {
    this.addSql(`
      drop index wage_case_same_day_contact_due_open_idx;
      drop index wage_case_acceptance_due_open_idx;
      drop index wage_case_resolution_due_open_idx;
    `);
  }
}
