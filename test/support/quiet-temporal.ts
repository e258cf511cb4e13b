import { DefaultLogger, Runtime } from '@temporalio/worker';

// The Temporal SDK logs every worker state change at INFO; tests keep warnings and errors only.
try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  // already installed for this worker process
}
