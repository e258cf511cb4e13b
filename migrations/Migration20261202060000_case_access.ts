import { Migration } from '@mikro-orm/migrations';

/**
 * Cross-region access to a case (协查): labour inspection sees cases by region, so an inspection agency of another
 * city, to which a case is handed over, is granted access here, one row per case and agency:
 * - HANDOVER_PENDING: a handover to it waits for its answer (its supervisors and directors see the case);
 * - OWNER: it accepted the handover and owns the case (all its staff see it; only it changes it);
 * - HANDLED: it owned the case and handed it on (read only).
 * Written in the transaction that starts, answers or ends the handover (src/processes/handover, process-step.ts);
 * read by the case scope (src/policy/case-scope.ts). An agency with no row here has a purely regional scope, which
 * keeps the case list's per-region walk and the tally counts.
 */
export class Migration20261202060000_case_access extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table case_access (
        case_id uuid not null references wage_case(id),
        agency_id uuid not null references agency(id),
        access varchar(20) not null check (access in ('HANDOVER_PENDING', 'OWNER', 'HANDLED')),
        process_id uuid null references case_process(id),
        granted_at timestamptz not null,
        primary key (agency_id, case_id)
      );
      create index case_access_case_idx on case_access (case_id);
    `);
  }

  override async down(): Promise<void> {
    this.addSql('drop table case_access;');
  }
}
