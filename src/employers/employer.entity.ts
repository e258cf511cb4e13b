import { randomUUID } from 'node:crypto';
import { Entity, Enum, ManyToOne, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { SECTORS, type Sector } from '../agencies/agency.entity';
import { Grid, Region } from '../regions/region.entity';

export type CreditGrade = 'A' | 'B' | 'C';
export type BlacklistStatus = 'NONE' | 'NOTICE_SERVED' | 'LISTED' | 'REMOVED';

/** An employer (用人单位), identified by its unified social credit code. */
@Entity({ tableName: 'employer' })
export class Employer {
  [OptionalProps]?: 'id' | 'createdAt' | 'blacklistStatus';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Unique()
  @Property({ type: 'string', length: 18 })
  uscc!: string;

  @Property({ type: 'string', length: 200 })
  name!: string;

  @Property({ type: 'string', length: 100, nullable: true })
  legalRepresentative?: string;

  @Enum({ items: () => [...SECTORS], nullable: true })
  industry?: Sector;

  @ManyToOne(() => Region, { mapToPk: true, nullable: true, fieldName: 'region_code' })
  region?: string;

  @ManyToOne(() => Grid, { mapToPk: true, nullable: true, fieldName: 'grid_code' })
  grid?: string;

  @Enum({ items: ['A', 'B', 'C'], nullable: true })
  creditGrade?: CreditGrade;

  @Enum({ items: ['NONE', 'NOTICE_SERVED', 'LISTED', 'REMOVED'] })
  blacklistStatus: BlacklistStatus = 'NONE';

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date = new Date();
}
