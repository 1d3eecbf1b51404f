/**
 * Task-record retention: on an interval, delete finished task records older than
 * `retention.taskRecordDays` with everything they left behind (store/record-prune.ts). Never
 * touches a task that is queued or running, nor a long script with an active segment.
 *
 * A pass works in batches of `retention.batchRows` top-level tasks, one transaction each, and
 * rests between batches as long as the last one took: on SQLite a transaction holds the
 * process, so a request waits for at most one batch, never for the whole pass, and the pass
 * never takes more than half of the process. A pass that fails (the database
 * is away, docs/operations.md) logs and stops; the next round starts over — nothing is half
 * pruned, as each batch commits or rolls back whole.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../logger.js';
import type { Clock } from '../tasks/clock.js';
import { noPrunedRows, PRUNED_TABLES, type PrunedRows } from '../store/record-prune.js';
import type { TaskStore } from '../store/task-store.js';
import { isStoreUnavailable } from '../store/unavailable.js';

export interface RecordRetentionOptions {
  /** 0 keeps records forever. */
  taskRecordDays: number;
  intervalMs: number;
  /** Top-level tasks per batch (a long script's segments come along). */
  batchRows: number;
}

export class RecordRetention {
  /** Rows deleted since start, per table (`heygem_gateway_retention_pruned_rows_total`). */
  readonly pruned: PrunedRows = noPrunedRows();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private stopping = false;

  constructor(
    private readonly store: TaskStore,
    private readonly clock: Clock,
    private readonly o: RecordRetentionOptions,
    private readonly log: Logger,
  ) {}

  /**
   * One pass; resolves with how many task records were removed (segments included). Never
   * rejects: a failure is logged and the next round tries again. A pass asked for while one
   * runs joins it.
   */
  sweep(): Promise<number> {
    if (this.o.taskRecordDays <= 0) return Promise.resolve(0);
    this.running ??= this.pass().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async pass(): Promise<number> {
    const before = this.clock.now() - this.o.taskRecordDays * 86_400_000;
    const removed = noPrunedRows();
    try {
      for (;;) {
        const t0 = performance.now();
        const batch = await this.store.purgeFinished(before, this.o.batchRows);
        const took = performance.now() - t0;
        let rows = 0;
        for (const t of PRUNED_TABLES) {
          removed[t] += batch[t];
          this.pruned[t] += batch[t];
          rows += batch[t];
        }
        if (rows === 0 || this.stopping) break;
        // Rest as long as the batch took: the pass gets at most half of the process, requests
        // queued behind a batch run before the next one starts.
        await sleep(Math.min(took, 1000));
      }
    } catch (err) {
      const msg = isStoreUnavailable(err) ? 'record retention: the store is unavailable, trying again next round' : 'record retention failed, trying again next round';
      this.log.warn({ err, removed: removed.tasks }, msg);
    }
    if (removed.tasks || removed.webhook_deliveries) this.log.info({ removed: removed.tasks, rows: removed, olderThanDays: this.o.taskRecordDays }, 'task records purged');
    return removed.tasks;
  }

  start(): void {
    if (this.o.taskRecordDays <= 0 || this.timer) return;
    this.timer = setInterval(() => void this.sweep(), this.o.intervalMs);
    this.timer.unref();
  }

  /** Stops the interval; resolves when a pass under way has finished its batch and stopped. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.stopping = true;
    await this.running;
  }
}
