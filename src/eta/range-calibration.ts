/**
 * Calibrates the ETA range on what really happened. Each estimate handed out is remembered
 * (at most one per task per `everyMs`); when the task ends, every remembered estimate gives a
 * ratio actual ÷ estimated time left. The 10th, 50th and 90th percentiles of the recent ratios
 * turn a raw estimate into a point (× median: a farm that runs slower than learned moves every
 * ETA, not only its range) and an 80 % range: by construction about 80 % of the recent ends fell
 * inside, whatever the render times' law and however loaded the machine is — the model's own
 * per-task spread (used before) left out the queue's uncertainty and covered 39–57 %.
 * Tasks holding a slot and queued ones keep separate ratios (one render vs. many ahead).
 * Pure: no I/O, no clock.
 */

export interface RangeBounds {
  lo: number;
  mid: number;
  hi: number;
}

export type EstimateKind = 'queued' | 'held';

interface Remembered {
  at: number;
  end: number;
  kind: EstimateKind;
}

export interface CalibrationOptions {
  /** Remember at most one estimate per task per this many ms. */
  everyMs: number;
  /** Ratios kept per kind (the most recent). */
  keep: number;
  /** Ratios needed before the calibrated range replaces the fallback. */
  minRatios: number;
  /** Estimates with less time left than this are not learned from (noise, not a bad estimate). */
  minLeftMs: number;
}

const DEFAULTS: CalibrationOptions = { everyMs: 1000, keep: 400, minRatios: 30, minLeftMs: 1000 };
const MAX_TASKS = 5000;
const MAX_PER_TASK = 60;

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))];
}

export class RangeCalibration {
  private readonly o: CalibrationOptions;
  private readonly open = new Map<string, Remembered[]>();
  private readonly ratios: Record<EstimateKind, number[]> = { queued: [], held: [] };
  private readonly cached: Record<EstimateKind, RangeBounds | null | undefined> = { queued: undefined, held: undefined };

  constructor(options: Partial<CalibrationOptions> = {}) {
    this.o = { ...DEFAULTS, ...options };
  }

  /** An estimate was handed out at `now`: the task is expected to end at `end` (raw model time). */
  remember(taskId: string, kind: EstimateKind, now: number, end: number): void {
    let list = this.open.get(taskId);
    if (list && now - list[list.length - 1].at < this.o.everyMs) return;
    if (!list) {
      if (this.open.size >= MAX_TASKS) this.open.delete(this.open.keys().next().value!);
      list = [];
      this.open.set(taskId, list);
    }
    if (list.length >= MAX_PER_TASK) list.splice(0, list.length >> 1); // keep the recent half
    list.push({ at: now, end, kind });
  }

  /** The task completed at `at`: learn from what was estimated for it. */
  ended(taskId: string, at: number): void {
    const list = this.open.get(taskId);
    if (!list) return;
    this.open.delete(taskId);
    for (const r of list) {
      const estimated = r.end - r.at;
      const actual = at - r.at;
      if (estimated < this.o.minLeftMs || actual < this.o.minLeftMs) continue;
      const ratios = this.ratios[r.kind];
      ratios.push(actual / estimated);
      if (ratios.length > this.o.keep) ratios.shift();
      this.cached[r.kind] = undefined;
    }
  }

  /** The task failed or was canceled: its end says nothing about the estimates. */
  forget(taskId: string): void {
    this.open.delete(taskId);
  }

  /** Percentiles of recent ratios for this kind, or null while there are too few. */
  bounds(kind: EstimateKind): RangeBounds | null {
    const c = this.cached[kind];
    if (c !== undefined) return c;
    const ratios = this.ratios[kind];
    let b: RangeBounds | null = null;
    if (ratios.length >= this.o.minRatios) {
      const s = [...ratios].sort((a, b2) => a - b2);
      b = { lo: quantile(s, 0.1), mid: quantile(s, 0.5), hi: quantile(s, 0.9) };
    }
    this.cached[kind] = b;
    return b;
  }
}
