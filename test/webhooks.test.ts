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
  const accepted: Array<{ delivery: string; caseNumber: string; seq: number; signed: boolean }> = [];
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
        accepted.push({ delivery, caseNumber: parsed.caseNumber, seq: parsed.event.seq, signed: verifyWebhook(SECRET, String(req.headers['x-anxin-timestamp']), body, String(req.headers['x-anxin-signature'])) });
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
    api.gql<{ registerWebhook: { id: string; channel: string } }>('mutation($i: RegisterWebhookInput!) { registerWebhook(input: $i) { id channel } }', { i: { url: `${receiverUrl}${path}`, secret: SECRET, giveUpAfterSeconds } }, asHotline());
  async function caseWithContact(phone: string): Promise<string> {
    const r = await api.gql<{ intakeComplaint: { case: { id: string; number: string } } }>('mutation($i: IntakeComplaintInput!) { intakeComplaint(input: $i) { case { id number } } }', { i: { channel: 'HOTLINE_12345', channelRef: `BJ-${phone}`, contactPhone: phone, description: '拖欠工资', regionCode: '110102003' } }, asHotline());
    const c = r.data!.intakeComplaint.case;
    await api.gql('mutation($i: RecordContactInput!) { recordContact(input: $i) { id } }', { i: { caseId: c.id, kind: 'CALL', outcome: 'REACHED' } }, api.as(city.inspector, city.xichengHrss));
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
    expect((await api.gql(`mutation { registerWebhook(input: { url: "${receiverUrl}/x", secret: "${SECRET}" }) { id } }`, undefined, api.as(city.inspector, city.xichengHrss))).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
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
    const DELIVERIES = `{ webhookDeliveries { id endpointId caseNumber seq status attemptCount lastError attempts { statusCode } } }`;
    const listed = await api.gql<{ webhookDeliveries: Array<{ id: string; endpointId: string; status: string; attempts: Array<{ statusCode: number | null }> }> }>(DELIVERIES, undefined, asHotline());
    const ofFlaky = listed.data!.webhookDeliveries.filter((d) => d.endpointId === flaky.data!.registerWebhook.id);
    expect(ofFlaky.map((d) => d.status)).toEqual(['DELIVERED', 'DELIVERED', 'DELIVERED', 'DELIVERED']);
    // Two refusals and the acceptance (an attempt cut off by the worker's shutdown may be recorded after the next).
    for (const d of ofFlaky) expect(d.attempts.map((a) => a.statusCode).sort()).toEqual([204, 500, 500]);

    // The endpoint that never answers: parked after its 3-second give-up time, then replayed by an administrator.
    await until(async () => {
      const r = await api.gql<{ webhookDeliveries: Array<{ status: string }> }>('{ webhookDeliveries(status: "PARKED") { status } }', undefined, asHotline());
      return (r.data?.webhookDeliveries.length ?? 0) === 4;
    });
    expect((await api.gql('{ webhookDeliveries { id } }', undefined, api.as(city.inspector, city.xichengHrss))).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const parked = (await api.gql<{ webhookDeliveries: Array<{ id: string }> }>('{ webhookDeliveries(status: "PARKED") { id } }', undefined, api.as(city.director, city.xichengHrss))).data!.webhookDeliveries;
    healthy = true;
    const replayed = await api.gql<{ replayWebhookDelivery: { status: string } }>('mutation($id: String!) { replayWebhookDelivery(id: $id) { status } }', { id: parked[0]!.id }, api.as(city.director, city.xichengHrss));
    expect(replayed.data!.replayWebhookDelivery.status).toBe('PENDING');
    await until(() => accepted.some((a) => a.delivery === parked[0]!.id));
    await worker.stop();
  }, 120_000);
});
