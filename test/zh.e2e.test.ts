/**
 * Chinese end to end on the preview engine, as a user runs it: the CLI `serve` on the embedded
 * defaults, the e-commerce line submitted with burned captions, then status, speech, captions
 * and the MP4's pixels over real HTTP. It completes in Chinese: detected language zh, speech
 * text with no Arabic digits, read by espeak-ng's Mandarin voice, captions cut into cues of at
 * most 2 lines of 16 full-width characters, burned in glyphs (not boxes).
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cellWidth } from '../src/segments/cjk-lines.js';
import { PREVIEW_VOICES } from '../src/engines/preview/preview.engines.js';
import { runProcess } from '../src/media/process.js';
import { grayFrame, ground, readableCaptions } from './helpers/caption-pixels.js';
import { waitFinal } from './helpers/gateway.js';
import { startServeOnDefaults } from './helpers/process.js';

const run = promisify(execFile);
const ECOMMERCE = '这款手机售价2999元，比去年便宜了20%。现在下单，3天内发货！';
let url = '';
let dataDir = '';
let stop: () => Promise<void> = async () => undefined;

beforeAll(async () => {
  ({ url, dataDir, stop } = await startServeOnDefaults('hg-zh-e2e-'));
}, 40000);

afterAll(() => stop());

const seconds = async (file: string) => Number((await run('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file])).stdout);

/** SRT → cues of [start s, end s, lines]. */
function parseSrt(srt: string): Array<{ start: number; end: number; lines: string[] }> {
  const t = (s: string) => s.split(/[:,]/).map(Number).reduce((acc, v, i) => acc + v * [3600, 60, 1, 0.001][i], 0);
  return srt
    .trim()
    .split(/\n\n+/)
    .map((block) => {
      const [, times, ...lines] = block.split('\n');
      const [a, b] = times.split(' --> ');
      return { start: t(a), end: t(b), lines };
    });
}

describe('a Chinese script on the preview engine', () => {
  let id = '';
  let status: Record<string, any> = {};

  it('completes in Chinese', async () => {
    const form = new FormData();
    form.set('text', ECOMMERCE);
    form.set('captions', 'burn');
    const res = await fetch(`${url}/api/generate`, { method: 'POST', body: form });
    const body = (await res.json()) as Record<string, any>;
    expect(res.status, JSON.stringify(body)).toBe(202);
    expect(body.language).toBe('zh');
    id = body.task_id;
    status = await waitFinal(url, id, 120_000);
    expect(status.status, JSON.stringify(status)).toBe('completed');
    expect(status).toMatchObject({ language: 'zh', language_requested: 'auto', input_text: ECOMMERCE });
    // the voice reads Chinese numerals, not digits or English number words
    expect(status.normalized_text).not.toMatch(/[0-9]/);
    expect(status.normalized_text).not.toMatch(/[a-z]{3,}/i);
    expect(status.normalized_text).toContain('两千九百九十九元');
    expect(status.normalized_text).toContain('百分之二十');
  });

  it('is spoken by the Mandarin voice', async () => {
    const wav = join(dataDir, 'speech.wav');
    writeFileSync(wav, Buffer.from(await (await fetch(`${url}${status.generated_audio_url}`)).arrayBuffer()));
    const spoken = await seconds(wav);
    // the same text through espeak-ng with the Mandarin voice takes the same time; the English voice far longer
    const say = async (voice: { name: string; wordsPerMinute: number }, name: string) => {
      const out = join(dataDir, `${name}.wav`);
      await runProcess('espeak-ng', ['-v', voice.name, '-s', String(voice.wordsPerMinute), '-w', out, '--stdin'], { input: status.normalized_text });
      return seconds(out);
    };
    const mandarin = await say(PREVIEW_VOICES.zh, 'mandarin');
    const english = await say(PREVIEW_VOICES.en, 'english');
    expect(Math.abs(spoken - mandarin)).toBeLessThan(0.05);
    expect(english).toBeGreaterThan(spoken + 2);
    // a sane pace for 38 spoken characters: between 3 and 6 characters a second
    const chars = [...status.normalized_text.replace(/[，。！？\s]/g, '')].length;
    expect(chars / spoken).toBeGreaterThan(3);
    expect(chars / spoken).toBeLessThan(6);
  });

  it('has captions in cues of at most 2 lines of 16 full-width characters, burned as readable glyphs', async () => {
    const srt = await (await fetch(`${url}/api/tasks/${id}/captions.srt`)).text();
    const cues = parseSrt(srt);
    expect(cues.length).toBeGreaterThanOrEqual(2);
    for (const c of cues) {
      expect(c.lines.length).toBeLessThanOrEqual(2);
      for (const l of c.lines) expect(cellWidth(l)).toBeLessThanOrEqual(16);
    }
    expect(cues.map((c) => c.lines.join('')).join('')).toBe(ECOMMERCE);
    // timed from the speech: back to back over its whole length
    expect(cues[0].start).toBe(0);
    for (let i = 1; i < cues.length; i++) expect(cues[i].start).toBeCloseTo(cues[i - 1].end, 2);
    // the bottom of the frame (below the face) during the first and the second cue: two different captions in real glyphs
    const mp4 = join(dataDir, 'out.mp4');
    writeFileSync(mp4, Buffer.from(await (await fetch(`${url}/api/download/${id}`)).arrayBuffer()));
    const size = { width: 640, height: 480, fromRow: 400 };
    const a = await grayFrame(mp4, (cues[0].start + cues[0].end) / 2, size);
    const b = await grayFrame(mp4, (cues[1].start + cues[1].end) / 2, size);
    expect(readableCaptions(a, b, ground(a))).toMatchObject({ ok: true });
  });
});
