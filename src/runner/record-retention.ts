/**
 * Task-record retention: on an interval, delete finished task records (and their events)
 * older than `taskRecordDays`. Never touches a task that is queued or running.
 */
import type { Logger } from '../logger.js';
import type { TaskStore } from '../store/task-store.js';
import type { Clock } from './clock.js';

export class RecordRetention {
  private timer: NodeJS.Timeout | null = null;
  constructor(
    private readonly store: TaskStore,
    private readonly clock: Clock,
    private readonly o: { taskRecordDays: number; intervalMs: number },
    private readonly log: Logger,
  ) {}

  /** One sweep; returns how many records were removed. */
  async sweep(): Promise<number> {
    if (this.o.taskRecordDays <= 0) return 0;
    const before = this.clock.now() - this.o.taskRecordDays * 86_400_000;
    let total = 0;
    for (let n = await this.store.purgeFinished(before); n > 0; n = await this.store.purgeFinished(before)) total += n;
    if (total) this.log.info({ removed: total, olderThanDays: this.o.taskRecordDays }, 'task records purged');
    return total;
  }

  start(): void {
    if (this.o.taskRecordDays <= 0 || this.timer) return;
    this.timer = setInterval(() => void this.sweep().catch((err: unknown) => this.log.warn({ err }, 'record retention failed')), this.o.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
