/**
 * The HTTP security layer, installed on the root instance before any route:
 * - security headers on every response (also the hijacked SSE stream: set on the raw response);
 * - CORS for an explicit allowlist of origins (never `*`), preflight answered here;
 * - bearer-token auth with scopes (api keys in SQLite or PostgreSQL, security/api-keys.ts), plus
 *   `?access_token=` on the GET routes a browser loads without headers (EventSource, <video src>);
 * - guards on routes that create work: free disk space (507), active-task quota and
 *   per-key / per-IP rate limits (429 + Retry-After).
 * Behind a reverse proxy (server.trustProxy), `req.ip` is the real client, and with auth `auto`
 * a request that came through a proxy needs a key even when the server listens on loopback
 * (security/proxy-auth.ts).
 * Threat model and settings: docs/security.md.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { ACTIVE_STATES } from '../domain/task.js';
import type { Gateway } from '../gateway.js';
import { formatBytes } from '../maintenance/disk-space.js';
import { hasScope, openApiKeys, type ApiKeyRepository, type Scope } from '../security/api-keys.js';
import { authEnabled, authStartupProblem, isLoopbackHost } from '../security/auth-mode.js';
import { authRequiredFor } from '../security/proxy-auth.js';
import { TokenBuckets } from '../security/token-bucket.js';
import { ApiError } from './errors.js';
import { normalizeRequestUrl } from './request-path.js';
import './access.js';

/** Allows the bundled UI (Vite build: external scripts, inline styles, blob/data media). */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self' data:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'content-security-policy': CONTENT_SECURITY_POLICY,
};

/**
 * What a route needs, declared in its own definition (`config: access('read', …)`) and enforced
 * by the onRequest hook below on the *matched* route — never on the URL's spelling, which the
 * router decodes (the `/%61pi/tasks` bypass). A route without a declaration fails start-up.
 * - `public`: anyone (health, info, docs, UI files);
 * - `read` / `submit` / `admin`: an API key with that scope when auth is on;
 * - `runner`: the remote-runner protocol, which checks runner tokens itself (routes/runners.route.ts).
 */
export type RouteScope = Scope | 'public';
export interface RouteAccess {
  scope: RouteScope;
  /** A GET a browser loads without custom headers (EventSource, <video src>): `?access_token=` works. */
  tokenInQuery?: boolean;
  /** Creates work: disk, quota and rate guards apply. */
  createsWork?: boolean;
  /** Stores an upload but creates no task (library files, a runner's result): the disk guard applies. */
  storesUpload?: boolean;
}
declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyInstance {
    /** The API keys the server checks tokens against (names for usage reports). */
    apiKeys: ApiKeyRepository;
  }
}
/** The route config declaring who may call a route. */
export function access(scope: RouteScope, extra: Omit<RouteAccess, 'scope'> = {}): { access: RouteAccess } {
  return { access: { scope, ...extra } };
}

/**
 * One declaration for every route registered inside `app` (an encapsulated plugin) that has
 * none of its own: the docs and UI plugins (public), the runner protocol (runner).
 */
export function declareScope(app: FastifyInstance, scope: RouteScope): void {
  app.addHook('onRoute', (opts) => {
    opts.config = { ...(opts.config ?? {}), access: opts.config?.access ?? { scope } };
  });
}

function bearer(req: FastifyRequest, tokenInQuery: boolean): string | null {
  const h = req.headers.authorization;
  if (typeof h === 'string') {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
    return m ? m[1] : '';
  }
  if ((req.method === 'GET' || req.method === 'HEAD') && tokenInQuery) {
    const t = (req.query as Record<string, unknown> | undefined)?.access_token;
    if (typeof t === 'string') return t;
  }
  return null;
}

function setCors(req: FastifyRequest, reply: FastifyReply, origins: ReadonlySet<string>): boolean {
  const origin = req.headers.origin;
  if (typeof origin !== 'string' || !origins.has(origin)) return false;
  reply.raw.setHeader('access-control-allow-origin', origin);
  reply.raw.setHeader('vary', 'Origin');
  reply.raw.setHeader('access-control-expose-headers', 'Retry-After, Content-Disposition, Content-Range, Idempotent-Replayed');
  return true;
}

/** Every route declares its access; checked once all routes are in, so a missing one stops start-up. */
export function requireAccessDeclarations(app: FastifyInstance): void {
  const routes: RouteOptions[] = [];
  app.addHook('onRoute', (opts) => void routes.push(opts));
  app.addHook('onReady', async () => {
    const bare = routes.filter((r) => !r.config?.access).map((r) => `${String(r.method)} ${r.url}`);
    if (bare.length) throw new Error(`routes without an access declaration (config: access(...), http/security.ts): ${bare.join(', ')}`);
  });
}

/** Multipart boundaries, headers and text fields next to the largest file a work route accepts. */
const UPLOAD_FIELDS_ALLOWANCE = 1024 * 1024;

const REFUSED = Symbol('refusedPath');
type MarkedRequest = IncomingMessage & { [REFUSED]?: string };
const refusedPath = (raw: IncomingMessage): string | undefined => (raw as MarkedRequest)[REFUSED];

/**
 * Fastify's `rewriteUrl`: the router sees the normalized path (http/request-path.ts). A path that
 * is refused keeps its raw form and is marked; the first onRequest hook answers it 400 before any
 * handler runs, matched or not.
 */
export function rewriteRequestUrl(raw: IncomingMessage): string {
  const url = raw.url ?? '/';
  const v = normalizeRequestUrl(url);
  if (v.ok) return v.url;
  (raw as MarkedRequest)[REFUSED] = v.reason;
  return url;
}

export async function installSecurity(app: FastifyInstance, gw: Gateway): Promise<void> {
  const cfg = gw.config;
  const enabled = authEnabled(cfg);
  const keys = await openApiKeys({ dataDir: gw.paths.root, store: cfg.store });
  app.addHook('onClose', async () => keys.close());
  app.decorate('apiKeys', keys);
  const problem = authStartupProblem(cfg, await keys.activeCount());
  if (problem) {
    await keys.close();
    throw new Error(problem);
  }
  if (cfg.auth.enabled === 'auto' && !enabled && cfg.server.trustProxy !== false && (await keys.activeCount()) === 0) {
    gw.log.warn('server.trustProxy is set but no API key exists: requests through the proxy will be refused (401) until one is created (heygem-gateway keys create --name admin --scopes admin)');
  }
  if (!enabled && !isLoopbackHost(cfg.server.host)) gw.log.warn({ host: cfg.server.host }, 'auth is DISABLED on a non-loopback address: anyone who can reach it can use it');
  const origins = new Set(cfg.server.corsOrigins);
  const disk = gw.health.disk;
  const rl = cfg.rateLimit;
  const reservationCap = Math.max(cfg.limits.maxUploadBytes, cfg.batches.maxBodyBytes) + UPLOAD_FIELDS_ALLOWANCE;
  const perKey = rl.submitsPerMinutePerKey > 0 ? TokenBuckets.perMinute(rl.submitsPerMinutePerKey, gw.clock) : null;
  const perIp = rl.submitsPerMinutePerIp > 0 ? TokenBuckets.perMinute(rl.submitsPerMinutePerIp, gw.clock) : null;

  app.decorateRequest('apiKey', null);
  requireAccessDeclarations(app);
  app.addHook('onRequest', async (req, reply) => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) reply.raw.setHeader(k, v);
    const refused = refusedPath(req.raw);
    if (refused) throw new ApiError(400, 'path_invalid', refused);
    const corsOk = setCors(req, reply, origins);
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
      if (!corsOk) throw new ApiError(403, 'cors_forbidden', 'Origin not allowed');
      reply.raw.setHeader('access-control-allow-methods', 'GET, HEAD, POST, PATCH, DELETE');
      reply.raw.setHeader('access-control-allow-headers', 'Authorization, Content-Type, Idempotency-Key');
      reply.raw.setHeader('access-control-max-age', '600');
      return reply.code(204).send();
    }
    // Unmatched requests end in the 404 handler and reveal nothing; every matched route declared its access.
    if (req.is404) return;
    const declared = req.routeOptions.config.access;
    // Unreachable after the start-up check above; refuse rather than serve if it ever is.
    if (!declared) throw new ApiError(403, 'forbidden', 'This route declares no access');
    const scope = declared.scope;
    if (scope === 'public' || scope === 'runner') return;
    const proxied = !enabled && authRequiredFor(cfg.auth.enabled, req.ip, req.headers);
    if (!enabled && !proxied) return;
    const token = bearer(req, declared.tokenInQuery === true);
    if (token === null) {
      const why = proxied ? ' — requests through a reverse proxy need one, see docs/operations.md' : '';
      throw new ApiError(401, 'auth_required', `An API key is required (Authorization: Bearer <key>)${why}`, {}, { 'www-authenticate': 'Bearer' });
    }
    const key = token ? await keys.verify(token, gw.clock.now()) : null;
    if (!key) throw new ApiError(401, 'auth_invalid', 'The API key is invalid or revoked', {}, { 'www-authenticate': 'Bearer error="invalid_token"' });
    if (!hasScope(key, scope)) throw new ApiError(403, 'forbidden', `This API key lacks the "${scope}" scope`);
    req.apiKey = key;
  });

  app.addHook('preHandler', async (req, reply) => {
    const guard = req.routeOptions.config.access;
    if (req.is404 || !(guard?.createsWork || guard?.storesUpload)) return;
    // The declared upload size counts against the free space until the request ends, so a
    // burst of uploads cannot all pass on one reading (maintenance/disk-space.ts). It is capped
    // at the largest body a work route takes: a socket that declares gigabytes and sends nothing
    // must not hold other keys' submits at 507 (the body parsers stop at that size anyway).
    const declared = Math.min(Number(req.headers['content-length']) || 0, reservationCap);
    const d = await disk.check(declared);
    if (!d.ok) {
      throw new ApiError(507, 'insufficient_storage', `Not enough free disk space for new tasks (${formatBytes(d.freeBytes)} free, at least ${formatBytes(d.minFreeBytes)} required); try again when space has been freed`);
    }
    const key = req.apiKey;
    if (guard.createsWork && key && rl.maxActiveTasksPerKey > 0) {
      const { total } = await gw.store.list({ owner: key.id, states: ['queued', ...ACTIVE_STATES], limit: 1 });
      if (total >= rl.maxActiveTasksPerKey) {
        throw new ApiError(429, 'quota_exceeded', `This API key already has ${total} unfinished tasks (limit ${rl.maxActiveTasksPerKey})`, { limit: rl.maxActiveTasksPerKey }, { 'retry-after': '10' });
      }
    }
    const checks: Array<[TokenBuckets, string]> = [];
    if (guard.createsWork && key && perKey) checks.push([perKey, `key:${key.id}`]);
    if (guard.createsWork && perIp && !(rl.exemptLoopback && isLoopbackHost(req.ip))) checks.push([perIp, `ip:${req.ip}`]);
    const taken: Array<[TokenBuckets, string]> = [];
    for (const [bucket, id] of checks) {
      const r = bucket.take(id);
      if (!r.ok) {
        for (const [b, i] of taken) b.refund(i); // a refused request costs nothing elsewhere
        const secs = Number.isFinite(r.retryAfterMs) ? Math.max(1, Math.ceil(r.retryAfterMs / 1000)) : 60;
        throw new ApiError(429, 'rate_limited', `Too many new tasks; retry in ${secs} s`, { retry_after_seconds: secs }, { 'retry-after': String(secs) });
      }
      taken.push([bucket, id]);
    }
    const release = disk.reserve(declared);
    reply.raw.once('close', release);
  });
}
