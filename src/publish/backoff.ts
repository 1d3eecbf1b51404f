/**
 * Delay before upload attempt n+1: exponential (base · 2^(n-1)), capped, with "equal jitter"
 * (half fixed, half random) so many uploads failing together against one provider do not
 * retry in lockstep, yet no retry comes sooner than half the nominal delay. Pure; `random` is
 * injectable for tests.
 */
export function backoffDelayMs(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const nominal = Math.min(maxMs, baseMs * 2 ** Math.max(0, Math.min(attempt, 40) - 1));
  return Math.round(nominal / 2 + random() * (nominal / 2));
}
