import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Orm } from '../db/database';
import type { HealthService } from '../health/health.service';
import type { Logger } from '../logger';
import type { Metrics } from './metrics';

/** The event loop is called stuck when its heartbeat (every second) is this late: /livez then answers 503. */
export const EVENT_LOOP_STALL_MS = 10_000;
const HEARTBEAT_MS = 1_000;

export interface ProbeAnswer {
  status: 200 | 503;
  body: Record<string, unknown>;
}

/**
 * Liveness and readiness for an orchestrator. Liveness: the process answers and its event loop has turned within
 * EVENT_LOOP_STALL_MS. Readiness: the database answers, the Temporal server answers, every migration is applied,
 * and the process is not draining (SIGTERM was received).
 */
export class Probes {
  private beat = Date.now();
  private readonly heartbeat: NodeJS.Timeout;
  private migrated = false;

  constructor(
    private readonly checks: {
      health: Pick<HealthService, 'database' | 'temporalServer'>;
      orm: Orm;
      /** True from SIGTERM on (Lifecycle.draining). */
      draining: () => boolean;
    },
  ) {
    this.heartbeat = setInterval(() => (this.beat = Date.now()), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  live(): ProbeAnswer {
    const lateMs = Math.max(0, Date.now() - this.beat - HEARTBEAT_MS);
    const stuck = lateMs > EVENT_LOOP_STALL_MS;
    return { status: stuck ? 503 : 200, body: { status: stuck ? 'stuck' : 'live', eventLoopLateMs: lateMs } };
  }

  async ready(): Promise<ProbeAnswer> {
    if (this.checks.draining()) return { status: 503, body: { status: 'draining' } };
    const [database, temporal, migrations] = await Promise.all([
      this.checks.health.database(),
      this.checks.health.temporalServer(),
      this.migrationsApplied(),
    ]);
    const draining = this.checks.draining();
    const ok = database === 'UP' && temporal === 'UP' && migrations && !draining;
    return {
      status: ok ? 200 : 503,
      body: {
        status: ok ? 'ready' : draining ? 'draining' : 'not ready',
        database,
        temporal,
        migrations: migrations ? 'APPLIED' : 'PENDING',
      },
    };
  }

  /** Migrations never go back once applied: a true answer is kept, a false one asked again. */
  private async migrationsApplied(): Promise<boolean> {
    if (this.migrated) return true;
    try {
      const pending = await this.checks.orm.getMigrator().getPendingMigrations();
      this.migrated = pending.length === 0;
    } catch {
      return false;
    }
    return this.migrated;
  }

  stop(): void {
    clearInterval(this.heartbeat);
  }
}

/** GET /metrics, /livez and /readyz: counts and states only, no token needed (README "Metrics, traces and probes"). */
export function opsRouter(opts: { metrics: Metrics; probes: Probes }): express.Router {
  const router = express.Router();
  router.get('/metrics', (_req, res, next) => {
    opts.metrics.text().then((text) => {
      res.setHeader('content-type', opts.metrics.registry.contentType);
      res.setHeader('cache-control', 'no-store');
      res.send(text);
    }, next);
  });
  router.get('/livez', (_req, res) => {
    const { status, body } = opts.probes.live();
    res.setHeader('cache-control', 'no-store');
    res.status(status).json(body);
  });
  router.get('/readyz', (_req, res, next) => {
    opts.probes.ready().then(({ status, body }) => {
      res.setHeader('cache-control', 'no-store');
      res.status(status).json(body);
    }, next);
  });
  return router;
}

/** The worker process's own small HTTP server for the metrics and probes (`METRICS_PORT`). */
export async function startOpsServer(opts: {
  host: string;
  port: number;
  metrics: Metrics;
  probes: Probes;
  log: Logger;
}): Promise<{ url: string; stop(): Promise<void> }> {
  const app = express();
  app.disable('x-powered-by');
  app.use(opsRouter(opts));
  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${opts.host === '0.0.0.0' || opts.host === '::' ? 'localhost' : opts.host}:${port}`;
  opts.log.info({ metrics: `${url}/metrics` }, 'metrics and probes listening');
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        opts.probes.stop();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
