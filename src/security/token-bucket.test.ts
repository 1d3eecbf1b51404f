import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TokenBuckets } from './token-bucket.js';

function clock(start = 1_000_000) {
  const c = { t: start, now: () => c.t };
  return c;
}

describe('TokenBuckets', () => {
  it('allows a burst up to capacity, then refuses with the exact wait', () => {
    const c = clock();
    const tb = new TokenBuckets({ capacity: 3, refillPerSec: 1 }, c);
    expect(tb.take('a')).toEqual({ ok: true, remaining: 2 });
    expect(tb.take('a').ok).toBe(true);
    expect(tb.take('a').ok).toBe(true);
    expect(tb.take('a')).toEqual({ ok: false, retryAfterMs: 1000 });
    c.t += 400;
    expect(tb.take('a')).toEqual({ ok: false, retryAfterMs: 600 });
    c.t += 600;
    expect(tb.take('a').ok).toBe(true);
  });

  it('keeps clients apart and refills up to capacity only', () => {
    const c = clock();
    const tb = TokenBuckets.perMinute(2, c);
    tb.take('a');
    tb.take('a');
    expect(tb.take('a').ok).toBe(false);
    expect(tb.take('b').ok).toBe(true);
    c.t += 10 * 60_000;
    expect(tb.take('a')).toEqual({ ok: true, remaining: 1 });
  });

  it('refunds, and never exceeds capacity by refunding', () => {
    const c = clock();
    const tb = new TokenBuckets({ capacity: 1, refillPerSec: 0.001 }, c);
    expect(tb.take('a').ok).toBe(true);
    tb.refund('a');
    expect(tb.take('a').ok).toBe(true);
    tb.refund('a');
    tb.refund('a');
    expect(tb.take('a').ok).toBe(true);
    expect(tb.take('a').ok).toBe(false);
  });

  it('bounds memory by evicting the least recently used client', () => {
    const c = clock();
    const tb = new TokenBuckets({ capacity: 1, refillPerSec: 1 }, c, 100);
    for (let i = 0; i < 1000; i++) tb.take(`ip${i}`);
    expect(tb.size).toBe(100);
  });

  it('a request larger than capacity can never pass', () => {
    const tb = new TokenBuckets({ capacity: 2, refillPerSec: 1 }, clock());
    expect(tb.take('a', 3)).toEqual({ ok: false, retryAfterMs: Infinity });
  });

  it('never grants more than capacity + elapsed × rate (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.double({ min: 0.1, max: 50, noNaN: true }), fc.array(fc.integer({ min: 0, max: 2000 }), { maxLength: 200 }), (cap, rate, gaps) => {
        const c = clock();
        const start = c.t;
        const tb = new TokenBuckets({ capacity: cap, refillPerSec: rate }, c);
        let granted = 0;
        for (const g of gaps) {
          c.t += g;
          const r = tb.take('k');
          if (r.ok) granted++;
          else expect(r.retryAfterMs).toBeGreaterThan(0);
        }
        expect(granted).toBeLessThanOrEqual(cap + ((c.t - start) / 1000) * rate + 1e-9);
      }),
      { numRuns: 200 },
    );
  });
});
