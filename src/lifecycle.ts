import type { Logger } from './logger';

/**
 * Stops what a process started, in reverse order of starting (API before worker before database), once,
 * on SIGINT or SIGTERM. A second signal while stopping forces the exit.
 */
export class Lifecycle {
  private readonly stoppers: Array<{ name: string; stop: () => Promise<void> }> = [];
  private stopping: Promise<void> | undefined;

  constructor(private readonly log: Logger) {}

  onStop(name: string, stop: () => Promise<void>): void {
    this.stoppers.push({ name, stop });
  }

  stopAll(): Promise<void> {
    this.stopping ??= (async () => {
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

  handleSignals(): void {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.on(signal, () => {
        if (this.stopping) {
          this.log.warn(`${signal} again: exiting now`);
          process.exit(130);
        }
        this.log.info(`${signal}: shutting down`);
        void this.stopAll().then(() => process.exit(0));
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
