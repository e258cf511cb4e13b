import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
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
    [a, b] = await Promise.all([startTestApi({ orm: db.orm, temporalAddress: '127.0.0.1:1' }), startTestApi({ orm: db.orm, temporalAddress: '127.0.0.1:1' })]);
  });
  afterAll(async () => {
    for (const c of clients) await c.dispose();
    await a?.stop();
    await b?.stop();
    await db?.drop();
  });

  function subscribe(api: TestApi, authorization: string, variables: Record<string, unknown> = {}) {
    const client = createClient({ url: api.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, connectionParams: { authorization }, retryAttempts: 0 });
    clients.push(client);
    const messages: Message[] = [];
    const errors: unknown[] = [];
    const stop = client.subscribe<{ caseEvents: Message }>(
      { query: 'subscription($f: CaseEventFilterInput, $after: String) { caseEvents(filter: $f, after: $after) { cursor caseNumber seq type } }', variables },
      { next: (m) => (m.data ? messages.push(m.data.caseEvents) : errors.push(m.errors)), error: (e) => errors.push(e), complete: () => undefined },
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
    const contact = await api.gql('mutation($i: RecordContactInput!) { recordContact(input: $i) { id } }', { i: { caseId: c.id, kind: 'CALL', outcome: 'REACHED' } }, api.as(city.cityDirector, city.cityHrss));
    expect(contact.errors).toBeUndefined();
    return c.number;
  }

  it('delivers entries written through either API process once, in order', async () => {
    const sub = subscribe(a, director());
    await new Promise((r) => setTimeout(r, 300)); // subscribed
    const numbers = [await twoEntries(a), await twoEntries(b), await twoEntries(b), await twoEntries(a)];
    await sub.until(8);
    await new Promise((r) => setTimeout(r, 300)); // nothing more comes
    expect(sub.messages.map((m) => `${m.caseNumber}:${m.seq}:${m.type}`)).toEqual(numbers.flatMap((n) => [`${n}:1:RECEIVED`, `${n}:2:CONTACT_RECORDED`]));
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
    await db.orm.em.fork().getConnection().execute(`select pg_terminate_backend(pid) from pg_stat_activity where query = 'listen case_events' and pid <> pg_backend_pid()`);
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
    const anonymous = subscribe(a, '');
    await expect(anonymous.until(1, 3_000)).rejects.toThrow(/UNAUTHENTICATED|sign in/);
    await Promise.all([police.close(), hrss.close()]);
  });
});
