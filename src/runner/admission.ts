/**
 * Back-pressure at the door (docs/operations.md, "Back-pressure"): with `limits.maxQueued` set,
 * new work that would take the queue past it is refused with 503 and a `Retry-After` that says
 * when the excess will have drained at the measured rate — claims per second over the last
 * `drainWindowMs`, counted from the task events of every node — instead of accepting work the
 * deployment cannot start for hours. 0 (the default) keeps the queue unbounded, as before.
 */
import { DomainError } from '../domain/errors.js';
import type { TaskStore } from '../store/task-store.js';
import type { Clock } from '../tasks/clock.js';

export interface AdmissionOptions {
  /** Most tasks waiting in the queue; 0 = no limit. */
  maxQueued: number;
  /** The window the drain rate is measured over. */
  drainWindowMs: number;
}

/** Where the drain rate is read: claims of every node since a time (the batch store counts them from task events). */
export interface ClaimCounter {
  claimsSince(since: number): Promise<number>;
}

/** Retry-After bounds: at least 1 s; without any measured drain, a minute; at most an hour. */
const NO_RATE_SECONDS = 60;
const MAX_SECONDS = 3600;

export class Admission {
  constructor(
    private readonly tasks: TaskStore,
    private readonly claims: ClaimCounter,
    private readonly clock: Clock,
    private readonly o: AdmissionOptions,
  ) {}

  get limit(): number {
    return this.o.maxQueued;
  }

  /** Claims per second over the drain window, from every node. */
  async drainPerSecond(): Promise<number> {
    const now = this.clock.now();
    const n = await this.claims.claimsSince(now - this.o.drainWindowMs);
    return n / (this.o.drainWindowMs / 1000);
  }

  /** Seconds until `excess` tasks have left the queue at the measured rate. */
  async retryAfterSeconds(excess: number): Promise<number> {
    const rate = await this.drainPerSecond();
    if (rate <= 0) return NO_RATE_SECONDS;
    return Math.min(MAX_SECONDS, Math.max(1, Math.ceil(excess / rate)));
  }

  /** Refuse (`queue_full`, kind unavailable: 503 + Retry-After over HTTP) when `incoming` more tasks would exceed the queue limit. */
  async admit(incoming: number): Promise<void> {
    if (this.o.maxQueued <= 0) return;
    const queued = await this.tasks.queueSize();
    if (queued + incoming <= this.o.maxQueued) return;
    const excess = queued + incoming - this.o.maxQueued;
    const secs = await this.retryAfterSeconds(excess);
    throw new DomainError(
      'queue_full',
      'unavailable',
      `The queue is full (${queued} waiting, limit ${this.o.maxQueued}); retry in ${secs} s`,
      { queued, limit: this.o.maxQueued, retry_after_seconds: secs },
      { retryAfterSeconds: secs },
    );
  }
}
