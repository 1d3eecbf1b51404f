/**
 * The scheduler: keeps every healthy slot busy while work is queued. It pumps the queue into
 * slots (idle slots first, then pipelined ones), wakes up for delayed retries, probes slot
 * health in the background, recovers after a crash, and handles cancel / retry / shutdown.
 */
import { ACTIVE_STATES, type Task } from '../domain/task.js';
import type { Logger } from '../logger.js';
import type { TaskStore } from '../store/task-store.js';
import type { Clock } from './clock.js';
import type { TaskLifecycle } from './lifecycle.js';
import type { SlotRunner } from './slot-runner.js';

export interface SchedulerOptions {
  healthProbeIntervalMs: number;
  /** With a store shared between processes, poll for work others queued. */
  sharedPollMs?: number;
}

export class Scheduler {
  private pumping = false;
  private pumpAgain = false;
  private stopped = true;
  private retryTimer: NodeJS.Timeout | null = null;
  private probeTimer: NodeJS.Timeout | null = null;
  private sharedTimer: NodeJS.Timeout | null = null;

  constructor(
    readonly runners: SlotRunner[],
    private readonly store: TaskStore,
    private readonly lifecycle: TaskLifecycle,
    private readonly clock: Clock,
    private readonly opts: SchedulerOptions,
    private readonly log: Logger,
  ) {
    for (const r of runners) r.onIdle = () => this.notify();
  }

  /** Recover what a crash or stop left behind, then start taking work. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.recover();
    this.probeTimer = setInterval(() => void this.probeAll(), this.opts.healthProbeIntervalMs);
    this.probeTimer.unref();
    if ((this.store as { shared?: boolean }).shared) {
      // Another process's submits don't call our notify(): look for work on an interval.
      this.sharedTimer = setInterval(() => this.notify(), this.opts.sharedPollMs ?? 500);
      this.sharedTimer.unref();
    }
    this.notify();
  }

  /**
   * A task that was rendering with its job accepted by the container is re-attached on the
   * same slot by `code` (the container's job table is per container). Everything else that was
   * mid-flight goes back to the queue in its original order.
   */
  private async recover(): Promise<void> {
    const mine = new Set(this.runners.map((r) => r.id));
    // With a shared store other live processes own other slots (slot ids are unique across a
    // deployment): recover only ours. Alone, whatever was in flight is ours to recover.
    const shared = (this.store as { shared?: boolean }).shared === true;
    const active = (await this.store.listInStates([...ACTIVE_STATES])).filter((t) => !shared || (t.slotId !== null && mine.has(t.slotId)));
    for (const task of active) {
      const runner = this.runners.find((r) => r.id === task.slotId);
      // `rendering` without the submitted flag too: the process may have died between the
      // container accepting the job and the flag being written. Re-attaching queries by code
      // first and submits only when the container has neither the job nor its result.
      if (runner && (task.state === 'rendering' || task.state === 'collecting') && task.audioPath) {
        this.log.info({ taskId: task.id, slot: runner.id }, 're-attaching render after restart');
        runner.resume(task);
      } else {
        this.log.info({ taskId: task.id, state: task.state }, 're-queued after restart');
        await this.lifecycle.requeue(task, `re-queued after restart (was ${task.state})`);
      }
    }
  }

  /** Something changed (new task, slot freed, slot healthy again): fill free slots. */
  notify(): void {
    if (this.stopped) return;
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    void this.pump()
      .catch((err: unknown) => this.log.error({ err }, 'scheduler pump failed'))
      .finally(() => {
        this.pumping = false;
        if (this.pumpAgain) {
          this.pumpAgain = false;
          this.notify();
        }
      });
  }

  private async pump(): Promise<void> {
    for (;;) {
      if (this.stopped) return;
      // Least-loaded first: an idle GPU beats pipelining onto a busy one.
      const runner = this.runners.filter((r) => r.canAccept()).sort((a, b) => a.load - b.load)[0];
      if (!runner) return;
      const task = await this.store.claimNext(runner.id, this.clock.now());
      if (!task) {
        await this.armRetryTimer();
        return;
      }
      this.lifecycle.emit('change', { task, from: 'queued' });
      runner.start(task);
    }
  }

  /** Delayed retries: wake up when the earliest one becomes available. */
  private async armRetryTimer(): Promise<void> {
    const at = await this.store.nextAvailableAt();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    if (at === null) return;
    const delay = Math.max(5, at - this.clock.now());
    this.retryTimer = setTimeout(() => this.notify(), delay);
    this.retryTimer.unref();
  }

  async probeAll(): Promise<void> {
    await Promise.all(this.runners.map((r) => r.probe(this.clock.now()).catch(() => false)));
  }

  runnerOf(taskId: string): SlotRunner | undefined {
    return this.runners.find((r) => r.taskIds.includes(taskId));
  }

  /** Cancel: record it first (the task ends now), then abort the work that may be running. */
  async cancel(id: string): Promise<Task | undefined> {
    const task = await this.lifecycle.cancel(id);
    if (task) this.runnerOf(id)?.abort(id, 'cancel');
    return task;
  }

  async retry(task: Task): Promise<Task | undefined> {
    const next = await this.lifecycle.retry(task);
    this.notify();
    return next;
  }

  /** Stop taking work; let in-flight tasks finish within `graceMs`, then hand them back. */
  async stop(graceMs: number): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.probeTimer) clearInterval(this.probeTimer);
    if (this.sharedTimer) clearInterval(this.sharedTimer);
    await Promise.all(this.runners.map((r) => r.drain(graceMs)));
  }
}
