import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The webhook signature scheme: `X-Anxin-Signature: v1=<hex>` where hex is HMAC-SHA256, keyed with the
 * endpoint's secret, over `<X-Anxin-Timestamp>.<raw body>`. Receivers recompute it, compare in constant time,
 * and refuse timestamps too far from their clock (replays).
 */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export function verifyWebhook(
  secret: string,
  timestamp: string,
  body: string,
  signature: string,
  toleranceSeconds = 300,
  now = Date.now(),
): boolean {
  const ts = Number(timestamp);
  if (!Number.isInteger(ts) || Math.abs(now / 1000 - ts) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhook(secret, ts, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
