import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { literalAddress, type WebhookTargetPolicy } from './webhook-targets';

/**
 * What an attempt records when it fails: a small fixed vocabulary, never the remote side's words or an error
 * message (those reach the integrator and the dashboards, and would echo whatever an internal host answered).
 */
export const ATTEMPT_ERRORS = [
  'timeout',
  'refused',
  'address-not-allowed',
  'url-not-allowed',
  'redirect-not-followed',
  'tls',
  'dns',
  'network',
] as const;
export type AttemptError = (typeof ATTEMPT_ERRORS)[number] | `http-${number}`;

export type AttemptResult = { ok: true; statusCode: number } | { ok: false; statusCode: number | null; error: AttemptError };

const NOT_ALLOWED = 'ANXIN_ADDRESS_NOT_ALLOWED';
const TIMED_OUT = 'ANXIN_TIMEOUT';

/**
 * One signed POST to an endpoint. The address is checked when the socket connects: a literal address before the
 * request, a name on every address it resolves to (the `lookup` the socket uses), so what is checked is what is
 * connected to. No redirect is followed (a 3xx is a failed attempt: following it would re-send the signed body
 * wherever the receiver points), and the response body is not read.
 */
export function postWebhook(
  url: string,
  headers: Record<string, string>,
  body: string,
  policy: WebhookTargetPolicy,
  timeoutMs = 10_000,
): Promise<AttemptResult> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return Promise.resolve({ ok: false, statusCode: null, error: 'url-not-allowed' });
  }
  if ((target.protocol !== 'http:' && target.protocol !== 'https:') || target.username || target.password)
    return Promise.resolve({ ok: false, statusCode: null, error: 'url-not-allowed' });
  const literal = literalAddress(target);
  if (literal !== undefined && !policy.allows(literal))
    return Promise.resolve({ ok: false, statusCode: null, error: 'address-not-allowed' });

  return new Promise<AttemptResult>((resolve) => {
    const request = (target.protocol === 'https:' ? https : http).request(
      {
        protocol: target.protocol,
        hostname: literal ?? target.hostname,
        port: target.port || undefined,
        path: `${target.pathname}${target.search}`,
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: checkedLookup(policy),
      },
      (res) => {
        res.resume(); // the body is not ours to read
        clearTimeout(timer);
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) resolve({ ok: true, statusCode: status });
        else if (status >= 300 && status < 400) resolve({ ok: false, statusCode: status, error: 'redirect-not-followed' });
        else resolve({ ok: false, statusCode: status, error: `http-${status}` });
      },
    );
    const timer = setTimeout(() => request.destroy(Object.assign(new Error('timed out'), { code: TIMED_OUT })), timeoutMs);
    request.on('error', (err) => {
      clearTimeout(timer);
      resolve({ ok: false, statusCode: null, error: classify(err) });
    });
    request.end(body);
  });
}

/** dns.lookup, refusing when any address the name resolves to is not allowed (exported for its test). */
export function checkedLookup(policy: WebhookTargetPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const list = addresses as dns.LookupAddress[];
      if (list.length === 0 || list.some((a) => !policy.allows(a.address))) {
        return callback(Object.assign(new Error('address not allowed'), { code: NOT_ALLOWED }) as NodeJS.ErrnoException, '', 0);
      }
      if (options.all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  };
}

const TLS_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'HOSTNAME_MISMATCH',
  'EPROTO',
]);

function classify(err: unknown): AttemptError {
  const e = err as NodeJS.ErrnoException & { errors?: unknown[] };
  // Trying several addresses (happy eyeballs) fails with all their errors together.
  if (!e.code && Array.isArray(e.errors) && e.errors.length > 0) return classify(e.errors[0]);
  const code = e.code ?? '';
  if (code === NOT_ALLOWED) return 'address-not-allowed';
  if (code === TIMED_OUT || code === 'ETIMEDOUT') return 'timeout';
  if (code === 'ECONNREFUSED') return 'refused';
  if (code === 'ENOTFOUND' || code.startsWith('EAI_')) return 'dns';
  if (code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL') || TLS_CODES.has(code)) return 'tls';
  return 'network';
}
