/**
 * Pure ETA arithmetic (docs/api.md, "ETA"). Learned from finished tasks:
 * - speech seconds per character of the spoken text (the speech length of a text not yet spoken),
 * - TTS seconds per character,
 * - render seconds per speech second, per slot (RenderPaceEstimator, as the video adapter
 *   learns it for its polls), with a deployment-wide pace for slots without history,
 * - the rest of a task's time (preparing, collecting), per task.
 * A slot's timeline is its held tasks in pipeline order (the one rendering first; the next one's
 * TTS overlaps it when pipelining); a queued task at position k starts when the k-th slot frees
 * up after the k-1 tasks ahead took theirs (list scheduling onto the earliest free slot).
 * The range comes from how far recent estimates were off: the 10th/90th percentile of
 * actual ÷ estimated task time, applied to the estimate.
 */
import { RenderPaceEstimator } from '../engines/heygem/render-timing.js';
import type { Task } from '../domain/task.js';
import type { RangeBounds } from './range-calibration.js';

class Ewma {
  value: number;
  count = 0;
  constructor(
    initial: number,
    // Quick to follow: a farm's speed changes with load, and the first tasks after a start
    // (all slots starting at once) are slower than the steady state.
    private readonly alpha = 0.5,
  ) {
    this.value = initial;
  }
  observe(v: number): void {
    if (!Number.isFinite(v) || v < 0) return;
    this.value = this.count === 0 ? v : this.value + this.alpha * (v - this.value);
    this.count++;
  }
}

export interface EtaDefaults {
  renderSecPerSpeechSec: number;
  speechSecPerChar: number;
  ttsSecPerChar: number;
  overheadSec: number;
  pipelining: boolean;
}

interface Work {
  prep: number;
  tts: number;
  render: number;
  collect: number;
  total: number;
}

export interface Estimate {
  seconds: number;
  low: number;
  high: number;
}

const sec = (a: number | null, b: number | null): number | null => (a !== null && b !== null && b >= a ? (b - a) / 1000 : null);
const chars = (t: Pick<Task, 'text' | 'normalizedText'>): number => Math.max(1, [...(t.normalizedText ?? t.text)].length);

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.round(q * (s.length - 1))))];
}

export class EtaModel {
  private readonly speechPerChar: Ewma;
  private readonly ttsPerChar: Ewma;
  /** Seconds before the speech starts (preparing) and after the render ends (collecting). */
  private readonly prep: Ewma;
  private readonly collect: Ewma;
  private readonly globalPace = new RenderPaceEstimator(0.5);
  private readonly slotPace = new Map<number, RenderPaceEstimator>();
  private readonly typicalChars = new Ewma(60, 0.1);
  /** actual ÷ estimated task time of recently finished tasks (the range). */
  private readonly misses: number[] = [];
  private seen = new Set<string>();
  /** Bumped by every observation: cached typical work is stale after it. */
  private version = 0;
  private readonly typicalCache = new Map<string, { version: number; work: Work }>();

  constructor(private readonly d: EtaDefaults) {
    this.speechPerChar = new Ewma(d.speechSecPerChar);
    this.ttsPerChar = new Ewma(d.ttsSecPerChar);
    this.prep = new Ewma(d.overheadSec / 2);
    this.collect = new Ewma(d.overheadSec / 2);
  }

  /** Tasks finished since the start (or seeded from history): the estimates are learned ones. */
  get observed(): number {
    return this.speechPerChar.count;
  }

  /**
   * Learn from a completed task (each task once). `collectingAt`: when it entered collecting,
   * i.e. when the container finished (the task's render span also covers collecting the result,
   * during which the next render may already run); unknown for tasks finished elsewhere.
   */
  observe(t: Task, collectingAt: number | null = null): void {
    if (t.state !== 'completed' || this.seen.has(`${t.id}:${t.finishedAt}`)) return;
    this.seen.add(`${t.id}:${t.finishedAt}`);
    this.version++;
    if (this.seen.size > 10_000) this.seen = new Set([...this.seen].slice(-1000));
    const n = chars(t);
    const tts = sec(t.ttsStartedAt, t.ttsEndedAt);
    const split = collectingAt !== null && t.renderStartedAt !== null && collectingAt >= t.renderStartedAt;
    const render = split ? sec(t.renderStartedAt, collectingAt) : sec(t.renderStartedAt, t.renderEndedAt);
    const prep = sec(t.startedAt, t.ttsStartedAt);
    const collect = split ? sec(collectingAt, t.finishedAt) : sec(t.renderEndedAt, t.finishedAt);
    const speech = t.audioDurationSec;
    if (tts !== null && render !== null && prep !== null && collect !== null && speech) {
      // How far off the estimate of this task's own work was (before learning from it); the
      // wait for a GPU between speech and render is the timeline's part, not the task's.
      const predicted = this.work(t, t.slotId).total;
      if (predicted > 0) {
        this.misses.push((prep + tts + render + collect) / predicted);
        if (this.misses.length > 50) this.misses.shift();
      }
    }
    this.typicalChars.observe(n);
    if (speech && speech > 0) this.speechPerChar.observe(speech / n);
    if (tts !== null) this.ttsPerChar.observe(tts / n);
    if (render !== null && speech) {
      this.globalPace.observe(render * 1000, speech);
      if (t.slotId !== null) {
        if (!this.slotPace.has(t.slotId)) this.slotPace.set(t.slotId, new RenderPaceEstimator(0.5));
        this.slotPace.get(t.slotId)!.observe(render * 1000, speech);
      }
    }
    if (prep !== null) this.prep.observe(prep);
    if (collect !== null) this.collect.observe(collect);
  }

  private pace(slotId: number | null, speechSec: number): number {
    const own = slotId === null ? null : this.slotPace.get(slotId)?.expectedMs(speechSec);
    return (own ?? this.globalPace.expectedMs(speechSec) ?? this.d.renderSecPerSpeechSec * speechSec * 1000) / 1000;
  }

  /** The whole work of one task on a slot (seconds), by phase. */
  work(t: Pick<Task, 'text' | 'normalizedText' | 'audioDurationSec'>, slotId: number | null): Work {
    const n = chars(t);
    const speech = t.audioDurationSec ?? n * this.speechPerChar.value;
    const w = { prep: this.prep.value, tts: n * this.ttsPerChar.value, render: this.pace(slotId, speech), collect: this.collect.value };
    return { ...w, total: w.prep + w.tts + w.render + w.collect };
  }

  /** A typical queued task (for the ones ahead, whose texts are not read). */
  private typical(slotId: number | null): Work {
    const key = `${slotId}:${Math.round(this.typicalChars.value)}`;
    const hit = this.typicalCache.get(key);
    if (hit && hit.version === this.version) return hit.work;
    const work = this.typicalWork(slotId);
    if (this.typicalCache.size > 256) this.typicalCache.clear();
    this.typicalCache.set(key, { version: this.version, work });
    return work;
  }

  private typicalWork(slotId: number | null): Work {
    return this.work({ text: 'x'.repeat(Math.round(this.typicalChars.value)), normalizedText: null, audioDurationSec: null }, slotId);
  }

  /**
   * Put one task on a slot whose render lane is free at `freeAt`: when its render ends (the
   * lane is free again) and when the task ends. Pipelining: preparing and speech happen while
   * the lane still renders the task before; without it, they hold the slot too.
   */
  private place(w: Work, freeAt: number, readyAt: number): { free: number; end: number } {
    const start = this.d.pipelining ? Math.max(freeAt, readyAt + (w.prep + w.tts) * 1000) : Math.max(freeAt, readyAt) + (w.prep + w.tts) * 1000;
    const renderEnd = start + w.render * 1000;
    const end = renderEnd + w.collect * 1000;
    return { free: this.d.pipelining ? renderEnd : end, end };
  }

  /**
   * One slot's timeline from `now`: when each of its held tasks ends, and when the slot is free.
   * `held` in any order; the one rendering (or collecting) goes first.
   */
  slotTimeline(slotId: number, held: Task[], now: number): { ends: Map<string, number>; freeAt: number } {
    const order = (t: Task) => (t.state === 'collecting' ? 0 : t.state === 'rendering' ? 1 : t.state === 'tts' ? 2 : 3);
    const ends = new Map<string, number>();
    let at = now;
    for (const t of [...held].sort((a, b) => order(a) - order(b))) {
      const w = this.work(t, slotId);
      if (t.state === 'collecting') {
        const end = now + (w.collect / 2) * 1000;
        if (!this.d.pipelining) at = Math.max(at, end);
        ends.set(t.id, end);
      } else if (t.state === 'rendering') {
        const elapsed = t.renderStartedAt === null ? 0 : (now - t.renderStartedAt) / 1000;
        // A render running over its estimate is assumed to be nearly done, not finished.
        const renderEnd = now + Math.max(w.render * 0.05, w.render - elapsed) * 1000;
        at = Math.max(at, this.d.pipelining ? renderEnd : renderEnd + w.collect * 1000);
        ends.set(t.id, renderEnd + w.collect * 1000);
      } else {
        // Speech made already (waiting for the render lane), being made, or still to come.
        const spoken = t.ttsEndedAt !== null;
        const elapsed = t.state === 'tts' && t.ttsStartedAt !== null ? (now - t.ttsStartedAt) / 1000 : 0;
        const left = { ...w, prep: spoken || t.state === 'tts' ? 0 : w.prep, tts: spoken ? 0 : Math.max(0, w.tts - elapsed) };
        const p = this.place(left, at, now);
        at = p.free;
        ends.set(t.id, p.end);
      }
    }
    return { ends, freeAt: at };
  }

  /**
   * When a queued task at `position` (1-based) ends: `free` are the slots' free times (ms); the
   * tasks ahead are typical ones, each taking the earliest free slot.
   */
  queuedEnd(task: Task, position: number, free: ReadonlyArray<{ slotId: number; freeAt: number }>, now: number): number | null {
    return this.queueTimeline(free, now).end(this, task, position, now);
  }

  /** The queue's timeline for one farm snapshot: shared by every queued task's estimate. */
  queueTimeline(free: ReadonlyArray<{ slotId: number; freeAt: number }>, now: number): QueueTimeline {
    return new QueueTimeline(this, free, now);
  }

  /** @internal for QueueTimeline: a typical queued task placed on a slot free at `freeAt`. */
  placeTypical(slotId: number, freeAt: number, now: number): { free: number; end: number } {
    return this.place(this.typical(slotId), freeAt, now);
  }

  /** @internal for QueueTimeline: this task placed on a slot free at `freeAt`. */
  placeTask(task: Task, slotId: number, freeAt: number, readyAt: number): { free: number; end: number } {
    return this.place(this.work(task, slotId), freeAt, readyAt);
  }

  /**
   * Seconds from now to `endAt`, with the range. `calibrated`: percentiles of how far recent
   * estimates were off (RangeCalibration); without them, the spread of recent tasks' own work.
   * The point is always strictly inside the range, and all three grow with `endAt` (queued
   * tasks' ETAs stay in queue order).
   */
  range(endAt: number, now: number, calibrated: RangeBounds | null = null): Estimate {
    const raw = Math.max(0, (endAt - now) / 1000);
    const warm = this.misses.length >= 3;
    const b = calibrated ?? { lo: warm ? Math.min(1, quantile(this.misses, 0.1)) : 0.5, mid: 1, hi: warm ? Math.max(1, quantile(this.misses, 0.9)) : 2 };
    const seconds = Math.max(0.1, round1(raw * b.mid));
    return { seconds, low: Math.max(0, Math.min(round1(raw * b.lo), round1(seconds - 0.1))), high: Math.max(round1(raw * b.hi), round1(seconds + 0.1)) };
  }
}

/**
 * List scheduling of the queue onto the slots' free times, computed once per farm snapshot and
 * extended only as far as the deepest position asked for: a status poll at position k costs a
 * lookup, not k placements (it was O(k) per request, O(100²) per queue page).
 */
export class QueueTimeline {
  private readonly slots: Array<{ slotId: number; freeAt: number }>;
  /** starts[k]: the slot (and when it is free) the task at position k + 1 gets. */
  private readonly starts: Array<{ slotId: number; freeAt: number }> = [];
  /** floors[k]: the latest end among the typical tasks at positions 1..k (floors[0] = 0). */
  private readonly floors: number[] = [0];

  constructor(
    private readonly model: EtaModel,
    free: ReadonlyArray<{ slotId: number; freeAt: number }>,
    private readonly now: number,
  ) {
    this.slots = free.map((s) => ({ slotId: s.slotId, freeAt: Math.max(now, s.freeAt) }));
  }

  /** When the queued `task` at `position` ends (ms), not before a task ahead of it; null without slots. */
  end(model: EtaModel, task: Task, position: number, readyAt: number): number | null {
    if (!this.slots.length) return null;
    const k = Math.min(Math.max(1, position), 100_000);
    this.extend(k);
    const s = this.starts[k - 1];
    return Math.max(model.placeTask(task, s.slotId, s.freeAt, Math.max(readyAt, this.now)).end, this.floors[k - 1]);
  }

  private extend(k: number): void {
    while (this.starts.length < k) {
      let e = this.slots[0];
      for (const s of this.slots) if (s.freeAt < e.freeAt) e = s;
      this.starts.push({ slotId: e.slotId, freeAt: e.freeAt });
      const p = this.model.placeTypical(e.slotId, e.freeAt, this.now);
      e.freeAt = p.free;
      this.floors.push(Math.max(this.floors[this.floors.length - 1], p.end));
    }
  }
}

const round1 = (x: number): number => Math.round(x * 10) / 10;
