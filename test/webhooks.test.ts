import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhook } from '../src/webhooks/webhook-signature';
import type { TestApi } from './support/api';
import type { loadTestCity } from './support/fixtures';
import { startLiveStack, type LiveStack } from './support/live-stack';

/**
 * Signed webhooks to the channel a case came from, through a durable Temporal workflow per case: a receiver that
 * fails the first attempts gets every entry, signed, accepted once, in order per case, across a worker restart;
 * an endpoint that never answers has its deliveries parked after the give-up time, and an administrator replays.
 */
describe('webhooks to the originating channel', () => {
  let stack: LiveStack;
  let api: TestApi;
  let city: Awaited<ReturnType<typeof loadTestCity>>;
  let receiver: http.Server;
  let receiverUrl: string;
  const SECRET = 'a-webhook-secret-of-at-least-32-characters';
  /** Attempts per delivery id, and the bodies accepted (with whether their signature verified). */
  const tries = new Map<string, number>();
  const accepted: Array<{
    delivery: string;
    caseNumber: string;
    seq: number;
    signed: boolean;
    path: string;
    body: string;
    timestamp: string;
    signature: string;
  }> = [];
  let healthy = false;

  const startWorker = () => stack.startWorker();

  beforeAll(async () => {
    stack = await startLiveStack('webhooks');
    ({ api, city } = stack);
    receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const delivery = String(req.headers['x-anxin-delivery']);
        if (req.url === '/always-down' && !healthy) return res.writeHead(503).end();
        const n = (tries.get(delivery) ?? 0) + 1;
        tries.set(delivery, n);
        if (req.url === '/flaky' && n <= 2) return res.writeHead(500).end(); // the first two attempts fail
        const parsed = JSON.parse(body) as { caseNumber: string; event: { seq: number } };
        const timestamp = String(req.headers['x-anxin-timestamp']);
        const signature = String(req.headers['x-anxin-signature']);
        accepted.push({
          delivery,
          caseNumber: parsed.caseNumber,
          seq: parsed.event.seq,
          signed: verifyWebhook(SECRET, timestamp, body, signature),
          path: req.url!,
          body,
          timestamp,
          signature,
        });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  }, 60_000);
  afterAll(async () => {
    await new Promise((r) => receiver?.close(r));
    await stack?.stop();
  });

  const asHotline = () => api.as(city.hotline, city.integrator);
  const register = (path: string, giveUpAfterSeconds: number) =>
    api.gql<{ registerWebhook: { id: string; channel: string } }>(
      'mutation($i: RegisterWebhookInput!) { registerWebhook(input: $i) { id channel } }',
      { i: { url: `${receiverUrl}${path}`, secret: SECRET, giveUpAfterSeconds } },
      asHotline(),
    );
  async function caseWithContact(phone: string): Promise<string> {
    const r = await api.gql<{ intakeComplaint: { case: { id: string; number: string } } }>(
      'mutation($i: IntakeComplaintInput!) { intakeComplaint(input: $i) { case { id number } } }',
      { i: { channel: 'HOTLINE_12345', channelRef: `BJ-${phone}`, contactPhone: phone, description: '拖欠工资', regionCode: '110102003' } },
      asHotline(),
    );
    const c = r.data!.intakeComplaint.case;
    await api.gql(
      'mutation($i: RecordContactInput!) { recordContact(input: $i) { id } }',
      { i: { caseId: c.id, kind: 'CALL', outcome: 'REACHED' } },
      api.as(city.inspector, city.xichengHrss),
    );
    return c.number;
  }
  async function until(check: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
    const end = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > end) throw new Error('not in time');
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('delivers every entry, signed, once accepted, in order per case, across a worker restart; parks and replays', async () => {
    expect(
      (
        await api.gql(
          `mutation { registerWebhook(input: { url: "${receiverUrl}/x", secret: "${SECRET}" }) { id } }`,
          undefined,
          api.as(city.inspector, city.xichengHrss),
        )
      ).errors?.[0]?.extensions?.code,
    ).toBe('FORBIDDEN');
    const flaky = await register('/flaky', 3600);
    expect(flaky.data!.registerWebhook.channel).toBe('HOTLINE_12345');
    expect((await register('/always-down', 3)).errors).toBeUndefined();

    let worker = await startWorker();
    const first = await caseWithContact('13200006001');
    await until(() => accepted.length >= 1);
    await worker.stop(); // the worker goes away mid-delivery …
    const second = await caseWithContact('13200006002');
    worker = await startWorker(); // … and a new one carries on
    await until(() => accepted.length >= 4);
    await new Promise((r) => setTimeout(r, 1500)); // nothing more arrives

    expect(accepted.every((a) => a.signed)).toBe(true);
    expect(new Set(accepted.map((a) => a.delivery)).size).toBe(accepted.length); // each accepted once
    for (const n of [first, second]) expect(accepted.filter((a) => a.caseNumber === n).map((a) => a.seq)).toEqual([1, 2]); // in order per case
    const DELIVERIES = `{ webhookDeliveries { id endpointId caseNumber seq status attemptCount lastError createdAt deliveredAt attempts { at statusCode error } } }`;
    const listed = await api.gql<{
      webhookDeliveries: Array<{
        id: string;
        endpointId: string;
        status: string;
        attempts: Array<{ statusCode: number | null; error: string | null }>;
      }>;
    }>(DELIVERIES, undefined, asHotline());
    expect(listed.errors).toBeUndefined();
    const ofFlaky = listed.data!.webhookDeliveries.filter((d) => d.endpointId === flaky.data!.registerWebhook.id);
    expect(ofFlaky.map((d) => d.status)).toEqual(['DELIVERED', 'DELIVERED', 'DELIVERED', 'DELIVERED']);
    // Two refusals and the acceptance (an attempt cut off by the worker's shutdown may be recorded after the next).
    for (const d of ofFlaky) expect(d.attempts.map((a) => a.statusCode).sort()).toEqual([204, 500, 500]);
    // An attempt records a code, not the remote side's words (issue 12, item 6).
    for (const d of ofFlaky) expect(d.attempts.map((a) => a.error ?? 'none').sort()).toEqual(['http-500', 'http-500', 'none']);

    // The endpoint that never answers: parked after its 3-second give-up time, then replayed by an administrator.
    await until(async () => {
      const r = await api.gql<{ webhookDeliveries: Array<{ status: string }> }>(
        '{ webhookDeliveries(status: "PARKED") { status } }',
        undefined,
        asHotline(),
      );
      return (r.data?.webhookDeliveries.length ?? 0) === 4;
    });
    expect(
      (await api.gql('{ webhookDeliveries { id } }', undefined, api.as(city.inspector, city.xichengHrss))).errors?.[0]?.extensions?.code,
    ).toBe('FORBIDDEN');
    const parked = (
      await api.gql<{ webhookDeliveries: Array<{ id: string }> }>(
        '{ webhookDeliveries(status: "PARKED") { id } }',
        undefined,
        api.as(city.director, city.xichengHrss),
      )
    ).data!.webhookDeliveries;
    healthy = true;
    const replayed = await api.gql<{ replayWebhookDelivery: { status: string } }>(
      'mutation($id: String!) { replayWebhookDelivery(id: $id) { status } }',
      { id: parked[0]!.id },
      api.as(city.director, city.xichengHrss),
    );
    expect(replayed.data!.replayWebhookDelivery.status).toBe('PENDING');
    await until(() => accepted.some((a) => a.delivery === parked[0]!.id));
    await worker.stop();
  }, 120_000);
  const REGISTER =
    'mutation($i: RegisterWebhookInput!) { registerWebhook(input: $i) { id url active createdAt deactivatedAt secretRotatedAt } }';
  type Endpoint = {
    id: string;
    url: string;
    active: boolean;
    createdAt: string;
    deactivatedAt: string | null;
    secretRotatedAt: string | null;
  };

  it('refuses private, loopback, link-local and metadata targets and user info at registration (issue 12, item 6)', async () => {
    const cases: Array<[string, string]> = [
      ['http://169.254.169.254/latest/meta-data/', 'url.address-not-allowed'],
      ['http://10.0.0.1/hook', 'url.address-not-allowed'],
      ['http://[::1]:8080/hook', 'url.address-not-allowed'],
      ['http://[::ffff:169.254.169.254]/hook', 'url.address-not-allowed'],
      ['http://[64:ff9b:1::a9fe:a9fe]/', 'url.address-not-allowed'], // local-use NAT64 (RFC 8215)
      ['http://[::ffff:0:a9fe:a9fe]/', 'url.address-not-allowed'], // SIIT (RFC 2765)
      ['http://[2002:a9fe:a9fe::]/', 'url.address-not-allowed'], // 6to4
      ['http://0x7f000002/hook', 'url.address-not-allowed'], // 127.0.0.2: the tests' allowance is 127.0.0.1 alone
      ['http://user:pass@example.com/hook', 'url.userinfo'],
    ];
    for (const [url, rule] of cases) {
      const r = await api.gql(
        'mutation($i: RegisterWebhookInput!) { registerWebhook(input: $i) { id } }',
        { i: { url, secret: SECRET } },
        asHotline(),
      );
      expect([url, r.errors?.[0]?.extensions]).toEqual([
        url,
        expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'input.url', rule }),
      ]);
    }
    const listed = await api.gql<{ webhookEndpoints: Endpoint[] }>('{ webhookEndpoints { url } }', undefined, asHotline());
    expect(listed.data!.webhookEndpoints.map((e) => e.url).filter((u) => !u.startsWith(receiverUrl))).toEqual([]);
  });

  it('answers registration, is safe to retry, lists without secrets, re-keys at once and deactivates (issue 12, item 8)', async () => {
    const worker = await startWorker();
    const url = `${receiverUrl}/rotating`;
    // It used to store the endpoint and then fail on createdAt (a timestamp left as text by raw SQL).
    const first = await api.gql<{ registerWebhook: Endpoint }>(
      'mutation($i: RegisterWebhookInput!) { registerWebhook(input: $i) { id url active createdAt } }',
      { i: { url, secret: SECRET } },
      asHotline(),
    );
    expect(first.errors).toBeUndefined();
    const endpoint = first.data!.registerWebhook;
    expect(endpoint).toMatchObject({ url, active: true });
    expect(Date.parse(endpoint.createdAt)).toBeGreaterThan(Date.now() - 60_000);
    // A client that did not hear the answer retries: the same endpoint, not a second one.
    const retried = await api.gql<{ registerWebhook: Endpoint }>(REGISTER, { i: { url, secret: SECRET } }, asHotline());
    expect(retried.data!.registerWebhook.id).toBe(endpoint.id);
    const otherSecret = await api.gql(REGISTER, { i: { url, secret: 'another-secret-of-at-least-32-characters' } }, asHotline());
    expect(otherSecret.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'input.url' });
    const listed = await api.gql<{ webhookEndpoints: Endpoint[] }>(
      '{ webhookEndpoints { id url active createdAt } }',
      undefined,
      asHotline(),
    );
    expect(listed.data!.webhookEndpoints.filter((e) => e.url === url).map((e) => e.id)).toEqual([endpoint.id]);
    expect(JSON.stringify(listed)).not.toContain(SECRET);
    const fields = await api.gql<{ __type: { fields: Array<{ name: string }> } }>(
      '{ __type(name: "WebhookEndpoint") { fields { name } } }',
    );
    expect(fields.data!.__type.fields.map((f) => f.name)).not.toContain('secret');

    // Entries of a new case arrive signed with the secret; after rotation, with the new one only.
    const intake = await api.gql<{ intakeComplaint: { case: { id: string; number: string } } }>(
      'mutation($i: IntakeComplaintInput!) { intakeComplaint(input: $i) { case { id number } } }',
      {
        i: {
          channel: 'HOTLINE_12345',
          channelRef: 'BJ-rotating',
          contactPhone: '13200006101',
          description: '拖欠工资',
          regionCode: '110102003',
        },
      },
      asHotline(),
    );
    const c = intake.data!.intakeComplaint.case;
    const contact = () =>
      api.gql(
        'mutation($i: RecordContactInput!) { recordContact(input: $i) { id } }',
        { i: { caseId: c.id, kind: 'CALL', outcome: 'NO_ANSWER' } },
        api.as(city.inspector, city.xichengHrss),
      );
    const here = () => accepted.filter((a) => a.path === '/rotating' && a.caseNumber === c.number);
    await until(() => here().length >= 1);
    expect(here()[0]!.signed).toBe(true);
    const NEW_SECRET = 'the-new-webhook-secret-of-32-characters-or-more';
    const rotated = await api.gql<{ rotateWebhookSecret: Endpoint }>(
      'mutation($i: RotateWebhookSecretInput!) { rotateWebhookSecret(input: $i) { id secretRotatedAt } }',
      { i: { id: endpoint.id, secret: NEW_SECRET } },
      asHotline(),
    );
    expect(rotated.data!.rotateWebhookSecret.secretRotatedAt).not.toBeNull();
    await contact();
    await until(() => here().length >= 2);
    const after = here()[1]!;
    expect(verifyWebhook(NEW_SECRET, after.timestamp, after.body, after.signature)).toBe(true);
    expect(after.signed).toBe(false); // the old secret no longer signs

    const deactivated = await api.gql<{ deactivateWebhook: Endpoint }>(
      'mutation($id: ID!) { deactivateWebhook(id: $id) { active deactivatedAt } }',
      { id: endpoint.id },
      asHotline(),
    );
    expect(deactivated.data!.deactivateWebhook.active).toBe(false);
    expect(deactivated.data!.deactivateWebhook.deactivatedAt).not.toBeNull();
    await contact();
    await new Promise((r) => setTimeout(r, 1500));
    expect(here()).toHaveLength(2); // nothing more is sent to it
    expect(
      (
        await api.gql(
          'mutation($i: RotateWebhookSecretInput!) { rotateWebhookSecret(input: $i) { id } }',
          { i: { id: endpoint.id, secret: NEW_SECRET } },
          asHotline(),
        )
      ).errors?.[0]?.extensions?.code,
    ).toBe('CONFLICT');
    // Registering the URL again makes a new endpoint.
    const again = await api.gql<{ registerWebhook: Endpoint }>(REGISTER, { i: { url, secret: SECRET } }, asHotline());
    expect(again.data!.registerWebhook.id).not.toBe(endpoint.id);
    await api.gql('mutation($id: ID!) { deactivateWebhook(id: $id) { id } }', { id: again.data!.registerWebhook.id }, asHotline());
    await worker.stop();
  }, 60_000);

  it('caps the active endpoints of an integrator: past the cap, registering refuses; a retry and a freed place still work', async () => {
    // Every entry of a case is sent to each active endpoint: 100 endpoints made one intake 100 deliveries.
    const MAX = 5; // DEFAULT_MAX_ACTIVE_ENDPOINTS, which the test API keeps
    const activeIds = async () =>
      (await api.gql<{ webhookEndpoints: Endpoint[] }>('{ webhookEndpoints { id active } }', undefined, asHotline()))
        .data!.webhookEndpoints.filter((e) => e.active)
        .map((e) => e.id);
    const reg = (path: string) =>
      api.gql<{ registerWebhook: Endpoint }>(REGISTER, { i: { url: `${receiverUrl}${path}`, secret: SECRET } }, asHotline());
    const before = (await activeIds()).length;
    expect(before).toBeLessThan(MAX - 1);
    // Registrations at once, more than the places left: the places left are taken, no more.
    const racing = await Promise.all(Array.from({ length: MAX + 3 }, (_, n) => reg(`/cap?n=${n}`)));
    const made = racing.filter((r) => !r.errors).map((r) => r.data!.registerWebhook);
    expect(made).toHaveLength(MAX - before);
    for (const r of racing.filter((x) => x.errors)) {
      expect(r.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', field: 'input.url', rule: 'endpoints.max', max: MAX });
      expect(r.errors![0]!.message).toMatch(/deactivate one first/);
    }
    expect((await activeIds()).length).toBe(MAX);
    const refused = await reg('/cap?n=late');
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', field: 'input.url', rule: 'endpoints.max' });
    // At the cap, retrying a registration still answers its endpoint.
    const retried = await reg(new URL(made[0]!.url).pathname + new URL(made[0]!.url).search);
    expect(retried.errors).toBeUndefined();
    expect(retried.data!.registerWebhook.id).toBe(made[0]!.id);

    // An intake's entries go to the active endpoints: MAX of them, at most.
    const intake = await api.gql<{ intakeComplaint: { case: { number: string } } }>(
      'mutation($i: IntakeComplaintInput!) { intakeComplaint(input: $i) { case { number } } }',
      {
        i: {
          channel: 'HOTLINE_12345',
          channelRef: 'BJ-cap',
          contactPhone: '13200006201',
          description: '拖欠工资',
          regionCode: '110102003',
        },
      },
      asHotline(),
    );
    const number = intake.data!.intakeComplaint.case.number;
    const deliveries = await api.gql<{ webhookDeliveries: Array<{ caseNumber: string; endpointId: string }> }>(
      '{ webhookDeliveries(first: 100) { caseNumber endpointId } }',
      undefined,
      asHotline(),
    );
    expect(new Set(deliveries.data!.webhookDeliveries.filter((d) => d.caseNumber === number).map((d) => d.endpointId)).size).toBe(MAX);

    // Deactivating one frees its place.
    await api.gql('mutation($id: ID!) { deactivateWebhook(id: $id) { id } }', { id: made[0]!.id }, asHotline());
    const freed = await reg('/cap?n=late');
    expect(freed.errors).toBeUndefined();
    expect((await reg('/cap?n=later')).errors?.[0]?.extensions?.rule).toBe('endpoints.max');
    for (const id of [...made.slice(1).map((e) => e.id), freed.data!.registerWebhook.id])
      await api.gql('mutation($id: ID!) { deactivateWebhook(id: $id) { id } }', { id }, asHotline());
    expect((await activeIds()).length).toBe(before);
  }, 60_000);
});
