import { bundleWorkflowCode, NativeConnection, Runtime, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { Logger } from '../logger';

/** The workflow code, bundled once (webpack) and reused by every worker of this process. */
export function bundleWorkflows(log?: Logger): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({
    workflowsPath: require.resolve('../../workflows'),
    logger: log ? pinoToTemporal(log.child({ component: 'bundler' })) : undefined,
  });
}

export interface WorkerHandle {
  /** Resolves when the worker has stopped; rejects if it failed. */
  running: Promise<void>;
  shutdown(): Promise<void>;
}

export async function startWorker(opts: {
  address: string;
  namespace: string;
  taskQueue: string;
  bundle: WorkflowBundleWithSourceMap;
  activities?: object;
  log: Logger;
}): Promise<WorkerHandle> {
  const connection = await NativeConnection.connect({ address: opts.address });
  const worker = await Worker.create({
    connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    workflowBundle: opts.bundle,
    activities: opts.activities ?? {},
  });
  const running = worker.run().finally(() => connection.close());
  return {
    running,
    async shutdown() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
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
export function installTemporalRuntime(log: Logger): void {
  Runtime.install({ logger: pinoToTemporal(log.child({ component: 'temporal-sdk' })) });
}
