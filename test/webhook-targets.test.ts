import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../src/config';
import { ATTEMPT_ERRORS, checkedLookup, postWebhook } from '../src/webhooks/webhook-sender';
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
    const refused = [
      '169.254.169.254',
      '10.0.0.1',
      '172.16.5.4',
      '192.168.1.1',
      '127.0.0.1',
      '127.1.2.3',
      '0.0.0.0',
      '100.64.0.1',
      '100.100.100.200',
      '192.0.0.192',
      '224.0.0.1',
      '255.255.255.255',
      '::1',
      '::',
      'fe80::1',
      'fd00:ec2::254',
      'fc00::1',
      'ff02::1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '::ffff:169.254.169.254',
      '::ffff:8.8.8.8',
      '64:ff9b::a9fe:a9fe',
      'not-an-address',
    ];
    for (const a of refused) expect([a, strict.allows(a)]).toEqual([a, false]);
    for (const a of ['8.8.8.8', '203.0.114.1', '2400:3200::1', '1.1.1.1']) expect([a, strict.allows(a)]).toEqual([a, true]);
  });

  it('refuses IPv6 forms that reach an IPv4 address through a translator or tunnel: local-use NAT64, SIIT, 6to4, Teredo', () => {
    const refused = [
      '64:ff9b:1::a9fe:a9fe', // local-use NAT64 prefix 64:ff9b:1::/48 (RFC 8215), metadata inside
      '64:ff9b:1:a9fe:a9:fe00::', // the same address in the /48 format of RFC 6052 (u-octet skipped)
      '64:ff9b:1::808:808', // public IPv4 inside: the whole prefix is refused
      '::ffff:0:a9fe:a9fe', // SIIT IPv4-translated ::ffff:0:0:0/96 (RFC 2765)
      '::ffff:0:169.254.169.254',
      '::ffff:0:7f00:1',
      '::ffff:0:808:808',
      '2002:a9fe:a9fe::', // 6to4 2002::/16 (RFC 3056), metadata inside
      '2002:a9fe:a9fe::1',
      '2002:808:808::1', // public IPv4 inside: the whole prefix is refused
      '2001:0:4136:e378:8000:63bf:3fff:fdd2', // Teredo 2001::/32 (RFC 4380)
    ];
    for (const a of refused) expect([a, strict.allows(a)]).toEqual([a, false]);
    // Allowing 127.0.0.1 allows none of them, except the SIIT form of 127.0.0.1 itself (as with ::ffff:127.0.0.1).
    for (const a of refused.filter((x) => x !== '::ffff:0:7f00:1')) expect([a, loopbackAllowed.allows(a)]).toEqual([a, false]);
    expect(loopbackAllowed.allows('::ffff:0:7f00:1')).toBe(true);
    // Neighbours of those prefixes are ordinary addresses.
    for (const a of ['2003::1', '2001:4860:4860::8888', '64:ff9b:2::1', '2400:3200::1']) expect([a, strict.allows(a)]).toEqual([a, true]);
    // An operator who runs a translator may allow its prefix, or, for the SIIT form, the IPv4 address inside.
    expect(new WebhookTargetPolicy(['64:ff9b:1::/48']).allows('64:ff9b:1::a0a:1')).toBe(true);
    expect(new WebhookTargetPolicy(['2002:a14:304::/48']).allows('2002:a14:304::1')).toBe(true);
    expect(new WebhookTargetPolicy(['10.20.0.0/16']).allows('::ffff:0:a14:304')).toBe(true);
    expect(new WebhookTargetPolicy(['10.20.0.0/16']).allows('2002:a14:304::1')).toBe(false); // 6to4: the IPv4 inside is a relay's, not the receiver's
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
    expect(loadConfig({ DATABASE_URL: 'postgres://x/y', TEMPORAL_ADDRESS: 'temporal:7233' }, 'worker').webhooks.allowedNetworks).toEqual(
      [],
    );
    expect(loadConfig({}, 'all-in-one').webhooks.allowedNetworks).toEqual(['127.0.0.1/32']); // the demo
    expect(loadConfig({ WEBHOOK_ALLOWED_NETWORKS: '' }, 'all-in-one').webhooks.allowedNetworks).toEqual([]);
    expect(loadConfig({ WEBHOOK_ALLOWED_NETWORKS: '127.0.0.1/32, 10.20.0.0/16,::1' }).webhooks.allowedNetworks).toEqual([
      '127.0.0.1/32',
      '10.20.0.0/16',
      '::1',
    ]);
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
        if (req.url === '/fails')
          return res
            .writeHead(502, { 'content-type': 'text/plain' })
            .end('upstream db-internal.corp:5432 said: password authentication failed');
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
    const post = (url: string, policy = loopbackAllowed, timeoutMs?: number) =>
      postWebhook(url, { 'content-type': 'application/json' }, '{}', policy, timeoutMs);

    it('checks a name after it resolves, when it connects: localhost is loopback', async () => {
      received.length = 0;
      expect(await post(`http://localhost:${port}/a`, strict)).toEqual({ ok: false, statusCode: null, error: 'address-not-allowed' });
      expect(await post(`http://127.0.0.1:${port}/b`, strict)).toEqual({ ok: false, statusCode: null, error: 'address-not-allowed' });
      expect(await post(`http://0x7f000001:${port}/c`, strict)).toEqual({ ok: false, statusCode: null, error: 'address-not-allowed' });
      expect(await post(`http://[::1]:${port}/d`, loopbackAllowed)).toEqual({ ok: false, statusCode: null, error: 'address-not-allowed' });
      // Local-use NAT64, SIIT and 6to4 forms of loopback (SIIT: 127.0.0.2, outside the allowance): refused before connecting (a literal) and in the lookup
      // the socket uses for a name (given the address as a name, the resolver answers it).
      for (const address of ['64:ff9b:1::7f00:1', '::ffff:0:7f00:2', '2002:7f00:1::1']) {
        expect([address, await post(`http://[${address}]:${port}/g`)]).toEqual([
          address,
          { ok: false, statusCode: null, error: 'address-not-allowed' },
        ]);
        const resolved = await new Promise<string>((r) =>
          checkedLookup(loopbackAllowed)(address, {}, (err, a) => r(err ? String(err.code) : String(a))),
        );
        expect([address, resolved]).toEqual([address, 'ANXIN_ADDRESS_NOT_ALLOWED']);
      }
      expect(
        await new Promise<string>((r) =>
          checkedLookup(loopbackAllowed)('127.0.0.1', {}, (err, a) => r(err ? String(err.code) : String(a))),
        ),
      ).toBe('127.0.0.1');
      expect(received).toEqual([]);
      // With the operator's allowance, the same receiver is reached by name and by address.
      expect(await post(`http://localhost:${port}/e`, new WebhookTargetPolicy(['127.0.0.1/32', '::1']))).toEqual({
        ok: true,
        statusCode: 204,
      });
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
      expect(await post('http://no-such-host.invalid/')).toMatchObject({
        ok: false,
        error: expect.stringMatching(/^(dns|address-not-allowed)$/),
      });
      expect(ATTEMPT_ERRORS).toContain('tls');
    });
  });
});
