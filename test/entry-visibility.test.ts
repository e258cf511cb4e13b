import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { Agency, User } from '../src/agencies/agency.entity';
import type { TestContext as RequestContext } from './support/test-services';
import { encodeCursor } from '../src/db/cursor';
import { seesProcess } from '../src/policy/process-visibility';
import { CaseProcess, ProcessParty } from '../src/processes/process.entity';
import type { TestApi } from './support/api';
import type { loadTestCity } from './support/fixtures';
import { startLiveStack, type LiveStack } from './support/live-stack';
import { signedInPersonas } from './support/personas';

/**
 * One rule decides which case-file entries a caller gets, whatever the path (issue 12, item 5): for every persona of
 * the test city, the entries of a case with a dispatch, a police referral (sent, declined, under the
 * procuratorate's supervision) and a joint mediation are the same set, with the same payloads, read through
 * `case { events }`, replayed through the `caseEvents` subscription and, for the integrator the case came from,
 * listed as webhook deliveries and POSTed to its endpoint. And `seesProcess` (TypeScript, for processes already
 * loaded) agrees with the database's `case_process_visible_to` on every process for every persona.
 */
describe('entry visibility: reads, subscriptions and webhooks agree for every persona', () => {
  let stack: LiveStack;
  let api: TestApi;
  let city: Awaited<ReturnType<typeof loadTestCity>>;
  let receiver: http.Server;
  const posted: Array<{ caseNumber: string; event: { seq: number; type: string; payload: Record<string, unknown> } }> = [];

  beforeAll(async () => {
    stack = await startLiveStack('entry-visibility');
    ({ api, city } = stack);
    await stack.startWorker();
    receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        posted.push(JSON.parse(body) as (typeof posted)[number]);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  }, 120_000);
  afterAll(async () => {
    await new Promise((r) => receiver?.close(r));
    await stack?.stop();
  });

  // The supervisor is left out: the same agency and view as the inspector.
  const personas = (): Record<string, [User, Agency]> => {
    const { xcSupervisor: _same, ...rest } = signedInPersonas(city);
    return rest;
  };
  const as = (user: User, agency: Agency): RequestContext => stack.as(user, agency);

  /** A 12345 case on XC-2026-001, with a dispatch, a referral the police declined (now supervised) and a mediation. */
  async function caseWithProcesses(): Promise<{ id: string; number: string }> {
    const hotline = as(city.hotline, city.integrator);
    const { case: c } = await hotline.services.intake.intake(hotline, {
      channel: 'HOTLINE_12345',
      contactPhone: '13700009001',
      complainantName: '张三',
      complainantResidentId: '110101199003074514',
      description: '工地拖欠工资',
      projectCode: 'XC-2026-001',
      amountClaimedFen: 63_713_000,
      workersAffected: 49,
    });
    const hrss = () => as(city.inspector, city.xichengHrss);
    const director = () => as(city.director, city.xichengHrss);
    const police = () => as(city.policeOfficer, city.police);
    await hrss().services.cases.acceptCase(hrss(), { caseId: c.id });
    await hrss().services.processes.dispatchCase(hrss(), { caseId: c.id });
    await stack.settle();
    const referral = await hrss().services.processes.proposePoliceReferral(hrss(), {
      caseId: c.id,
      team: [city.inspector.id, city.inspector2.id],
      policeAgencyId: city.police.id,
      orderToPayIssuedOn: '2026-10-01',
      orderToPayDueOn: '2026-10-15',
      grounds: '逾期未支付',
    });
    await stack.settle();
    const step = (ctx: RequestContext, update: string, args: Record<string, unknown> = {}) =>
      ctx.services.processes.step(ctx, { processId: referral.id, update, args });
    await step(director(), 'approveReferral', { approve: true });
    await step(hrss(), 'sendReferral');
    await step(police(), 'decideReferral', { decision: 'DECLINED', reasons: '证据不足' });
    await step(hrss(), 'requestSupervision', { procuratorateAgencyId: city.procuratorate.id, grounds: '立案监督' });
    await hrss().services.processes.conveneMediation(hrss(), {
      caseId: c.id,
      parties: [{ role: 'WORKER_REPRESENTATIVE', name: '工人代表' }],
      agencyIds: [city.union.id],
    });
    await stack.settle();
    await hrss().services.cases.recordContact(hrss(), { caseId: c.id, kind: 'CALL', outcome: 'REACHED' });
    return c;
  }

  type Entry = { seq: number; type: string; payload: Record<string, unknown> };
  const bySeq = (entries: Entry[]) => [...entries].sort((a, b) => a.seq - b.seq);

  async function subscribed(headers: Record<string, string>, caseId: string, after: string): Promise<Entry[]> {
    const got: Entry[] = [];
    const client = createClient({
      url: api.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: headers,
      retryAttempts: 0,
    });
    let last = Date.now();
    client.subscribe<{ caseEvents: Entry }>(
      {
        query: 'subscription($f: CaseEventFilterInput, $after: String) { caseEvents(filter: $f, after: $after) { seq type payload } }',
        variables: { f: { caseId }, after },
      },
      { next: (m) => (m.data && got.push(m.data.caseEvents), (last = Date.now())), error: () => undefined, complete: () => undefined },
    );
    // The replay from the cursor comes at once; stop after a quiet second.
    const start = Date.now();
    while (Date.now() - Math.max(last, start) < 1_000) await new Promise((r) => setTimeout(r, 100));
    await client.dispose();
    return bySeq(got);
  }

  it('hands every persona the same entries, with the same payloads, by read, subscription and webhook', async () => {
    const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const reg = await api.gql(
      'mutation($i: RegisterWebhookInput!) { registerWebhook(input: $i) { id } }',
      { i: { url: receiverUrl, secret: 's'.repeat(40), giveUpAfterSeconds: 60 } },
      api.as(city.hotline, city.integrator),
    );
    expect(reg.errors).toBeUndefined();
    const [{ max }] = (await stack.db.orm.em
      .fork()
      .getConnection()
      .execute<Array<{ max: string | null }>>(`select max(id)::text as max from case_event`)) as [{ max: string | null }];
    const before = encodeCursor([max ?? '0']);
    const c = await caseWithProcesses();
    await stack.settle();

    const hotline = api.as(city.hotline, city.integrator);
    type Delivery = { caseNumber: string; seq: number; status: string };
    const deliveries = async () =>
      (
        await api.gql<{ webhookDeliveries: Delivery[] }>('{ webhookDeliveries(first: 100) { caseNumber seq status } }', undefined, hotline)
      ).data!.webhookDeliveries.filter((d) => d.caseNumber === c.number);
    // Every delivery made is sent before comparing.
    const end = Date.now() + 30_000;
    for (;;) {
      const ds = await deliveries();
      if (ds.length > 0 && ds.every((d) => d.status === 'DELIVERED') && posted.filter((p) => p.caseNumber === c.number).length >= ds.length)
        break;
      if (Date.now() > end) throw new Error(`deliveries not sent in time: ${JSON.stringify(ds)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    await new Promise((r) => setTimeout(r, 500));

    const failures: string[] = [];
    const seen: Record<string, number[]> = {};
    for (const [who, [user, agency]] of Object.entries(personas())) {
      const headers = api.as(user, agency);
      const read = await api.gql<{ case: { events: Entry[] } }>(
        'query($id: ID!) { case(id: $id) { events { seq type payload } } }',
        { id: c.id },
        headers,
      );
      const readEntries = read.errors ? [] : bySeq(read.data!.case.events);
      if (read.errors && read.errors[0]?.extensions?.code !== 'NOT_FOUND')
        failures.push(`${who}: read failed ${JSON.stringify(read.errors)}`);
      seen[who] = readEntries.map((e) => e.seq);
      const streamed = await subscribed(headers, c.id, before);
      if (JSON.stringify(streamed) !== JSON.stringify(readEntries))
        failures.push(
          `${who}: read ${JSON.stringify(readEntries.map((e) => e.seq))} but subscription ${JSON.stringify(streamed.map((e) => e.seq))} (or payloads differ)`,
        );
      if (agency.kind === 'INTEGRATOR') {
        const listed = (await deliveries()).map((d) => d.seq).sort((a, b) => a - b);
        if (JSON.stringify(listed) !== JSON.stringify(seen[who]))
          failures.push(`${who}: read ${JSON.stringify(seen[who])} but webhookDeliveries ${JSON.stringify(listed)}`);
        const bodies = bySeq(
          posted.filter((p) => p.caseNumber === c.number).map(({ event: { seq, type, payload } }) => ({ seq, type, payload })),
        );
        if (JSON.stringify(bodies) !== JSON.stringify(readEntries))
          failures.push(
            `${who}: read ${JSON.stringify(seen[who])} but POSTed ${JSON.stringify(bodies.map((b) => b.seq))} (or payloads differ)`,
          );
      }
    }
    expect(failures).toEqual([]);
    // The comparison has teeth: labour inspection reads the whole file, the integrator none of the processes, and
    // each party the entries of its own process.
    const all = seen.xcInspector!;
    expect(all.length).toBeGreaterThan(10);
    expect(seen.integrator!.length).toBeGreaterThan(0);
    expect(seen.integrator!.length).toBeLessThan(all.length);
    expect(seen.police!.length).toBeGreaterThan(seen.integrator!.length);
    expect(seen.unionMediator).not.toEqual(seen.police);
    expect(seen.petitionOfficer).toEqual([]);
  }, 120_000);

  it('seesProcess agrees with case_process_visible_to on every process, for every persona', async () => {
    const em = stack.db.orm.em.fork();
    const processes = await em.find(CaseProcess, {});
    expect(processes.length).toBeGreaterThanOrEqual(3);
    const failures: string[] = [];
    for (const p of processes) {
      const parties = (await em.find(ProcessParty, { process: p.id })).map((x) => x.agency);
      for (const [who, [user, agency]] of Object.entries(personas())) {
        const ts = seesProcess({ userId: user.id, agencyId: agency.id, agencyKind: agency.kind, roles: user.roles }, p, parties);
        const [{ visible }] = (await em
          .getConnection()
          .execute<Array<{ visible: boolean }>>(`select case_process_visible_to(?::uuid, ?::uuid) as visible`, [agency.id, p.id])) as [
          { visible: boolean },
        ];
        if (ts !== visible) failures.push(`${who} on ${p.kind} ${p.id}: seesProcess ${ts}, SQL ${visible}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
