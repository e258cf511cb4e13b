import { randomUUID } from 'node:crypto';
import { Entity, Enum, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Grid, Region } from '../regions/region.entity';
import type { Channel } from '../rules/case-deadlines';

export const AGENCY_KINDS = [
  'HRSS_INSPECTION',
  'DISTRICT_GOVERNMENT',
  'STREET_GOVERNMENT',
  'INDUSTRY_REGULATOR',
  'CONTRACTOR_HQ',
  'POLICE',
  'PROCURATORATE',
  'UNION',
  'PETITION_OFFICE',
  'JUSTICE_BUREAU',
  'COURT',
  'INTEGRATOR',
  'LABOUR_ARBITRATION',
  'WORK_INJURY_OFFICE',
] as const;
export type AgencyKind = (typeof AGENCY_KINDS)[number];

export const SECTORS = ['CONSTRUCTION', 'TRANSPORT', 'WATER', 'CATERING', 'LOGISTICS', 'RETAIL', 'MANUFACTURING', 'OTHER'] as const;
export type Sector = (typeof SECTORS)[number];

export const USER_ROLES = [
  'INTAKE_CLERK',
  'INSPECTOR',
  'SUPERVISOR',
  'DIRECTOR',
  'OFFICER',
  'GRID_WORKER',
  'LIAISON',
  'MEDIATOR',
  'INTEGRATOR',
] as const;
export type UserRole = (typeof USER_ROLES)[number];

/** An agency taking part in the work: inspection, governments, regulators, contractor HQs, police … */
@Entity({ tableName: 'agency' })
export class Agency {
  [OptionalProps]?: 'id';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Enum({ items: () => [...AGENCY_KINDS] })
  kind!: AgencyKind;

  @Property({ type: 'string', length: 200 })
  name!: string;

  @ManyToOne(() => Region, { mapToPk: true, fieldName: 'region_code' })
  region!: string;

  @ManyToOne(() => Agency, { mapToPk: true, nullable: true })
  parent?: string;

  /** For an industry regulator: the sector it regulates. */
  @Enum({ items: () => [...SECTORS], nullable: true })
  sector?: Sector;

  /** For a contractor HQ: the employer whose headquarters this account is. */
  @Property({ type: 'uuid', nullable: true })
  employerId?: string;

  /** For an integrator: the one channel it sends cases on (and whose cases it may see). */
  @Property({ type: 'string', nullable: true })
  channel?: Channel;
}

/** A person who signs in for an agency, with the roles they hold there. */
@Entity({ tableName: 'app_user' })
export class User {
  [OptionalProps]?: 'id';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Agency, { mapToPk: true })
  agency!: string;

  @Property({ type: 'string', length: 100 })
  name!: string;

  @Property({ type: 'array', columnType: 'text[]' })
  roles!: UserRole[];

  /** For grid workers: the grid they patrol. */
  @ManyToOne(() => Grid, { mapToPk: true, nullable: true, fieldName: 'grid_code' })
  grid?: string;
}
