/**
 * Fuzz: random and malformed requests at every route (bounded). The server must answer each
 * with 2xx/3xx/4xx — never a 5xx, never a hang — with JSON errors, and keep serving afterwards.
 * (GET /api/events is a never-ending stream, so it is fuzzed only for its error paths.)
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestGateway } from './helpers/gateway.js';
import { scriptedGateway } from './helpers/scripted.js';

let t: TestGateway;
let authed: TestGateway;
let token = '';
let known = '';

beforeAll(async () => {
  ({ t } = await scriptedGateway({ limits: { maxTextChars: 200, maxUploadBytes: 4096 }, rateLimit: { submitsPerMinutePerIp: 0 } }, { slots: 2 }));
  const a = await scriptedGateway({ auth: { enabled: true } }, { keys: { reader: ['read'] } });
  authed = a.t;
  token = a.tokens.reader;
  known = (await t.app.inject({ method: 'POST', url: '/api/generate', headers: { 'content-type': 'application/json' }, payload: '{"text":"seed"}' })).json().task_id;
});
afterAll(async () => {
  await t?.close();
  await authed?.close();
});

const segment = fc.oneof(
  fc.constant('KNOWN'),
  fc.constantFrom('..', '../../etc/passwd', '%2e%2e%2f', 'x.mp4', '01kbx0000000000000000000000', '', 'null', '-1', '%00', '💥'),
  fc.string({ maxLength: 40 }),
  fc.stringMatching(/^[0-9a-z]{26}$/),
);
const routes = [
  '/api/generate',
  '/api/status/{}',
  '/api/tasks',
  '/api/tasks/{}/cancel',
  '/api/tasks/{}/retry',
  '/api/queue',
  '/api/download/{}',
  '/outputs/{}',
  '/outputs/{}.mp4',
  '/api/info',
  '/api/health',
  '/api/normalize',
  '/api/stats',
  '/metrics',
  '/docs/json',
  '/',
  '/{}',
  '/api/{}',
];
const query = fc.dictionary(
  fc.constantFrom('status', 'q', 'from', 'to', 'limit', 'offset', 'access_token', 'text', 'x'),
  fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('-1', '1e9', 'completed,bogus', '2020-13-45', 'NaN', '0')),
  { maxKeys: 4 },
);
const contentType = fc.constantFrom(
  undefined,
  'application/json',
  'multipart/form-data',
  'multipart/form-data; boundary=B',
  'text/plain',
  'application/x-www-form-urlencoded',
  'application/octet-stream',
);
const body = fc.oneof(
  fc.constant(undefined),
  fc.json({ maxDepth: 3 }).map((s) => s),
  fc.record({ text: fc.oneof(fc.string({ maxLength: 300 }), fc.integer(), fc.constant(null), fc.array(fc.string())) }).map((o) => JSON.stringify(o)),
  fc.uint8Array({ maxLength: 600 }).map((a) => Buffer.from(a)),
  fc.tuple(fc.string({ maxLength: 50 }), fc.uint8Array({ maxLength: 6000 })).map(([text, bytes]) =>
    Buffer.concat([
      Buffer.from(`--B\r\nContent-Disposition: form-data; name="text"\r\n\r\n${text}\r\n--B\r\nContent-Disposition: form-data; name="video"; filename="v.mp4"\r\n\r\n`),
      Buffer.from(bytes),
      Buffer.from(Math.random() < 0.5 ? '\r\n--B--\r\n' : ''),
    ]),
  ),
);

describe('fuzz every route', () => {
  it('answers random requests with non-5xx JSON and stays up', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'), fc.constantFrom(...routes), segment, query, contentType, body, async (method, route, seg, q, ct, payload) => {
        const s = seg === 'KNOWN' ? known : encodeURIComponent(seg);
        const url = route.replace('{}', s) + (Object.keys(q).length ? `?${new URLSearchParams(q)}` : '');
        const headers: Record<string, string> = ct ? { 'content-type': ct } : {};
        const res = await t.app.inject({ method: method as 'GET', url, headers, payload: method === 'GET' || method === 'HEAD' ? undefined : payload });
        expect(res.statusCode, `${method} ${url} [${ct}] → ${res.statusCode} ${res.body.slice(0, 200)}`).toBeLessThan(500);
        if (String(res.headers['content-type'] ?? '').includes('json') && method !== 'HEAD' && res.body) {
          const parsed = JSON.parse(res.body) as Record<string, unknown>;
          if (res.statusCode >= 400) expect(typeof parsed.code).toBe('string');
        }
        expect(res.body).not.toMatch(/\n\s+at .+:\d+:\d+|\/work\/main|node_modules/);
      }),
      { numRuns: 600 },
    );
    const events = await t.app.inject({ method: 'POST', url: '/api/events' });
    expect(events.statusCode).toBe(405);
    const health = await fetch(`${t.url}/api/health`);
    expect(health.status).toBe(200);
  }, 60_000);
});

describe('fuzz with auth on', () => {
  it('answers 401/403/404/4xx to random credentials, never a 5xx', async () => {
    const cred = fc.oneof(
      fc.constant(undefined),
      fc.constant(`Bearer ${token}`),
      fc.string({ maxLength: 80 }).map((x) => `Bearer ${x}`),
      fc.string({ maxLength: 80 }),
      fc.stringMatching(/^hgw_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/).map((x) => `Bearer ${x}`),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('GET', 'POST', 'DELETE'), fc.constantFrom(...routes), segment, cred, fc.boolean(), async (method, route, seg, auth, inQuery) => {
        const url = route.replace('{}', encodeURIComponent(seg)) + (inQuery ? `?access_token=${encodeURIComponent(token)}` : '');
        const headers: Record<string, string> = auth ? { authorization: auth.replace(/[^\x20-\x7e]/g, '') } : {};
        const res = await authed.app.inject({ method: method as 'GET', url, headers });
        expect(res.statusCode, `${method} ${url} → ${res.body.slice(0, 200)}`).toBeLessThan(500);
        if (res.statusCode === 401) expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
      }),
      { numRuns: 300 },
    );
  }, 60_000);
});
