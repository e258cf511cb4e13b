import { Migration } from '@mikro-orm/migrations';

/**
 * "My tasks" on the cases themselves (myCaseTasks, src/processes/agency-tasks.ts): an agency's received cases awaiting
 * acceptance, by acceptance deadline, and its resolved cases whose closing report awaits approval. A partial index
 * over those two statuses keeps the look-up to the few cases waiting, not every case the agency ever owned (the
 * plain owning-agency index would walk them all on a city of a million cases).
 */
export class Migration20261203010000_case_steps_awaited_index extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create index wage_case_awaiting_step_idx on wage_case (owning_agency_id, acceptance_due)
        where status in ('RECEIVED', 'RESOLVED');
    `);
  }

  override async down(): Promise<void> {
    this.addSql('drop index wage_case_awaiting_step_idx;');
  }
}
