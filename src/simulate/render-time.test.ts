import { describe, expect, it } from 'vitest';
import { describeRenderTimeModel, parseRenderTimeModel, sampleRenderMs, type RenderTimeModel } from './render-time.js';
import { seededRandom } from './serial-server.js';

const draw = (m: RenderTimeModel, n = 4000, seed = 7) => {
  const r = seededRandom(seed);
  return Array.from({ length: n }, () => sampleRenderMs(m, 3000, 2, r));
};
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('simulated render times', () => {
  it('fixed and proportional ignore the RNG', () => {
    expect(draw({ kind: 'fixed' }, 3)).toEqual([3000, 3000, 3000]);
    expect(draw({ kind: 'proportional', msPerSpeechSec: 900 }, 2)).toEqual([1800, 1800]);
  });
  it('uniform ±50 % stays in range with mean ≈ base', () => {
    const xs = draw({ kind: 'uniform', spread: 0.5 });
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(1500);
    expect(Math.max(...xs)).toBeLessThanOrEqual(4500);
    expect(mean(xs)).toBeGreaterThan(2900);
    expect(mean(xs)).toBeLessThan(3100);
  });
  it('long-tailed models have mean ≈ base and a tail far above it', () => {
    for (const m of [{ kind: 'lognormal', sigma: 0.6 }, { kind: 'pareto', alpha: 2.5 }] as RenderTimeModel[]) {
      const xs = draw(m, 20000);
      expect(mean(xs) / 3000).toBeGreaterThan(0.9);
      expect(mean(xs) / 3000).toBeLessThan(1.1);
      expect(Math.max(...xs)).toBeGreaterThan(2.5 * 3000);
    }
  });
  it('is reproducible for a seed and bounded by maxMs', () => {
    expect(draw({ kind: 'lognormal', sigma: 1 }, 5, 3)).toEqual(draw({ kind: 'lognormal', sigma: 1 }, 5, 3));
    const r = seededRandom(1);
    for (let i = 0; i < 1000; i++) expect(sampleRenderMs({ kind: 'pareto', alpha: 1.1 }, 3000, 1, r, 10_000)).toBeLessThanOrEqual(10_000);
  });
  it('parses and describes models', () => {
    expect(parseRenderTimeModel('uniform:0.5')).toEqual({ kind: 'uniform', spread: 0.5 });
    expect(parseRenderTimeModel('lognormal')).toEqual({ kind: 'lognormal', sigma: 0.6 });
    expect(describeRenderTimeModel(parseRenderTimeModel('proportional:900'))).toBe('proportional 900 ms/s');
    expect(() => parseRenderTimeModel('normal')).toThrow(/unknown render time model/);
  });
  it('a per-job fixed cost is added to every scaled draw, never noisy', () => {
    const m = parseRenderTimeModel('scaled:1000:0.3:3000');
    expect(m).toEqual({ kind: 'scaled', msPerSpeechSec: 1000, sigma: 0.3, jobMs: 3000 });
    expect(describeRenderTimeModel(m)).toBe('3000 ms a job + proportional 1000 ms/s × log-normal σ 0.3');
    const xs = draw(m, 20000);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(3000);
    expect(mean(xs) / (3000 + 2000)).toBeGreaterThan(0.97);
    expect(mean(xs) / (3000 + 2000)).toBeLessThan(1.03);
  });
});
