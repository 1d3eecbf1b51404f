/**
 * The scheduler: keeps every healthy slot busy while work is queued. It pumps the queue into
 * slots (idle slots first, then pipelined ones), wakes up for delayed retries, probes slot
 * health in the background, and handles cancel / retry / shutdown. With leases it also
 *  - registers this node's slots in the store (refusing a slot id another live node drives),
 *  - reports them every heartbeat, so every node can show every GPU of the deployment,
 *  - reaps expired leases of any node (the task is queued again as a new attempt),
 *  - on start, reclaims its own live renders (re-attached by code) and hands back the rest.
 * See docs/lifecycle.md.
 */
import { isFinal, type Task } from '../domain/task.js';
import type { Logger } from '../logger.js';
import type { SlotRecord } from '../store/task-store.js';
import { isStoreUnavailable } from '../store/unavailable.js';
import { HOLDER_RETRY_MAX_DELAY_MS } from '../tasks/store-retry.js';
import type { Clock } from '../tasks/clock.js';
import type { TaskChange } from '../tasks/lifecycle.js';
import type { SlotRunner } from './slot-runner.js';
import type { WorkSource } from './work-source.js';
import type { Backups } from './ports.js';

export interface SchedulerOptions {
  healthProbeIntervalMs: number;
  /** With a store shared between processes: safety-net poll for work others queued. */
  sharedPollMs: number;
  leaseMs: number;
  heartbeatMs: number;
  reapIntervalMs: number;
  /**
   * A retry that should run on another GPU (its task avoids the claiming slot) waits this long
   * for one; 0 = no preference (docs/lifecycle.md, "Another GPU for a retry").
   */
  preferOtherSlotMs?: number;
}

/** Thrown at start when another live node already drives one of this node's slot ids. */
export class SlotConflictError extends Error {
  constructor(readonly conflicts: SlotRecord[], now: number) {
    super(
      `slot id${conflicts.length > 1 ? 's' : ''} ${conflicts.map((c) => `${c.slotId} (driven by node "${c.nodeId}", last seen ${Math.round((now - c.heartbeatAt) / 1000)} s ago)`).join(', ')} already in use: slot ids must be unique across the deployment — give this node other ids, or stop the other node`,
    );
    this.name = 'SlotConflictError';
  }
}

/** Facts about a slot this node reports to the store for the whole deployment to see. */
export type SlotInfo = (runner: SlotRunner) => Record<string, unknown>;

export class Scheduler {
  private pumping = false;
  private pumpAgain = false;
  private stopped = true;
  private readonly timers: NodeJS.Timeout[] = [];
  private retryTimer: NodeJS.Timeout | null = null;
  /** Since when the store has been unreachable for this node's background steps; null = reachable. */
  private storeAwaySince: number | null = null;
  /** After an outage the reaper waits until then: every holder was cut off alike (below). */
  private reapNotBefore = 0;
  private pumpRetry: NodeJS.Timeout | null = null;
  private readonly onChange = (c: TaskChange) => this.abortStale(c.task);
  private stopListening: () => void = () => undefined;

  constructor(
    readonly runners: SlotRunner[],
    /** Claims, slot reports, recovery and the reaper's moves (work-source.ts). */
    private readonly work: WorkSource,
    private readonly clock: Clock,
    private readonly opts: SchedulerOptions,
    private readonly log: Logger,
    readonly nodeId: string,
    private readonly slotInfo: SlotInfo = () => ({}),
    /** Backup renders of segments for slots with nothing to claim (docs/segments.md). */
    private readonly backups?: Pick<Backups, 'offer' | 'onOpen'>,
  ) {
    for (const r of runners) r.onIdle = () => this.notify();
    if (backups) backups.onOpen = () => this.notify();
  }

  /** Register this node's slots, recover what a crash or stop left, then start taking work. */
  async start(): Promise<void> {
    const now = this.clock.now();
    if (this.runners.length) {
      const conflicts = await this.work.registerSlots(this.nodeId, this.runners.map((r) => r.id), now, this.opts.leaseMs);
      if (conflicts.length) throw new SlotConflictError(conflicts, now);
    }
    this.stopped = false;
    this.stopListening = this.work.onChange(this.onChange);
    // This node was away too: leases that ran out while it was down may belong to holders that
    // are alive (remote runners, other nodes cut off alike). They get time to renew first.
    this.reapNotBefore = now + this.renewGraceMs();
    await this.recover();
    this.every(this.opts.healthProbeIntervalMs, () => this.probeAll(), false);
    this.every(this.opts.heartbeatMs, () => this.reportSlots(), this.runners.length > 0); // none: no store call
    this.every(this.opts.reapIntervalMs, () => this.reap());
    // Another node's submits arrive as notifications (lifecycle 'change'); this poll is only
    // the safety net for a missed one.
    if (this.work.shared) this.every(this.opts.sharedPollMs, async () => this.notify(), false);
    await this.reportSlots();
    this.notify();
  }

  /** A background step every `ms`; one that uses the store tells whether the store is reachable. */
  private every(ms: number, fn: () => Promise<unknown>, usesStore = true): void {
    const t = setInterval(() => {
      if (this.stopped) return;
      fn().then(
        () => usesStore && this.storeReachable(),
        (err: unknown) => {
          if (usesStore && isStoreUnavailable(err)) this.storeUnreachable(err);
          else this.log.warn({ err }, 'scheduler background step failed');
        },
      );
    }, ms);
    t.unref();
    this.timers.push(t);
  }

  private storeUnreachable(err: unknown): void {
    if (this.storeAwaySince !== null) return;
    this.storeAwaySince = this.clock.now();
    this.log.error({ err: (err as Error).message }, 'store unreachable: renders in progress go on, their moves wait for the store; no new work is claimed');
  }

  /**
   * The store answers again after an outage. Every holder was cut off alike, so a lease that ran
   * out meanwhile says nothing about its holder being gone: the reaper waits (renewGraceMs), so
   * live holders renew first and only the leases of nodes that really died are reaped
   * (docs/operations.md, "When the database goes away").
   */
  /**
   * How long the reaper waits after a start or an outage: two heartbeats, and at least one
   * heartbeat more than the longest a live holder waits between two retries (its backoff cap) —
   * with a short heartbeat, a runner still backing off would otherwise lose a lease it is about
   * to renew, and its render would be done twice.
   */
  private renewGraceMs(): number {
    return Math.max(2 * this.opts.heartbeatMs, this.opts.heartbeatMs + HOLDER_RETRY_MAX_DELAY_MS);
  }

  private storeReachable(): void {
    if (this.storeAwaySince === null) return;
    const now = this.clock.now();
    this.log.warn({ awayMs: now - this.storeAwaySince }, 'store reachable again');
    this.storeAwaySince = null;
    this.reapNotBefore = now + this.renewGraceMs();
    this.notify();
  }

  /**
   * After a restart: attempts this node held whose lease is still valid are taken back —
   * renders already submitted are re-attached by code on the same slot (no second render);
   * attempts before the render are handed back to the queue. Expired ones are the reaper's.
   * Which attempts are this node's is the work source's answer (work-source.ts).
   */
  private async recover(): Promise<void> {
    const now = this.clock.now();
    const inFlight = await this.work.inFlight(this.nodeId);
    for (const task of inFlight) {
      if (!task.leaseToken) {
        await this.work.requeueUnleased(task, `re-queued after restart (was ${task.state})`);
        continue;
      }
      if (task.leaseExpiresAt !== null && task.leaseExpiresAt <= now) continue; // the reaper's
      const runner = this.runners.find((r) => r.id === task.slotId);
      // `rendering` without the submitted flag too: the process may have died between the
      // container accepting the job and the flag being written. Re-attaching queries by code
      // first and submits only when the container has neither the job nor its result.
      if (runner && (task.state === 'rendering' || task.state === 'collecting') && task.audioPath) {
        const back = await this.work.reclaim(task, this.nodeId, this.opts.leaseMs);
        if (!back) continue;
        this.log.info({ taskId: task.id, attempt: task.attempt, slot: runner.id }, 're-attaching render after restart');
        runner.resume(back);
      } else {
        this.log.info({ taskId: task.id, attempt: task.attempt, state: task.state }, 'handing back an attempt interrupted by a restart');
        await this.work.handBack(task);
      }
    }
  }

  /** Any node ends expired attempts of any node; the task is queued again as a new attempt. */
  async reap(): Promise<number> {
    let n = 0;
    const expired = await this.work.listExpired(this.clock.now(), 100); // also: does the store answer?
    if (this.storeAwaySince !== null || this.clock.now() < this.reapNotBefore) return 0;
    for (const task of expired) {
      // Our own attempt still running here: it has been renewing; nothing to reap yet.
      if (this.runners.some((r) => r.attempts.some((a) => a.id === task.id && a.attempt === task.attempt))) continue;
      const next = await this.work.expire(task);
      if (next) {
        n++;
        this.log.warn({ taskId: task.id, attempt: task.attempt, holder: task.leaseHolder, state: next.state }, 'lease expired: attempt ended by the reaper');
      }
    }
    if (n) this.notify();
    return n;
  }

  private async reportSlots(): Promise<void> {
    if (!this.runners.length) return;
    await this.work.reportSlots(this.nodeId, this.runners.map((r) => ({ slotId: r.id, info: this.slotInfo(r) })), this.clock.now());
  }

  /**
   * A task changed (here or on another node). Stop local attempts it made stale: the task
   * ended, or a newer attempt exists — their lease is gone, so nothing they do would count.
   * New queued work elsewhere is a reason to pump.
   */
  private abortStale(task: Task): void {
    if (task.state === 'queued') this.notify();
    const runner = this.runnerOf(task.id);
    if (!runner) return;
    if (isFinal(task.state)) runner.abort(task.id, task.state === 'canceled' ? 'cancel' : 'lost', task.state === 'completed' ? task.attempt : undefined);
    else runner.abort(task.id, 'lost', task.attempt);
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
      .catch((err: unknown) => {
        if (!isStoreUnavailable(err)) return this.log.error({ err }, 'scheduler pump failed');
        // No claim while the store is away: look again soon (also without another node's
        // notification, which an outage may have swallowed).
        this.storeUnreachable(err);
        this.pumpRetry ??= setTimeout(() => {
          this.pumpRetry = null;
          this.notify();
        }, Math.min(5000, this.opts.heartbeatMs)).unref();
      })
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
      const free = this.runners.filter((r) => r.canAccept()).sort((a, b) => a.load - b.load);
      if (!free.length) return;
      let claimed = false;
      for (const runner of free) {
        const task = await this.work.claim({ slotId: runner.id, holder: this.nodeId, now: this.clock.now(), leaseMs: this.opts.leaseMs, preferOthersMs: this.preferOthersMs(runner) });
        if (task) {
          runner.start(task);
          claimed = true;
          break;
        }
        // The first slot found nothing it may take: the other free slots ask too only when ready
        // work waits (a retry that avoids that slot, docs/lifecycle.md "Another GPU for a retry").
        if (runner === free[0] && !(await this.readyWorkWaits())) break;
      }
      if (!claimed) {
        await this.armRetryTimer();
        // Nothing to claim: idle slots may back up a segment still rendering elsewhere.
        if (this.backups) for (const r of this.runners) if (r.idle) this.backups.offer(r);
        return;
      }
    }
  }

  private async readyWorkWaits(): Promise<boolean> {
    if (!this.opts.preferOtherSlotMs) return false; // no preference: an empty claim means nothing is ready
    const at = await this.work.nextAvailableAt();
    return at !== null && at <= this.clock.now();
  }

  /**
   * How long a task avoiding `runner` waits for another slot before `runner` may take it: the
   * configured time when another slot could take it (another healthy slot here, or other nodes
   * and runners on a shared store), else 0 — no other GPU exists to prefer.
   */
  private preferOthersMs(runner: SlotRunner): number {
    const others = this.work.shared || this.runners.some((r) => r !== runner && r.healthy && !r.degraded);
    return others ? (this.opts.preferOtherSlotMs ?? 0) : 0;
  }

  /**
   * Delayed retries: wake up when the earliest one becomes available. A task that is ready but
   * was not claimed waits for another GPU (preferOtherSlotMs): wake up when it may be taken here.
   */
  private async armRetryTimer(): Promise<void> {
    const at = await this.work.nextAvailableAt();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    if (at === null) return;
    const now = this.clock.now();
    const prefer = this.opts.preferOtherSlotMs ?? 0;
    const delay = at > now ? at - now : Math.max(1000, at + prefer - now);
    this.retryTimer = setTimeout(() => this.notify(), Math.max(5, delay));
    this.retryTimer.unref();
  }

  async probeAll(): Promise<void> {
    await Promise.all(this.runners.map((r) => r.probe(this.clock.now()).catch(() => false)));
  }

  runnerOf(taskId: string): SlotRunner | undefined {
    return this.runners.find((r) => r.taskIds.includes(taskId));
  }

  /** Stop taking work; let in-flight tasks finish within `graceMs`, then hand them back. */
  async stop(graceMs: number): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.pumpRetry) clearTimeout(this.pumpRetry);
    for (const t of this.timers) clearInterval(t);
    // Still listening while the slots drain: a cancel meanwhile stops its attempt here.
    await Promise.all(this.runners.map((r) => r.drain(graceMs)));
    this.stopListening();
  }
}
