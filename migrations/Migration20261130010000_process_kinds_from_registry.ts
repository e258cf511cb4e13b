import { Migration } from '@mikro-orm/migrations';

/**
 * A process's kind is one of the registry's definitions (src/processes/registry.ts): a new process is a folder and
 * a registry line, with no schema change, so the database no longer lists the kinds itself.
 */
export class Migration20261130010000_process_kinds_from_registry extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table case_process drop constraint if exists case_process_kind_check;`);
  }

  override async down(): Promise<void> {
    this.addSql(
      `alter table case_process add constraint case_process_kind_check check (kind in ('DISPATCH','POLICE_REFERRAL','MEDIATION'));`,
    );
  }
}
