import { Migration } from '@mikro-orm/migrations';

/**
 * Two more agency kinds a case may be referred to (转介): the labour and personnel dispute arbitration commission
 * (劳动人事争议仲裁委员会) and the work-injury office (工伤认定, HRSS's social insurance administration).
 */
const BEFORE = `'HRSS_INSPECTION','DISTRICT_GOVERNMENT','STREET_GOVERNMENT','INDUSTRY_REGULATOR','CONTRACTOR_HQ','POLICE','PROCURATORATE','UNION','PETITION_OFFICE','JUSTICE_BUREAU','COURT','INTEGRATOR'`;

export class Migration20261202050000_arbitration_work_injury_agencies extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table agency drop constraint if exists agency_kind_check;`);
    this.addSql(
      `alter table agency add constraint agency_kind_check check (kind in (${BEFORE},'LABOUR_ARBITRATION','WORK_INJURY_OFFICE'));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table agency drop constraint if exists agency_kind_check;`);
    this.addSql(`alter table agency add constraint agency_kind_check check (kind in (${BEFORE}));`);
  }
}
