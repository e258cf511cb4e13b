import { Entity, Enum, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import type { DivisionLevel } from '../domain/division-code';

/** An administrative division (GB/T 2260), with its ancestry as a path for "this region and below". */
@Entity({ tableName: 'region' })
export class Region {
  @PrimaryKey({ type: 'string', length: 12 })
  code!: string;

  @Property({ type: 'string', length: 100 })
  name!: string;

  @Enum({ items: ['PROVINCE', 'CITY', 'DISTRICT', 'STREET', 'COMMUNITY'] })
  level!: DivisionLevel;

  @ManyToOne(() => Region, { mapToPk: true, nullable: true, fieldName: 'parent_code' })
  parent?: string;

  /** Codes from the root down to this one, joined by '/': descendants share it as a prefix. */
  @Property({ type: 'text' })
  path!: string;
}

/** An inspection grid (网格) inside a street, patrolled by its grid workers. */
@Entity({ tableName: 'grid' })
export class Grid {
  @PrimaryKey({ type: 'string', length: 32 })
  code!: string;

  @Property({ type: 'string', length: 100 })
  name!: string;

  @ManyToOne(() => Region, { mapToPk: true, fieldName: 'street_code' })
  street!: string;
}
