import { startTestApi, type TestApi } from './support/api';
import { createTestDatabase, type TestDatabase } from './support/database';
import { loadTestCity } from './support/fixtures';
import { MAX_OPERATION_LABELS, Metrics } from '../src/observability/metrics';
import { Probes, startOpsServer } from '../src/observability/probes';
import { testLog } from './support/logger';

/**
 * GET /metrics on the API's port (Prometheus text, prom-client), and the probes: counts per operation with bounded
 * labels, the outbox backlog from the database, the pool, the feed; no personal data in what it exposes.
 */
describe('metrics and probes on the API', () => {
  let db: TestDatabase;
  let api: TestApi;
  let city: Awaited<ReturnType<typeof loadTestCity>>;
  let base: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    city = await loadTestCity(db.orm.em.fork());
    // No Temporal server answers here: the outbox keeps what intakes write, and readiness says Temporal is down.
    api = await startTestApi({ orm: db.orm, temporalAddress: '127.0.0.1:1' });
    base = api.url.replace(/\/graphql$/, '');
  });
  afterAll(async () => {
    await api?.stop();
    await db?.drop();
  });

  const scrape = async () => {
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    return res.text();
  };
  /** The value of one sample, by its name and labels as written in the exposition. */
  const sample = (text: string, series: string): number | undefined => {
    const line = text.split('\n').find((l) => l.startsWith(`${series} `));
    return line === undefined ? undefined : Number(line.slice(series.length + 1));
  };

  it('counts GraphQL operations by name and type, with durations and error codes', async () => {
    for (let i = 0; i < 3; i++) await api.gql('query Hello { __typename }');
    await api.gql('{ __typename }'); // anonymous
    const invalid = await api.gql('query Nope { noSuchField }'); // refused by the document check, before Apollo parses
    expect(invalid.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    // Refused in the resolver: no such case (or none the caller may see).
    const refused = await api.gql(
      'query Tasks { case(number: "110102-2026-999999") { id } }',
      {},
      api.as(city.inspector, city.xichengHrss),
    );
    const code = String(refused.errors?.[0]?.extensions?.code);
    expect(code).toBe('NOT_FOUND');

    const text = await scrape();
    expect(sample(text, 'anxin_graphql_requests_total{operation="Hello",type="query"}')).toBe(3);
    expect(sample(text, 'anxin_graphql_requests_total{operation="other",type="query"}')).toBe(1);
    expect(sample(text, 'anxin_graphql_request_duration_seconds_count{operation="Hello",type="query"}')).toBe(3);
    expect(sample(text, 'anxin_graphql_errors_total{code="GRAPHQL_VALIDATION_FAILED"}')).toBe(1);
    expect(sample(text, `anxin_graphql_errors_total{code="${code}"}`)).toBe(1);
    expect(sample(text, 'anxin_graphql_requests_total{operation="other",type="unknown"}')).toBe(1);
    expect(sample(text, 'anxin_graphql_requests_total{operation="Tasks",type="query"}')).toBe(1);
    // Node's own (default metrics are the entry points' choice; the server's registry has the request gauge).
    expect(text).toContain('anxin_http_requests_in_flight');
  });

  it('reads the outbox backlog and its age, the webhook backlog, the pool and the feed from the database on scrape', async () => {
    const phone = '13912345678';
    const intake = await api.gql(
      'mutation Intake($i: IntakeComplaintInput!) { intakeComplaint(input: $i) { case { id } } }',
      { i: { channel: 'HOTLINE_12345', channelRef: 'M-1', contactPhone: phone, description: '拖欠工资 张三', regionCode: '110102003' } },
      api.as(city.hotline, city.integrator),
    );
    expect(intake.errors).toBeUndefined();
    // An older row waiting, as if the relay had been away for two minutes.
    await db.orm.em
      .getConnection()
      .execute(
        `insert into workflow_outbox (action, workflow_type, workflow_id, args, created_at) values ('START', 'x', 'metrics-test', '[]', now() - interval '120 seconds')`,
      );
    const text = await scrape();
    expect(sample(text, 'anxin_outbox_pending')).toBeGreaterThanOrEqual(2); // the intake's start and the old row
    expect(sample(text, 'anxin_outbox_oldest_pending_age_seconds')).toBeGreaterThanOrEqual(119);
    expect(sample(text, 'anxin_webhook_deliveries_pending')).toBe(0);
    expect(sample(text, 'anxin_webhook_deliveries_oldest_pending_age_seconds')).toBe(0);
    expect(sample(text, 'anxin_db_pool_connections{state="used"}')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'anxin_db_pool_connections{state="free"}')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'anxin_db_pool_max_connections')).toBeGreaterThan(0);
    expect(sample(text, 'anxin_graphql_subscriptions_active')).toBe(0);
    expect(sample(text, 'anxin_feed_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'anxin_graphql_requests_total{operation="Intake",type="mutation"}')).toBe(1);
    // Counts only: no phone number, name, description or token in what an unauthenticated scraper reads.
    expect(text).not.toContain(phone);
    expect(text).not.toContain('张三');
    expect(text).not.toContain('Bearer');
  });

  it('answers /livez while the event loop turns, and /readyz 503 naming what is down', async () => {
    const live = await fetch(`${base}/livez`);
    expect(live.status).toBe(200);
    expect(await live.json()).toMatchObject({ status: 'live' });
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'not ready', database: 'UP', temporal: 'DOWN', migrations: 'APPLIED' });
  });

  it('keeps the operation label bounded: names past the cap share one label', async () => {
    for (let i = 0; i < MAX_OPERATION_LABELS + 20; i++) await api.gql(`query Op${i} { __typename }`);
    const text = await scrape();
    const names = new Set(
      text
        .split('\n')
        .filter((l) => l.startsWith('anxin_graphql_requests_total{'))
        .map((l) => /operation="([^"]+)"/.exec(l)![1]),
    );
    expect(names.size).toBeLessThanOrEqual(MAX_OPERATION_LABELS + 1);
    expect(names.has('other')).toBe(true);
  });

  it('serves the worker process’s metrics and probes on a port of its own (METRICS_PORT), 503 once it drains', async () => {
    const metrics = new Metrics({ defaultMetrics: true });
    metrics.watchDatabase(db.orm);
    let draining = false;
    const probes = new Probes({
      health: { database: async () => 'UP', temporalServer: async () => 'UP' },
      orm: db.orm,
      draining: () => draining,
    });
    const ops = await startOpsServer({ host: '127.0.0.1', port: 0, metrics, probes, log: testLog });
    try {
      const text = await (await fetch(`${ops.url}/metrics`)).text();
      expect(sample(text, 'anxin_outbox_pending')).toBeGreaterThanOrEqual(0);
      expect(text).toContain('process_resident_memory_bytes');
      expect(text).not.toContain('anxin_graphql_subscriptions_active'); // no API in this process
      const ready = await fetch(`${ops.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: 'ready', database: 'UP', temporal: 'UP', migrations: 'APPLIED' });
      draining = true;
      const drained = await fetch(`${ops.url}/readyz`);
      expect(drained.status).toBe(503);
      expect(await drained.json()).toEqual({ status: 'draining' });
      expect((await fetch(`${ops.url}/livez`)).status).toBe(200);
    } finally {
      await ops.stop();
    }
  });
});
