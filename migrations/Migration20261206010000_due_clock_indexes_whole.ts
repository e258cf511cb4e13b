import { Migration } from '@mikro-orm/migrations';

/**
 * The deadline groups judge a clock on the case as it stood at the instant (migrations/sql/160_escalate_due_clocks.sql),
 * so a sweep also looks at the cases due then that changed since (accepted, reached, resolved a second after the
 * instant), not only those still open: the due-clock indexes cover every case, not only the open ones. The cases
 * due at one instant are at most a day's intake, however many the city holds.
 */
export class Migration20261206010000_due_clock_indexes_whole extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      drop index wage_case_same_day_contact_due_open_idx;
      drop index wage_case_acceptance_due_open_idx;
      drop index wage_case_resolution_due_open_idx;
      create index wage_case_same_day_contact_due_idx on wage_case (same_day_contact_due);
      create index wage_case_acceptance_due_idx on wage_case (acceptance_due);
      create index wage_case_resolution_due_idx on wage_case (resolution_due);
      create index wage_case_resolution_extended_due_idx on wage_case (resolution_extended_due);
    `);
  }

  override async down(): Promise<void> {
    this.addSql(`
      drop index wage_case_same_day_contact_due_idx;
      drop index wage_case_acceptance_due_idx;
      drop index wage_case_resolution_due_idx;
      drop index wage_case_resolution_extended_due_idx;
      create index wage_case_same_day_contact_due_open_idx on wage_case (same_day_contact_due)
        where status = 'RECEIVED' and first_contact_at is null;
      create index wage_case_acceptance_due_open_idx on wage_case (acceptance_due) where status = 'RECEIVED';
      create index wage_case_resolution_due_open_idx on wage_case ((coalesce(resolution_extended_due, resolution_due)))
        where status in ('ACCEPTED', 'IN_PROGRESS');
    `);
  }
}
