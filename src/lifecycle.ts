import type { Logger } from './logger';

/**
 * Stops what a process started, in reverse order of starting (API before worker before database), once,
 * on SIGINT or SIGTERM. A second signal while stopping forces the exit.
 *
 * The stop is a drain: `draining` turns true at once (readiness answers 503), then, after `drainDelayMs` (time for
 * a load balancer to see it; SHUTDOWN_DELAY_MS, default 0), each part stops in turn: the API stops accepting and
 * lets its in-flight requests finish within its grace (SHUTDOWN_GRACE_MS), the worker finishes its activities, the
 * relay its batch.
 */
export class Lifecycle {
  private readonly stoppers: Array<{ name: string; stop: () => Promise<void> }> = [];
  private stopping: Promise<void> | undefined;
  private drainingSince: number | undefined;

  constructor(
    private readonly log: Logger,
    private readonly opts: { drainDelayMs?: number } = {},
  ) {}

  /** True from the stop's first moment (SIGTERM): readiness answers 503 while the parts finish their work. */
  get draining(): boolean {
    return this.drainingSince !== undefined;
  }

  onStop(name: string, stop: () => Promise<void>): void {
    this.stoppers.push({ name, stop });
  }

  stopAll(): Promise<void> {
    this.drainingSince ??= Date.now();
    this.stopping ??= (async () => {
      const delay = this.opts.drainDelayMs ?? 0;
      if (delay > 0) {
        this.log.info({ ms: delay }, 'draining: not ready, still serving until the delay is over');
        await new Promise((r) => setTimeout(r, delay));
      }
      for (const { name, stop } of [...this.stoppers].reverse()) {
        try {
          await stop();
          this.log.info(`stopped ${name}`);
        } catch (err) {
          this.log.error({ err }, `failed to stop ${name}`);
        }
      }
    })();
    return this.stopping;
  }

  /** `exit` is process.exit unless a test stands in for it. */
  handleSignals(exit: (code: number) => void = (code) => process.exit(code)): void {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.on(signal, () => {
        if (this.stopping) {
          this.log.warn(`${signal} again: exiting now`);
          exit(130);
          return;
        }
        this.log.info(`${signal}: shutting down`);
        void this.stopAll().then(() => exit(0));
      });
    }
  }
}

/** Runs a process's main function; a startup failure stops whatever did start and exits non-zero. */
export function runMain(log: Logger, lifecycle: Lifecycle, main: () => Promise<void>): void {
  lifecycle.handleSignals();
  main().catch(async (err: unknown) => {
    log.fatal({ err }, err instanceof Error ? err.message : 'startup failed');
    await lifecycle.stopAll();
    process.exit(1);
  });
}
