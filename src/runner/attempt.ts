/**
 * The attempt port: everything a slot's runner and the task pipeline do with the attempt they
 * hold — step it forward, report progress, renew its lease, complete it, report its failure,
 * hand it back. They never see the store or the lifecycle behind it. Every call is fenced by
 * the attempt (its number and lease token): an answer of an attempt that is no longer current
 * changes nothing and comes back `undefined` / `false` / `lost`.
 *
 * Adapters: `LocalAttempts` (below) over the gateway's tasks module for the gateway's own
 * slots; on a remote runner `RemoteAttempts` (runners/remote-attempts.ts) over the runner API.
 * Which verdict a failure gets (retry or fail) is the tasks module's (tasks/lifecycle.ts
 * `failed`), decided once, on the gateway, where the task's row is.
 */
import type { TaskError } from '../domain/errors.js';
import { fenceOf, type Task, type TaskState } from '../domain/task.js';
import type { HeartbeatResult, TaskPatch } from '../store/task-store.js';
import type { TaskLifecycle } from '../tasks/lifecycle.js';
import type { TaskResult } from '../tasks/patches.js';

export interface AttemptPort {
  /** One step forward; waits out an outage of the store until `signal` aborts. */
  advance(task: Task, to: TaskState, patch: TaskPatch, signal?: AbortSignal): Promise<Task | undefined>;
  /** Progress that may be skipped (engine progress, the submitted flag): never throws. */
  progress(task: Task, patch: TaskPatch): Promise<boolean>;
  /** Progress that must not be skipped (the speech of a task): waits out an outage. */
  record(task: Task, patch: TaskPatch, signal?: AbortSignal): Promise<boolean>;
  /** Extend the lease; `lost` when the attempt ended elsewhere (canceled, reaped, taken over). */
  renew(task: Task, leaseMs: number): Promise<HeartbeatResult>;
  /** collecting → completed with the result; waits out an outage. */
  complete(task: Task, result: TaskResult, signal?: AbortSignal): Promise<Task | undefined>;
  /** The attempt failed: the owner of the task decides retry or fail; waits out an outage. */
  fail(task: Task, err: TaskError, signal?: AbortSignal): Promise<Task | undefined>;
  /** Give the attempt back unfinished (a node stopping or restarted): queued again at once. */
  handBack(task: Task): Promise<Task | undefined>;
}

/** The attempt port over the tasks module (the gateway's own slots). */
export class LocalAttempts implements AttemptPort {
  constructor(private readonly lifecycle: TaskLifecycle) {}

  advance(task: Task, to: TaskState, patch: TaskPatch, signal?: AbortSignal): Promise<Task | undefined> {
    return this.lifecycle.moveDurably(task, to, patch, signal);
  }

  progress(task: Task, patch: TaskPatch): Promise<boolean> {
    return this.lifecycle.progress(task, patch);
  }

  record(task: Task, patch: TaskPatch, signal?: AbortSignal): Promise<boolean> {
    return this.lifecycle.progressDurably(task, patch, signal);
  }

  async renew(task: Task, leaseMs: number): Promise<HeartbeatResult> {
    const fence = fenceOf(task);
    return fence ? this.lifecycle.renew(task.id, fence, leaseMs) : 'lost';
  }

  complete(task: Task, result: TaskResult, signal?: AbortSignal): Promise<Task | undefined> {
    return this.lifecycle.completeDurably(task, result, signal);
  }

  fail(task: Task, err: TaskError, signal?: AbortSignal): Promise<Task | undefined> {
    return this.lifecycle.failedDurably(task, err, signal);
  }

  handBack(task: Task): Promise<Task | undefined> {
    return this.lifecycle.interrupted(task);
  }
}
