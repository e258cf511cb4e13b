import { Migration } from '@mikro-orm/migrations';

/**
 * The period of the violation on a case (劳动保障监察条例 第二十条 counts its two years from the day the violation
 * occurred or, if it continued, ended): recorded by a caseworker, unknown (null) until then.
 */
export class Migration20261201010000_violation_period extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table wage_case add column violation_started_on date null, add column violation_ended_on date null;`);
    this.addSql(
      `alter table wage_case add constraint wage_case_violation_period_check check (violation_ended_on is null or (violation_started_on is not null and violation_ended_on >= violation_started_on));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table wage_case drop constraint if exists wage_case_violation_period_check;`);
    this.addSql(`alter table wage_case drop column violation_started_on, drop column violation_ended_on;`);
  }
}
