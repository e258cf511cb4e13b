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
