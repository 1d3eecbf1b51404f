/**
 * One log line per task state change — what an operator greps for when a task is slow or failed:
 * task id, slot, from → to, attempt, and the phase durations known so far. Progress updates
 * inside a phase (same state) are not logged. Durations come from the task's own durable
 * timestamps, so a task resumed after a restart still reports its full timings.
 */
import type { Task } from '../domain/task.js';
import type { Logger } from '../logger.js';
import type { TaskChange } from '../tasks/lifecycle.js';

export interface TaskDurations {
  /** Accepted → first claimed by a slot. */
  queueMs?: number;
  ttsMs?: number;
  renderMs?: number;
  /** Accepted → final state. */
  totalMs?: number;
}

const span = (from: number | null, to: number | null) => (from !== null && to !== null && to >= from ? to - from : undefined);

/** Pure: the durations a task's timestamps give at this point. */
export function taskDurations(t: Pick<Task, 'createdAt' | 'startedAt' | 'ttsStartedAt' | 'ttsEndedAt' | 'renderStartedAt' | 'renderEndedAt' | 'finishedAt'>): TaskDurations {
  const d: TaskDurations = {
    queueMs: span(t.createdAt, t.startedAt),
    ttsMs: span(t.ttsStartedAt, t.ttsEndedAt),
    renderMs: span(t.renderStartedAt, t.renderEndedAt),
    totalMs: span(t.createdAt, t.finishedAt),
  };
  return Object.fromEntries(Object.entries(d).filter(([, v]) => v !== undefined)) as TaskDurations;
}

/** Pure: the log record and message for a change, or null for a progress-only update. */
export function taskLogLine(c: TaskChange): { level: 'info' | 'warn'; fields: Record<string, unknown>; msg: string } | null {
  const { task, from } = c;
  if (from === task.state) return null;
  const fields: Record<string, unknown> = { taskId: task.id, slot: task.slotId, from: from ?? 'new', to: task.state, attempt: task.attempts + 1, ...taskDurations(task) };
  if (task.errorCode && (task.state === 'failed' || task.state === 'queued' || task.state === 'canceled')) {
    fields.errorCode = task.errorCode;
    fields.error = task.errorMessage;
  }
  const where = task.slotId === null ? '' : ` on slot ${task.slotId}`;
  const msg = from === null ? `task ${task.id} accepted` : `task ${task.id} ${from} → ${task.state}${where}`;
  return { level: task.state === 'failed' ? 'warn' : 'info', fields, msg };
}

/** Who announces changes: the gateway's tasks module, or a remote runner's attempts of its own. */
export interface ChangeFeed {
  on(event: 'change', listener: (c: TaskChange) => void): unknown;
  off(event: 'change', listener: (c: TaskChange) => void): unknown;
}

/** Log every transition the feed announces; returns a function that stops logging. */
export function attachTaskLog(lifecycle: ChangeFeed, log: Logger): () => void {
  const onChange = (c: TaskChange) => {
    const line = taskLogLine(c);
    if (line) log[line.level](line.fields, line.msg);
  };
  lifecycle.on('change', onChange);
  return () => lifecycle.off('change', onChange);
}

