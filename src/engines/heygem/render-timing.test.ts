import { describe, expect, it } from 'vitest';
import { containerFinishedAt, hangAfterMs, judgeRender, nextPollDelay, renderCapMs, RenderPaceEstimator } from './render-timing.js';

const limits = { hangFactor: 4, hangMinMs: 120_000, defaultSecPerSpeechSec: 3, renderTimeoutMs: 900_000 };

describe('poll pacing', () => {
  const base = { pollMs: 100, minPollMs: 25, finishing: false, progress: 20 };
  it('never waits longer than the fixed interval, whatever the estimate says', () => {
    expect(nextPollDelay({ ...base, elapsedMs: 0, expectedMs: 600_000 })).toBe(100);
    expect(nextPollDelay({ ...base, elapsedMs: 500_000, expectedMs: null })).toBe(100);
    expect(nextPollDelay({ ...base, elapsedMs: 0, expectedMs: null })).toBe(100);
  });
  it('polls faster near the expected finish and once the finish is signalled', () => {
    expect(nextPollDelay({ ...base, elapsedMs: 2900, expectedMs: 3000 })).toBe(33);
    expect(nextPollDelay({ ...base, elapsedMs: 4000, expectedMs: 3000 })).toBe(25);
    expect(nextPollDelay({ ...base, elapsedMs: 10, expectedMs: 600_000, finishing: true })).toBe(25);
    expect(nextPollDelay({ ...base, elapsedMs: 10, expectedMs: 600_000, progress: 90 })).toBe(25);
  });
  it('keeps minPollMs ≤ pollMs when misconfigured', () => {
    expect(nextPollDelay({ ...base, pollMs: 20, minPollMs: 50, elapsedMs: 0, expectedMs: null, finishing: true })).toBe(20);
  });
});

describe('hang judgement (liveness against expected time, not progress)', () => {
  it('uses the learned expectation × factor, floored and capped', () => {
    expect(hangAfterMs(limits, 60, 100_000)).toBe(400_000);
    expect(hangAfterMs(limits, 5, 10_000)).toBe(120_000);
    expect(hangAfterMs(limits, 600, 1_000_000)).toBe(900_000);
  });
  it('falls back to the default pace before any history', () => {
    expect(hangAfterMs(limits, 20, null)).toBe(240_000);
    expect(hangAfterMs(limits, 0, null)).toBe(120_000);
  });
  it('an 11-minute render with flat progress is alive while it is within 4× its expectation', () => {
    expect(judgeRender(660_000, { ...limits, renderTimeoutMs: 3_600_000 }, 120, 300_000)).toEqual({ kind: 'ok' });
    expect(judgeRender(1_300_000, { ...limits, renderTimeoutMs: 3_600_000 }, 120, 300_000)).toEqual({ kind: 'hung', limitMs: 1_200_000 });
  });
  it('the absolute cap wins', () => {
    expect(judgeRender(900_001, limits, 600, 1_000_000)).toEqual({ kind: 'timeout', limitMs: 900_000 });
  });
  it('the cap grows with the speech asked for when a per-second allowance is set', () => {
    const scaled = { ...limits, renderTimeoutPerSpeechSecMs: 15_000 };
    expect(renderCapMs(scaled, 30)).toBe(900_000); // short speech: the cap itself
    expect(renderCapMs(scaled, 120)).toBe(1_800_000);
    expect(judgeRender(900_001, scaled, 600, 1_000_000)).toEqual({ kind: 'ok' }); // over the fixed cap, within the scaled one
    expect(judgeRender(9_000_001, scaled, 600, 10_000_000)).toEqual({ kind: 'timeout', limitMs: 9_000_000 });
    expect(hangAfterMs(scaled, 600, 1_000_000)).toBe(4_000_000);
  });
});

describe('pace learning', () => {
  it('estimates the container-side finish halfway between the last running and the first done answer', () => {
    expect(containerFinishedAt(1000, 1100)).toBe(1050);
    expect(containerFinishedAt(1000, 900)).toBe(1000);
  });
  it('learns a mean for pacing and keeps recent extremes for hang limits', () => {
    const e = new RenderPaceEstimator(0.5, 3);
    expect(e.expectedMs(10)).toBeNull();
    expect(e.upperMs(10)).toBeNull();
    e.observe(20_000, 10);
    e.observe(40_000, 10);
    expect(e.expectedMs(10)).toBe(30_000);
    expect(e.upperMs(10)).toBe(40_000);
    e.observe(0, 10);
    e.observe(10_000, 0);
    expect(e.expectedMs(10)).toBe(30_000);
    for (let i = 0; i < 3; i++) e.observe(10_000, 10);
    expect(e.upperMs(10)).toBeCloseTo(e.expectedMs(10)!, 6); // the 40 s render left the window
  });
});
