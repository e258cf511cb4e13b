import type { Duration } from '@temporalio/common';
import { condition, continueAsNew, defineSignal, patched, proxyActivities, setHandler } from '@temporalio/workflow';
import type { WebhookActivities } from '../src/webhooks/webhook-activities';

/**
 * One per (webhook endpoint, case): sends the case's entries to the endpoint in order, each retried with backoff
 * (by Temporal, durably, across worker restarts) until the give-up time, then parked so the next one goes. Started
 * or woken through the outbox whenever an entry is written; ends when idle, and a new entry starts it again.
 */
export interface WebhookDeliveryInput {
  endpointId: string;
  caseId: string;
  /** How long one delivery is retried before it is parked. */
  giveUpAfter?: Duration;
}

export const deliveriesPendingSignal = defineSignal('deliveriesPending');

export async function webhookDelivery(input: WebhookDeliveryInput): Promise<{ delivered: number; parked: number }> {
  const { nextWebhookDelivery, parkWebhook } = proxyActivities<WebhookActivities>({
    startToCloseTimeout: '30 seconds',
    retry: { maximumInterval: '1 minute' },
  });
  const { sendWebhook } = proxyActivities<WebhookActivities>({
    startToCloseTimeout: '30 seconds',
    scheduleToCloseTimeout: input.giveUpAfter ?? '24 hours',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
  });
  let pending = true;
  let delivered = 0;
  let parked = 0;
  setHandler(deliveriesPendingSignal, () => {
    pending = true;
  });
  // Runs started before the send answered the next delivery keep asking for it separately.
  const sendAnswersNext = patched('webhook-send-answers-next');
  for (let round = 0; round < 200; round++) {
    if (!pending && !(await condition(() => pending, '10 minutes'))) return { delivered, parked };
    pending = false;
    let next = await nextWebhookDelivery(input);
    while (next) {
      let following: { id: string } | null | undefined;
      try {
        const sent = await sendWebhook(
          sendAnswersNext ? { deliveryId: next.id, endpointId: input.endpointId, caseId: input.caseId } : { deliveryId: next.id },
        );
        following = sent.next;
        delivered++;
      } catch (err) {
        await parkWebhook({
          deliveryId: next.id,
          reason: err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err),
        });
        parked++;
      }
      next = following !== undefined ? following : await nextWebhookDelivery(input);
    }
  }
  // A long-lived busy case: start afresh so the history stays short.
  return continueAsNew<typeof webhookDelivery>(input);
}
