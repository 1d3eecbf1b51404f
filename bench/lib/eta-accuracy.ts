/**
 * ETA accuracy: while a benchmark runs, the ETA of every unfinished task is sampled (what a
 * status poll would answer) and, once all ended, compared with when each really ended.
 * "Warm" samples are those taken after the first `warmAfter` completions (the model has learned
 * the farm's speeds); samples less than `minRemainingMs` before the end are left out (a 0.3 s
 * error on the last 0.5 s is noise, not a bad estimate).
 */
import type { Task } from '../../src/domain/task.js';
import type { EtaService } from '../../src/eta/eta.service.js';
import { median, quantile, round } from './stats.js';

interface Sample {
  id: string;
  at: number;
  eta: number;
  low: number;
  high: number;
  doneBefore: number;
  queued: boolean;
}

export class EtaSampler {
  private readonly samples: Sample[] = [];
  private last = 0;

  constructor(
    private readonly eta: EtaService,
    private readonly everyMs = 500,
  ) {}

  /** Sample all unfinished tasks, at most every `everyMs`. */
  async maybeSample(tasks: Task[], now: number): Promise<void> {
    if (now - this.last < this.everyMs) return;
    this.last = now;
    const doneBefore = tasks.filter((t) => t.state === 'completed').length;
    for (const t of tasks) {
      if (t.state === 'completed' || t.state === 'failed' || t.state === 'canceled') continue;
      const at = Date.now(); // per task: sampling many tasks on a busy machine takes a while
      const e = await this.eta.estimate(t);
      if (e) this.samples.push({ id: t.id, at, eta: e.seconds, low: e.low, high: e.high, doneBefore, queued: t.state === 'queued' });
    }
  }

  report(tasks: Task[], warmAfter: number, minRemainingMs = 1000): Record<string, number> {
    const end = new Map(tasks.filter((t) => t.finishedAt !== null).map((t) => [t.id, t.finishedAt!] as const));
    const errs: number[] = [];
    const signed: number[] = [];
    const queuedErrs: number[] = [];
    let inRange = 0;
    for (const s of this.samples) {
      const finished = end.get(s.id);
      if (finished === undefined || s.doneBefore < warmAfter) continue;
      const actual = (finished - s.at) / 1000;
      if (actual * 1000 < minRemainingMs) continue;
      errs.push(Math.abs(s.eta - actual) / actual);
      signed.push((s.eta - actual) / actual);
      if (s.queued) queuedErrs.push(Math.abs(s.eta - actual) / actual);
      if (actual >= s.low && actual <= s.high) inRange++;
    }
    return {
      eta_samples_warm: errs.length,
      eta_median_abs_error: errs.length ? round(median(errs)) : NaN,
      eta_p90_abs_error: errs.length ? round(quantile(errs, 0.9)) : NaN,
      // > 0: estimates too long on the whole; < 0: too short.
      eta_median_signed_error: signed.length ? round(median(signed)) : NaN,
      eta_median_abs_error_queued: queuedErrs.length ? round(median(queuedErrs)) : NaN,
      eta_in_range_share: errs.length ? round(inRange / errs.length) : NaN,
    };
  }
}
