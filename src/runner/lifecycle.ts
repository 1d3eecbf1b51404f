/**
 * The one place that moves tasks between states (docs/lifecycle.md): every phase of the pipeline,
 * the cancel and retry requests and crash recovery go through here, so events for live
 * updates are emitted once and failure handling (retry with backoff, or fail) is decided once.
 */
import { EventEmitter } from 'node:events';
import type { TaskError } from '../domain/errors.js';
import { canTransition, type Task, type TaskState } from '../domain/task.js';
import type { TaskPatch, TaskStore } from '../store/task-store.js';
import type { Clock } from './clock.js';

export interface TaskChange {
  task: Task;
  from: TaskState | null;
}

export interface RetryPolicy {
  maxAttempts: number;
  retryBaseDelayMs: number;
}

/** Exponential backoff with full jitter, capped at 60 s. `random` is injectable for tests. */
export function retryDelayMs(attempt: number, baseMs: number, random: () => number = Math.random): number {
  const cap = Math.min(60_000, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(cap / 2 + random() * (cap / 2));
}

export class TaskLifecycle extends EventEmitter<{ change: [TaskChange] }> {
  constructor(
    private readonly store: TaskStore,
    private readonly clock: Clock,
    private readonly policy: RetryPolicy,
  ) {
    super();
    this.setMaxListeners(0);
  }

  async current(id: string): Promise<Task | undefined> {
    return this.store.get(id);
  }

  /** Record a newly accepted task (already persisted). */
  accepted(task: Task): void {
    this.emit('change', { task, from: null });
  }

  /** undefined when the move is illegal from the task's state or lost its compare-and-set. */
  async move(task: Task, to: TaskState, patch: TaskPatch = {}, message?: string): Promise<Task | undefined> {
    if (!canTransition(task.state, to)) return undefined;
    const next = await this.store.transition(task.id, task.state, to, patch, this.clock.now(), message);
    if (next) this.emit('change', { task: next, from: task.state });
    return next;
  }

  /** Progress inside a phase: persisted, and announced only when it changed. */
  async progress(task: Task, patch: TaskPatch): Promise<void> {
    if (await this.store.patch(task.id, task.state, patch, this.clock.now())) {
      Object.assign(task, patch);
      this.emit('change', { task: { ...task }, from: task.state });
    }
  }

  /**
   * A failed attempt: retryable faults go back to the queue (same order, later availability)
   * until attempts run out; everything else ends the task with its code.
   */
  async failed(task: Task, err: TaskError): Promise<Task | undefined> {
    const attempts = task.attempts + 1;
    const now = this.clock.now();
    if (err.retryable && attempts < this.policy.maxAttempts) {
      return this.move(
        task,
        'queued',
        {
          attempts,
          availableAt: now + retryDelayMs(attempts, this.policy.retryBaseDelayMs),
          slotId: null,
          engineProgress: 0,
          renderSubmitted: false,
          errorCode: err.code,
          errorMessage: err.message,
        },
        `retry ${attempts}/${this.policy.maxAttempts - 1} after ${err.code}`,
      );
    }
    return this.move(task, 'failed', { attempts, errorCode: err.code, errorMessage: err.message, finishedAt: now });
  }

  async requeue(task: Task, message: string): Promise<Task | undefined> {
    return this.move(task, 'queued', { slotId: null, engineProgress: 0, renderSubmitted: false }, message);
  }

  /** Cancel from any non-final state; undefined when the task already ended. */
  async cancel(id: string): Promise<Task | undefined> {
    const task = await this.store.get(id);
    if (!task) return undefined;
    return this.move(task, 'canceled', { errorCode: 'canceled', errorMessage: 'Canceled by request', finishedAt: this.clock.now() });
  }

  /** Put a failed or canceled task back in the queue as a fresh attempt. */
  async retry(task: Task): Promise<Task | undefined> {
    return this.move(
      task,
      'queued',
      { attempts: 0, availableAt: 0, slotId: null, engineProgress: 0, renderSubmitted: false, errorCode: null, errorMessage: null, finishedAt: null, outputPath: null },
      'retry requested',
    );
  }
}
