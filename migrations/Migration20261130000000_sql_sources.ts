import { Migration } from '@mikro-orm/migrations';

/**
 * Database functions and triggers become source files (`migrations/sql/*.sql`), applied after the migrations as
 * repeatable sources by src/db/sql-sources.ts: a file is run again whenever its checksum differs from the one
 * recorded here, so changing a function is a diff of its file, not a copy of it in a new migration. The migrations
 * before this one stay as they were applied; the sources supersede the function bodies they hold.
 */
export class Migration20261130000000_sql_sources extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table sql_source (
        name text primary key,
        checksum text not null,
        applied_at timestamptz not null default now()
      );
    `);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists sql_source;');
  }
}
