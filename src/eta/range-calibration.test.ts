import { describe, expect, it } from 'vitest';
import { RangeCalibration } from './range-calibration.js';
import { seededRandom } from '../simulate/serial-server.js';

describe('RangeCalibration', () => {
  it('learns the 10th/50th/90th percentile of actual ÷ estimated time left, per kind', () => {
    const c = new RangeCalibration({ everyMs: 0, minRatios: 10 });
    expect(c.bounds('queued')).toBeNull();
    for (let i = 0; i < 100; i++) {
      c.remember(`t${i}`, 'queued', 0, 10_000);
      c.ended(`t${i}`, 5_000 + i * 100); // actual 5 s … 14.9 s for an estimate of 10 s
    }
    const b = c.bounds('queued')!;
    expect(b.lo).toBeCloseTo(0.6, 1);
    expect(b.mid).toBeCloseTo(1.0, 1);
    expect(b.hi).toBeCloseTo(1.4, 1);
    expect(c.bounds('held')).toBeNull();
  });

  it('remembers one estimate per task per interval, skips estimates with less than minLeftMs left, forgets failures', () => {
    const c = new RangeCalibration({ everyMs: 1000, minRatios: 1, minLeftMs: 1000 });
    c.remember('a', 'held', 0, 4000);
    c.remember('a', 'held', 500, 2000); // within the interval: ignored
    c.remember('a', 'held', 3500, 4000); // 0.5 s left: not learned from
    c.ended('a', 8000);
    expect(c.bounds('held')).toEqual({ lo: 2, mid: 2, hi: 2 });
    c.remember('b', 'held', 0, 1000);
    c.forget('b');
    c.ended('b', 50_000);
    expect(c.bounds('held')).toEqual({ lo: 2, mid: 2, hi: 2 });
  });

  it('an 80 % range learned on heavy-tailed draws covers about 80 % of new ones', () => {
    const random = seededRandom(7);
    const pareto = () => 1 / Math.pow(1 - random(), 1 / 2.5); // mean 5/3
    const c = new RangeCalibration({ everyMs: 0, keep: 2000 });
    for (let i = 0; i < 2000; i++) {
      c.remember(`t${i}`, 'held', 0, 10_000);
      c.ended(`t${i}`, 6000 * pareto());
    }
    const b = c.bounds('held')!;
    let inside = 0;
    for (let i = 0; i < 2000; i++) {
      const r = (6000 * pareto()) / 10_000;
      if (r >= b.lo && r <= b.hi) inside++;
    }
    expect(inside / 2000).toBeGreaterThan(0.75);
    expect(inside / 2000).toBeLessThan(0.85);
  });
});
