import path from 'node:path';
import { ConfigError, loadConfig } from '../src/config';

describe('configuration', () => {
  it('starts on documented defaults with an empty environment', () => {
    const c = loadConfig({});
    expect(c.api).toEqual({ host: '127.0.0.1', port: 4000, graphqlJit: true });
    expect(c.dataDir).toBe(path.resolve('.data'));
    expect(c.database).toEqual({ url: undefined, embeddedPort: 5433 });
    expect(c.temporal).toMatchObject({ address: undefined, namespace: 'default', devServerPort: 7233, uiPort: 8233, taskQueue: 'anxin' });
    expect(c.log.format).toBe('pretty');
    expect(loadConfig({ NODE_ENV: 'production' }).log.format).toBe('json');
  });

  it('reads external services', () => {
    const c = loadConfig({
      DATABASE_URL: 'postgres://u:p@db:5432/anxin',
      TEMPORAL_ADDRESS: 'temporal.internal:7233',
      TEMPORAL_NAMESPACE: 'anxin-prod',
    });
    expect(c.database.url).toBe('postgres://u:p@db:5432/anxin');
    expect(c.temporal.address).toBe('temporal.internal:7233');
    expect(c.temporal.namespace).toBe('anxin-prod');
  });

  it('lists every bad value in one error', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', EMBEDDED_PG_PORT: '70000', DATABASE_URL: 'mysql://x', TEMPORAL_ADDRESS: 'no-port', LOG_LEVEL: 'loud' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(5);
    for (const key of ['PORT', 'EMBEDDED_PG_PORT', 'DATABASE_URL', 'TEMPORAL_ADDRESS', 'LOG_LEVEL']) {
      expect(problems.some((p) => p.startsWith(`${key}=`))).toBe(true);
    }
    expect((error as Error).message).toContain('TEMPORAL_ADDRESS="no-port": must be host:port');
  });

  it('reads the city’s callback sample rate, 0–1, every closed case by default', () => {
    expect(loadConfig({}).callbacks).toEqual({ sampleRate: 1 });
    expect(loadConfig({ CALLBACK_SAMPLE_RATE: '0.3' }).callbacks.sampleRate).toBe(0.3);
    expect(loadConfig({ CALLBACK_SAMPLE_RATE: '0' }).callbacks.sampleRate).toBe(0);
    expect(loadConfig({ CALLBACK_SAMPLE_RATE: ' ' }).callbacks.sampleRate).toBe(1); // blank is unset, not 0
    for (const bad of ['-0.1', '1.5', 'half', '30%'])
      expect(() => loadConfig({ CALLBACK_SAMPLE_RATE: bad })).toThrow(/CALLBACK_SAMPLE_RATE/);
  });

  it('leaves the worker’s cache and sticky timeout to the SDK unless told, and refuses values out of range', () => {
    expect(loadConfig({}).worker).toEqual({ maxCachedWorkflows: undefined, stickyTimeoutSeconds: undefined });
    expect(loadConfig({ WORKER_MAX_CACHED_WORKFLOWS: '10000', WORKER_STICKY_TIMEOUT_SECONDS: '60' }).worker).toEqual({
      maxCachedWorkflows: 10_000,
      stickyTimeoutSeconds: 60,
    });
    for (const bad of ['0', '-5', 'soon', '1.5', '7200'])
      expect(() => loadConfig({ WORKER_STICKY_TIMEOUT_SECONDS: bad })).toThrow(/WORKER_STICKY_TIMEOUT_SECONDS/);
  });

  it('caps the active webhook endpoints of an integrator at 5 unless told otherwise', () => {
    expect(loadConfig({}).webhooks.maxActiveEndpoints).toBe(5);
    expect(loadConfig({ WEBHOOK_MAX_ACTIVE_ENDPOINTS: '20' }).webhooks.maxActiveEndpoints).toBe(20);
    for (const bad of ['0', '-1', 'many', '2.5', '100000'])
      expect(() => loadConfig({ WEBHOOK_MAX_ACTIVE_ENDPOINTS: bad })).toThrow(/WEBHOOK_MAX_ACTIVE_ENDPOINTS/);
  });

  it('requires external services for the separate api and worker processes', () => {
    expect(() => loadConfig({}, 'api')).toThrow(
      /DATABASE_URL: required by `npm run api`[\s\S]*TEMPORAL_ADDRESS: required by `npm run api`/,
    );
    expect(() => loadConfig({ DATABASE_URL: 'postgres://db/x' }, 'worker')).toThrow(/TEMPORAL_ADDRESS: required by `npm run worker`/);
    expect(loadConfig({ DATABASE_URL: 'postgres://db/x', TEMPORAL_ADDRESS: 't:7233' }, 'worker').temporal.address).toBe('t:7233');
  });

  it('keeps metrics ports and tracing off unless set, and drains within 20 s by default', () => {
    expect(loadConfig({}).observability).toEqual({
      metricsPort: undefined,
      temporalMetricsPort: undefined,
      otlpEndpoint: undefined,
      serviceName: 'anxin',
      shutdownGraceMs: 20_000,
      shutdownDelayMs: 0,
    });
    const c = loadConfig(
      {
        DATABASE_URL: 'postgres://db/x',
        TEMPORAL_ADDRESS: 't:7233',
        METRICS_PORT: '9091',
        TEMPORAL_METRICS_PORT: '9464',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector:4318',
        SHUTDOWN_GRACE_MS: '25000',
        SHUTDOWN_DELAY_MS: '5000',
      },
      'worker',
    ).observability;
    expect(c).toEqual({
      metricsPort: 9091,
      temporalMetricsPort: 9464,
      otlpEndpoint: 'http://otel-collector:4318',
      serviceName: 'anxin-worker',
      shutdownGraceMs: 25_000,
      shutdownDelayMs: 5_000,
    });
    expect(loadConfig({ METRICS_PORT: ' ', OTEL_EXPORTER_OTLP_ENDPOINT: '' }).observability.metricsPort).toBeUndefined();
    expect(loadConfig({ OTEL_SERVICE_NAME: 'anxin-bj' }).observability.serviceName).toBe('anxin-bj');
    expect(() => loadConfig({ METRICS_PORT: '70000' })).toThrow(/METRICS_PORT/);
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'otel:4318' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT/);
    expect(() => loadConfig({ SHUTDOWN_GRACE_MS: '-1' })).toThrow(/SHUTDOWN_GRACE_MS/);
  });
});
