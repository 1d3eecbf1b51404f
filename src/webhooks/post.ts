/**
 * One webhook POST: to the address the target policy checked (pinned through `lookup`, so DNS
 * is not asked again between check and connect), bounded in total time, redirects not followed
 * (a 3xx counts as a failed attempt: following it would reach an unchecked host), answer body
 * read only up to a few KiB.
 */
import type { LookupFunction } from 'node:net';
import { httpCall } from '../publish/http-client.js';
import type { TargetPolicy } from './ssrf.js';

export interface PostResult {
  status: number | null;
  error: string | null;
  ok: boolean;
}

const pinned =
  (address: string, family: 4 | 6): LookupFunction =>
  (_host, opts, cb) => {
    if ((opts as { all?: boolean }).all) (cb as unknown as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [{ address, family }]);
    else cb(null, address, family);
  };

export async function postWebhook(policy: TargetPolicy, rawUrl: string, headers: Record<string, string>, body: string, timeoutMs: number, signal: AbortSignal): Promise<PostResult> {
  const target = await policy.check(rawUrl);
  const payload = Buffer.from(body);
  try {
    const res = await httpCall({
      method: 'POST',
      url: target.url.href,
      headers: { ...headers, 'content-type': 'application/json', 'content-length': String(payload.length), 'user-agent': 'heygem-gateway-webhooks/1' },
      body: payload,
      timeoutMs,
      signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
      maxBody: 4096,
      lookup: pinned(target.address, target.family),
    });
    if (res.status >= 200 && res.status < 300) return { status: res.status, error: null, ok: true };
    const note = res.status >= 300 && res.status < 400 ? ' (redirects are not followed)' : '';
    const text = res.body.toString('utf8').replace(/\s+/g, ' ').trim().slice(0, 200);
    return { status: res.status, error: `HTTP ${res.status}${note}${text ? `: ${text}` : ''}`, ok: false };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const timedOut = e.name === 'TimeoutError' || e.code === 'ETIMEDOUT' || e.code === 'ABORT_ERR';
    return { status: null, error: timedOut && !signal.aborted ? `No answer within ${timeoutMs} ms` : `${e.code ?? e.name}: ${e.message}`.slice(0, 300), ok: false };
  }
}
