import { GraphQLError, type ExecutionResult } from 'graphql';
import { createClient, MessageType, stringifyMessage, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { CaseEventFeed, type FeedEntry } from '../src/events/case-event-feed';
import {
  directDeliveryStats,
  FrameChannel,
  FrameSink,
  graphqlWsNextPayload,
  MAX_BUFFERED_BYTES,
  type FrameSocket,
} from '../src/events/direct-delivery';
import { CaseEventListener } from '../src/events/event-listener';
import { FeedHorizon } from '../src/events/feed-horizon';
import { testLog } from './support/logger';
import { startTestApi, type TestApi } from './support/api';
import { createTestDatabase, type TestDatabase } from './support/database';
import { loadTestCity } from './support/fixtures';

/** A socket that records what is sent to it, with a bufferedAmount the test sets. */
function fakeSocket(): FrameSocket & { sent: string[]; bufferedAmount: number; readyState: number } {
  const sent: string[] = [];
  return { sent, bufferedAmount: 0, readyState: 1, send: (s: string) => void sent.push(s) };
}

const entry = (id: string, payload: Record<string, unknown> = {}): FeedEntry => ({
  cursor: `c${id}`,
  id,
  caseId: '00000000-0000-4000-8000-000000000001',
  caseNumber: 'N-1',
  seq: Number(id),
  type: 'CONTACT_RECORDED',
  at: new Date('2026-11-30T02:00:00Z'),
  actorUserId: null,
  actorAgencyId: null,
  payload,
  before: null,
  after: null,
});

/**
 * The direct path of the case feed (src/events/direct-delivery.ts): a group's `next` message is serialised once
 * per entry and each member's frame is its id spliced in front of it. These tests hold it to the bytes graphql-ws
 * would have sent, to one payload per group (never another group's), and to a slow socket's pace and order.
 */
describe('direct delivery of feed entries', () => {
  describe('frames', () => {
    it('sends each member the frame graphql-ws would have sent, with its own subscription id', () => {
      const payload = { name: '张三丰', quote: 'say "hi"\\ \u2028 </script>', n: 3, nested: { a: [1, null] } };
      const run = (e: FeedEntry): ExecutionResult => ({ data: { caseEvents: { id: e.id, at: e.at, payload: e.payload } } });
      const channel = new FrameChannel(run, graphqlWsNextPayload);
      const sockets = [fakeSocket(), fakeSocket(), fakeSocket()];
      const ids = ['1', '0b7c0f1e-7f0e-4a5e-9d55-2d8b1a9c3f10', 'odd "id" \\ ü'];
      const sinks = ids.map((id, k) => new FrameSink(channel, sockets[k]!, id));
      const e = entry('42', payload);
      expect(channel.prepare(e)).toBeUndefined(); // synchronous for a synchronous execution
      for (const sink of sinks) expect(sink.deliver(e)).toBe(true);
      ids.forEach((id, k) => {
        const expected = stringifyMessage({ id, type: MessageType.Next, payload: graphqlWsNextPayload(run(e)) as never });
        expect(sockets[k]!.sent).toEqual([expected]);
        expect(JSON.parse(sockets[k]!.sent[0]!)).toMatchObject({ id, type: 'next' });
      });
    });

    it('formats errors as graphql-ws does, or as the hook given', () => {
      const result: ExecutionResult = { errors: [new GraphQLError('boom', { extensions: { code: 'X' } })], data: null };
      const socket = fakeSocket();
      const channel = new FrameChannel(() => result, graphqlWsNextPayload);
      channel.prepare(entry('1'));
      new FrameSink(channel, socket, 'a').deliver(entry('1'));
      // graphql-ws: the result without errors, then the errors as toJSON().
      const { errors, ...rest } = result;
      const graphqlWs = { ...rest, errors: errors!.map((x) => x.toJSON()) };
      expect(socket.sent).toEqual([stringifyMessage({ id: 'a', type: MessageType.Next, payload: graphqlWs as never })]);

      const hooked = fakeSocket();
      const hook = (r: ExecutionResult) => ({ ...r, errors: r.errors!.map((x) => ({ message: x.message })) });
      const channel2 = new FrameChannel(() => result, hook);
      void channel2.prepare(entry('1'));
      new FrameSink(channel2, hooked, 'b').deliver(entry('1'));
      expect(JSON.parse(hooked.sent[0]!)).toEqual({ id: 'b', type: 'next', payload: { errors: [{ message: 'boom' }], data: null } });
    });

    it('prepares an asynchronous execution once, and refuses an entry not prepared, a socket behind, or nothing on a closing one', async () => {
      let runs = 0;
      const channel = new FrameChannel(async (e) => {
        runs++;
        return { data: { id: e.id } };
      }, graphqlWsNextPayload);
      const socket = fakeSocket();
      const sink = new FrameSink(channel, socket, 's');
      expect(sink.deliver(entry('7'))).toBe(false); // nothing prepared
      await channel.prepare(entry('7'));
      expect(channel.prepare(entry('7'))).toBeUndefined(); // already prepared: not run again
      expect(runs).toBe(1);
      expect(sink.deliver(entry('8'))).toBe(false); // another entry than the prepared one
      socket.bufferedAmount = MAX_BUFFERED_BYTES + 1;
      expect(sink.deliver(entry('7'))).toBe(false); // behind: the entry goes through the iterator
      socket.bufferedAmount = 0;
      expect(sink.deliver(entry('7'))).toBe(true);
      socket.readyState = 2; // CLOSING
      expect(sink.deliver(entry('7'))).toBe(true);
      expect(socket.sent).toHaveLength(1);
    });
  });

  describe('through the feed and the API', () => {
    let db: TestDatabase;
    let api: TestApi;
    let city: Awaited<ReturnType<typeof loadTestCity>>;
    const clients: Client[] = [];
    let phone = 13300007001;

    beforeAll(async () => {
      db = await createTestDatabase();
      city = await loadTestCity(db.orm.em.fork());
      api = await startTestApi({ orm: db.orm, temporalAddress: '127.0.0.1:1' });
    });
    afterAll(async () => {
      for (const c of clients) await c.dispose();
      await api?.stop();
      await db?.drop();
    });

    /** A case on the city's project (so the project's regulator sees it), taken in through the API. */
    async function projectCase(): Promise<{ id: string; number: string }> {
      const intake = await api.gql<{ intakeComplaint: { case: { id: string; number: string } } }>(
        'mutation($i: IntakeComplaintInput!) { intakeComplaint(input: $i) { case { id number } } }',
        {
          i: {
            channel: 'WALK_IN',
            contactPhone: String(phone++),
            description: '拖欠工资',
            regionCode: '110102003',
            projectCode: city.project.code,
          },
        },
        api.as(city.cityDirector, city.cityHrss),
      );
      expect(intake.errors).toBeUndefined();
      return intake.data!.intakeComplaint.case;
    }

    /** An entry carrying personal data, appended to the case file as the services do (the case's next version is its seq). */
    async function personalEntry(caseId: string, n: number): Promise<void> {
      await db.orm.em.getConnection().execute(
        `with c as (update wage_case set version = version + 1 where id = ? returning id, version)
         insert into case_event (case_id, seq, type, at, payload) select c.id, c.version, 'CONTACT_RECORDED', now(), ?::jsonb from c`,
        [caseId, JSON.stringify({ personName: '张三丰', contactPhone: '13812345678', n })],
      );
    }

    function subscribe(authorization: string) {
      const client = createClient({
        url: api.url.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        connectionParams: { authorization },
        retryAttempts: 0,
      });
      clients.push(client);
      const messages: Array<{ caseNumber: string; payload: Record<string, unknown> }> = [];
      const errors: unknown[] = [];
      client.subscribe<{ caseEvents: { caseNumber: string; payload: Record<string, unknown> } }>(
        { query: 'subscription { caseEvents(filter: { types: ["CONTACT_RECORDED"] }) { caseNumber payload } }' },
        {
          next: (m) => (m.data ? messages.push(m.data.caseEvents) : errors.push(m.errors)),
          error: (e) => errors.push(e),
          complete: () => undefined,
        },
      );
      return { messages, errors };
    }

    it('sends each group its own payload: two principals of different scope and masking on one document', async () => {
      const c = await projectCase();
      const hrss = `Bearer ${api.tokenFor(city.cityDirector, city.cityHrss)}`;
      const regulatorToken = `Bearer ${api.tokenFor(city.regulatorOfficer, city.housing)}`;
      // Two inspectors' subscriptions (one group, two sockets, two ids) and the project's regulator (another group).
      const inspectors = [subscribe(hrss), subscribe(hrss)];
      const regulator = subscribe(regulatorToken);
      const end = Date.now() + 10_000;
      while (api.subscribers() < 3 && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
      await new Promise((r) => setTimeout(r, 300)); // each has read the horizon and joined its group
      const before = directDeliveryStats.direct;
      for (let n = 1; n <= 3; n++) await personalEntry(c.id, n);
      const all = [...inspectors, regulator];
      while (all.some((s) => s.messages.length < 3 && s.errors.length === 0) && Date.now() < end + 10_000)
        await new Promise((r) => setTimeout(r, 25));
      for (const s of all) expect(s.errors).toEqual([]);
      for (const s of inspectors)
        expect(s.messages).toEqual(
          [1, 2, 3].map((n) => ({ caseNumber: c.number, payload: { personName: '张三丰', contactPhone: '13812345678', n } })),
        );
      expect(regulator.messages).toEqual(
        [1, 2, 3].map((n) => ({ caseNumber: c.number, payload: { personName: '张**', contactPhone: '138****5678', n } })),
      );
      // They went by the direct path (9 deliveries), not through graphql-ws's per-subscriber send.
      expect(directDeliveryStats.direct - before).toBe(9);
    });

    it('paces a subscriber whose socket is behind through its iterator, in order, and resumes sending directly', async () => {
      const c = await projectCase();
      const listener = new CaseEventListener(String(db.orm.config.get('clientUrl')), testLog);
      await listener.start();
      const horizon = new FeedHorizon(db.orm, listener);
      const feed = new CaseEventFeed(db.orm, horizon, 3); // at most 3 queued, then it reads for itself
      const actor = {
        userId: city.cityDirector.id,
        agencyId: city.cityHrss.id,
        agencyKind: city.cityHrss.kind,
        roles: city.cityDirector.roles,
      };
      try {
        const from = await horizon.current();
        const sub = feed.subscribe(actor, { caseId: c.id, types: ['CONTACT_RECORDED'] });
        const socket = fakeSocket();
        const channel = new FrameChannel((e) => ({ data: { id: e.id } }), graphqlWsNextPayload);
        sub.attach(new FrameSink(channel, socket, 'slow'));
        const direct = () => socket.sent.map((f) => (JSON.parse(f) as { payload: { data: { id: string } } }).payload.data.id);
        const viaIterator: string[] = [];
        let pending = sub.next(); // catches up, joins its group, then waits: idle
        const waitFor = async (ok: () => boolean) => {
          const end = Date.now() + 10_000;
          while (!ok() && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
          expect(ok()).toBe(true);
        };
        await waitFor(() => feed.live === 1);
        for (let n = 1; n <= 2; n++) await personalEntry(c.id, n);
        await waitFor(() => socket.sent.length === 2); // idle and the socket keeps up: sent directly

        socket.bufferedAmount = MAX_BUFFERED_BYTES + 1; // the socket falls behind
        for (let n = 3; n <= 8; n++) await personalEntry(c.id, n); // 6 entries, over the 3 it may queue
        viaIterator.push(((await pending).value as FeedEntry).id);
        await waitFor(() => feed.live === 0); // it left its group rather than queue without bound
        expect(socket.sent).toHaveLength(2);
        socket.bufferedAmount = 0; // drained: the consumer takes the rest, read from the database, in order
        while (viaIterator.length < 6) viaIterator.push(((await sub.next()).value as FeedEntry).id);
        pending = sub.next(); // caught up: idle in its group again
        await waitFor(() => feed.live === 1);
        await personalEntry(c.id, 9);
        await waitFor(() => socket.sent.length === 3); // sent directly again

        const ids = (
          await db.orm.em
            .getConnection()
            .execute<Array<{ id: string }>>(
              `select id::text as id from case_event where case_id = ? and type = 'CONTACT_RECORDED' and id > ? order by case_event.id`,
              [c.id, from.toString()],
            )
        ).map((r) => r.id);
        expect([...direct().slice(0, 2), ...viaIterator, direct()[2]]).toEqual(ids);
        void sub.return();
        expect((await pending).done).toBe(true);
      } finally {
        feed.stop();
        horizon.stop();
        await listener.stop();
      }
    });
  });
});
