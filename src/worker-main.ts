import { Client, Connection } from '@temporalio/client';
import { createServices } from './api/services';
import { loadConfigOrExit } from './config';
import { WebhookTargetPolicy } from './webhooks/webhook-targets';
import { openDatabase } from './db/database';
import { Lifecycle, runMain } from './lifecycle';
import { createLogger } from './logger';
import { OutboxRelay } from './outbox/outbox-relay';
import { createCaseActivities } from './worker/case-activities';
import { bundleWorkflows, installTemporalRuntime, startWorker } from './worker/worker';

/** `npm run worker`: the workflow worker alone, against an external PostgreSQL and Temporal (production layout). */
function boot(): void {
  const config = loadConfigOrExit('worker');
  const log = createLogger(config);
  const lifecycle = new Lifecycle(log);
  runMain(log, lifecycle, async () => {
    installTemporalRuntime(log);
    // Activities write through the same database as the API; the worker does not migrate it.
    const orm = await openDatabase({ url: config.database.url!, log, migrate: false });
    lifecycle.onStop('database pool', () => orm.close());
    const connection = Connection.lazy({ address: config.temporal.address! });
    lifecycle.onStop('Temporal client', () => connection.close());
    const client = new Client({ connection, namespace: config.temporal.namespace });
    const relay = new OutboxRelay(orm, client, config.temporal.taskQueue, log);
    // Activities write through the same services as the API (a payment resolves the case, and the outbox carries on).
    const services = createServices({ orm, webhookTargets: new WebhookTargetPolicy(config.webhooks.allowedNetworks), maxActiveWebhookEndpoints: config.webhooks.maxActiveEndpoints, temporal: connection, workflowClient: client, outboxNudge: () => void relay.drain().catch(() => undefined) });
    const worker = await startWorker({
      address: config.temporal.address!,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      bundle: await bundleWorkflows(log),
      activities: createCaseActivities({ orm, log, services }),
      log,
    });
    lifecycle.onStop('workflow worker', worker.shutdown);
    relay.start();
    lifecycle.onStop('workflow outbox relay', () => relay.stop());
    log.info({ taskQueue: config.temporal.taskQueue, address: config.temporal.address }, 'Anxin workflow worker running');
    await worker.running;
  });
}

boot();
