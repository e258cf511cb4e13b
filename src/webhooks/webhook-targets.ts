import { BlockList, isIP } from 'node:net';

/**
 * Where webhooks may be sent. An integrator names a URL; without a check, the worker would POST from inside the
 * network to whatever that URL resolves to (the cloud metadata service, a database, an admin port). Addresses in
 * the ranges below are refused unless the operator allows a network in configuration
 * (`WEBHOOK_ALLOWED_NETWORKS`, e.g. `127.0.0.1/32` for a receiver on the same machine, as the tests and the
 * webhook benchmark use). The check is made on every address a name resolves to, at connect time (see
 * webhook-sender.ts), so a name that resolves elsewhere later (DNS rebinding) is checked again.
 */
const BLOCKED: ReadonlyArray<readonly [string, number, 'ipv4' | 'ipv6', string]> = [
  ['0.0.0.0', 8, 'ipv4', 'unspecified / this network'],
  ['10.0.0.0', 8, 'ipv4', 'private'],
  ['100.64.0.0', 10, 'ipv4', 'carrier-grade NAT (and Alibaba Cloud metadata 100.100.100.200)'],
  ['127.0.0.0', 8, 'ipv4', 'loopback'],
  ['169.254.0.0', 16, 'ipv4', 'link-local (cloud metadata 169.254.169.254)'],
  ['172.16.0.0', 12, 'ipv4', 'private'],
  ['192.0.0.0', 24, 'ipv4', 'IETF protocol assignments (Oracle Cloud metadata 192.0.0.192)'],
  ['192.0.2.0', 24, 'ipv4', 'documentation'],
  ['192.168.0.0', 16, 'ipv4', 'private'],
  ['198.18.0.0', 15, 'ipv4', 'benchmarking'],
  ['198.51.100.0', 24, 'ipv4', 'documentation'],
  ['203.0.113.0', 24, 'ipv4', 'documentation'],
  ['224.0.0.0', 4, 'ipv4', 'multicast'],
  ['240.0.0.0', 4, 'ipv4', 'reserved and broadcast'],
  ['::', 128, 'ipv6', 'unspecified'],
  ['::1', 128, 'ipv6', 'loopback'],
  ['::', 96, 'ipv6', 'IPv4-compatible (deprecated)'],
  ['100::', 64, 'ipv6', 'discard'],
  // IPv6 forms that reach an IPv4 host through a translator or a tunnel. Those with the IPv4 address at a fixed place
  // (IPv4-mapped ::ffff:0:0/96, SIIT ::ffff:0:0:0/96, NAT64 64:ff9b::/96) are decoded by `embeddedIPv4` below and
  // refused unless the operator allows the IPv4 address inside. The rest are refused whole (allowed only as IPv6
  // networks), because decoding them would not say where the POST lands:
  // - the local-use NAT64 prefix places the IPv4 address where the operator's prefix length (/48 … /96, RFC 6052
  //   §2.2) puts it, so any decoding is a guess, and it only leads to the operator's own translator;
  // - a 6to4 (RFC 3056) address embeds the IPv4 address of a 6to4 router, not of the receiver, and 6to4 is
  //   deprecated (RFC 7526); Teredo (RFC 4380) embeds a server's address and an obfuscated client's.
  // No public receiver needs one of them: it has a name, or a native address.
  ['64:ff9b:1::', 48, 'ipv6', 'local-use NAT64 (RFC 8215)'],
  ['2002::', 16, 'ipv6', '6to4 (RFC 3056)'],
  ['2001::', 32, 'ipv6', 'Teredo (RFC 4380)'],
  ['2001:db8::', 32, 'ipv6', 'documentation'],
  ['fc00::', 7, 'ipv6', 'unique local (AWS metadata fd00:ec2::254)'],
  ['fe80::', 10, 'ipv6', 'link-local'],
  ['fec0::', 10, 'ipv6', 'site-local (deprecated)'],
  ['ff00::', 8, 'ipv6', 'multicast'],
];

const blocked = new BlockList();
for (const [net, prefix, family] of BLOCKED) blocked.addSubnet(net, prefix, family);

export class WebhookTargetPolicy {
  private readonly allowed = new BlockList();
  readonly allowedNetworks: readonly string[];

  /** `allowedNetworks`: CIDRs or single addresses the operator allows although they are in a refused range. */
  constructor(allowedNetworks: readonly string[] = []) {
    this.allowedNetworks = allowedNetworks;
    for (const n of allowedNetworks) {
      const parsed = parseNetwork(n);
      if (!parsed) throw new Error(`not a network: ${n}`);
      this.allowed.addSubnet(parsed.address, parsed.prefix, parsed.family);
    }
  }

  /** Whether a POST may go to this address (an IP address as text; anything else is refused). */
  allows(address: string): boolean {
    const ip = embeddedIPv4(address) ?? address;
    const family = isIP(ip);
    if (family === 0) return false;
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (this.allowed.check(ip, type)) return true;
    // An IPv4-mapped, SIIT or NAT64 address reaches the IPv4 address inside it: refused unless that address is
    // allowed (a public IPv4 receiver is named by its IPv4 address, not through a translator).
    if (ip !== address) return false;
    return !blocked.check(ip, type);
  }
}

/** `10.0.0.0/8`, `127.0.0.1` (a single address), `fd00::/8`, or null if it is none of these. */
export function parseNetwork(text: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | null {
  const [address = '', prefixText, ...rest] = text.trim().split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return null;
  const max = family === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) return null;
  return { address, prefix, family: family === 4 ? 'ipv4' : 'ipv6' };
}

/**
 * The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d), SIIT IPv4-translated (::ffff:0:a.b.c.d, RFC 2765) or
 * well-known-prefix NAT64 (64:ff9b::a.b.c.d, RFC 6052) IPv6 address.
 */
function embeddedIPv4(address: string): string | undefined {
  if (isIP(address) !== 6) return undefined;
  const h = expandIPv6(address);
  if (!h) return undefined;
  const mapped = h.slice(0, 5).every((x) => x === 0) && h[5] === 0xffff;
  const translated = h.slice(0, 4).every((x) => x === 0) && h[4] === 0xffff && h[5] === 0;
  const nat64 = h[0] === 0x64 && h[1] === 0xff9b && h.slice(2, 6).every((x) => x === 0);
  if (!mapped && !translated && !nat64) return undefined;
  return [h[6]! >> 8, h[6]! & 0xff, h[7]! >> 8, h[7]! & 0xff].join('.');
}

/** The eight 16-bit groups of an IPv6 address (with a trailing dotted quad allowed), or undefined. */
function expandIPv6(address: string): number[] | undefined {
  let text = address.split('%')[0]!.toLowerCase();
  const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (quad) {
    const b = quad[1]!.split('.').map(Number);
    text = text.slice(0, -quad[1]!.length) + `${((b[0]! << 8) | b[1]!).toString(16)}:${((b[2]! << 8) | b[3]!).toString(16)}`;
  }
  const [head, tail, ...more] = text.split('::');
  if (more.length > 0) return undefined;
  const parse = (s: string | undefined) => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
  const a = parse(head);
  const b = parse(tail);
  const groups = tail === undefined ? a : [...a, ...new Array<number>(8 - a.length - b.length).fill(0), ...b];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : undefined;
}

/** The host of a URL as an address when it is one (`[::1]` → `::1`), or undefined for a name. */
export function literalAddress(url: URL): string | undefined {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return isIP(host) ? host : undefined;
}
