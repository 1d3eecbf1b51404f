/**
 * Pure timing decisions for following a render in a HeyGem video container: how long to wait
 * before the next /easy/query, when a render counts as hung, and when it really finished.
 *
 * Principles (docs/performance.md, "Detecting done"):
 * - "done" is found by a short fixed poll interval, not by a prediction. The learned pace may
 *   only make polling *more* frequent (near the expected finish), never less.
 * - A render is judged hung by the container's liveness against the time expected for its
 *   speech length (a generous multiple), never by progress: real containers sit at progress 20
 *   for most of a render.
 * - The pace is learned from the container-side finish (between the last "running" and the
 *   first "done" answer), so a late detection never makes the next estimate later.
 */

export interface PollPaceInput {
  elapsedMs: number;
  /** Expected render time from this container's history; null before any history. */
  expectedMs: number | null;
  progress: number;
  /** The result file appeared or the container already named its result: done is imminent. */
  finishing: boolean;
  pollMs: number;
  minPollMs: number;
}

/** Delay before the next query: at most `pollMs`, `minPollMs` once the finish is near. */
export function nextPollDelay(i: PollPaceInput): number {
  const { elapsedMs, expectedMs, pollMs, minPollMs } = i;
  const fast = Math.min(minPollMs, pollMs);
  if (i.finishing || i.progress >= 90) return fast;
  if (expectedMs === null) return pollMs;
  const remaining = expectedMs - elapsedMs;
  return Math.round(Math.max(fast, Math.min(pollMs, remaining / 3)));
}

export interface HangLimits {
  /** A render may run this many times its expected time before it counts as hung. */
  hangFactor: number;
  /** Never declare a hang before this much render time (model warm-up, short speech). */
  hangMinMs: number;
  /** Expected render seconds per speech second while a container has no history yet. */
  defaultSecPerSpeechSec: number;
  /** Cap on a render of up to `renderTimeoutMs / renderTimeoutPerSpeechSecMs` seconds of speech. */
  renderTimeoutMs: number;
  /** The cap grows with the speech asked for: this much per second of it (0: a fixed cap). */
  renderTimeoutPerSpeechSecMs?: number;
}

/** No render runs longer than this, whatever it is expected to take: the cap, scaled to the speech. */
export function renderCapMs(limits: Pick<HangLimits, 'renderTimeoutMs' | 'renderTimeoutPerSpeechSecMs'>, audioSec: number): number {
  return Math.max(limits.renderTimeoutMs, (limits.renderTimeoutPerSpeechSecMs ?? 0) * Math.max(0, audioSec));
}

/** How long a render of `audioSec` of speech may run before it is declared hung. */
export function hangAfterMs(limits: HangLimits, audioSec: number, expectedMs: number | null): number {
  const expected = expectedMs ?? limits.defaultSecPerSpeechSec * 1000 * Math.max(0, audioSec);
  return Math.min(renderCapMs(limits, audioSec), Math.max(limits.hangMinMs, limits.hangFactor * expected));
}

export type RenderVerdict = { kind: 'ok' } | { kind: 'hung'; limitMs: number } | { kind: 'timeout'; limitMs: number };

/** Over the absolute cap → timeout; over the expected-time limit → hung; else keep following. */
export function judgeRender(elapsedMs: number, limits: HangLimits, audioSec: number, expectedMs: number | null): RenderVerdict {
  const cap = renderCapMs(limits, audioSec);
  if (elapsedMs > cap) return { kind: 'timeout', limitMs: cap };
  const limit = hangAfterMs(limits, audioSec, expectedMs);
  return elapsedMs > limit ? { kind: 'hung', limitMs: limit } : { kind: 'ok' };
}

/**
 * Best estimate of when the container finished: halfway between the last answer that said
 * "running" and the first that said "done". The error is at most half a poll interval, and it
 * does not grow when the gateway happens to look late.
 */
export function containerFinishedAt(lastRunningAt: number, doneSeenAt: number): number {
  return lastRunningAt + Math.max(0, doneSeenAt - lastRunningAt) / 2;
}

/**
 * Render seconds per second of speech, per container: an exponentially weighted mean for
 * pacing polls, and the largest of the recent ratios for hang limits (a long-tailed render
 * must not look hung just because the mean is lower).
 */
export class RenderPaceEstimator {
  private ratio: number | null = null;
  private recent: number[] = [];
  constructor(
    private readonly alpha = 0.3,
    private readonly window = 20,
  ) {}

  observe(renderMs: number, audioSec: number): void {
    if (!(audioSec > 0) || !(renderMs > 0)) return;
    const r = renderMs / audioSec;
    this.ratio = this.ratio === null ? r : this.ratio + this.alpha * (r - this.ratio);
    this.recent.push(r);
    if (this.recent.length > this.window) this.recent.shift();
  }

  /** Typical render time for this much speech (pacing), null before any history. */
  expectedMs(audioSec: number): number | null {
    return this.ratio === null ? null : this.ratio * audioSec;
  }

  /** Longest recent render time scaled to this much speech (hang limits), null before history. */
  upperMs(audioSec: number): number | null {
    return this.recent.length === 0 ? null : Math.max(this.ratio!, ...this.recent) * audioSec;
  }
}
