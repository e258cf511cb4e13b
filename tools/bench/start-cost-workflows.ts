import { patched, sleep } from '@temporalio/workflow';

/** `bench:start-cost`'s trivial workflow: one workflow task that starts a timer, as a new case's lifecycle does. */
export async function benchWait(): Promise<void> {
  await sleep('1 day');
}

/** The same after four patches, as many as the case lifecycle's first workflow task asks (each a marker and an upsert). */
export async function benchPatched(): Promise<void> {
  for (const id of ['bench-a', 'bench-b', 'bench-c', 'bench-d']) patched(id);
  await sleep('1 day');
}
