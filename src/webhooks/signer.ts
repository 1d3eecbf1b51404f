/**
 * Webhook signatures: HMAC-SHA256 over `timestamp + "." + body` (the timestamp in Unix seconds,
 * the body as sent), hex encoded. One header carries both, Stripe-style:
 *
 *   X-Heygem-Signature: t=1764460800,v1=5f2c…,v1=9ab1…
 *
 * With a rotation in progress the header carries one `v1` per valid secret (new first), so a
 * receiver that still has the old secret, or already the new one, verifies either way.
 * Verification snippets (Node, Python): docs/webhooks.md.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-heygem-signature';

export function sign(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** The header value for one body, signed with every secret given (the current one first). */
export function signatureHeader(secrets: readonly string[], timestamp: number, body: string): string {
  return [`t=${timestamp}`, ...secrets.map((s) => `v1=${sign(s, timestamp, body)}`)].join(',');
}

/**
 * Receiver side (also what the docs show): true when one `v1` matches the secret and the
 * timestamp is within `toleranceSec` of `nowSec` (stops replays of old deliveries).
 */
export function verifySignature(header: string, body: string, secret: string, nowSec: number, toleranceSec = 300): boolean {
  const parts = header.split(',').map((p) => p.trim().split('='));
  const t = Number(parts.find(([k]) => k === 't')?.[1]);
  if (!Number.isInteger(t) || Math.abs(nowSec - t) > toleranceSec) return false;
  const expected = Buffer.from(sign(secret, t, body), 'hex');
  return parts.some(([k, v]) => k === 'v1' && v !== undefined && v.length === expected.length * 2 && timingSafeEqual(Buffer.from(v, 'hex'), expected));
}

/** A new endpoint secret: 32 random bytes. */
export function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}
