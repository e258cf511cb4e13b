import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { startApiServer, type ApiServer } from '../src/api/server';
import { bundleFor, createCore, startCoreWorker, type Core } from '../src/composition';
import { Lifecycle } from '../src/lifecycle';
import { startTracing, type Tracing } from '../src/observability/tracing';
import { processModules } from '../src/processes/registry';
import { testTokens } from './support/api';
import { createTestDatabase, type TestDatabase } from './support/database';
import { loadTestCity } from './support/fixtures';
import { testLog } from './support/logger';
import { startDevServer } from './support/temporal';

interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  service: string;
}

/**
 * OpenTelemetry across the API, the outbox relay and the workflows: with OTEL_EXPORTER_OTLP_ENDPOINT pointing at a
 * collector (here a tiny OTLP/HTTP JSON receiver in the test), one intake yields, in one trace, the GraphQL
 * operation's span, the relay delivery it nudged, the workflow start, and the spans the workflows make in the
 * worker (sent out of the sandbox through the interceptors' sink).
 */
describe('traces', () => {
  let db: TestDatabase;
  let temporal: TestWorkflowEnvironment;
  let tracing: Tracing;
  let core: Core;
  let api: ApiServer;
  let lifecycle: Lifecycle;
  let collector: http.Server;
  let webhookReceiver: http.Server;
  let city: Awaited<ReturnType<typeof loadTestCity>>;
  const spans: ReceivedSpan[] = [];
  const taskQueue = 'tracing';

  beforeAll(async () => {
    collector = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        if (req.url === '/v1/traces' && String(req.headers['content-type']).includes('json')) {
          const payload = JSON.parse(body) as {
            resourceSpans: Array<{
              resource: { attributes: Array<{ key: string; value: { stringValue?: string } }> };
              scopeSpans: Array<{ spans: ReceivedSpan[] }>;
            }>;
          };
          for (const rs of payload.resourceSpans) {
            const service = rs.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue ?? '';
            for (const ss of rs.scopeSpans)
              for (const s of ss.spans)
                spans.push({ traceId: s.traceId, spanId: s.spanId, parentSpanId: s.parentSpanId, name: s.name, service });
          }
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    webhookReceiver = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(204).end());
    });
    await Promise.all([
      new Promise<void>((r) => collector.listen(0, '127.0.0.1', r)),
      new Promise<void>((r) => webhookReceiver.listen(0, '127.0.0.1', r)),
    ]);
    tracing = startTracing({
      endpoint: `http://127.0.0.1:${(collector.address() as AddressInfo).port}`,
      serviceName: 'anxin-test',
      log: testLog,
    })!;
    [db, temporal] = await Promise.all([createTestDatabase(), startDevServer()]);
    city = await loadTestCity(db.orm.em.fork());
    lifecycle = new Lifecycle(testLog);
    const config = {
      temporal: { namespace: 'default', taskQueue, devServerPort: 0, uiPort: 0 },
      webhooks: { allowedNetworks: ['127.0.0.1/32'], maxActiveEndpoints: 5 },
      cases: { repeatComplaintWindowDays: 30, collectiveComplaintWindowDays: 30 },
    };
    // The composition root as the entry points use it, traced: the client's interceptors and the relay's span.
    core = createCore({ orm: db.orm, temporalAddress: temporal.address, config, log: testLog, lifecycle, tracing });
    await startCoreWorker(core, {
      orm: db.orm,
      temporalAddress: temporal.address,
      config,
      log: testLog,
      lifecycle,
      bundle: await bundleFor(processModules, testLog, { tracing }),
      tracing,
    });
    api = await startApiServer({
      host: '127.0.0.1',
      port: 0,
      orm: db.orm,
      services: core.services,
      tokens: testTokens,
      rateLimitPerMinute: 1_000_000,
      anonymousRateLimitPerMinute: 1_000_000,
      log: testLog,
      tracing: true,
    });
    lifecycle.onStop('GraphQL API', api.stop);
  }, 240_000);
  afterAll(async () => {
    await lifecycle?.stopAll();
    await tracing?.shutdown();
    await temporal?.teardown();
    await db?.drop();
    await new Promise((r) => collector?.close(r));
    await new Promise((r) => webhookReceiver?.close(r));
  });

  const gql = async (query: string, variables: Record<string, unknown>, token: string) => {
    const res = await fetch(api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as { data?: Record<string, { case?: { id: string } }>; errors?: unknown };
  };

  const hotlineToken = () =>
    testTokens.issue({
      userId: city.hotline.id,
      agencyId: city.integrator.id,
      agencyKind: city.integrator.kind,
      roles: city.hotline.roles,
    });

  /** The spans of the trace whose root is the GraphQL `operation`, once `complete` finds them all in (60 s at most). */
  async function traceOf(operation: string, complete: (names: string[]) => boolean): Promise<ReceivedSpan[]> {
    const end = Date.now() + 60_000;
    for (;;) {
      await tracing.flush();
      const root = spans.find((s) => s.name === operation);
      const trace = root ? spans.filter((s) => s.traceId === root.traceId) : [];
      if (complete(trace.map((s) => s.name))) return trace;
      if (Date.now() > end) throw new Error(`spans not in one trace in time: ${JSON.stringify(spans.map((s) => [s.name, s.traceId]))}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /** The name of the parent of the span called `name` in `trace`. */
  const parentName = (trace: ReceivedSpan[], name: string) =>
    trace.find((s) => s.spanId === trace.find((t) => t.name === name)!.parentSpanId)?.name;

  it('puts the GraphQL operation, the relay delivery, the workflow start and the workflows’ own spans in one trace', async () => {
    const hotline = hotlineToken();
    // A webhook endpoint for the hotline channel: each entry of the new case also starts a delivery workflow, whose
    // activities end at once (the case's lifecycle workflow runs for weeks: its own span ends only then).
    const registered = await gql(
      'mutation Register($i: RegisterWebhookInput!) { registerWebhook(input: $i) { id } }',
      {
        i: {
          url: `http://127.0.0.1:${(webhookReceiver.address() as AddressInfo).port}/hook`,
          secret: 'a-webhook-secret-of-at-least-32-characters',
        },
      },
      hotline,
    );
    expect(registered.errors).toBeUndefined();
    spans.length = 0;

    const intake = await gql(
      'mutation Intake($i: IntakeComplaintInput!) { intakeComplaint(input: $i) { case { id } } }',
      { i: { channel: 'HOTLINE_12345', channelRef: 'T-1', contactPhone: '13800000001', description: '拖欠工资', regionCode: '110102003' } },
      hotline,
    );
    expect(intake.errors).toBeUndefined();

    const trace = await traceOf(
      'mutation Intake',
      (names) =>
        names.includes('outbox.relay.deliver') &&
        names.includes('StartWorkflow:caseLifecycle') &&
        names.some((n) => n.startsWith('StartActivity:')) &&
        names.some((n) => n.startsWith('RunActivity:')),
    );
    // The delivery is a child of the request whose statement wrote the row; the workflow start a child of the delivery.
    expect(parentName(trace, 'outbox.relay.deliver')).toBe('mutation Intake');
    expect(parentName(trace, 'StartWorkflow:caseLifecycle')).toBe('outbox.relay.deliver');
    expect(trace.every((s) => s.service === 'anxin-test')).toBe(true);
    // The root of the trace is the GraphQL operation (the request sent no traceparent).
    expect(trace.find((s) => s.name === 'mutation Intake')!.parentSpanId || undefined).toBeUndefined();
  });

  it('continues the trace when another process’s relay delivers the row, later and outside any request', async () => {
    // The production layout: an API that leaves delivery to the workers (OUTBOX_RELAY_ENABLED=false). Its intake
    // commits the outbox row; the worker's relay, polling outside any span, delivers it. The row's traceparent,
    // recorded by the intake's transaction, joins the delivery to the request.
    const apiLifecycle = new Lifecycle(testLog);
    const apiCore = createCore({
      orm: db.orm,
      temporalAddress: temporal.address,
      config: {
        temporal: { namespace: 'default', taskQueue, devServerPort: 0, uiPort: 0 },
        webhooks: { allowedNetworks: ['127.0.0.1/32'], maxActiveEndpoints: 5 },
        cases: { repeatComplaintWindowDays: 30, collectiveComplaintWindowDays: 30 },
        outboxRelay: { enabled: false, concurrency: 32, batchSize: 500, ownConnection: false },
      },
      log: testLog,
      lifecycle: apiLifecycle,
      tracing,
    });
    const splitApi = await startApiServer({
      host: '127.0.0.1',
      port: 0,
      orm: db.orm,
      services: apiCore.services,
      tokens: testTokens,
      rateLimitPerMinute: 1_000_000,
      anonymousRateLimitPerMinute: 1_000_000,
      log: testLog,
      tracing: true,
    });
    apiLifecycle.onStop('GraphQL API', splitApi.stop);
    try {
      const hotline = hotlineToken();
      const res = await fetch(splitApi.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${hotline}` },
        body: JSON.stringify({
          query: 'mutation IntakeElsewhere($i: IntakeComplaintInput!) { intakeComplaint(input: $i) { case { id } } }',
          variables: {
            i: {
              channel: 'HOTLINE_12345',
              channelRef: 'T-2',
              contactPhone: '13800000002',
              description: '拖欠工资',
              regionCode: '110102003',
            },
          },
        }),
      });
      const intake = (await res.json()) as { data?: { intakeComplaint: { case: { id: string } } }; errors?: unknown };
      expect(intake.errors).toBeUndefined();
      const workflowId = `case-${intake.data!.intakeComplaint.case.id}`;
      // Nothing nudged a relay: the row waits, with the request's trace on it.
      const [row] = await db.orm.em
        .fork()
        .getConnection()
        .execute<Array<{ traceparent: string | null; delivered_at: Date | null }>>(
          `select traceparent, delivered_at from workflow_outbox where workflow_id = ? and action = 'START'`,
          [workflowId],
        );
      expect(row!.delivered_at).toBeNull();
      expect(row!.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/);

      // The other process's relay, from its poll: no span is active here.
      expect(await core.relay.drain()).toBeGreaterThanOrEqual(1);

      // Every row the intake wrote (the lifecycle start, the webhook delivery's wake-up) carries its trace, and each
      // delivery is a span of it.
      const written = await db.orm.em
        .fork()
        .getConnection()
        .execute<Array<{ n: number }>>(`select count(*)::int as n from workflow_outbox where traceparent = ?`, [row!.traceparent]);
      expect(written[0]!.n).toBeGreaterThanOrEqual(2);
      const deliveries = (names: string[]) => names.filter((n) => n === 'outbox.relay.deliver').length;
      const trace = await traceOf(
        'mutation IntakeElsewhere',
        (names) => names.includes('StartWorkflow:caseLifecycle') && deliveries(names) >= written[0]!.n,
      );
      expect(parentName(trace, 'StartWorkflow:caseLifecycle')).toBe('outbox.relay.deliver');
      // The delivery's parent is the request's span, in another process's trace context than the relay's own.
      expect(parentName(trace, 'outbox.relay.deliver')).toBe('mutation IntakeElsewhere');
      expect(trace.filter((s) => s.name === 'outbox.relay.deliver')).toHaveLength(written[0]!.n);
    } finally {
      await apiLifecycle.stopAll();
    }
  });
});
