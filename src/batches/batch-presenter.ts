/** A batch → JSON for GET /api/batches/:id (and the batch.completed event). Pure. */
import { isFinal, overallProgress, publicStatus, type Task } from '../domain/task.js';
import { outputUrl } from '../domain/presenters.js';
import { charCount, firstChars } from '../domain/chars.js';
import type { BatchRecord, BatchRowRecord } from './batch-store.js';

/** A batch with each row's task as it is now (undefined once retention purged it). */
export interface BatchView {
  batch: BatchRecord;
  rows: Array<{ rec: BatchRowRecord; task: Task | undefined; queuePosition: number | null }>;
}

const iso = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString());

export const COUNT_KEYS = ['queued', 'processing', 'completed', 'failed', 'canceled'] as const;

/** queued → processing → completed (every task final; some may have failed) or canceled. */
function batchStatus(batch: BatchRecord, counts: Record<string, number>, total: number): string {
  if (batch.canceledAt !== null && counts.queued + counts.processing === 0) return 'canceled';
  if (counts.queued + counts.processing === 0) return 'completed';
  return counts.queued === total ? 'queued' : 'processing';
}

export function presentBatch(view: BatchView, now: number): Record<string, unknown> {
  const { batch } = view;
  const counts: Record<string, number> = Object.fromEntries(COUNT_KEYS.map((k) => [k, 0]));
  const rows = view.rows.map(({ rec, task, queuePosition }) => {
    // A task whose record was purged (retention) is reported as expired, not as missing.
    const status = !task ? 'expired' : task.state === 'queued' ? 'queued' : isFinal(task.state) ? publicStatus(task) : 'processing';
    const counted = status === 'timeout' ? 'failed' : status; // a render timeout is a failure
    if (counted in counts) counts[counted] += 1;
    const result = task ? outputUrl(task) : null;
    return {
      row: rec.rowIndex,
      task_id: rec.taskId,
      // what the row says, for the batch's table (cut like a task list's text)
      text: task ? (charCount(task.text) > 120 ? `${firstChars(task.text, 120)}…` : task.text) : null,
      title: task?.title ?? null,
      status,
      phase: task?.state ?? null,
      progress: task ? overallProgress(task) : null,
      queue_position: queuePosition,
      error_code: task && (task.state === 'failed' || task.state === 'canceled') ? task.errorCode : null,
      error: task && (task.state === 'failed' || task.state === 'canceled') ? task.errorMessage : null,
      result_url: result,
      download_url: result ? `/api/download/${rec.taskId}` : null,
      avatar_id: rec.avatarId,
      voice_id: rec.voiceId,
      language: task?.language ?? null,
      metadata: rec.metadata,
    };
  });
  return {
    success: true,
    batch_id: batch.id,
    status: batchStatus(batch, counts, rows.length),
    total: batch.rowCount,
    counts,
    created_time: iso(batch.createdAt),
    completed_time: iso(batch.completedAt),
    canceled_time: iso(batch.canceledAt),
    age_seconds: Math.max(0, Math.round((now - batch.createdAt) / 1000)),
    status_url: `/api/batches/${batch.id}`,
    results_url: `/api/batches/${batch.id}/results.zip`,
    rows,
  };
}
