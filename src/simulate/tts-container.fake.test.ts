import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseWavHeader } from '../media/wav.js';
import { startFakeTtsContainer, toneWav, type FakeTtsContainer } from './tts-container.fake.js';

let fake: FakeTtsContainer | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});

async function setup() {
  const dataDir = mkdtempSync(join(tmpdir(), 'fake-tts-'));
  mkdirSync(join(dataDir, 'reference'));
  writeFileSync(join(dataDir, 'reference', 'r.wav'), toneWav(1));
  fake = await startFakeTtsContainer({ dataDir, fixedMs: 10 });
  return { dataDir, url: fake.url };
}

const invoke = (url: string, body: Record<string, unknown>) =>
  fetch(`${url}/v1/invoke`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const good = { text: 'hello world', format: 'wav', top_p: 0.7, max_new_tokens: 1024, chunk_length: 100, repetition_penalty: 1.2, temperature: 0.7, streaming: false, is_norm: 1, reference_audio: '/code/data/reference/r.wav', reference_text: '' };

describe('fake TTS container', () => {
  it('returns raw PCM16 44.1 kHz mono WAV bytes', async () => {
    const { url } = await setup();
    const res = await invoke(url, good);
    expect(res.status).toBe(200);
    const info = parseWavHeader(Buffer.from(await res.arrayBuffer()));
    expect(info).toMatchObject({ sampleRate: 44100, channels: 1, bitsPerSample: 16 });
    expect(info!.durationSec).toBeCloseTo(0.66, 1);
  });

  it('validates like the real server', async () => {
    const { url } = await setup();
    expect(await (await invoke(url, { ...good, chunk_length: 50 })).json()).toMatchObject({ statusCode: 400 });
    expect((await invoke(url, { ...good, reference_audio: '/home/me/r.wav' })).status).toBe(500);
    expect(await (await invoke(url, { ...good, text: '' })).json()).toHaveProperty('message');
  });

  it('can fail with 500, a tiny WAV, and answers health', async () => {
    const { url } = await setup();
    fake!.setOptions({ failRate: 1, failMode: '500' });
    expect((await invoke(url, good)).status).toBe(500);
    fake!.setOptions({ failMode: 'tiny' });
    expect(parseWavHeader(Buffer.from(await (await invoke(url, good)).arrayBuffer()))?.durationSec).toBe(0);
    expect(await (await fetch(`${url}/v1/health`, { method: 'POST' })).json()).toEqual({ status: 'ok' });
  });

  it('preprocess transcribes and deletes the uploaded original', async () => {
    const { dataDir, url } = await setup();
    const res = await fetch(`${url}/v1/preprocess_and_tran`, { method: 'POST', body: JSON.stringify({ format: 'wav', reference_audio: 'reference/r.wav', lang: 'en' }) });
    const j = (await res.json()) as Record<string, string>;
    expect(j.code).toBe(0);
    expect(j.reference_audio_text).toContain('|||');
    expect(existsSync(join(dataDir, 'reference', 'r.wav'))).toBe(false);
    expect(existsSync(join(dataDir, j.asr_format_audio_url.replace('/code/data/', '')))).toBe(true);
  });
});
