/**
 * What one render costs beyond its speech, learned on this node (docs/segments.md, "Split"):
 * render seconds ≈ perJob + perSpeechSec × speech seconds, a least-squares line through recent
 * completed renders. A container that spends seconds per job before the first frame (model
 * warm-up, face preprocessing) makes many short segments cost more GPU time than they save, so
 * the split keeps segments at least a few times that fixed cost long.
 */
import type { Task } from '../domain/task.js';

/** Renders remembered for the fit. */
const WINDOW = 60;
/** Fewest renders, and least spread of speech lengths (s), before the line is trusted. */
const MIN_RENDERS = 8;
const MIN_SPREAD_SEC = 1;
/** A segment's render should be at least this many times the per-job cost. */
const JOBS_PER_SEGMENT = 3;

export class RenderCost {
  private readonly points: Array<{ speech: number; render: number }> = [];

  /** A completed task (or segment) that rendered here. */
  observe(task: Pick<Task, 'segmentCount' | 'audioDurationSec' | 'renderStartedAt' | 'renderEndedAt'>): void {
    if (task.segmentCount !== null || !task.audioDurationSec || task.renderStartedAt === null || task.renderEndedAt === null) return;
    const render = (task.renderEndedAt - task.renderStartedAt) / 1000;
    if (render <= 0) return;
    this.points.push({ speech: task.audioDurationSec, render });
    if (this.points.length > WINDOW) this.points.shift();
  }

  /** The fitted line, or null while there are too few renders or too little spread to trust it. */
  fit(): { perJobSec: number; perSpeechSec: number } | null {
    const n = this.points.length;
    if (n < MIN_RENDERS) return null;
    const mx = this.points.reduce((a, p) => a + p.speech, 0) / n;
    const my = this.points.reduce((a, p) => a + p.render, 0) / n;
    let sxx = 0;
    let sxy = 0;
    for (const p of this.points) {
      sxx += (p.speech - mx) ** 2;
      sxy += (p.speech - mx) * (p.render - my);
    }
    if (Math.sqrt(sxx / n) < MIN_SPREAD_SEC) return null;
    const perSpeechSec = sxy / sxx;
    if (perSpeechSec <= 0) return null; // noise swamps the speech: no line to speak of
    return { perJobSec: Math.max(0, my - perSpeechSec * mx), perSpeechSec };
  }

  /** Shortest segment (speech seconds) worth its per-job cost; 0 when unknown or negligible. */
  minSegmentSeconds(): number {
    const f = this.fit();
    return f ? (JOBS_PER_SEGMENT * f.perJobSec) / f.perSpeechSec : 0;
  }
}
