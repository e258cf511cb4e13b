import { Field, ObjectType } from 'type-graphql';
import { badUserInput } from '../domain/errors';

@ObjectType({ description: 'Where a page is in a list (Relay cursor connection spec)' })
export class PageInfo {
  @Field({ description: 'Whether there are more items after this page' })
  hasNextPage!: boolean;

  @Field(() => String, {
    description: 'The cursor of the last item on this page: pass it as `after` for the next page; null when the page is empty',
    nullable: true,
  })
  endCursor!: string | null;

  @Field({
    description:
      'Whether items come before this page: true when the page was asked for with `after` (the lists page forward only, so a client goes back by the cursors it holds)',
  })
  hasPreviousPage!: boolean;

  @Field(() => String, { description: 'The cursor of the first item on this page; null when the page is empty', nullable: true })
  startCursor!: string | null;
}

/** The page info of a forward page: its items' cursors, whether more follow, and the `after` it was asked with. */
export function forwardPageInfo(cursors: readonly string[], hasNextPage: boolean, after: string | null | undefined): PageInfo {
  return { hasNextPage, endCursor: cursors.at(-1) ?? null, hasPreviousPage: after != null, startCursor: cursors[0] ?? null };
}

export const MAX_PAGE = 200;

export function pageSize(first: number | null | undefined, fallback = 50): number {
  const n = first ?? fallback;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE) throw badUserInput('first', 'page.range', `must be between 1 and ${MAX_PAGE}`);
  return n;
}
