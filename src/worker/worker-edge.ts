import { ApplicationFailure } from '@temporalio/common';
import { DomainError } from '../domain/errors';

/**
 * The worker edge: an activity's refusal (a DomainError) crosses to the workflow as a non-retryable
 * ApplicationFailure with the same code and details, so an update fails with what the API would have answered.
 * Anything else is a fault, which Temporal retries.
 */
export async function atWorkerEdge<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof DomainError) throw ApplicationFailure.nonRetryable(err.message, err.code, err.extensions);
    throw err;
  }
}
