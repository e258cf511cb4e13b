import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { Actor } from '../src/api/context';
import { encodeCursor } from '../src/db/cursor';
import { CaseEventFeed, type FeedEntry } from '../src/events/case-event-feed';
import { CaseEventListener } from '../src/events/event-listener';
import { FeedHorizon } from '../src/events/feed-horizon';
import { testLog } from './support/logger';
import { startTestApi, type TestApi } from './support/api';
import { createTestDatabase, type TestDatabase } from './support/database';
import { loadTestCity } from './support/fixtures';

interface Message {
  cursor: string;
  caseNumber: string;
  seq: number;
  type: string;
}

/**
 * `caseEvents` over graphql-ws: two API processes' worth of servers on one database, a subscriber on one of
 * them; entries written through either arrive once, in order; a subscriber that reconnects with its last cursor
 * gets exactly what it missed; a killed listening connection loses nothing.
 */
describe('case events subscription', () => {
  let db: TestDatabase;
  let a: TestApi;
  let b: TestApi;
  let city: Awaited<ReturnType<typeof loadTestCity>>;
  let phone = 13300005000;
  const clients: Client[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    city = await loadTestCity(db.orm.em.fork());
    [a, b] = await Promise.all([
      startTestApi({ orm: db.orm, temporalAddress: '127.0.0.1:1' }),
      startTestApi({ orm: db.orm, temporalAddress: '127.0.0.1:1' }),
    ]);
  });
  afterAll(async () => {
    for (const c of clients) await c.dispose();
    await a?.stop();
    await b?.stop();
    await db?.drop();
  });

  function subscribe(api: TestApi, authorization: string, variables: Record<string, unknown> = {}) {
    const client = createClient({
      url: api.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization },
      retryAttempts: 0,
    });
    clients.push(client);
    const messages: Message[] = [];
    const errors: unknown[] = [];
    const stop = client.subscribe<{ caseEvents: Message }>(
      {
        query:
          'subscription($f: CaseEventFilterInput, $after: String) { caseEvents(filter: $f, after: $after) { cursor caseNumber seq type } }',
        variables,
      },
      {
        next: (m) => (m.data ? messages.push(m.data.caseEvents) : errors.push(m.errors)),
        error: (e) => errors.push(e),
        complete: () => undefined,
      },
    );
    return {
      messages,
      errors,
      async until(n: number, ms = 10_000) {
        const end = Date.now() + ms;
        while (messages.length < n && errors.length === 0) {
          if (Date.now() > end) throw new Error(`got ${messages.length} of ${n} messages`);
          await new Promise((r) => setTimeout(r, 25));
        }
        if (errors.length) throw new Error(JSON.stringify(errors));
      },
      async close() {
        stop();
        await client.dispose();
      },
    };
  }
  const director = () => `Bearer ${a.tokenFor(city.cityDirector, city.cityHrss)}`;
  /** Writes one case (RECEIVED) and a contact on it through `api`: two entries. */
  async function twoEntries(api: TestApi): Promise<string> {
    const intake = await api.gql<{ intakeComplaint: { case: { id: string; number: string } } }>(
      'mutation($i: IntakeComplaintInput!) { intakeComplaint(input: $i) { case { id number } } }',
      { i: { channel: 'WALK_IN', contactPhone: String(phone++), description: '拖欠工资', regionCode: '110102003' } },
      api.as(city.cityDirector, city.cityHrss),
    );
    const c = intake.data!.intakeComplaint.case;
    const contact = await api.gql(
      'mutation($i: RecordContactInput!) { recordContact(input: $i) { id } }',
      { i: { caseId: c.id, kind: 'CALL', outcome: 'REACHED' } },
      api.as(city.cityDirector, city.cityHrss),
    );
    expect(contact.errors).toBeUndefined();
    return c.number;
  }

  it('delivers entries written through either API process once, in order', async () => {
    const sub = subscribe(a, director());
    await new Promise((r) => setTimeout(r, 300)); // subscribed
    const numbers = [await twoEntries(a), await twoEntries(b), await twoEntries(b), await twoEntries(a)];
    await sub.until(8);
    await new Promise((r) => setTimeout(r, 300)); // nothing more comes
    expect(sub.messages.map((m) => `${m.caseNumber}:${m.seq}:${m.type}`)).toEqual(
      numbers.flatMap((n) => [`${n}:1:RECEIVED`, `${n}:2:CONTACT_RECORDED`]),
    );
    await sub.close();
  });

  it('resumes from a cursor: exactly the entries missed while away, then live ones', async () => {
    const first = subscribe(b, director());
    await new Promise((r) => setTimeout(r, 300));
    const before = await twoEntries(a);
    await first.until(2);
    const last = first.messages.at(-1)!.cursor;
    await first.close();

    const missed = [await twoEntries(a), await twoEntries(b)];
    const again = subscribe(a, director(), { after: last });
    await again.until(4);
    const live = await twoEntries(b);
    await again.until(6);
    await new Promise((r) => setTimeout(r, 300));
    expect(again.messages.map((m) => `${m.caseNumber}:${m.seq}`)).toEqual([...missed, live].flatMap((n) => [`${n}:1`, `${n}:2`]));
    expect(again.messages.some((m) => m.caseNumber === before)).toBe(false);
    await again.close();
  });

  it('loses nothing when the listening connection is killed', async () => {
    const sub = subscribe(a, director());
    await new Promise((r) => setTimeout(r, 300));
    await db.orm.em
      .fork()
      .getConnection()
      .execute(`select pg_terminate_backend(pid) from pg_stat_activity where query = 'listen case_events' and pid <> pg_backend_pid()`);
    const numbers = [await twoEntries(b), await twoEntries(a)];
    await sub.until(4);
    expect(sub.messages.map((m) => `${m.caseNumber}:${m.seq}`)).toEqual(numbers.flatMap((n) => [`${n}:1`, `${n}:2`]));
    await sub.close();
  });

  it('pushes only what the subscriber may see, and refuses an anonymous one', async () => {
    const police = subscribe(a, `Bearer ${a.tokenFor(city.policeOfficer, city.police)}`);
    const hrss = subscribe(a, `Bearer ${a.tokenFor(city.inspector, city.xichengHrss)}`, { f: { types: ['RECEIVED'] } });
    await new Promise((r) => setTimeout(r, 300));
    const n = await twoEntries(b);
    await hrss.until(1);
    await new Promise((r) => setTimeout(r, 500));
    expect(hrss.messages.map((m) => `${m.caseNumber}:${m.type}`)).toEqual([`${n}:RECEIVED`]);
    expect(police.messages).toEqual([]);
    const badId = subscribe(a, director(), { f: { caseId: 'not-a-uuid' } });
    await expect(badId.until(1, 3_000)).rejects.toThrow(/id\.uuid/);
    const anonymous = subscribe(a, '');
    await expect(anonymous.until(1, 3_000)).rejects.toThrow(/UNAUTHENTICATED|sign in/);
    await Promise.all([police.close(), hrss.close()]);
  });

  async function until<T>(get: () => T | undefined, ms = 10_000): Promise<T | undefined> {
    const end = Date.now() + ms;
    while (get() === undefined && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
    return get();
  }

  /** A feed of this process's own (not an API server's), for a test that drives subscribers directly; stopped after. */
  async function withFeed(
    maxQueued: number | undefined,
    test: (f: { feed: CaseEventFeed; horizon: FeedHorizon; actor: Actor }) => Promise<void>,
  ): Promise<void> {
    const listener = new CaseEventListener(String(db.orm.config.get('clientUrl')), testLog);
    await listener.start();
    const horizon = new FeedHorizon(db.orm, listener);
    const feed = new CaseEventFeed(db.orm, horizon, maxQueued);
    const actor = {
      userId: city.cityDirector.id,
      agencyId: city.cityHrss.id,
      agencyKind: city.cityHrss.kind,
      roles: city.cityDirector.roles,
    };
    try {
      await test({ feed, horizon, actor });
    } finally {
      feed.stop();
      horizon.stop();
      await listener.stop();
    }
  }

  it('ends a subscription at once when its subscriber leaves, even one whose filter nothing matches', async () => {
    const quiet = subscribe(a, director(), { f: { types: ['NO_SUCH_ENTRY'] } });
    const end = Date.now() + 5_000;
    while (a.subscribers() !== 1 && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
    expect(a.subscribers()).toBe(1);
    await twoEntries(b); // it wakes and reads, and nothing matches
    await quiet.close();
    const gone = Date.now() + 1_000;
    while (a.subscribers() !== 0 && Date.now() < gone) await new Promise((r) => setTimeout(r, 25));
    expect(a.subscribers()).toBe(0);
  });

  it('hands a subscriber that resumes during a burst exactly what it missed, then joins it to the live stream', async () => {
    const live = subscribe(a, director());
    await new Promise((r) => setTimeout(r, 300));
    await twoEntries(a);
    await live.until(2);
    const cursor = live.messages[1]!.cursor;
    const burst = Promise.all([twoEntries(a), twoEntries(b), twoEntries(a), twoEntries(b), twoEntries(a)]);
    await new Promise((r) => setTimeout(r, 30));
    const resumed = subscribe(a, director(), { after: cursor });
    await burst;
    await live.until(12);
    await resumed.until(10);
    await new Promise((r) => setTimeout(r, 300));
    expect(resumed.messages.map((m) => m.cursor)).toEqual(live.messages.slice(2).map((m) => m.cursor));
    await Promise.all([live.close(), resumed.close()]);
  });

  it('lets a subscriber too slow for its group fall out of it and read the rest for itself, in order', async () => {
    await withFeed(3, async ({ feed, actor }) => {
      const slow = feed.subscribe(actor, {});
      const fast = feed.subscribe(actor, {});
      const fastEntries: FeedEntry[] = [];
      const firstSlow = slow.next(); // joins the group, then waits
      void (async () => {
        for await (const e of fast) fastEntries.push(e);
      })();
      expect(await until(() => (feed.live === 2 ? true : undefined))).toBe(true); // both read the horizon and joined
      await twoEntries(a);
      await firstSlow;
      expect(feed.live).toBe(2);
      for (let i = 0; i < 4; i++) await twoEntries(b); // eight entries while `slow` reads nothing: over its 3
      const end = Date.now() + 10_000;
      while (fastEntries.length < 10 && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
      expect(fastEntries).toHaveLength(10);
      expect(feed.live).toBe(1); // `slow` left its group
      const slowEntries = [(await firstSlow).value as FeedEntry];
      while (slowEntries.length < 10) slowEntries.push((await slow.next()).value as FeedEntry);
      expect(slowEntries.map((e) => e.id)).toEqual(fastEntries.map((e) => e.id));
      const next = slow.next(); // caught up: it joins the group again and is handed live entries
      await twoEntries(a);
      expect(((await next).value as FeedEntry).id).toBe((await until(() => fastEntries[10]))?.id);
      expect(feed.live).toBe(2);
    });
  });

  it('gives a subscriber without a cursor every entry committed after it subscribed, even before its first read', async () => {
    await withFeed(undefined, async ({ feed, horizon, actor }) => {
      await horizon.current();
      const sub = feed.subscribe(actor, {});
      await twoEntries(a); // committed before the subscriber asks for anything
      let timer: NodeJS.Timeout | undefined;
      const next = () =>
        Promise.race([
          sub.next(),
          new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('no entry within 5 s')), 5_000))),
        ]).finally(() => clearTimeout(timer));
      const first = (await next()).value as FeedEntry;
      expect(first.type).toBe('RECEIVED');
      expect(((await next()).value as FeedEntry).caseId).toBe(first.caseId);
      await sub.return!();
    });
  });

  it('gives a subscriber who joins after one resumed past the horizon everything from its own start', async () => {
    await withFeed(undefined, async ({ feed, horizon, actor }) => {
      const drain = (it: AsyncIterableIterator<FeedEntry>, into: FeedEntry[]) =>
        void (async () => {
          for await (const e of it) into.push(e);
        })();
      const top = await horizon.current();
      // A cursor three entries past this process's horizon (as another API process could have given out).
      const ahead = feed.subscribe(actor, {}, encodeCursor([String(top + 3n)]));
      const aheadEntries: FeedEntry[] = [];
      drain(ahead, aheadEntries);
      expect(await until(() => (feed.live === 1 ? true : undefined))).toBe(true);
      const live = feed.subscribe(actor, {});
      const liveEntries: FeedEntry[] = [];
      drain(live, liveEntries);
      expect(await until(() => (feed.live === 2 ? true : undefined))).toBe(true);
      await twoEntries(a);
      await twoEntries(b);
      const written = (
        await db.orm.em
          .fork()
          .getConnection()
          .execute<Array<{ id: string }>>('select id::text as id from case_event where id > ? order by id', [top.toString()])
      ).map((r) => r.id);
      expect(written).toHaveLength(4);
      await until(() => (liveEntries.length >= 4 ? true : undefined));
      await new Promise((r) => setTimeout(r, 200));
      expect(liveEntries.map((e) => e.id)).toEqual(written);
      expect(aheadEntries.map((e) => e.id)).toEqual(written.filter((id) => BigInt(id) > top + 3n));
    });
  });
});
