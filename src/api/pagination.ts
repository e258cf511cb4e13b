import { Field, ObjectType } from 'type-graphql';
import { badUserInput } from './errors';

@ObjectType()
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

/** Opaque cursors: base64url of the sort key and id of the last row seen (keyset paging, stable under inserts). */
export function encodeCursor(parts: Array<string | number>): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

export function decodeCursor(cursor: string, arity: number): Array<string | number> {
  try {
    const parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(parts) && parts.length === arity) return parts as Array<string | number>;
  } catch {
    // fall through
  }
  throw badUserInput('after', 'cursor.valid', 'is not a cursor this list gave out');
}

export const MAX_PAGE = 200;

export function pageSize(first: number | null | undefined, fallback = 50): number {
  const n = first ?? fallback;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE) throw badUserInput('first', 'page.range', `must be between 1 and ${MAX_PAGE}`);
  return n;
}
