/**
 * The HTTP security layer end to end (inject + loopback): API keys and scopes, task ownership,
 * access_token for browser-loaded routes, CORS allowlist, security headers, rate limits and
 * quotas, disk guard, 405s.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config/load.js';
import { newTaskId } from '../src/domain/ids.js';
import { buildApp } from '../src/http/app.js';
import { waitFor } from './helpers/gateway.js';
import { bearer, scriptedGatewaysClosedAfterEach } from './helpers/scripted.js';

const gateway = scriptedGatewaysClosedAfterEach();

const json = (text: string) => ({ headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ text }) });

describe('API keys and ownership', () => {
  it('requires a valid key with the right scope; tasks are visible only to their owner or admin', async () => {
    const { t, tokens } = await gateway(
      { auth: { enabled: true }, rateLimit: { submitsPerMinutePerKey: 0 } },
      { keys: { alice: ['submit', 'read'], bob: ['submit', 'read'], reader: ['read'], root: ['admin'] }, script: { renderMs: 20 } },
    );
    const inject = t.app.inject.bind(t.app);
    const post = (token?: string) => inject({ method: 'POST', url: '/api/generate', headers: { 'content-type': 'application/json', ...(token ? bearer(token) : {}) }, payload: JSON.stringify({ text: 'hello' }) });
    const none = await post();
    expect(none.statusCode).toBe(401);
    expect(none.json()).toMatchObject({ code: 'auth_required' });
    expect(none.headers['www-authenticate']).toBe('Bearer');
    expect((await post('hgw_000000000000_' + 'x'.repeat(43))).json().code).toBe('auth_invalid');
    expect((await post(tokens.reader)).statusCode).toBe(403);
    const created = await post(tokens.alice);
    expect(created.statusCode).toBe(202);
    const id = created.json().task_id as string;
    expect((await t.gw.store.get(id))?.owner).toMatch(/^[0-9a-f]{12}$/);
    // public routes stay public
    expect((await inject({ url: '/api/health' })).statusCode).toBe(200);
    expect((await inject({ url: '/api/info' })).statusCode).toBe(200);
    // owner sees it, another key gets exactly the unknown-task answer, admin sees it
    expect((await inject({ url: `/api/status/${id}`, headers: bearer(tokens.alice) })).statusCode).toBe(200);
    const foreign = await inject({ url: `/api/status/${id}`, headers: bearer(tokens.bob) });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json()).toMatchObject({ status: 'not_found', code: 'task_not_found' });
    expect((await inject({ url: `/api/status/${id}`, headers: bearer(tokens.root) })).statusCode).toBe(200);
    expect((await inject({ method: 'POST', url: `/api/tasks/${id}/cancel`, headers: bearer(tokens.bob) })).statusCode).toBe(404);
    expect((await inject({ url: '/api/tasks', headers: bearer(tokens.bob) })).json().total).toBe(0);
    expect((await inject({ url: '/api/tasks', headers: bearer(tokens.alice) })).json().total).toBe(1);
    expect((await inject({ url: '/api/tasks', headers: bearer(tokens.root) })).json().total).toBe(1);
    await waitFor(async () => (await t.gw.store.get(id))?.state === 'completed');
    expect((await inject({ url: `/api/download/${id}`, headers: bearer(tokens.bob) })).statusCode).toBe(404);
    expect((await inject({ url: `/outputs/${id}.mp4`, headers: bearer(tokens.bob) })).statusCode).toBe(404);
    // <video src> and EventSource cannot send headers: ?access_token= works on those GET routes only
    expect((await inject({ url: `/api/download/${id}?access_token=${tokens.alice}` })).statusCode).toBe(200);
    expect((await inject({ url: `/outputs/${id}.mp4?access_token=${tokens.alice}` })).statusCode).toBe(200);
    expect((await inject({ url: `/api/status/${id}?access_token=${tokens.alice}` })).statusCode).toBe(401);
  });

  it('streams only the key’s own task events over SSE with ?access_token=', async () => {
    const { t, tokens } = await gateway({ auth: { enabled: true } }, { keys: { alice: ['submit', 'read'], bob: ['submit', 'read'] } });
    const ctrl = new AbortController();
    const res = await fetch(`${t.url}/api/events?access_token=${tokens.bob}`, { signal: ctrl.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const reader = res.body!.getReader();
    let text = '';
    const reading = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        text += Buffer.from(value).toString();
      }
    })().catch(() => undefined);
    const a = await fetch(`${t.url}/api/generate`, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(tokens.alice) }, body: JSON.stringify({ text: 'alice' }) });
    const b = await fetch(`${t.url}/api/generate`, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(tokens.bob) }, body: JSON.stringify({ text: 'bob' }) });
    const aId = ((await a.json()) as { task_id: string }).task_id;
    const bId = ((await b.json()) as { task_id: string }).task_id;
    await waitFor(async () => text.includes(bId) && text.includes('"completed"'));
    expect(text).not.toContain(aId);
    expect((await fetch(`${t.url}/api/events`)).status).toBe(401);
    ctrl.abort();
    await reading;
  });

  it('refuses to build an authenticated app without any key; auto mode is open on loopback', async () => {
    const { t } = await gateway({});
    expect((await t.app.inject({ method: 'POST', url: '/api/generate', ...json('hi') })).statusCode).toBe(202);
    const strict = { ...t.gw, config: { ...t.gw.config, auth: { enabled: true as const } } };
    await expect(buildApp(strict)).rejects.toThrow(/keys create/);
    const wide = { ...t.gw, config: { ...t.gw.config, server: { ...t.gw.config.server, host: '0.0.0.0' } } };
    await expect(buildApp(wide)).rejects.toThrow(/beyond loopback/);
  });
});

describe('browser-facing headers', () => {
  it('sets security headers everywhere and CORS only for allowlisted origins', async () => {
    const { t } = await gateway({ server: { corsOrigins: ['https://app.example.com'] } });
    for (const url of ['/api/info', '/api/status/nope', '/no/such/route', '/']) {
      const r = await t.app.inject({ url });
      expect(r.headers['x-content-type-options'], url).toBe('nosniff');
      expect(r.headers['x-frame-options'], url).toBe('DENY');
      expect(r.headers['referrer-policy'], url).toBe('no-referrer');
      expect(String(r.headers['content-security-policy']), url).toMatch(/frame-ancestors 'none'/);
    }
    const ok = await t.app.inject({ url: '/api/info', headers: { origin: 'https://app.example.com' } });
    expect(ok.headers['access-control-allow-origin']).toBe('https://app.example.com');
    const bad = await t.app.inject({ url: '/api/info', headers: { origin: 'https://evil.example' } });
    expect(bad.headers['access-control-allow-origin']).toBeUndefined();
    const pre = await t.app.inject({ method: 'OPTIONS', url: '/api/generate', headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST' } });
    expect(pre.statusCode).toBe(204);
    expect(pre.headers['access-control-allow-headers']).toMatch(/Authorization/);
    const preBad = await t.app.inject({ method: 'OPTIONS', url: '/api/generate', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(preBad.statusCode).toBe(403);
  });

  it('answers an unsupported method with 405 and Allow', async () => {
    const { t } = await gateway({});
    const r = await t.app.inject({ method: 'DELETE', url: '/api/generate' });
    expect(r.statusCode).toBe(405);
    expect(r.headers.allow).toContain('POST');
    expect(r.json().code).toBe('method_not_allowed');
    const s = await t.app.inject({ method: 'PUT', url: '/api/status/abc' });
    expect(s.statusCode).toBe(405);
    expect(s.headers.allow).toContain('GET');
  });
});

describe('guards on new work', () => {
  it('rate-limits submits per key with Retry-After, and caps active tasks per key', async () => {
    const { t, tokens } = await gateway(
      { auth: { enabled: true }, rateLimit: { submitsPerMinutePerKey: 2, maxActiveTasksPerKey: 100 } },
      { keys: { a: ['submit', 'read'], b: ['submit', 'read'] } },
    );
    const post = (tok: string) => t.app.inject({ method: 'POST', url: '/api/generate', headers: { 'content-type': 'application/json', ...bearer(tok) }, payload: '{"text":"x"}' });
    expect((await post(tokens.a)).statusCode).toBe(202);
    expect((await post(tokens.a)).statusCode).toBe(202);
    const limited = await post(tokens.a);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().code).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect((await post(tokens.b)).statusCode).toBe(202);

    const q = await gateway(
      { auth: { enabled: true }, rateLimit: { submitsPerMinutePerKey: 0, maxActiveTasksPerKey: 2 } },
      { keys: { a: ['submit', 'read'] }, script: { ttsMs: 5000 } },
    );
    const postQ = () => q.t.app.inject({ method: 'POST', url: '/api/generate', headers: { 'content-type': 'application/json', ...bearer(q.tokens.a) }, payload: '{"text":"x"}' });
    expect((await postQ()).statusCode).toBe(202);
    expect((await postQ()).statusCode).toBe(202);
    const over = await postQ();
    expect(over.statusCode).toBe(429);
    expect(over.json().code).toBe('quota_exceeded');
  });

  it('rate-limits per IP (loopback exemption off)', async () => {
    const { t } = await gateway({ rateLimit: { submitsPerMinutePerIp: 1, exemptLoopback: false } });
    expect((await t.app.inject({ method: 'POST', url: '/api/generate', ...json('a') })).statusCode).toBe(202);
    const r = await t.app.inject({ method: 'POST', url: '/api/generate', ...json('b') });
    expect(r.statusCode).toBe(429);
    expect(r.headers['retry-after']).toBeDefined();
  });

  it('refuses new work with 507 when free disk space is below the threshold', async () => {
    const { t } = await gateway({ limits: { minFreeDiskBytes: Number.MAX_SAFE_INTEGER } });
    const r = await t.app.inject({ method: 'POST', url: '/api/generate', ...json('a') });
    expect(r.statusCode).toBe(507);
    expect(r.json().code).toBe('insufficient_storage');
    expect(r.json().error).toMatch(/free disk space/);
    expect((await t.gw.store.list({})).total).toBe(0);
    expect((await t.app.inject({ url: '/api/info' })).statusCode).toBe(200); // reads still work
  });

  it('refuses library uploads and runner result uploads with the same 507 when the disk is below the threshold, before reading them', async () => {
    const { t, tokens } = await gateway({ limits: { minFreeDiskBytes: Number.MAX_SAFE_INTEGER } }, { keys: { gpu: ['runner'] } });
    const multipart = (name: string) => {
      const boundary = 'hgboundary';
      const payload = `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="x.bin"\r\nContent-Type: application/octet-stream\r\n\r\nxxxx\r\n--${boundary}--\r\n`;
      return { 'content-type': `multipart/form-data; boundary=${boundary}`, payload };
    };
    const post = (url: string, field: string, headers: Record<string, string> = {}) => {
      const { payload, ...h } = multipart(field);
      return t.app.inject({ method: 'POST', url, headers: { ...h, ...headers }, payload });
    };
    for (const [url, field, headers] of [
      ['/api/avatars', 'video', {}],
      ['/api/voices', 'audio', {}],
      [`/api/runners/v1/jobs/${newTaskId()}/success`, 'video', { ...bearer(tokens.gpu), 'x-job-attempt': '1', 'x-job-token': 'a'.repeat(32) }],
    ] as const) {
      const r = await post(url, field, headers);
      expect(r.statusCode, url).toBe(507);
      expect(r.json(), url).toMatchObject({ code: 'insufficient_storage', error: expect.stringMatching(/free disk space/) });
    }
    // The runner's token is still checked first: no token, no disk answer.
    expect((await post(`/api/runners/v1/jobs/${newTaskId()}/success`, 'video')).statusCode).toBe(401);
  });
});

describe('security settings', () => {
  it('have safe defaults and reject a wildcard CORS origin, naming the key', () => {
    const c = loadConfig({ env: {} as NodeJS.ProcessEnv, inline: {} });
    expect(c.auth.enabled).toBe('auto');
    expect(c.server.corsOrigins).toEqual([]);
    expect(c.server.shutdownGraceMs).toBe(10_000);
    expect(c.limits.minFreeDiskBytes).toBe(1024 ** 3);
    expect(c.fileRetention.outputsMaxAgeMs).toBe(0);
    expect(() => loadConfig({ env: {} as NodeJS.ProcessEnv, inline: { server: { corsOrigins: ['*'] } } })).toThrow(ConfigError);
    expect(() => loadConfig({ env: {} as NodeJS.ProcessEnv, inline: { server: { corsOrigins: ['*'] } } })).toThrow(/server\.corsOrigins\[0\]/);
    expect(() => loadConfig({ env: {} as NodeJS.ProcessEnv, inline: { auth: { enabled: 'yes' } } })).toThrow(/auth\.enabled/);
  });
});
