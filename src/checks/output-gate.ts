/**
 * The output check before `completed` (docs/checks.md): the one call every completion point
 * makes (a slot's render, each segment, the stitched whole, a runner's upload). It inspects the
 * result (an OutputInspector: one ffmpeg pass in production), records the findings on the task,
 * counts them for /metrics, and refuses a bad result with a TaskError carrying the finding's code
 * (retryable the first time: the lifecycle then queues the task for another GPU).
 */
import { rm } from 'node:fs/promises';
import { TaskError } from '../domain/errors.js';
import type { CheckFinding, Task } from '../domain/task.js';
import { fenceOf } from '../domain/task.js';
import type { Logger } from '../logger.js';
import type { OutputFinding } from './output-check.js';
import { asTaskFindings, outputVerdict } from './output-verdict.js';

/** The files of one result: the video, the speech it should say, the face it was rendered from. */
export interface ResultFiles {
  video: string;
  speech?: string | null;
  face?: string | null;
  /** Do not judge frozen stretches (a stitched whole: its parts were judged against their faces). */
  skipFreeze?: boolean;
}

/** The port: what is wrong with a result (the ffmpeg adapter: ffmpeg-output-inspector.ts). */
export interface OutputInspector {
  inspect(files: ResultFiles, signal?: AbortSignal): Promise<OutputFinding[]>;
}

/** How findings are stored on a task that holds a lease (TaskLifecycle.progressDurably). */
export interface FindingsRecorder {
  progressDurably(task: Task, patch: { checks: CheckFinding[] }, signal?: AbortSignal): Promise<boolean>;
}

export class OutputGate {
  /** Results checked and findings by code since start (`none`: a result with nothing found). */
  readonly counts: Record<string, number> = {};

  constructor(
    private readonly d: {
      inspector: OutputInspector;
      recorder: FindingsRecorder;
      log?: Logger;
      /** `checks.output.enabled: false`: every result passes unchecked. */
      enabled: boolean;
    },
  ) {}

  private count(found: readonly OutputFinding[]): void {
    for (const code of found.length ? found.map((f) => f.code) : ['none']) this.counts[code] = (this.counts[code] ?? 0) + 1;
  }

  private async inspect(task: Task, files: ResultFiles, signal?: AbortSignal): Promise<OutputFinding[]> {
    const found = await this.d.inspector.inspect(files, signal);
    this.count(found);
    if (found.length) this.d.log?.warn({ taskId: task.id, attempt: task.attempt, slot: task.slotId, findings: found }, 'output check found something in a result');
    return found;
  }

  /**
   * A result of the task's current attempt (a slot's render, a segment, a runner's upload).
   * Resolves when it may complete; throws a TaskError (output_*) when it must not, after
   * deleting the refused video. Findings are stored on the task (fenced) either way.
   */
  async pass(task: Task, files: ResultFiles, signal?: AbortSignal): Promise<void> {
    if (!this.d.enabled) return;
    const found = await this.inspect(task, files, signal);
    if (!found.length) return;
    const verdict = outputVerdict(found, task.checks, { attempt: task.attempt, slotId: task.slotId, retryable: true });
    if (fenceOf(task)) {
      const checks = [...task.checks, ...asTaskFindings(found, task.attempt, task.slotId)];
      await this.d.recorder.progressDurably(task, { checks }, signal);
    }
    if (verdict.ok) return;
    // not this task's video: nothing of it stays, whether the task is retried or fails
    await rm(files.video, { force: true });
    throw new TaskError(verdict.code, verdict.message, { retryable: verdict.retry });
  }

  /**
   * The stitched whole of a long script (no lease, no slot: its parts passed already). Returns
   * the findings to store with its move to `completed`; throws a final TaskError when it fails —
   * stitching the same checked parts again would give the same video.
   */
  async passStitched(parent: Task, files: ResultFiles, signal?: AbortSignal): Promise<{ checks: CheckFinding[] }> {
    if (!this.d.enabled) return { checks: parent.checks };
    const found = await this.inspect(parent, files, signal);
    const checks = [...parent.checks, ...asTaskFindings(found, 0, null)];
    const verdict = outputVerdict(found, parent.checks, { attempt: 0, slotId: null, retryable: false });
    if (!verdict.ok) throw Object.assign(new TaskError(verdict.code, verdict.message), { checks });
    return { checks };
  }
}

/** The findings a refused stitched whole carries (passStitched), to store with its failure. */
export function findingsOf(err: unknown): CheckFinding[] | undefined {
  return (err as { checks?: CheckFinding[] } | null)?.checks;
}
