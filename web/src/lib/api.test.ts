import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createI18n } from '../i18n/setup';
import { api, ApiFailure, describeError, getApiKey, setApiKey, withToken } from './api';

const en = createI18n('en').t;
const zh = createI18n('zh-CN').t;

// The node test environment has neither fetch to a gateway nor localStorage: stub both.
const store = new Map<string, string>();
const calls: Array<{ path: string; headers: Headers; body: unknown }> = [];
let reply: () => Response | Promise<Response>;

beforeEach(() => {
  store.clear();
  calls.length = 0;
  vi.stubGlobal('localStorage', { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => store.set(k, v), removeItem: (k: string) => store.delete(k) });
  vi.stubGlobal('fetch', async (path: string, init: RequestInit) => {
    calls.push({ path, headers: new Headers(init.headers), body: init.body });
    return reply();
  });
});
afterEach(() => vi.unstubAllGlobals());

describe('api client', () => {
  it('sends the saved key as a bearer token, and none without one', async () => {
    reply = () => Response.json({ ok: true });
    await api('/api/info');
    expect(calls[0].headers.get('authorization')).toBeNull();
    setApiKey('hgk_secret');
    expect(getApiKey()).toBe('hgk_secret');
    expect(await api('/api/info')).toEqual({ ok: true });
    expect(calls[1].headers.get('authorization')).toBe('Bearer hgk_secret');
    setApiKey('');
    expect(getApiKey()).toBe('');
  });
  it('puts the key in the query only for URLs the browser loads itself', () => {
    expect(withToken('/outputs/a.mp4')).toBe('/outputs/a.mp4');
    setApiKey('k&1');
    expect(withToken('/outputs/a.mp4')).toBe('/outputs/a.mp4?access_token=k%261');
    expect(withToken('/api/events?x=1')).toBe('/api/events?x=1&access_token=k%261');
  });
  it('marks JSON bodies as JSON and leaves form data to the browser', async () => {
    reply = () => Response.json({});
    await api('/api/normalize', { method: 'POST', body: JSON.stringify({ text: 'x' }) });
    expect(calls[0].headers.get('content-type')).toBe('application/json');
    await api('/api/generate', { method: 'POST', body: new FormData() });
    expect(calls[1].headers.get('content-type')).toBeNull();
  });
  it("turns the gateway's {error, code} into an ApiFailure with that code", async () => {
    reply = () => Response.json({ error: 'No text provided', code: 'text_missing' }, { status: 400 });
    const e = await api('/api/generate').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApiFailure);
    expect(e).toMatchObject({ status: 400, code: 'text_missing', message: 'No text provided' });
    // the rest of the body rides along for codes that carry details
    reply = () => Response.json({ error: 'Unsupported characters', code: 'unsupported_script', characters: [{ char: 'क', index: 0 }] }, { status: 422 });
    expect(await api('/api/generate').catch((x: unknown) => x)).toMatchObject({ code: 'unsupported_script', extra: { characters: [{ char: 'क', index: 0 }] } });
    reply = () => new Response('<html>bad gateway</html>', { status: 502 });
    expect(await api('/api/info').catch((x: unknown) => x)).toMatchObject({ status: 502, code: 'http_502' });
  });
  it('reports an unreachable gateway as code network, with a hint', async () => {
    reply = () => Promise.reject(new TypeError('fetch failed'));
    const e = await api('/api/info').catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'network' });
    expect(describeError(e, en)).toMatch(/^The gateway could not be reached \(network\) — Check that the gateway/);
    expect(describeError(e, zh)).toBe('无法连接到网关（network）— 请确认网关正在运行且可以访问。');
    expect(describeError(new ApiFailure(401, 'auth_required', 'API key required'), en)).toMatch(/^This gateway needs an API key \(auth_required\) — .*API key/);
    expect(describeError(new Error('boom'), en)).toBe('boom');
  });
});
