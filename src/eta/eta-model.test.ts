import { describe, expect, it } from 'vitest';
import type { Task } from '../domain/task.js';
import { EtaModel } from './eta-model.js';

const TEXT = 'x'.repeat(20); // 20 characters
const base: Task = {
  id: 't',
  seq: 1,
  state: 'queued',
  slotId: null,
  text: TEXT,
  normalizedText: TEXT,
  videoPath: null,
  videoName: null,
  referenceAudio: null,
  audioPath: null,
  audioDurationSec: null,
  outputPath: null,
  engineProgress: 0,
  renderSubmitted: false,
  engineData: null,
  errorCode: null,
  errorMessage: null,
  attempts: 0,
  attempt: 0,
  leaseToken: null,
  leaseHolder: null,
  leaseExpiresAt: null,
  availableAt: 0,
  owner: null,
  createdAt: 0,
  updatedAt: 0,
  startedAt: null,
  ttsStartedAt: null,
  ttsEndedAt: null,
  renderStartedAt: null,
  renderEndedAt: null,
  finishedAt: null,
  parentId: null,
  segmentIndex: null,
  segmentCount: null,
  captions: null,
  language: 'en',
  languageRequested: 'auto',
  checks: [],
  avoidSlots: [],
};

/** A finished task: 0.1 s preparing, 1 s TTS, 2 s speech rendered in 4 s (2 s/s), 0.5 s collecting. */
function finished(id: string, slotId: number, at: number): { task: Task; collectingAt: number } {
  const task: Task = {
    ...base,
    id,
    state: 'completed',
    slotId,
    audioDurationSec: 2,
    startedAt: at,
    ttsStartedAt: at + 100,
    ttsEndedAt: at + 1100,
    renderStartedAt: at + 1100,
    renderEndedAt: at + 5600,
    finishedAt: at + 5600,
  };
  return { task, collectingAt: at + 5100 };
}

describe('EtaModel', () => {
  const warm = (pipelining: boolean) => {
    const m = new EtaModel({ renderSecPerSpeechSec: 10, speechSecPerChar: 1, ttsSecPerChar: 1, overheadSec: 5, pipelining });
    for (let i = 0; i < 6; i++) {
      const f = finished(`f${i}`, i % 2, i * 10_000);
      m.observe(f.task, f.collectingAt);
    }
    return m;
  };

  it('learns speech length, TTS speed, per-slot render pace and the split at collecting', () => {
    const w = warm(true).work({ text: TEXT, normalizedText: TEXT, audioDurationSec: null }, 0);
    expect(w.tts).toBeCloseTo(1, 5);
    expect(w.render).toBeCloseTo(4, 5); // 2 s of speech (0.1 s/char) × 2 s/s
    expect(w.prep).toBeCloseTo(0.1, 5);
    expect(w.collect).toBeCloseTo(0.5, 5);
  });

  it('queued tasks: list scheduling onto the earliest free slot, pipelined or not', () => {
    const now = 1_000_000;
    const free = [{ slotId: 0, freeAt: now }, { slotId: 1, freeAt: now + 2000 }];
    const task = { ...base, id: 'q' };
    const on = warm(true);
    // Position 1: slot 0 is free; speech first (0.1 + 1 s), render 4 s, collect 0.5 s.
    expect(on.queuedEnd(task, 1, free, now)).toBeCloseTo(now + 5600, -1);
    // Position 2: slot 1 (free at +2 s) renders from +2 s: ends +6.5 s.
    expect(on.queuedEnd(task, 2, free, now)).toBeCloseTo(now + 6500, -1);
    // Position 3: slot 0 again, after the first one's render (+5.1 s): ends +9.6 s.
    expect(on.queuedEnd(task, 3, free, now)).toBeCloseTo(now + 9600, -1);
    const off = warm(false);
    // Without pipelining the slot holds the task from preparing to collecting (5.6 s each).
    expect(off.queuedEnd(task, 3, free, now)).toBeCloseTo(now + 11_200, -1);
  });

  it("a slot's timeline: the render left, then the pipelined next task; a range around the estimate", () => {
    const m = warm(true);
    const now = 2_000_000;
    const rendering = { ...base, id: 'r', state: 'rendering' as const, slotId: 0, audioDurationSec: 2, ttsEndedAt: now - 2000, renderStartedAt: now - 1000 };
    const next = { ...base, id: 'n', state: 'tts' as const, slotId: 0, ttsStartedAt: now - 500 };
    const line = m.slotTimeline(0, [next, rendering], now);
    expect(line.ends.get('r')).toBeCloseTo(now + 3500, -1); // 3 s of render left + 0.5 s collecting
    expect(line.freeAt).toBeCloseTo(now + 7000, -1); // the next renders from +3 s for 4 s
    expect(line.ends.get('n')).toBeCloseTo(now + 7500, -1);
    const r = m.range(now + 10_000, now);
    expect(r.seconds).toBe(10);
    expect(r.low).toBeLessThanOrEqual(10);
    expect(r.high).toBeGreaterThanOrEqual(10);
  });

  it('queued ETAs stay in queue order, the point strictly inside its range, texts of any length', () => {
    const m = warm(true);
    const now = 3_000_000;
    const timeline = m.queueTimeline([{ slotId: 0, freeAt: now }, { slotId: 1, freeAt: now + 9000 }], now);
    const long = { ...base, id: 'long', text: TEXT.repeat(8), normalizedText: TEXT.repeat(8) };
    const short = { ...base, id: 'short', text: 'Hi.', normalizedText: 'Hi.' };
    const last = { long: { seconds: 0, low: 0, high: 0 }, short: { seconds: 0, low: 0, high: 0 } };
    for (let pos = 1; pos <= 40; pos++) {
      for (const [name, task] of [['long', long], ['short', short]] as const) {
        const e = m.range(timeline.end(m, task, pos, now)!, now, { lo: 0.7, mid: 1.05, hi: 1.6 });
        expect(e.low).toBeLessThan(e.seconds);
        expect(e.seconds).toBeLessThan(e.high);
        expect(e.seconds).toBeGreaterThanOrEqual(last[name].seconds);
        expect(e.low).toBeGreaterThanOrEqual(last[name].low);
        expect(e.high).toBeGreaterThanOrEqual(last[name].high);
        last[name] = e;
      }
    }
    // the same position costs one lookup once the timeline reaches it, and agrees with queuedEnd
    expect(timeline.end(m, short, 7, now)).toBe(m.queuedEnd(short, 7, [{ slotId: 0, freeAt: now }, { slotId: 1, freeAt: now + 9000 }], now));
  });

  it('a range is never empty: at zero seconds left the point is still strictly inside', () => {
    const e = warm(true).range(1000, 2000);
    expect(e.low).toBeLessThan(e.seconds);
    expect(e.seconds).toBeLessThan(e.high);
  });
});
