import { describe, expect, it } from 'vitest';
import { computeStats, parseBucket, type StatRow } from './stats.js';

const H = 3_600_000;
const row = (p: Partial<StatRow>): StatRow => ({ state: 'completed', slotId: 0, errorCode: null, createdAt: 0, startedAt: null, ttsStartedAt: null, ttsEndedAt: null, renderStartedAt: null, renderEndedAt: null, finishedAt: null, ...p });

describe('computeStats on a seeded history with known answers', () => {
  const rows: StatRow[] = [
    // completed in hour 0: queue 10 s, tts 2 s, render 30 s, total 60 s; slot 0 busy 50 s
    row({ createdAt: 1000, startedAt: 11_000, ttsStartedAt: 12_000, ttsEndedAt: 14_000, renderStartedAt: 15_000, renderEndedAt: 45_000, finishedAt: 61_000 }),
    // completed in hour 1 on slot 1: queue 20 s, total 120 s; busy 100 s
    row({ slotId: 1, createdAt: H, startedAt: H + 20_000, ttsStartedAt: H + 20_000, ttsEndedAt: H + 24_000, renderStartedAt: H + 25_000, renderEndedAt: H + 85_000, finishedAt: H + 120_000 }),
    // failed in hour 1: tts_failed, slot 0 busy 5 s
    row({ state: 'failed', errorCode: 'tts_failed', createdAt: H, startedAt: H + 1000, finishedAt: H + 6000 }),
    // canceled while queued, never started
    row({ state: 'canceled', slotId: null, createdAt: H, finishedAt: H + 500 }),
    // outside the window
    row({ createdAt: 3 * H, startedAt: 3 * H, finishedAt: 3 * H + 1000 }),
    // a part of the first task's script (a segment): its render and slot time count, not its outcome
    row({ parentId: 'p', slotId: 1, createdAt: 1000, startedAt: 2000, ttsStartedAt: 2000, ttsEndedAt: 3000, renderStartedAt: 3000, renderEndedAt: 8000, finishedAt: 9000 }),
    row({ parentId: 'p', state: 'failed', errorCode: 'render_failed', slotId: 1, createdAt: 1000, startedAt: 9000, finishedAt: 10_000 }),
  ];
  const s = computeStats(rows, { from: 0, to: 2 * H, bucketMs: H, now: 2 * H, slots: [0, 1] });

  it('counts outcomes, rates and failures by code', () => {
    expect(s.totals).toEqual({ completed: 2, failed: 1, canceled: 1, success_rate: 0.6667 });
    expect(s.failures_by_code).toEqual({ tts_failed: { count: 1, rate: 0.3333 } });
  });
  it('buckets throughput', () => {
    expect(s.throughput.map((b) => [b.completed, b.failed, b.canceled])).toEqual([[1, 0, 0], [1, 1, 1]]);
  });
  it('computes percentiles of each phase', () => {
    expect(s.durations_seconds.queue).toEqual({ count: 2, p50: 15, p95: 19.5 });
    expect(s.durations_seconds.total.p50).toBe(90);
    expect(s.durations_seconds.render.count).toBe(3);
  });
  it('computes per-slot utilization in the window', () => {
    expect(s.slots['0'].busy_seconds).toBe(55);
    expect(s.slots['1'].utilization).toBeCloseTo(108 / 7200, 4);
  });
  it('parses buckets', () => {
    expect(parseBucket('5m')).toBe(300_000);
    expect(parseBucket('1d')).toBe(86_400_000);
    expect(parseBucket('soon')).toBeNull();
  });
});
