import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  bundleWorkflowCode,
  NativeConnection,
  Runtime,
  Worker,
  type WorkerOptions,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import type { Logger } from '../logger';

/** The workflows every worker runs whatever the registry: the case lifecycle and webhook delivery. */
const CORE_WORKFLOWS = require.resolve('../../workflows');

/**
 * The workflow code, bundled once (webpack) and reused by every worker of this process: the core workflows and
 * the workflow module of each registered process (`ProcessDefinition.workflowModule`). The bundle's entry is
 * generated from that list, so a process added to the registry is in the bundle with nothing else to edit.
 */
export function bundleWorkflows(
  log: Logger | undefined,
  processWorkflowModules: readonly string[],
  /** Workflow interceptor modules (tracing's, when it is on); none by default. */
  opts: { interceptorModules?: string[] } = {},
): Promise<WorkflowBundleWithSourceMap> {
  const modules = [CORE_WORKFLOWS, ...new Set(processWorkflowModules)];
  const source = `module.exports = Object.assign({}, ${modules.map((m) => `require(${JSON.stringify(m)})`).join(', ')});\n`;
  const dir = path.join(os.tmpdir(), `anxin-workflows-${createHash('sha256').update(source).digest('hex').slice(0, 16)}`);
  mkdirSync(dir, { recursive: true });
  const entry = path.join(dir, 'index.js');
  writeFileSync(entry, source);
  const projectModules = path.resolve(
    __dirname,
    '..',
    '..',
    ...(path.basename(path.resolve(__dirname, '..', '..')) === 'dist' ? ['..'] : []),
    'node_modules',
  );
  return bundleWorkflowCode({
    workflowsPath: entry,
    ...(opts.interceptorModules?.length ? { workflowInterceptorModules: opts.interceptorModules } : {}),
    logger: log ? pinoToTemporal(log.child({ component: 'bundler' })) : undefined,
    // The generated entry lives outside the project: the SDK's own imports resolve from the project's node_modules.
    webpackConfigHook: (config) => ({
      ...config,
      resolve: { ...config.resolve, modules: [...(config.resolve?.modules ?? []), projectModules] },
    }),
  });
}

export interface WorkerHandle {
  /** Resolves when the worker has stopped; rejects if it failed. */
  running: Promise<void>;
  shutdown(): Promise<void>;
  /** What the worker holds now: workflows in its sticky cache, activations and activities in flight. */
  status(): { cachedWorkflows: number; inFlightActivations: number; inFlightActivities: number };
}

export async function startWorker(opts: {
  address: string;
  namespace: string;
  taskQueue: string;
  bundle: WorkflowBundleWithSourceMap;
  activities?: object;
  log: Logger;
  /** How long in-flight activities get to finish after shutdown before they are cancelled (SHUTDOWN_GRACE_MS). */
  shutdownGraceMs?: number;
  /** Tracing's interceptors and workflow-span sink (src/observability/tracing.ts), when it is on. */
  tracing?: Pick<WorkerOptions, 'interceptors' | 'sinks'>;
  /** Workflows held in the sticky cache (WORKER_MAX_CACHED_WORKFLOWS); unset: the SDK's default, from the heap limit. */
  maxCachedWorkflows?: number;
  /** Seconds a task waits on the sticky queue before any worker may take it (WORKER_STICKY_TIMEOUT_SECONDS; SDK: 10). */
  stickyTimeoutSeconds?: number;
}): Promise<WorkerHandle> {
  const connection = await NativeConnection.connect({ address: opts.address });
  const worker = await Worker.create({
    connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    workflowBundle: opts.bundle,
    activities: opts.activities ?? {},
    ...(opts.shutdownGraceMs !== undefined ? { shutdownGraceTime: opts.shutdownGraceMs } : {}),
    ...(opts.maxCachedWorkflows !== undefined ? { maxCachedWorkflows: opts.maxCachedWorkflows } : {}),
    ...(opts.stickyTimeoutSeconds !== undefined ? { stickyQueueScheduleToStartTimeout: `${opts.stickyTimeoutSeconds}s` } : {}),
    ...opts.tracing,
  });
  const running = worker.run().finally(() => connection.close());
  return {
    running,
    async shutdown() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    },
    status() {
      const st = worker.getStatus();
      return {
        cachedWorkflows: st.numCachedWorkflows,
        inFlightActivations: st.numInFlightWorkflowActivations,
        inFlightActivities: st.numInFlightActivities,
      };
    },
  };
}

function pinoToTemporal(log: Logger) {
  return {
    log: (level: string, message: string, meta?: Record<string, unknown>) => log.debug({ level, ...meta }, message),
    trace: (message: string, meta?: Record<string, unknown>) => log.trace(meta ?? {}, message),
    debug: (message: string, meta?: Record<string, unknown>) => log.debug(meta ?? {}, message),
    info: (message: string, meta?: Record<string, unknown>) => log.debug(meta ?? {}, message),
    warn: (message: string, meta?: Record<string, unknown>) => log.warn(meta ?? {}, message),
    error: (message: string, meta?: Record<string, unknown>) => log.error(meta ?? {}, message),
  };
}

/**
 * Routes the Temporal SDK's own log lines (worker state, workflow and activity logs with their workflow id)
 * into our logger. Must run once, before the first worker or native connection of the process.
 */
export function installTemporalRuntime(log: Logger, opts: { metricsPort?: number } = {}): void {
  Runtime.install({
    logger: pinoToTemporal(log.child({ component: 'temporal-sdk' })),
    // The SDK's own worker metrics (task slots, poll and schedule-to-start latencies, sticky cache …), Prometheus on
    // 127.0.0.1 at TEMPORAL_METRICS_PORT; the process's /metrics folds them in (src/observability/metrics.ts).
    ...(opts.metricsPort
      ? {
          telemetryOptions: {
            metrics: {
              prometheus: { bindAddress: `127.0.0.1:${opts.metricsPort}`, countersTotalSuffix: true, useSecondsForDurations: true },
            },
          },
        }
      : {}),
  });
}
