import { randomUUID } from 'node:crypto';
import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * A complainant or worker, stored once and referred to by cases. Identified by mobile number (zero-threshold
 * intake needs nothing more) and, when known, the resident ID number.
 */
@Entity({ tableName: 'person' })
export class Person {
  [OptionalProps]?: 'id' | 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'string', length: 100, nullable: true })
  name?: string;

  @Property({ type: 'string', length: 11, nullable: true, unique: true })
  mobile?: string;

  @Property({ type: 'string', length: 18, nullable: true, unique: true })
  residentId?: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date = new Date();
}
