import { Migration } from '@mikro-orm/migrations';

/**
 * Access control: an integrator agency sends cases on its own channel only; each case-file entry records the
 * operation that wrote it (the GraphQL mutation or the workflow step) beside its actor and agency.
 */
export class Migration20261124030000_access extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      alter table agency add column channel text null check (channel in ('HOTLINE_12345','HOTLINE_12333','NATIONAL_PLATFORM','PROVINCIAL_SYSTEM','QR_FORM','WALK_IN','GRID_PATROL','POLICE_ALERT'));
      alter table case_event add column operation varchar(80) null;
    `);
  }

  override async down(): Promise<void> {
    this.addSql(`
      alter table case_event drop column if exists operation;
      alter table agency drop column if exists channel;
    `);
  }
}
