/**
 * Usage per API key (docs/templates.md, "Usage"): what a task delivered and what it cost. Pure.
 *
 * - video seconds: the length of a finished video handed to the client — a completed task that
 *   is not a segment (a long script counts once, as its stitched whole);
 * - GPU seconds: the time a slot's engines spent on the task — speech (TTS) plus render of
 *   every attempt that ended, segments included, and every backup render (docs/segments.md),
 *   won or lost: the GPU was busy either way.
 *
 * Budgets are per calendar month in UTC.
 */
import type { Task } from '../domain/task.js';
import { spokenUnits } from '../segments/spoken-units.js';

export interface UsageRow {
  taskId: string;
  /** `a<attempt>` for an attempt's own work, `b<attempt>-<slot>` for a backup render of it. */
  part: string;
  owner: string | null;
  /** When the work ended (ms): the month and day it counts in. */
  at: number;
  videoSec: number;
  ttsSec: number;
  renderSec: number;
}

export interface UsageTotals {
  videoSec: number;
  gpuSec: number;
  ttsSec: number;
  renderSec: number;
  /** Videos delivered. */
  videos: number;
}

export interface Budget {
  maxVideoSecondsPerMonth: number | null;
  maxGpuSecondsPerMonth: number | null;
}

const span = (from: number | null, to: number | null): number => (from !== null && to !== null && to > from ? (to - from) / 1000 : 0);

/**
 * The usage row of a task that reached a final state (its last attempt's work: an attempt that
 * was handed back and retried is not counted), or null when it used nothing and delivered nothing.
 */
export function usageOfTask(t: Task): UsageRow | null {
  const end = t.finishedAt ?? t.updatedAt;
  const ttsSec = span(t.ttsStartedAt, t.ttsEndedAt ?? (t.ttsStartedAt !== null ? end : null));
  const renderSec = span(t.renderStartedAt, t.renderEndedAt ?? (t.renderStartedAt !== null ? end : null));
  const videoSec = t.state === 'completed' && t.parentId === null ? (t.audioDurationSec ?? 0) : 0;
  if (!ttsSec && !renderSec && !videoSec) return null;
  return { taskId: t.id, part: `a${t.attempt}`, owner: t.owner, at: end, videoSec, ttsSec, renderSec };
}

/** [start, end) of the calendar month (UTC) that holds `now`. */
export function monthOf(now: number): { start: number; end: number } {
  const d = new Date(now);
  return { start: Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1), end: Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) };
}

export interface BudgetLeft {
  videoSec: number | null;
  gpuSec: number | null;
}

export function budgetLeft(used: UsageTotals, b: Budget): BudgetLeft {
  const left = (max: number | null, u: number) => (max === null ? null : Math.max(0, round(max - u)));
  return { videoSec: left(b.maxVideoSecondsPerMonth, used.videoSec), gpuSec: left(b.maxGpuSecondsPerMonth, used.gpuSec) };
}

/**
 * Which budget a submit of `videoSec` estimated seconds would cross, or null. Its GPU seconds
 * are estimated from the key's own GPU seconds per video second this month (1 before its first
 * video).
 */
export function crossedBudget(used: UsageTotals, b: Budget, videoSec: number): 'video' | 'gpu' | null {
  if (b.maxVideoSecondsPerMonth !== null && used.videoSec + videoSec > b.maxVideoSecondsPerMonth) return 'video';
  const ratio = used.videoSec > 0 ? used.gpuSec / used.videoSec : 1;
  if (b.maxGpuSecondsPerMonth !== null && used.gpuSec + videoSec * ratio > b.maxGpuSecondsPerMonth) return 'gpu';
  return null;
}

export const round = (x: number): number => Math.round(x * 1000) / 1000;

/** Seconds of video a submit will make: its speech length estimate (spoken units at the learned speaking rate). */
export function estimateVideoSeconds(normalizedTexts: readonly string[], unitsPerSecond: number): number {
  return normalizedTexts.reduce((sum, t) => sum + spokenUnits(t), 0) / Math.max(1, unitsPerSecond);
}
