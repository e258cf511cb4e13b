import { Migration } from '@mikro-orm/migrations';

export class Migration20261123000000_employer extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table "employer" (
        "id" uuid not null primary key,
        "uscc" varchar(18) not null constraint "employer_uscc_unique" unique,
        "name" varchar(200) not null,
        "legal_representative" varchar(100) null,
        "created_at" timestamptz not null
      );`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists "employer";');
  }
}
