import 'reflect-metadata';
import { Client, Connection } from '@temporalio/client';
import { createServices } from './api/services';
import { parseKeys, Tokens } from './auth/tokens';
import { startApiServer } from './api/server';
import { loadConfigOrExit } from './config';
import { WebhookTargetPolicy } from './webhooks/webhook-targets';
import { openDatabase } from './db/database';
import { Lifecycle, runMain } from './lifecycle';
import { createLogger } from './logger';
import { OutboxRelay } from './outbox/outbox-relay';

/** `npm run api`: the GraphQL API alone, against an external PostgreSQL and Temporal (production layout). */
function boot(): void {
  const config = loadConfigOrExit('api');
  const log = createLogger(config);
  const lifecycle = new Lifecycle(log);
  runMain(log, lifecycle, async () => {
    const orm = await openDatabase({ url: config.database.url!, log });
    lifecycle.onStop('database pool', () => orm.close());
    const temporal = Connection.lazy({ address: config.temporal.address! });
    lifecycle.onStop('Temporal client', () => temporal.close());
    // The API delivers what it just committed at once; the worker's relay polls for anything left behind.
    const relay = new OutboxRelay(orm, new Client({ connection: temporal, namespace: config.temporal.namespace }), config.temporal.taskQueue, log);
    lifecycle.onStop('workflow outbox relay', () => relay.stop());
    const services = createServices({ orm, webhookTargets: new WebhookTargetPolicy(config.webhooks.allowedNetworks), maxActiveWebhookEndpoints: config.webhooks.maxActiveEndpoints, caseStatusLimits: config.caseStatusLimits, temporal, namespace: config.temporal.namespace, outboxNudge: () => void relay.drain().catch(() => undefined) });
    const api = await startApiServer({ host: config.api.host, port: config.api.port, orm, services, config, log, tokens: new Tokens(parseKeys(config.auth.keys!), config.auth.tokenTtl), production: config.env === 'production', rateLimitPerMinute: config.rateLimitPerMinute, anonymousRateLimitPerMinute: config.anonymousRateLimitPerMinute });
    lifecycle.onStop('GraphQL API', api.stop);
    log.info({ graphql: api.url }, `Anxin API ready — GraphQL: ${api.url}`);
  });
}

boot();
