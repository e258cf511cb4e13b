import { Client } from 'pg';
import type { Orm } from '../db/database';
import { installHolidayCalendar, type HolidayYear } from '../domain/holiday-calendar';
import type { Logger } from '../logger';
import { readHolidayCalendar } from './calendar-store';

/** The channel `loadYear` notifies, in its transaction (delivered on commit), with the year as payload. */
export const CALENDAR_CHANNEL = 'calendar_years';

/** Reconnection waits 0.5 s, then twice as long each failure, up to 30 s (a database that is down is not hammered). */
const RETRY_FIRST_MS = 500;
const RETRY_MAX_MS = 30_000;

/**
 * Every process that counts working days (API, worker) keeps the holiday calendar in memory; a year loaded by one
 * process reaches the others without a restart: one dedicated PostgreSQL connection doing LISTEN calendar_years,
 * and on a notification the calendar is read again from the database (the notification only wakes; the table is
 * the fact). When the connection drops it is made again and the calendar read again, since a notification may
 * have been lost with it. One reconnection is pending at a time, with a growing wait.
 */
export class HolidayCalendarListener {
  private client: Client | undefined;
  private stopped = false;
  private retry: NodeJS.Timeout | undefined;
  private failures = 0;
  private reloading: Promise<void> = Promise.resolve();

  constructor(
    private readonly orm: Orm,
    private readonly log: Logger,
    /** Where a calendar read again goes: the process's working-day functions (tests observe it). */
    private readonly install: (years: HolidayYear[]) => void = installHolidayCalendar,
  ) {}

  /** Listens from now on; a first connection that fails is retried in the background. */
  async start(): Promise<void> {
    try {
      await this.connect(false);
    } catch (err) {
      this.log.warn({ err }, 'holiday calendar listener could not connect; trying again');
      this.reconnectLater();
    }
  }

  /** Reads the calendar from the database and installs it; reloads queue behind each other. */
  reload(): Promise<void> {
    this.reloading = this.reloading.then(async () => {
      try {
        this.install(await readHolidayCalendar(this.orm.em.fork()));
      } catch (err) {
        this.log.warn({ err }, 'could not read the holiday calendar again; keeping the one in memory');
      }
    });
    return this.reloading;
  }

  /** `catchUp`: read the calendar again once listening (a load may have been committed while not listening). */
  private async connect(catchUp: boolean): Promise<void> {
    const client = new Client({ connectionString: String(this.orm.config.get('clientUrl')) });
    client.on('notification', (n) => {
      this.log.info({ year: n.payload }, 'a holiday year was loaded by another process: reading the calendar again');
      void this.reload();
    });
    client.on('error', (err) => this.log.warn({ err }, 'holiday calendar listener connection failed; reconnecting'));
    client.on('end', () => {
      // Only the connection in use is made again; one that failed to connect has its caller retry it.
      if (this.client !== client) return;
      this.client = undefined;
      this.reconnectLater();
    });
    try {
      await client.connect();
      await client.query(`listen ${CALENDAR_CHANNEL}`);
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    if (catchUp) void this.reload();
  }

  private reconnectLater(): void {
    if (this.stopped || this.retry) return;
    const wait = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** this.failures);
    this.retry = setTimeout(() => {
      this.retry = undefined;
      this.connect(true).then(
        () => (this.failures = 0),
        (err: unknown) => {
          this.failures += 1;
          this.log.warn({ err, failures: this.failures }, 'holiday calendar listener could not reconnect; trying again');
          this.reconnectLater();
        },
      );
    }, wait);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    await this.client?.end().catch(() => undefined);
    await this.reloading;
  }
}
