import { randomUUID } from 'node:crypto';
import { BigIntType, Entity, Enum, ManyToOne, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Agency } from '../agencies/agency.entity';
import { Employer } from '../employers/employer.entity';
import { Region } from '../regions/region.entity';

export const TEAM_ROLES = [
  'STREET_OFFICER',
  'REGULATOR_SUPERVISOR',
  'LABOUR_INSPECTOR',
  'PROJECT_MANAGER',
  'LABOUR_WAGE_SPECIALIST',
] as const;
export type TeamRole = (typeof TEAM_ROLES)[number];

/** One member of the five-member project team (五员管理); officials also have a user account. */
export interface TeamMember {
  role: TeamRole;
  name: string;
  mobile?: string;
  userId?: string;
}

export type ProjectStatus = 'PLANNED' | 'UNDER_CONSTRUCTION' | 'SUSPENDED' | 'COMPLETED';

/** A construction project: who builds it, who regulates it, and the money reserved for its wages. */
@Entity({ tableName: 'project' })
export class Project {
  [OptionalProps]?: 'id' | 'createdAt' | 'version' | 'labourSubcontractors' | 'team' | 'status';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Unique()
  @Property({ type: 'string', length: 64 })
  code!: string;

  @Property({ type: 'string', length: 200 })
  name!: string;

  @ManyToOne(() => Region, { mapToPk: true, fieldName: 'region_code' })
  region!: string;

  /** 建设单位: the client who commissioned the works. */
  @ManyToOne(() => Employer, { mapToPk: true, nullable: true })
  constructionUnit?: string;

  /** 施工总承包单位: the general contractor, answerable for its subcontractors' wages. */
  @ManyToOne(() => Employer, { mapToPk: true, nullable: true })
  generalContractor?: string;

  /** 劳务分包单位: labour subcontractors (employer ids, checked on write). */
  @Property({ type: 'array', columnType: 'uuid[]' })
  labourSubcontractors: string[] = [];

  /** 行业主管部门: the regulator of the project. */
  @ManyToOne(() => Agency, { mapToPk: true, nullable: true })
  regulator?: string;

  @Property({ type: 'json' })
  team: TeamMember[] = [];

  /** 工资专用账户 balance, fen. */
  @Property({ type: new BigIntType('number'), nullable: true })
  wageAccountBalanceFen?: number;

  /** 工资保证金 wage guarantee deposit, fen. */
  @Property({ type: new BigIntType('number'), nullable: true })
  wageDepositFen?: number;

  @Property({ type: 'integer', nullable: true })
  workerCount?: number;

  @Enum({ items: ['PLANNED', 'UNDER_CONSTRUCTION', 'SUSPENDED', 'COMPLETED'] })
  status: ProjectStatus = 'UNDER_CONSTRUCTION';

  @Property({ type: 'integer', version: true })
  version: number = 1;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date = new Date();
}
