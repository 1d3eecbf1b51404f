/**
 * Auth `auto` behind a reverse proxy. `auto` leaves auth off while the server listens on
 * loopback — the single-user setup where only this machine can connect. A same-host reverse
 * proxy breaks that assumption: every request arrives from 127.0.0.1 but comes from anywhere.
 * So with `auto`, a request needs a key when it came through a proxy:
 * - it carries a forwarding header (X-Forwarded-For, Forwarded, X-Real-IP) — whether or not
 *   the proxy is trusted: the header can only make a request *stricter* here, never looser;
 * - or its client address, as resolved with server.trustProxy, is not loopback.
 * Explicit `auth.enabled: true/false` is never changed by this. Rule documented in
 * docs/operations.md and docs/security.md.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { isLoopbackHost, type AuthSetting } from './auth-mode.js';

export const PROXY_HEADERS = ['x-forwarded-for', 'forwarded', 'x-real-ip'] as const;

export function cameThroughProxy(clientIp: string, headers: IncomingHttpHeaders): boolean {
  return PROXY_HEADERS.some((h) => headers[h] !== undefined) || !isLoopbackHost(clientIp);
}

/** For a server whose listen address alone leaves auth off: does this request need a key? */
export function authRequiredFor(setting: AuthSetting, clientIp: string, headers: IncomingHttpHeaders): boolean {
  return setting === 'auto' && cameThroughProxy(clientIp, headers);
}
