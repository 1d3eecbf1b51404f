/**
 * The one writer of task rows (docs/architecture.md, "Who owns what"): intake, claims, lease
 * renewals, every phase of the pipeline, completion, failure, cancel and retry requests, the
 * lease reaper and crash recovery all go through here, so events for live updates are emitted
 * once and failure handling (retry with backoff, or fail) is decided once. No other module
 * calls the store's row-writing methods (`create`, `claimNext`, `transition`, `patch`,
 * `heartbeat`, `reclaim`, `setTitle`, `deleteTasks`); test/architecture.test.ts checks it. Moves made for an attempt carry
 * its fence (attempt number + lease token), so a late answer of an older attempt changes
 * nothing (docs/lifecycle.md).
 */
import { EventEmitter } from 'node:events';
import { retryElsewhere, TaskError } from '../domain/errors.js';
import { ACTIVE_STATES, canTransition, fenceOf, isFinal, type CheckFinding, type Fence, type Task, type TaskState } from '../domain/task.js';
import type { Logger } from '../logger.js';
import type { ClaimRequest, HeartbeatResult, NewTask, TaskPatch, TaskStore } from '../store/task-store.js';
import type { PrunedRows } from '../store/record-prune.js';
import type { Clock } from './clock.js';
import { ATTEMPT_RESET, canceledPatch, completedPatch, failedPatch, requeuedPatch, RETRY_PATCH, type TaskResult } from './patches.js';
import { untilStored } from './store-retry.js';

export interface TaskChange {
  task: Task;
  /** The state before the change; null when unknown (new task, or a change made by another node). */
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

const ACTIVE = [...ACTIVE_STATES];

export class TaskLifecycle extends EventEmitter<{ change: [TaskChange]; edited: [string] }> {
  private readonly unsubscribe: () => void;

  constructor(
    private readonly store: TaskStore,
    private readonly clock: Clock,
    private readonly policy: RetryPolicy,
    private readonly log?: Logger,
  ) {
    super();
    this.setMaxListeners(0);
    // Another node moved a task: announce it here too (SSE, queue caches, local aborts).
    this.unsubscribe = store.onRemoteChange((id) => {
      void store
        .get(id)
        .then((task) => task && this.emit('change', { task, from: null }))
        .catch((err: unknown) => this.log?.warn({ err, taskId: id }, 'could not read a task changed by another node'));
    });
  }

  async current(id: string): Promise<Task | undefined> {
    return this.store.get(id);
  }

  /**
   * Intake: store a new task's rows — one task, or a parent (stored first) with its segments in
   * script order, which is their queue order (docs/segments.md). Not yet announced: the caller
   * calls `accepted` once everything that belongs to the task is stored too (a batch announces
   * its rows after the last one).
   */
  async insert(task: NewTask, segments: readonly NewTask[] = []): Promise<Task> {
    const first = await this.store.create(segments.length ? { ...task, segmentCount: segments.length } : task);
    for (const s of segments) await this.store.create({ ...s, parentId: first.id });
    return first;
  }

  /**
   * The name the user gave a task (PATCH /api/tasks/:id); false when the task is gone. Announced
   * as `edited`, not as a change: listeners read a change of a finished task as its finish (the
   * ETA model and the speaking rate would learn from it twice); answer caches drop the task.
   */
  async rename(task: Task, title: string | null): Promise<boolean> {
    const ok = await this.store.setTitle(task.id, title);
    if (ok) this.emit('edited', task.id);
    return ok;
  }

  /**
   * Delete a finished task's rows with its parts' and its side rows (DELETE /api/tasks/:id).
   * The store deletes nothing while a part is still running (a backup render): `tasks: 0`.
   */
  async remove(task: Task): Promise<PrunedRows> {
    const rows = await this.store.deleteTasks([task.id]);
    if (rows.tasks > 0) this.emit('edited', task.id);
    return rows;
  }

  /** Announce newly stored tasks (schedulers pump, runners waiting for work wake up). */
  accepted(task: Task): void {
    this.emit('change', { task, from: null });
  }

  /**
   * Take the oldest available task for `req.slotId` as a new attempt (the store opens it with a
   * fresh lease) and announce the claim.
   */
  async claim(req: ClaimRequest): Promise<Task | undefined> {
    const task = await this.store.claimNext(req);
    if (task) this.emit('change', { task, from: 'queued' });
    return task;
  }

  /** Extend the lease of an attempt; `lost` when it is no longer current (canceled, reaped, taken over). */
  async renew(id: string, fence: Fence, leaseMs: number): Promise<HeartbeatResult> {
    return this.store.heartbeat(id, fence, this.clock.now(), leaseMs);
  }

  /**
   * A move made for the task's current attempt (fenced by the task's own lease, when it has
   * one). undefined when the move is illegal, lost its compare-and-set, or the attempt is over.
   */
  async move(task: Task, to: TaskState, patch: TaskPatch = {}, message?: string): Promise<Task | undefined> {
    if (!canTransition(task.state, to)) return undefined;
    const fence = fenceOf(task) ?? undefined;
    const next = await this.store.transition(task.id, { from: task.state, fence }, to, patch, this.clock.now(), message);
    return this.announce(next, task.state);
  }

  /**
   * A worker's move of its own attempt that must survive a database outage: tried again while
   * the store is away, until it lands or `signal` aborts (docs/operations.md, "When the database
   * goes away"). A try whose answer was lost with its connection may have been applied: when a
   * later try matches nothing, the task is read back and the move counts as done if the row
   * shows exactly it (same attempt, the target state, still this attempt's lease or final).
   */
  async moveDurably(task: Task, to: TaskState, patch: TaskPatch = {}, signal?: AbortSignal): Promise<Task | undefined> {
    let retried = false;
    return untilStored(
      async () => {
        const next = await this.move(task, to, patch);
        if (next || !retried) return next;
        const now = await this.store.get(task.id);
        const applied = now && now.state === to && now.attempt === task.attempt && (isFinal(to) || now.leaseToken === task.leaseToken);
        return applied ? this.announce(now, task.state) : undefined;
      },
      { what: `move to ${to}`, log: this.log, fields: { taskId: task.id, attempt: task.attempt }, signal, onRetry: () => (retried = true) },
    );
  }

  /** collecting → completed with the attempt's result (the one way a task completes). */
  async complete(task: Task, result: TaskResult): Promise<Task | undefined> {
    return this.move(task, 'completed', completedPatch(result, this.clock.now()));
  }

  /** `complete`, tried again while the store is away (a worker's own result). */
  async completeDurably(task: Task, result: TaskResult, signal?: AbortSignal): Promise<Task | undefined> {
    return this.moveDurably(task, 'completed', completedPatch(result, this.clock.now()), signal);
  }

  /**
   * End a task that holds no attempt of its own (a parent of segments) as failed, with the
   * error of what failed underneath; `message` goes to its event trail, `checks` are the output
   * check's findings when that is what failed.
   */
  async end(task: Task, err: Pick<TaskError, 'code' | 'message'>, message?: string, checks?: CheckFinding[]): Promise<Task | undefined> {
    return this.move(task, 'failed', failedPatch(err, this.clock.now(), undefined, checks), message);
  }

  /** Progress that must not be skipped (the speech of a task): tried again while the store is away. */
  async progressDurably(task: Task, patch: TaskPatch, signal?: AbortSignal): Promise<boolean> {
    const fence = fenceOf(task);
    if (!fence) return false;
    const ok = await untilStored(() => this.store.patch(task.id, fence, patch, this.clock.now()), { what: 'progress', log: this.log, fields: { taskId: task.id, attempt: task.attempt }, signal });
    if (!ok) return false;
    Object.assign(task, patch);
    this.emit('change', { task: { ...task }, from: task.state });
    return true;
  }

  /** `failed`, tried again while the store is away (fenced: a late retry changes nothing). */
  async failedDurably(task: Task, err: TaskError, signal?: AbortSignal): Promise<Task | undefined> {
    return untilStored(() => this.failed(task, err), { what: `end of attempt (${err.code})`, log: this.log, fields: { taskId: task.id, attempt: task.attempt }, signal });
  }

  private announce(next: Task | undefined, from: TaskState | null): Task | undefined {
    if (next) this.emit('change', { task: next, from });
    return next;
  }

  /**
   * Progress inside a phase for the current attempt: persisted, and announced when it
   * changed. Never throws: a lost lease or a storage fault only skips the update (the
   * heartbeat notices a lost lease; the next transition reports a storage fault).
   */
  async progress(task: Task, patch: TaskPatch): Promise<boolean> {
    const fence = fenceOf(task);
    if (!fence) return false;
    try {
      if (!(await this.store.patch(task.id, fence, patch, this.clock.now()))) return false;
    } catch (err) {
      this.log?.warn({ err, taskId: task.id, attempt: task.attempt }, 'progress update not stored');
      return false;
    }
    Object.assign(task, patch);
    this.emit('change', { task: { ...task }, from: task.state });
    return true;
  }

  /**
   * The current attempt failed: retryable faults go back to the queue (same order, later
   * availability) until attempts run out; everything else ends the task with its code.
   * Fenced: a failure reported by an attempt that is no longer current changes nothing.
   */
  async failed(task: Task, err: TaskError, guard: { leaseExpiredBy?: number } = {}): Promise<Task | undefined> {
    // An attempt ended by a database outage is not the task's fault: it does not use up an attempt.
    const attempts = err.code === 'store_unavailable' ? task.attempts : task.attempts + 1;
    const now = this.clock.now();
    const fence = fenceOf(task) ?? undefined;
    const retry = err.retryable && attempts < this.policy.maxAttempts;
    const elsewhere = retry && task.slotId !== null && retryElsewhere(err.code, task.parentId !== null);
    const next = retry
      ? await this.store.transition(
          task.id,
          { from: ACTIVE, fence, ...guard },
          'queued',
          {
            ...requeuedPatch(err, attempts, err.code === 'lease_expired' || err.code === 'node_restarted' || err.code === 'store_unavailable' ? now : now + retryDelayMs(attempts, this.policy.retryBaseDelayMs)),
            // a bad result (or a segment's failed attempt) is tried on another GPU next (docs/lifecycle.md)
            ...(elsewhere ? { avoidSlots: [...new Set([...task.avoidSlots, task.slotId!])] } : {}),
          },
          now,
          `attempt ${task.attempt} ended (${err.code}); retry ${attempts}/${this.policy.maxAttempts - 1}`,
        )
      : await this.store.transition(task.id, { from: ACTIVE, fence, ...guard }, 'failed', failedPatch(err, now, attempts), now, `attempt ${task.attempt} ended (${err.code})`);
    return this.announce(next, task.state);
  }

  /** The reaper: an attempt whose lease expired ends; the task is queued again (or fails). */
  async expire(task: Task): Promise<Task | undefined> {
    const holder = task.leaseHolder ?? 'unknown';
    return this.failed(task, new TaskError('lease_expired', `The worker (${holder}) stopped renewing its lease during ${task.state}`, { retryable: true }), {
      leaseExpiredBy: this.clock.now(),
    });
  }

  /** A restarted node hands back an attempt it cannot continue (not re-attachable). */
  async interrupted(task: Task): Promise<Task | undefined> {
    return this.failed(task, new TaskError('node_restarted', `Interrupted by a restart of ${task.leaseHolder ?? 'its node'} during ${task.state}`, { retryable: true }));
  }

  /**
   * A restarted node takes its own live attempt back (fresh token, same attempt). It counts
   * against maxAttempts, so a task that keeps crashing its node ends failed instead of looping.
   */
  async reclaim(task: Task, holder: string, leaseMs: number): Promise<Task | undefined> {
    const fence = fenceOf(task);
    if (!fence) return undefined;
    const now = this.clock.now();
    const back = await this.store.reclaim(task.id, fence, holder, now, leaseMs);
    if (!back) return undefined;
    const attempts = back.attempts + 1;
    if (attempts >= this.policy.maxAttempts) {
      await this.failed(back, new TaskError('node_restarted', `Its node restarted ${attempts} times while working on it`));
      return undefined;
    }
    const f = fenceOf(back)!;
    await this.store.patch(back.id, f, { attempts }, now);
    return { ...back, attempts };
  }

  /**
   * Cancel from any non-final state (ends the lease, so its holder stops); undefined when
   * already final. A cancel that loses a race with a worker's move tries again on the new state.
   * Local work is stopped by the announcement, once: the scheduler of the node running the
   * attempt aborts it when it sees the change (another node's through the store's notification).
   */
  async cancel(id: string): Promise<Task | undefined> {
    for (let tries = 0; tries < 5; tries++) {
      const task = await this.store.get(id);
      if (!task || isFinal(task.state)) return undefined;
      const now = this.clock.now();
      const next = await this.store.transition(id, { from: task.state }, 'canceled', canceledPatch(now), now);
      if (next) return this.announce(next, task.state);
    }
    return undefined;
  }

  /** Put a failed or canceled task back in the queue; its next claim is a new attempt. */
  async retry(task: Task): Promise<Task | undefined> {
    if (task.state !== 'failed' && task.state !== 'canceled') return undefined;
    const next = await this.store.transition(
      task.id,
      { from: task.state },
      'queued',
      RETRY_PATCH,
      this.clock.now(),
      'retry requested',
    );
    return this.announce(next, task.state);
  }

  /** A task from before leases existed (no token) that was in flight: queue it again. */
  async requeueUnleased(task: Task, message: string): Promise<Task | undefined> {
    if (task.leaseToken) return undefined;
    const next = await this.store.transition(task.id, { from: task.state }, 'queued', ATTEMPT_RESET, this.clock.now(), message);
    return this.announce(next, task.state);
  }

  close(): void {
    this.unsubscribe();
  }
}
