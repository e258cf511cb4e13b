import { EventEmitter } from 'node:events';
import { Client } from 'pg';
import type { Logger } from '../logger';

/**
 * One dedicated PostgreSQL connection per API process doing LISTEN case_events. A notification only wakes the
 * subscribers (they read the entries from the table), so nothing depends on NOTIFY's payload limit or on every
 * notification arriving: when the connection drops, subscribers are woken to catch up from the table and the
 * connection is made again; a slow tick wakes them anyway.
 */
export class CaseEventListener {
  private client: Client | undefined;
  private readonly wakes = new EventEmitter();
  private stopped = false;
  private tick: NodeJS.Timeout | undefined;
  private retry: NodeJS.Timeout | undefined;

  constructor(
    private readonly url: string,
    private readonly log: Logger,
    private readonly tickMs = 5_000,
  ) {
    this.wakes.setMaxListeners(0);
  }

  async start(): Promise<void> {
    await this.connect();
    this.tick = setInterval(() => this.wake(), this.tickMs);
  }

  /** Calls `fn` on every wake-up; returns the function that stops it. */
  onWake(fn: () => void): () => void {
    this.wakes.on('wake', fn);
    return () => this.wakes.off('wake', fn);
  }

  /** The backend pid of the listening connection (tests terminate it to prove nothing is lost). */
  get backendPid(): number | undefined {
    return (this.client as unknown as { processID?: number } | undefined)?.processID;
  }

  private wake(): void {
    this.wakes.emit('wake');
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.url });
    client.on('notification', () => this.wake());
    client.on('error', (err) => this.log.warn({ err }, 'case event listener connection failed; reconnecting'));
    client.on('end', () => {
      if (this.client === client) this.client = undefined;
      this.wake(); // catch up from the table: a notification may have been lost with the connection
      this.reconnectLater();
    });
    await client.connect();
    await client.query('listen case_events');
    this.client = client;
    this.wake();
  }

  private reconnectLater(): void {
    if (this.stopped) return;
    this.retry = setTimeout(() => {
      this.connect().catch((err: unknown) => {
        this.log.warn({ err }, 'case event listener could not reconnect; trying again');
        this.reconnectLater();
      });
    }, 500);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.tick) clearInterval(this.tick);
    if (this.retry) clearTimeout(this.retry);
    await this.client?.end().catch(() => undefined);
    this.wakes.removeAllListeners();
  }
}
