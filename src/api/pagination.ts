import { Field, ObjectType } from 'type-graphql';
import { badUserInput } from '../domain/errors';

@ObjectType()
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

export const MAX_PAGE = 200;

export function pageSize(first: number | null | undefined, fallback = 50): number {
  const n = first ?? fallback;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE) throw badUserInput('first', 'page.range', `must be between 1 and ${MAX_PAGE}`);
  return n;
}
