import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SpeechEngine, SpeechRequest } from '../engines/ports.js';
import { previewKey, SpeechPreview } from './speech-preview.js';

/** Writes `size` bytes per request and counts the calls. */
function engine(size: number): SpeechEngine & { calls: number; release?: () => void; gate?: Promise<void> } {
  const e = {
    kind: 'fake',
    calls: 0,
    gate: undefined as Promise<void> | undefined,
    async synthesize(r: SpeechRequest) {
      e.calls++;
      if (e.gate) await e.gate;
      writeFileSync(r.outPath, Buffer.alloc(size, 1));
      return { audioPath: r.outPath, durationSec: size / 1000 };
    },
    async health() {
      return true;
    },
  };
  return e;
}

const make = (e: SpeechEngine, maxCacheBytes: number, answers: string[] = []) => {
  const dir = mkdtempSync(join(tmpdir(), 'hg-sp-'));
  const sp = new SpeechPreview({ engine: e, dir, defaultVoice: '/ref.wav', maxCacheBytes, duration: async () => 1, onAnswer: (c) => void answers.push(c) });
  return { sp, dir };
};
const req = (text: string) => ({ text, language: 'en' as const, voice: null, signal: new AbortController().signal });

describe('SpeechPreview', () => {
  it('keys by everything that changes the sound', () => {
    const k = previewKey('preview', 'hi', 'en', 'default');
    expect(previewKey('preview', 'hi', 'zh', 'default')).not.toBe(k);
    expect(previewKey('preview', 'hi', 'en', 'abc')).not.toBe(k);
    expect(previewKey('heygem', 'hi', 'en', 'default')).not.toBe(k);
    expect(previewKey('preview', 'hi', 'en', 'default')).toBe(k);
  });

  it('synthesizes once, then answers from the cache', async () => {
    const e = engine(100);
    const answers: string[] = [];
    const { sp } = make(e, 10_000, answers);
    expect((await sp.speak(req('a'))).cached).toBe(false);
    expect((await sp.speak(req('a'))).cached).toBe(true);
    expect(e.calls).toBe(1);
    expect(answers).toEqual(['miss', 'hit']);
  });

  it('shares one synthesis between identical requests in flight', async () => {
    const e = engine(100);
    let release!: () => void;
    e.gate = new Promise((r) => (release = r));
    const { sp } = make(e, 10_000);
    const both = Promise.all([sp.speak(req('a')), sp.speak(req('a'))]);
    release();
    const [x, y] = await both;
    expect(e.calls).toBe(1);
    expect([x.cached, y.cached].sort()).toEqual([false, true]);
  });

  it('stays within its size: the least recently used file goes first', async () => {
    const e = engine(400);
    const { sp, dir } = make(e, 1000);
    const a = await sp.speak(req('a'));
    await new Promise((r) => setTimeout(r, 20)); // distinct mtimes
    const b = await sp.speak(req('b'));
    await new Promise((r) => setTimeout(r, 20));
    await sp.speak(req('a')); // a is used again: b is now the oldest
    await new Promise((r) => setTimeout(r, 20));
    const c = await sp.speak(req('c'));
    const files = readdirSync(dir).sort();
    expect(files).toEqual([`${a.key}.wav`, `${c.key}.wav`].sort());
    expect(files).not.toContain(`${b.key}.wav`);
  });

  it('names files only for well-formed keys', () => {
    const { sp } = make(engine(1), 1);
    expect(sp.fileOf('../x')).toBeNull();
    expect(sp.fileOf('a'.repeat(64))).toMatch(/a{64}\.wav$/);
  });

  it('on a node without a speech engine of its own, refuses with a 503-kind error instead of crashing', async () => {
    const sp = new SpeechPreview({ engine: null, dir: mkdtempSync(join(tmpdir(), 'hg-sp-')), defaultVoice: '/ref.wav', maxCacheBytes: 1024, duration: async () => 1 });
    await expect(sp.speak({ text: 'hi', language: 'en', voice: null, signal: new AbortController().signal })).rejects.toMatchObject({ code: 'speech_preview_unavailable', kind: 'unavailable' });
  });
});
