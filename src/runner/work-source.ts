/**
 * The scheduler's port: where its slots get work and report themselves — register and report
 * the slots, claim an attempt, learn when delayed work comes due, take back or hand back what a
 * restart left, reap expired leases, hear about changed tasks. The scheduler never sees a store
 * or a lifecycle behind it.
 *
 * Adapters: `LocalWork` (below) over the gateway's tasks module and store; on a remote runner
 * `RemoteWork` (runners/remote-work.ts) over the gateway's runner API, where the gateway keeps
 * the slot registry and runs the reaper.
 */
import { isRemoteHolder } from '../domain/holder.js';
import { ACTIVE_STATES, type Task } from '../domain/task.js';
import type { ClaimRequest, SlotRecord, TaskStore } from '../store/task-store.js';
import type { TaskChange, TaskLifecycle } from '../tasks/lifecycle.js';

export interface WorkSource {
  /** Other processes queue work too: the scheduler also polls, as a safety net for a missed notification. */
  readonly shared: boolean;
  /** Register this node's slots; answers the slots another live node already drives (a conflict). */
  registerSlots(nodeId: string, slotIds: readonly number[], now: number, leaseMs: number): Promise<SlotRecord[]>;
  /** The facts of this node's slots, every heartbeat, for the whole deployment to see. */
  reportSlots(nodeId: string, slots: ReadonlyArray<{ slotId: number; info: Record<string, unknown> }>, now: number): Promise<void>;
  /** A new attempt for the slot (opened with a fresh lease), or nothing to do. */
  claim(req: ClaimRequest): Promise<Task | undefined>;
  /** When the earliest delayed task comes due; null = nothing waits. */
  nextAvailableAt(): Promise<number | null>;
  /** After a restart: the attempts this node held (re-attached or handed back by the scheduler). */
  inFlight(nodeId: string): Promise<Task[]>;
  /** Take one of them back (fresh token, same attempt); undefined when it cannot be. */
  reclaim(task: Task, holder: string, leaseMs: number): Promise<Task | undefined>;
  /** Give one of them back unfinished: queued again at once. */
  handBack(task: Task): Promise<Task | undefined>;
  /** A task from before leases existed that was in flight: queued again. */
  requeueUnleased(task: Task, message: string): Promise<Task | undefined>;
  /** Expired attempts of any node, for the reaper; [] where another process reaps. */
  listExpired(now: number, limit: number): Promise<Task[]>;
  /** The reaper ends an expired attempt (queued again, or failed). */
  expire(task: Task): Promise<Task | undefined>;
  /** Every change of a task, here or elsewhere; returns a function that stops listening. */
  onChange(listener: (c: TaskChange) => void): () => void;
}

/** The scheduler's port over the gateway's tasks module and store (its own slots). */
export class LocalWork implements WorkSource {
  constructor(
    private readonly store: TaskStore,
    private readonly lifecycle: TaskLifecycle,
  ) {}

  get shared(): boolean {
    return this.store.shared;
  }

  registerSlots(nodeId: string, slotIds: readonly number[], now: number, leaseMs: number): Promise<SlotRecord[]> {
    return this.store.registerSlots(nodeId, slotIds, now, leaseMs);
  }

  reportSlots(nodeId: string, slots: ReadonlyArray<{ slotId: number; info: Record<string, unknown> }>, now: number): Promise<void> {
    return this.store.reportSlots(nodeId, slots, now);
  }

  claim(req: ClaimRequest): Promise<Task | undefined> {
    return this.lifecycle.claim(req);
  }

  nextAvailableAt(): Promise<number | null> {
    return this.store.nextAvailableAt();
  }

  /**
   * With the embedded store this process is the only node, so every attempt in flight is ours
   * (the host name may have changed, e.g. a recreated container) — except a remote runner's,
   * which keeps going.
   */
  async inFlight(nodeId: string): Promise<Task[]> {
    if (this.store.shared) return this.store.listHeldBy(nodeId);
    return (await this.store.listInStates([...ACTIVE_STATES])).filter((t) => !isRemoteHolder(t.leaseHolder));
  }

  reclaim(task: Task, holder: string, leaseMs: number): Promise<Task | undefined> {
    return this.lifecycle.reclaim(task, holder, leaseMs);
  }

  handBack(task: Task): Promise<Task | undefined> {
    return this.lifecycle.interrupted(task);
  }

  requeueUnleased(task: Task, message: string): Promise<Task | undefined> {
    return this.lifecycle.requeueUnleased(task, message);
  }

  listExpired(now: number, limit: number): Promise<Task[]> {
    return this.store.listExpired(now, limit);
  }

  expire(task: Task): Promise<Task | undefined> {
    return this.lifecycle.expire(task);
  }

  onChange(listener: (c: TaskChange) => void): () => void {
    this.lifecycle.on('change', listener);
    return () => this.lifecycle.off('change', listener);
  }
}
