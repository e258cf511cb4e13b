import { Migration } from '@mikro-orm/migrations';

/**
 * Who has registered an employer. An employer is one legal entity, on file once by its USCC; a registrar
 * (labour inspection, an industry regulator) that registers one keeps it in its view even where the employer's
 * region is outside its own, including one that was already on file elsewhere (src/employers/employer.service.ts).
 */
export class Migration20261129001000_employer_registrants extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table employer_registrant (
        employer_id uuid not null references employer(id),
        agency_id uuid not null references agency(id),
        registered_at timestamptz not null default now(),
        primary key (agency_id, employer_id)
      );
    `);
  }

  override async down(): Promise<void> {
    this.addSql('drop table employer_registrant;');
  }
}
