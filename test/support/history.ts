import type { temporal } from '@temporalio/proto';

export type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** The id of the patch a `core_patch` marker records (what `patched(id)` wrote), else undefined. */
export function patchIdOf(e: HistoryEvent): string | undefined {
  const m = e.markerRecordedEventAttributes;
  if (m?.markerName !== 'core_patch') return undefined;
  return (JSON.parse(Buffer.from(m.details!['patch-data']!.payloads![0]!.data!).toString()) as { id: string }).id;
}

/** The patch ids marked in a history, in order. */
export const patchIds = (events: HistoryEvent[]): string[] => events.map(patchIdOf).filter((id): id is string => !!id);

/** A fetched history's events (none when it has none). */
export const eventsOf = (history: { events?: HistoryEvent[] | null }): HistoryEvent[] => history.events ?? [];

/** The marker names of a history, in order: `core_patch` for a patch, `core_local_activity` for a local activity. */
export const markerNames = (events: HistoryEvent[]): string[] =>
  events.map((e) => e.markerRecordedEventAttributes?.markerName).filter((n): n is string => !!n);
