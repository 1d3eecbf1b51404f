/**
 * The attempt port (runner/attempt.ts) on a remote runner, over the gateway's runner API: each
 * call of SlotRunner or TaskPipeline is one call of the protocol (docs/runners.md), fenced by
 * the attempt's number and lease token. No lifecycle and no store here: the gateway's
 * RunnerService hands the move to its tasks module, which decides — a failure is reported with
 * whether it is retryable, and the gateway's retry policy alone says retry or fail.
 *
 * A state move travels pipeline → RemoteAttempts → HTTP → RunnerService → tasks module/store
 * (docs/architecture.md). While the gateway is away a move waits it out like a local move waits
 * out its database (tasks/store-retry.ts); the heartbeats keep the lease meanwhile.
 */
import type { EventEmitter } from 'node:events';
import { TaskError } from '../domain/errors.js';
import { canTransition, fenceOf, type Fence, type Task, type TaskState } from '../domain/task.js';
import type { Logger } from '../logger.js';
import type { AttemptPort } from '../runner/attempt.js';
import type { HeartbeatResult, TaskPatch } from '../store/task-store.js';
import type { Clock } from '../tasks/clock.js';
import type { TaskChange } from '../tasks/lifecycle.js';
import { completedPatch, type TaskResult } from '../tasks/patches.js';
import { untilStored } from '../tasks/store-retry.js';
import type { HeldJobs } from './held-jobs.js';
import { GatewayUnreachable, type RunnerApi } from './runner-api.client.js';
import type { WireJob } from './runner-service.js';

const FORWARD: ReadonlySet<TaskState> = new Set(['reserved', 'tts', 'rendering', 'collecting']);

/** Runner-local paths and fields the gateway sets itself never go on the wire. */
function wirePatch(patch: TaskPatch): Record<string, unknown> {
  const { referenceAudio: _r, audioPath: _a, outputPath: _o, attempts: _n, slotId: _s, availableAt: _v, ...rest } = patch;
  return rest;
}

/** The runner's announcements of its own moves (its task log; the scheduler's pump). */
export type RunnerChanges = EventEmitter<{ change: [TaskChange] }>;

export class RemoteAttempts implements AttemptPort {
  constructor(
    private readonly api: RunnerApi,
    private readonly jobs: HeldJobs,
    private readonly changes: RunnerChanges,
    private readonly clock: Clock,
    private readonly log: Logger,
    /** The lease the gateway gave (learnt at registration). */
    private readonly leaseMs: () => number,
  ) {}

  async advance(task: Task, to: TaskState, patch: TaskPatch, signal?: AbortSignal): Promise<Task | undefined> {
    const fence = fenceOf(task);
    if (!fence || !FORWARD.has(to) || !canTransition(task.state, to)) return undefined;
    return this.durably(task, `move to ${to}`, signal, async () => {
      this.jobs.remember(task.id, patch);
      const r = await this.api.call<WireJob>('POST', `/jobs/${task.id}/transition`, { fence, body: { from: task.state, to, patch: wirePatch(patch) } });
      return this.announce(this.answer(r, to), task.state);
    });
  }

  async progress(task: Task, patch: TaskPatch): Promise<boolean> {
    const fence = fenceOf(task);
    if (!fence) return false;
    try {
      if (!(await this.update(task.id, fence, patch))) return false;
    } catch (err) {
      this.log.warn({ err, taskId: task.id, attempt: task.attempt }, 'progress update not stored');
      return false;
    }
    return this.progressed(task, patch);
  }

  async record(task: Task, patch: TaskPatch, signal?: AbortSignal): Promise<boolean> {
    const fence = fenceOf(task);
    if (!fence) return false;
    const ok = await this.durably(task, 'progress', signal, () => this.update(task.id, fence, patch));
    return ok && this.progressed(task, patch);
  }

  async renew(task: Task): Promise<HeartbeatResult> {
    const fence = fenceOf(task);
    if (!fence) return 'lost';
    // One try: the next beat tries again, and the lease runs several beats.
    const r = await this.api.call<{ result: HeartbeatResult; canceled: boolean }>('POST', `/jobs/${task.id}/heartbeat`, { fence, retryForMs: 0 });
    if (r.status !== 200) throw new Error(`heartbeat answered ${r.status}`);
    // Lost (canceled, reaped, superseded): the container is drained by the slot; nothing of the
    // job is kept here.
    if (r.body.result === 'lost') await this.jobs.forget(task.id);
    return r.body.result;
  }

  /** The result upload; a refusal (the attempt is no longer ours) records nothing and keeps no file. */
  async complete(task: Task, result: TaskResult, signal?: AbortSignal): Promise<Task | undefined> {
    const fence = fenceOf(task);
    if (!fence || !canTransition(task.state, 'completed')) return undefined;
    const patch = completedPatch(result, this.clock.now());
    return this.durably(task, 'move to completed', signal, async () => {
      const form = await this.api.resultForm({ video: result.outputPath, speech: this.jobs.speechOf(task.id) }, wirePatch(patch));
      const r = await this.api.call<WireJob>('POST', `/jobs/${task.id}/success`, { fence, form, timeoutMs: 10 * 60_000 });
      if (r.status === 422) throw new TaskError('result_invalid', `The gateway refused the result: ${r.body.error ?? ''}`, { retryable: true });
      if (r.status === 410 || r.status === 409) this.log.warn({ taskId: task.id, attempt: fence.attempt, code: r.body.code }, "result refused: the attempt is no longer this runner's; output discarded");
      const done = this.answer(r, 'completed');
      await this.jobs.forget(task.id);
      return this.announce(done, task.state);
    });
  }

  /** The attempt failed here: reported once, with whether it may be retried; the gateway decides. */
  async fail(task: Task, err: TaskError, signal?: AbortSignal): Promise<Task | undefined> {
    return this.durably(task, `end of attempt (${err.code})`, signal, () => this.failOnce(task, err));
  }

  /** `fail`, one call (its own retries only): the gateway away for longer throws. */
  async failOnce(task: Task, err: TaskError): Promise<Task | undefined> {
    const fence = fenceOf(task);
    if (!fence) return undefined;
    const retryable = Boolean(err.retryable);
    const r = await this.api.call<WireJob>('POST', `/jobs/${task.id}/error`, { fence, body: { code: err.code, message: err.message, retryable } });
    const next = this.answer(r, retryable ? 'queued' : 'failed');
    await this.jobs.forget(task.id);
    return this.announce(next, task.state);
  }

  /** Hand the job back (a restart, or a shutdown before its render): queued again at once. */
  async handBack(task: Task): Promise<Task | undefined> {
    const fence = fenceOf(task);
    if (!fence) return undefined;
    const r = await this.api.call<WireJob>('POST', `/jobs/${task.id}/abort`, { fence, retryForMs: 5000 });
    await this.jobs.forget(task.id);
    return this.announce(r.status === 200 ? this.jobs.localize(r.body) : undefined, task.state);
  }

  /** Late upload of an attempt found in the journal after a restart (see runner-node.ts); the gateway's answer. */
  async offerLateResult(job: Task, fence: Fence, outPath: string): Promise<number> {
    const form = await this.api.resultForm({ video: outPath, speech: this.jobs.speechOf(job.id) }, {});
    const r = await this.api.call('POST', `/jobs/${job.id}/success`, { fence, form, timeoutMs: 10 * 60_000 });
    await this.jobs.forget(job.id);
    return r.status;
  }

  /** Progress inside a phase: local paths kept here, the rest sent; true when there was nothing to send. */
  private async update(id: string, fence: Fence, patch: TaskPatch): Promise<boolean> {
    this.jobs.remember(id, patch);
    const wire = wirePatch(patch);
    if (!Object.keys(wire).length) return true;
    if (wire.renderSubmitted) await this.jobs.journal.update(id, { renderSubmitted: true });
    const r = await this.api.call('POST', `/jobs/${id}/update`, { fence, body: { patch: wire }, retryForMs: Math.min(5000, this.leaseMs() / 2) });
    return r.status === 200;
  }

  private progressed(task: Task, patch: TaskPatch): true {
    Object.assign(task, patch);
    this.changes.emit('change', { task: { ...task }, from: task.state });
    return true;
  }

  /** A call that must land: tried again while the gateway is away, until `signal` aborts. */
  private durably<T>(task: Task, what: string, signal: AbortSignal | undefined, call: () => Promise<T>): Promise<T> {
    return untilStored(call, { what, log: this.log, fields: { taskId: task.id, attempt: task.attempt }, signal });
  }

  private answer(r: { status: number; body: WireJob & { code?: string } }, to: TaskState): Task | undefined {
    if (r.status === 200) return this.jobs.localize(r.body);
    if (r.status === 409 || r.status === 410 || r.status === 404) return undefined;
    // Still away after the call's retries (its database, a proxy in front) or its disk full: wait,
    // keep the result (the heartbeats keep the lease meanwhile).
    if (r.status === 502 || r.status === 503 || r.status === 504 || r.status === 507) throw new GatewayUnreachable(`a move to ${to}`, new Error(`HTTP ${r.status} ${r.body.code ?? ''}`));
    throw new TaskError('engine_unreachable', `gateway answered ${r.status} to a move to ${to}: ${r.body.code ?? ''}`, { retryable: true });
  }

  private announce(next: Task | undefined, from: TaskState): Task | undefined {
    if (next) this.changes.emit('change', { task: next, from });
    return next;
  }
}
