/**
 * The fields each kind of move writes alongside the state, built in one place so that a task
 * completed by a local slot, by a remote runner's upload or by the stitcher of a long script
 * ends with the same row (and a new field lands in all three at once). Pure.
 */
import type { TaskError } from '../domain/errors.js';
import type { CheckFinding } from '../domain/task.js';
import type { TaskPatch } from '../store/task-store.js';

/** A fresh attempt starts from a clean slate of per-attempt fields. */
export const ATTEMPT_RESET: TaskPatch = { slotId: null, engineProgress: 0, renderSubmitted: false };

/** What a finished attempt hands over. */
export interface TaskResult {
  /** The published video (under the gateway's outputs/). */
  outputPath: string;
  /** The speech, when the completing step made it (the stitcher, a runner's upload). */
  audioPath?: string;
  audioDurationSec?: number;
  engineData?: Record<string, unknown> | null;
  /**
   * Fields the attempt measured itself (a remote runner's own clock readings and engine data,
   * already cleaned by the runner API): they win over the gateway's `now`.
   */
  reported?: TaskPatch;
  /** The output check's findings on the whole (a stitched long script: checks/output-gate.ts). */
  checks?: CheckFinding[];
}

/** → completed: the output, the end times, and no error left from an earlier attempt. */
export function completedPatch(r: TaskResult, now: number): TaskPatch {
  return {
    renderEndedAt: now,
    finishedAt: now,
    ...r.reported,
    outputPath: r.outputPath,
    ...(r.audioPath !== undefined && { audioPath: r.audioPath }),
    ...(r.audioDurationSec !== undefined && { audioDurationSec: r.audioDurationSec }),
    ...(r.engineData !== undefined && { engineData: r.engineData }),
    ...(r.checks !== undefined && { checks: r.checks }),
    errorCode: null,
    errorMessage: null,
  };
}

/** → failed for good. */
export function failedPatch(err: Pick<TaskError, 'code' | 'message'>, now: number, attempts?: number, checks?: CheckFinding[]): TaskPatch {
  return { ...(attempts !== undefined && { attempts }), ...(checks !== undefined && { checks }), errorCode: err.code, errorMessage: err.message, finishedAt: now };
}

/** → queued again after a retryable fault, available at `availableAt`. */
export function requeuedPatch(err: Pick<TaskError, 'code' | 'message'>, attempts: number, availableAt: number): TaskPatch {
  return { ...ATTEMPT_RESET, attempts, availableAt, errorCode: err.code, errorMessage: err.message };
}

/** → canceled by a request (the task's own, or its parent's). */
export function canceledPatch(now: number): TaskPatch {
  return { errorCode: 'canceled', errorMessage: 'Canceled by request', finishedAt: now };
}

/**
 * failed/canceled → queued by a retry request: a new start, nothing of the old run kept — the
 * output check's findings go too, since it counts the bad results of this run (docs/checks.md).
 */
export const RETRY_PATCH: TaskPatch = { ...ATTEMPT_RESET, attempts: 0, availableAt: 0, errorCode: null, errorMessage: null, finishedAt: null, outputPath: null, checks: [] };
