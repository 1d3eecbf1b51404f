/**
 * POST /api/speech-preview on the preview engine (real espeak-ng and ffprobe, loopback): the
 * speech of a text as a WAV the browser can play, the second identical request answered from
 * the cache and counted in /metrics, and generate's text checks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from './helpers/gateway.js';
import { bearer, scriptedGateway } from './helpers/scripted.js';

let t: TestGateway;

beforeAll(async () => {
  t = await startTestGateway({ scheduler: { enabled: false }, checks: { face: 'off' } });
});
afterAll(async () => {
  await t?.close();
});

const preview = (body: Record<string, unknown>) =>
  fetch(`${t.url}/api/speech-preview`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

const metric = async (cache: string): Promise<number> => {
  const text = await (await fetch(`${t.url}/metrics`)).text();
  const m = new RegExp(`^heygem_gateway_speech_preview_total\\{cache="${cache}"\\} (\\d+)`, 'm').exec(text);
  return m ? Number(m[1]) : 0;
};

describe('POST /api/speech-preview', () => {
  it('speaks the normalized text as a WAV, then answers the same request from the cache', async () => {
    const first = await preview({ text: 'Gate C22 costs $5.', language: 'en' });
    expect(first.status).toBe(200);
    const a = (await first.json()) as Record<string, unknown>;
    expect(a).toMatchObject({ normalized_text: 'Gate C twenty-two costs five dollars.', language: 'en', language_requested: 'en', cached: false });
    expect(a.duration_sec).toBeGreaterThan(0.5);
    expect(a.audio_url).toMatch(/^\/api\/speech-preview\/[0-9a-f]{64}\.wav$/);

    const wav = await fetch(`${t.url}${a.audio_url as string}`);
    expect(wav.status).toBe(200);
    expect(wav.headers.get('content-type')).toBe('audio/wav');
    const bytes = Buffer.from(await wav.arrayBuffer());
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('RIFF');
    expect(bytes.subarray(8, 12).toString('latin1')).toBe('WAVE');
    expect(bytes.length).toBeGreaterThan(1000);

    const [hitsBefore, missesBefore] = [await metric('hit'), await metric('miss')];
    const again = await preview({ text: '  Gate C22 costs $5.\n', language: 'en' });
    const b = (await again.json()) as Record<string, unknown>;
    expect(b).toMatchObject({ cached: true, audio_url: a.audio_url, duration_sec: a.duration_sec });
    expect(await metric('hit')).toBe(hitsBefore + 1);
    expect(await metric('miss')).toBe(missesBefore);
  });

  it('keys the cache by language: the same words in another language are spoken anew', async () => {
    const en = (await (await preview({ text: '你好 world', language: 'en' })).json()) as Record<string, unknown>;
    const zh = (await (await preview({ text: '你好 world', language: 'zh' })).json()) as Record<string, unknown>;
    expect(zh.language).toBe('zh');
    expect(zh.cached).toBe(false);
    expect(zh.audio_url).not.toBe(en.audio_url);
  });

  it('refuses what generate refuses, with the same codes', async () => {
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [{ text: '   ' }, 400, 'text_missing'],
      [{ text: 'hi', language: 'fr' }, 400, 'language_invalid'],
      [{ text: 'hello 안녕하세요' }, 422, 'unsupported_script'],
      [{ text: 'hello', voice_id: 'vo_doesnotexist' }, 404, 'voice_not_found'],
      [{ text: 'x'.repeat(t.gw.config.limits.maxTextChars + 1) }, 400, 'text_too_long'],
    ];
    for (const [body, status, code] of cases) {
      const r = await preview(body);
      expect([r.status, ((await r.json()) as { code: string }).code]).toEqual([status, code]);
    }
  });

  it('serves only cache keys: anything else is a 404', async () => {
    for (const name of ['abc.wav', '..gateway.db', `${'0'.repeat(64)}.wav`]) {
      const r = await fetch(`${t.url}/api/speech-preview/${name}`);
      expect(r.status).toBe(404);
    }
    // an encoded slash never reaches the route (http/request-path.ts)
    expect((await fetch(`${t.url}/api/speech-preview/..%2Fgateway.db`)).status).toBe(400);
  });
});

describe('POST /api/speech-preview under the submit guards', () => {
  it('is rate-limited per key like a submit (429 rate_limited with Retry-After); another key still listens', async () => {
    const { t: g, tokens } = await scriptedGateway({ auth: { enabled: true }, rateLimit: { submitsPerMinutePerKey: 2 } }, { keys: { a: ['submit', 'read'], b: ['submit', 'read'] } });
    try {
      const ask = (token: string) => fetch(`${g.url}/api/speech-preview`, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(token) }, body: JSON.stringify({ text: 'Gate C22 costs $5.' }) });
      for (let i = 0; i < 2; i++) expect((await ask(tokens.a)).status).toBe(200);
      const limited = await ask(tokens.a);
      expect(limited.status).toBe(429);
      expect(((await limited.json()) as { code: string }).code).toBe('rate_limited');
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect((await ask(tokens.b)).status).toBe(200);
    } finally {
      await g.close();
    }
  });
});
