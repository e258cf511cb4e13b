import { useEffect, useRef } from 'react';
import { useSubscription } from 'urql';
import { graphql } from './gql';

const CaseEventsLive = graphql(`
  subscription CaseEventsLive($filter: CaseEventFilterInput) {
    caseEvents(filter: $filter) {
      cursor
      caseId
      caseNumber
      seq
      type
      at
    }
  }
`);

/**
 * Calls `onEvent` for every case-file entry the caller may see from now on (the `caseEvents` subscription over
 * graphql-ws), at most once per `settleMs` so a burst of entries refreshes a view once.
 */
export function useCaseEvents(onEvent: () => void, filter?: { caseId?: string }, settleMs = 300): void {
  const callback = useRef(onEvent);
  callback.current = onEvent;
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const [result] = useSubscription({ query: CaseEventsLive, variables: { filter: filter ?? null } });
  const last = result.data?.caseEvents.cursor;
  useEffect(() => {
    if (!last) return;
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => callback.current(), settleMs);
  }, [last, settleMs]);
}
