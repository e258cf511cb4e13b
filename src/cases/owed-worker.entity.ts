import { randomUUID } from 'node:crypto';
import { BigIntType, Entity, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { Person } from '../people/person.entity';
import { Case, Payment } from './case.entity';

/**
 * One line of a case's roster of owed workers (欠薪人员名单): who, how many months, how much. A complainant on the
 * case may be linked to their own line (at most one line per complainant). What the line was paid is the sum of
 * the payments' allocations to it (PaymentAllocation), never a number kept beside them.
 */
@Entity({ tableName: 'owed_worker' })
export class OwedWorker {
  [OptionalProps]?: 'id' | 'settled' | 'addedAt' | 'updatedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Case, { mapToPk: true, fieldName: 'case_id' })
  case!: string;

  /** The complainant (a person on this case) this line belongs to, if any. */
  @ManyToOne(() => Person, { mapToPk: true, nullable: true, fieldName: 'person_id' })
  person?: string | null;

  @Property({ type: 'string', length: 100 })
  name!: string;

  @Property({ type: 'string', length: 18, nullable: true })
  residentId?: string | null;

  @Property({ type: 'string', length: 11, nullable: true })
  mobile?: string | null;

  /** Months of wages owed (the crime threshold's one-worker condition counts them). */
  @Property({ type: 'integer' })
  monthsOwed!: number;

  @Property({ type: new BigIntType('number') })
  amountOwedFen!: number;

  /** Settled for less than owed (an agreement the worker accepted): counts as done for resolving the case. */
  @Property({ type: 'boolean' })
  settled: boolean = false;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  addedAt: Date = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  updatedAt: Date = new Date();
}

/** The part of a payment that reached one owed worker (工资发放到人). */
@Entity({ tableName: 'payment_allocation' })
export class PaymentAllocation {
  [OptionalProps]?: 'id';

  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @ManyToOne(() => Payment, { mapToPk: true, fieldName: 'payment_id' })
  payment!: string;

  @ManyToOne(() => OwedWorker, { mapToPk: true, fieldName: 'owed_worker_id' })
  owedWorker!: string;

  @ManyToOne(() => Case, { mapToPk: true, fieldName: 'case_id' })
  case!: string;

  @Property({ type: new BigIntType('number') })
  amountFen!: number;
}

/** What each line of a roster has been paid, from the allocations. */
export function paidByLine(allocations: ReadonlyArray<{ owedWorker: string; amountFen: number }>): Map<string, number> {
  const paid = new Map<string, number>();
  for (const a of allocations) paid.set(a.owedWorker, (paid.get(a.owedWorker) ?? 0) + a.amountFen);
  return paid;
}

/** A line is done when paid in full or settled. */
export function lineDone(line: Pick<OwedWorker, 'id' | 'amountOwedFen' | 'settled'>, paid: ReadonlyMap<string, number>): boolean {
  return line.settled || (paid.get(line.id) ?? 0) >= line.amountOwedFen;
}
