/**
 * The scheduler's work source (runner/work-source.ts) on a remote runner, over the gateway's
 * runner API: registering and reporting this host's slots, the long-polled work request (the
 * claim), and after a restart the jobs the gateway says this runner still holds. The gateway
 * keeps the slot registry and runs the reaper; a runner has no store of its own.
 */
import { TaskError } from '../domain/errors.js';
import type { Task } from '../domain/task.js';
import type { Logger } from '../logger.js';
import type { ClaimRequest, SlotRecord } from '../store/task-store.js';
import type { TaskChange } from '../tasks/lifecycle.js';
import type { WorkSource } from '../runner/work-source.js';
import { fenceOfJob, type HeldJobs } from './held-jobs.js';
import type { RemoteAttempts, RunnerChanges } from './remote-attempts.js';
import type { RunnerApi } from './runner-api.client.js';
import type { WireJob } from './runner-service.js';

/** What the gateway told this runner at registration. */
export interface LeaseTerms {
  nodeId: string;
  leaseMs: number;
  heartbeatMs: number;
}

export class RemoteWork implements WorkSource {
  /** The gateway's queue is shared with its own slots and other runners. */
  readonly shared = true;
  terms: LeaseTerms = { nodeId: '', leaseMs: 30_000, heartbeatMs: 5000 };

  constructor(
    private readonly api: RunnerApi,
    private readonly jobs: HeldJobs,
    private readonly attempts: RemoteAttempts,
    private readonly changes: RunnerChanges,
    private readonly log: Logger,
    /** Long-poll wait of a work request. */
    private readonly pollWaitMs: number,
    /** Aborted when the runner stops: ends the pending work request. */
    private readonly closing: AbortSignal,
  ) {}

  /** Introduce this runner (idempotent): identity and lease terms. Throws on a refusal. */
  async connect(slotIds: number[], facts: { host: string; version: string }): Promise<LeaseTerms> {
    const r = await this.api.call<LeaseTerms>('POST', '/register', { body: { slots: slotIds, ...facts } });
    if (r.status !== 200) throw new Error(`the gateway refused this runner (${r.status} ${r.body.code ?? ''}): ${r.body.error ?? ''}`);
    this.terms = { nodeId: r.body.nodeId, leaseMs: r.body.leaseMs, heartbeatMs: r.body.heartbeatMs };
    return this.terms;
  }

  async registerSlots(_nodeId: string, slotIds: readonly number[]): Promise<SlotRecord[]> {
    const r = await this.api.call('POST', '/register', { body: { slots: slotIds } });
    if (r.status !== 200) throw new Error(`the gateway refused this runner's slots (${r.status} ${r.body.code ?? ''}): ${r.body.error ?? ''}`);
    return [];
  }

  async reportSlots(_nodeId: string, slots: ReadonlyArray<{ slotId: number; info: Record<string, unknown> }>): Promise<void> {
    await this.api.call('POST', '/slots', { body: { slots }, retryForMs: 0 });
  }

  async unregisterSlots(): Promise<void> {
    await this.api.call('POST', '/unregister', { retryForMs: 2000 });
  }

  /** The work request: the gateway's claim, long-polled. A job whose input cannot be fetched ends at once (retryable), the slot stays free. */
  async claim(req: ClaimRequest): Promise<Task | undefined> {
    if (this.closing.aborted) return undefined;
    let r;
    try {
      r = await this.api.call<{ job: WireJob | null }>('POST', '/jobs/request', { body: { slotId: req.slotId, waitMs: this.pollWaitMs }, timeoutMs: this.pollWaitMs + 15_000, signal: this.closing });
    } catch (err) {
      if (this.closing.aborted) return undefined;
      throw err;
    }
    if (r.status !== 200) throw new Error(`work request refused (${r.status} ${r.body.code ?? ''}): ${r.body.error ?? ''}`);
    const job = r.body.job;
    if (!job) return undefined;
    let task: Task;
    try {
      task = await this.jobs.accept(job, req.slotId);
    } catch (err) {
      this.log.warn({ taskId: job.id, err: (err as Error).message }, 'could not download the job input; handing it back');
      await this.api.call('POST', `/jobs/${job.id}/error`, { fence: fenceOfJob(job), body: { code: 'engine_unreachable', message: `input download failed: ${(err as Error).message}`, retryable: true } }).catch(() => undefined);
      await this.jobs.forget(job.id);
      return undefined;
    }
    this.changes.emit('change', { task, from: 'queued' });
    return task;
  }

  /** Always "ask again now": the next work request is itself a long poll. */
  async nextAvailableAt(): Promise<number | null> {
    return this.closing.aborted ? null : Date.now();
  }

  /** Jobs the gateway says this runner holds under a live lease (restart recovery, shutdown). */
  async inFlight(): Promise<Task[]> {
    const r = await this.api.call<{ jobs: WireJob[] }>('GET', '/jobs');
    if (r.status !== 200) throw new Error(`listing held jobs answered ${r.status}`);
    const out: Task[] = [];
    for (const job of r.body.jobs) out.push(await this.jobs.adopt(job));
    return out;
  }

  /** A restarted runner takes its own live attempt back (fresh token; the gateway counts it). */
  async reclaim(task: Task): Promise<Task | undefined> {
    if (!task.leaseToken) return undefined;
    const r = await this.api.call<WireJob>('POST', `/jobs/${task.id}/reclaim`, { fence: fenceOfJob(task) });
    if (r.status !== 200) return undefined;
    await this.jobs.journal.update(task.id, { leaseToken: r.body.leaseToken });
    return this.jobs.localize(r.body);
  }

  /** An attempt a restart interrupted before its render: reported as such; the gateway queues it again. */
  handBack(task: Task): Promise<Task | undefined> {
    const err = new TaskError('node_restarted', `Interrupted by a restart of ${task.leaseHolder ?? 'its node'} during ${task.state}`, { retryable: true });
    return this.attempts.failOnce(task, err);
  }

  /** The gateway hands out only leased attempts: nothing unleased reaches a runner. */
  async requeueUnleased(): Promise<Task | undefined> {
    return undefined;
  }

  /** The gateway's reaper ends expired attempts. */
  async listExpired(): Promise<Task[]> {
    return [];
  }

  async expire(): Promise<Task | undefined> {
    return undefined;
  }

  onChange(listener: (c: TaskChange) => void): () => void {
    this.changes.on('change', listener);
    return () => this.changes.off('change', listener);
  }
}
