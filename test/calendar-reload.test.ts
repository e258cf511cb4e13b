import net from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import { createServices } from '../src/app/services';
import { executionContext } from '../src/app/execution';
import { HolidayCalendarListener } from '../src/calendar/calendar-listener';
import type { LoadHolidayYearInput } from '../src/calendar/holiday-calendar.service';
import { openDatabase, type Orm } from '../src/db/database';
import { installedHolidayYears, installHolidayCalendar, type HolidayYear } from '../src/domain/holiday-calendar';
import fixture2027 from './fixtures/holiday-year-2027.fixture.json';
import { createTestDatabase, type TestDatabase } from './support/database';
import { loadTestCity } from './support/fixtures';
import { testLog } from './support/logger';

/** A clearly labelled test fixture of New Year and Spring Festival 2027, not the State Council's notice. */
const fixture = fixture2027 as LoadHolidayYearInput;

/**
 * A holiday year loaded by one API process reaches another without a restart (issue 14): two instances on one
 * database, each with its own ORM; A loads 2027 through its service, B's listener (LISTEN calendar_years) hears the
 * commit and reads the calendar again through its own connection. A load that is refused notifies nobody.
 */
describe('a loaded calendar year reaches the other processes', () => {
  const original = installedHolidayYears();
  let db: TestDatabase;
  let city: Awaited<ReturnType<typeof loadTestCity>>;
  let other: Orm;
  let listener: HolidayCalendarListener;
  const readByOther: HolidayYear[][] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    city = await loadTestCity(db.orm.em.fork());
    other = await openDatabase({ url: db.url, log: testLog, migrate: false });
    listener = new HolidayCalendarListener(other, testLog, (years) => readByOther.push(years));
    await listener.start();
  });
  afterAll(async () => {
    installHolidayCalendar(original);
    await listener?.stop();
    await other?.close(true);
    await db?.drop();
  });

  const loader = () =>
    executionContext({
      em: db.orm.em.fork(),
      log: testLog,
      actor: { userId: city.cityDirector.id, agencyId: city.cityHrss.id, agencyKind: 'HRSS_INSPECTION', roles: city.cityDirector.roles },
    });
  const services = () => createServices({ orm: db.orm, temporal: Connection.lazy({ address: '127.0.0.1:1' }), processModules: [] });
  async function until(check: () => boolean): Promise<void> {
    for (let i = 0; i < 100 && !check(); i++) await delay(50);
  }

  it('the other instance reads the calendar again when a year is loaded, and not when a load is refused', async () => {
    // Refused (a date outside the year): nothing stored, nothing notified.
    await expect(
      services().calendar.loadYear(loader(), { ...fixture, days: [{ date: '2028-01-01', kind: 'HOLIDAY', name: '元旦' }] }),
    ).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    await delay(500);
    expect(readByOther).toEqual([]);

    await services().calendar.loadYear(loader(), fixture);
    await until(() => readByOther.length > 0);
    expect(readByOther).toHaveLength(1);
    const y2027 = readByOther[0]!.find((y) => y.year === 2027);
    expect(y2027).toBeDefined();
    expect(y2027!.days).toContainEqual({ date: '2027-01-01', kind: 'HOLIDAY', name: expect.any(String) });
    expect(y2027!.days).toHaveLength(fixture.days.length);
  });

  it('reads the calendar again after its connection was lost (a notification may have gone with it)', async () => {
    const before = readByOther.length;
    const pid = (listener as unknown as { client?: { processID?: number } }).client?.processID;
    expect(pid).toBeDefined();
    await db.orm.em.fork().getConnection().execute(`select pg_terminate_backend(?)`, [pid]);
    await until(() => readByOther.length > before);
    expect(readByOther.length).toBe(before + 1);
    expect(readByOther[readByOther.length - 1]!.some((y) => y.year === 2027)).toBe(true);
  });
});

/**
 * A database that is down is not hammered: one reconnection at a time, each wait twice the last (0.5 s, 1 s, 2 s…).
 * Before, a failed attempt scheduled two more (its error and its end), and a stopped PostgreSQL under `npm start`'s
 * Ctrl-C drew tens of thousands of attempts and their log lines until the process ran out of memory.
 */
describe('the calendar listener against a database that refuses it', () => {
  it('tries one connection at a time, waiting longer each time', async () => {
    let attempts = 0;
    const refusing = net.createServer((socket) => {
      attempts += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
    const port = (refusing.address() as net.AddressInfo).port;
    const orm = { config: { get: () => `postgresql://anxin@127.0.0.1:${port}/anxin` } } as unknown as Orm;
    const refused = new HolidayCalendarListener(orm, testLog, () => undefined);
    try {
      await refused.start();
      await delay(3_200); // attempts at 0 s, 0.5 s, 1.5 s (next at 3.5 s)
      expect(attempts).toBeGreaterThanOrEqual(2); // it keeps trying (the third may slip past 3.2 s on a loaded machine)
      expect(attempts).toBeLessThanOrEqual(4);
    } finally {
      await refused.stop();
      refusing.close();
    }
  });
});
