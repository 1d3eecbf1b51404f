/**
 * Token buckets keyed by client (API key id or IP), for rate limits with a Retry-After.
 * Pure: time comes from an injected clock, so tests drive it without waiting. Memory is
 * bounded: the least recently used key is evicted past `maxKeys` (an evicted client simply
 * starts again with a full bucket, which only ever errs on the generous side).
 */
export interface BucketClock {
  now(): number;
}

export interface BucketSpec {
  /** Burst size: tokens a fresh client may spend at once. */
  capacity: number;
  /** Tokens added per second, up to `capacity`. */
  refillPerSec: number;
}

export type TakeResult = { ok: true; remaining: number } | { ok: false; retryAfterMs: number };

interface Bucket {
  tokens: number;
  at: number;
}

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly spec: BucketSpec,
    private readonly clock: BucketClock,
    private readonly maxKeys = 10_000,
  ) {
    if (!(spec.capacity > 0) || !(spec.refillPerSec > 0)) throw new Error('token bucket: capacity and refillPerSec must be positive');
  }

  /** "N per minute" as a bucket: a full minute's worth may come in a burst, then N/60 per second. */
  static perMinute(n: number, clock: BucketClock, maxKeys?: number): TokenBuckets {
    return new TokenBuckets({ capacity: n, refillPerSec: n / 60 }, clock, maxKeys);
  }

  get size(): number {
    return this.buckets.size;
  }

  private current(key: string): Bucket {
    const now = this.clock.now();
    const b = this.buckets.get(key);
    if (!b) return { tokens: this.spec.capacity, at: now };
    const elapsed = Math.max(0, now - b.at) / 1000;
    return { tokens: Math.min(this.spec.capacity, b.tokens + elapsed * this.spec.refillPerSec), at: now };
  }

  private store(key: string, b: Bucket): void {
    // Re-insert so Map order is least-recently-used first.
    this.buckets.delete(key);
    this.buckets.set(key, b);
    while (this.buckets.size > this.maxKeys) this.buckets.delete(this.buckets.keys().next().value as string);
  }

  /** Spend `n` tokens, or say how long until they would be there. */
  take(key: string, n = 1): TakeResult {
    const b = this.current(key);
    if (b.tokens >= n) {
      b.tokens -= n;
      this.store(key, b);
      return { ok: true, remaining: Math.floor(b.tokens) };
    }
    this.store(key, b);
    if (n > this.spec.capacity) return { ok: false, retryAfterMs: Infinity };
    return { ok: false, retryAfterMs: Math.ceil(((n - b.tokens) / this.spec.refillPerSec) * 1000) };
  }

  /** Give tokens back (the guarded work was refused later for another reason). */
  refund(key: string, n = 1): void {
    const b = this.current(key);
    this.store(key, { tokens: Math.min(this.spec.capacity, b.tokens + n), at: b.at });
  }
}
