import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../src/config';
import { ATTEMPT_ERRORS, postWebhook } from '../src/webhooks/webhook-sender';
import { WebhookTargetPolicy } from '../src/webhooks/webhook-targets';

/**
 * Where webhooks may go (issue 12, item 6): private, loopback, link-local, CGNAT, multicast, unspecified, ULA,
 * v4-mapped and metadata addresses are refused unless the operator allows them; names are checked after
 * resolution, when the socket connects; a redirect is not followed; what an attempt records is a code, never the
 * remote side's text.
 */
describe('webhook targets', () => {
  const strict = new WebhookTargetPolicy();
  const loopbackAllowed = new WebhookTargetPolicy(['127.0.0.1/32']);

  it('refuses the ranges a webhook must not reach, and allows public addresses', () => {
    const refused = ['169.254.169.254', '10.0.0.1', '172.16.5.4', '192.168.1.1', '127.0.0.1', '127.1.2.3', '0.0.0.0', '100.64.0.1', '100.100.100.200', '192.0.0.192', '224.0.0.1', '255.255.255.255', '::1', '::', 'fe80::1', 'fd00:ec2::254', 'fc00::1', 'ff02::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:169.254.169.254', '::ffff:8.8.8.8', '64:ff9b::a9fe:a9fe', 'not-an-address'];
    for (const a of refused) expect([a, strict.allows(a)]).toEqual([a, false]);
    for (const a of ['8.8.8.8', '203.0.114.1', '2400:3200::1', '1.1.1.1']) expect([a, strict.allows(a)]).toEqual([a, true]);
  });

  it('allows what the operator allows, and only that', () => {
    expect(loopbackAllowed.allows('127.0.0.1')).toBe(true);
    expect(loopbackAllowed.allows('::ffff:127.0.0.1')).toBe(true);
    expect(loopbackAllowed.allows('127.0.0.2')).toBe(false);
    expect(loopbackAllowed.allows('::1')).toBe(false);
    expect(loopbackAllowed.allows('169.254.169.254')).toBe(false);
    expect(new WebhookTargetPolicy(['10.20.0.0/16']).allows('10.20.3.4')).toBe(true);
  });

  it('reads the allowance from WEBHOOK_ALLOWED_NETWORKS and refuses a bad one', () => {
    expect(loadConfig({}, 'tool').webhooks.allowedNetworks).toEqual([]);
    expect(loadConfig({ DATABASE_URL: 'postgres://x/y', TEMPORAL_ADDRESS: 'temporal:7233' }, 'worker').webhooks.allowedNetworks).toEqual([]);
    expect(loadConfig({}, 'all-in-one').webhooks.allowedNetworks).toEqual(['127.0.0.1/32']); // the demo
    expect(loadConfig({ WEBHOOK_ALLOWED_NETWORKS: '' }, 'all-in-one').webhooks.allowedNetworks).toEqual([]);
    expect(loadConfig({ WEBHOOK_ALLOWED_NETWORKS: '127.0.0.1/32, 10.20.0.0/16,::1' }).webhooks.allowedNetworks).toEqual(['127.0.0.1/32', '10.20.0.0/16', '::1']);
    expect(() => loadConfig({ WEBHOOK_ALLOWED_NETWORKS: '127.0.0.1/33' })).toThrow(/WEBHOOK_ALLOWED_NETWORKS/);
    expect(() => loadConfig({ WEBHOOK_ALLOWED_NETWORKS: 'localhost' })).toThrow(/WEBHOOK_ALLOWED_NETWORKS/);
  });

  describe('sending', () => {
    const received: string[] = [];
    let server: http.Server;
    let port: number;
    beforeAll(async () => {
      server = http.createServer((req, res) => {
        received.push(req.url!);
        req.resume();
        if (req.url === '/redirect') return res.writeHead(307, { location: `http://127.0.0.1:${port}/redirected` }).end();
        if (req.url === '/fails') return res.writeHead(502, { 'content-type': 'text/plain' }).end('upstream db-internal.corp:5432 said: password authentication failed');
        if (req.url === '/slow') return void setTimeout(() => res.writeHead(204).end(), 2_000).unref();
        res.writeHead(204).end();
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    });
    const post = (url: string, policy = loopbackAllowed, timeoutMs?: number) => postWebhook(url, { 'content-type': 'application/json' }, '{}', policy, timeoutMs);

    it('checks a name after it resolves, when it connects: localhost is loopback', async () => {
      received.length = 0;
      expect(await post(`http://localhost:${port}/a`, strict)).toEqual({ ok: false, statusCode: null, error: 'address-not-allowed' });
      expect(await post(`http://127.0.0.1:${port}/b`, strict)).toEqual({ ok: false, statusCode: null, error: 'address-not-allowed' });
      expect(await post(`http://0x7f000001:${port}/c`, strict)).toEqual({ ok: false, statusCode: null, error: 'address-not-allowed' });
      expect(await post(`http://[::1]:${port}/d`, loopbackAllowed)).toEqual({ ok: false, statusCode: null, error: 'address-not-allowed' });
      expect(received).toEqual([]);
      // With the operator's allowance, the same receiver is reached by name and by address.
      expect(await post(`http://localhost:${port}/e`, new WebhookTargetPolicy(['127.0.0.1/32', '::1']))).toEqual({ ok: true, statusCode: 204 });
      expect(await post(`http://127.0.0.1:${port}/f`)).toEqual({ ok: true, statusCode: 204 });
      expect(received).toEqual(['/e', '/f']);
    });

    it('follows no redirect, refuses user info, and records codes, never remote text', async () => {
      received.length = 0;
      expect(await post(`http://127.0.0.1:${port}/redirect`)).toEqual({ ok: false, statusCode: 307, error: 'redirect-not-followed' });
      expect(await post(`http://127.0.0.1:${port}/fails`)).toEqual({ ok: false, statusCode: 502, error: 'http-502' });
      expect(await post(`http://user:pass@127.0.0.1:${port}/userinfo`)).toEqual({ ok: false, statusCode: null, error: 'url-not-allowed' });
      expect(await post(`http://127.0.0.1:${port}/slow`, loopbackAllowed, 300)).toEqual({ ok: false, statusCode: null, error: 'timeout' });
      expect(received).toEqual(['/redirect', '/fails', '/slow']); // the redirect's target was never asked
      const closed = http.createServer();
      await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
      const closedPort = (closed.address() as AddressInfo).port;
      await new Promise((r) => closed.close(r));
      expect(await post(`http://127.0.0.1:${closedPort}/`)).toEqual({ ok: false, statusCode: null, error: 'refused' });
      expect(await post('http://no-such-host.invalid/')).toMatchObject({ ok: false, error: expect.stringMatching(/^(dns|address-not-allowed)$/) });
      expect(ATTEMPT_ERRORS).toContain('tls');
    });
  });
});
