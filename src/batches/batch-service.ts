/**
 * Batches: many texts submitted as one request, one id to follow them by (docs/batches.md).
 * Every row becomes an ordinary task owned by the caller's API key — so the scheduler's fair
 * share (store/fair-share.ts) keeps one batch from starving other keys — and a `batch_rows`
 * record ties it to its row number, avatar/voice ids and metadata.
 *
 * `batch.completed` is emitted once per batch (across nodes: a compare-and-set on
 * completed_at) when its last task reaches a final state, on this EventEmitter:
 * `batches.on('batch.completed', (e: BatchCompletedEvent) => …)`.
 */
import { EventEmitter } from 'node:events';
import { newTaskId } from '../domain/ids.js';
import { isFinal, type Task } from '../domain/task.js';
import type { Logger } from '../logger.js';
import type { Publisher } from '../publish/publisher.service.js';
import type { Clock } from '../tasks/clock.js';
import type { TaskChange, TaskLifecycle } from '../tasks/lifecycle.js';
import type { Scheduler } from '../runner/scheduler.js';
import type { TaskStore } from '../store/task-store.js';
import type { BatchRecord, BatchRowRecord, BatchStore } from './batch-store.js';
import type { RowInput } from './batch-rows.js';
import { presentBatch, type BatchView } from './batch-presenter.js';
import type { TaskLibraryRefs } from '../library/library.js';
import type { Normalize } from '../language/speech-text.js';
import { speechTask, type SpeechTask } from '../language/intake.js';
import type { TemplateRef } from '../templates/template.js';
import type { OutputOptions } from '../domain/output-options.js';
import type { CaptionStyle } from '../domain/caption-style.js';

export interface BatchCompletedEvent {
  /** API key id of the batch (null with auth off): whose webhooks get it. */
  owner: string | null;
  batchId: string;
  /** The batch as GET /api/batches/:id shows it. */
  payload: Record<string, unknown>;
}

export interface BatchServiceDeps {
  batches: BatchStore;
  tasks: TaskStore;
  lifecycle: TaskLifecycle;
  scheduler: Scheduler;
  publisher: Publisher;
  clock: Clock;
  normalize: Normalize;
  log: Logger;
  /** Ties a new task to its avatar/voice before the task row exists (LibraryService.attach; the request fields are read in http/fields/library.ts). */
  attachInputs?: (taskId: string, refs: TaskLibraryRefs) => Promise<void>;
  /** Stores a new task; long texts become segments there (segments/segments.ts). Default: lifecycle.insert. */
  createTask?: (t: SpeechTask & { id: string; owner: string | null; createdAt: number; captions?: 'burn' | null; outputOptions?: OutputOptions | null; captionStyle?: CaptionStyle | null }) => Promise<Task>;
  /** Refuses the whole batch before anything is stored (the key's monthly budget: usage/usage.service.ts). */
  admitUsage?: (owner: string | null, tasks: readonly SpeechTask[]) => Promise<void>;
  /** Records the template version a row's task was made from (templates/templates.service.ts). */
  attachTemplate?: (taskId: string, ref: TemplateRef) => Promise<void>;
}

/** What every row of a batch shares beyond its defaults: the template it was filled from, its caption option. */
export interface BatchExtras {
  template?: TemplateRef;
  captions?: 'burn' | null;
}

export class BatchService extends EventEmitter {
  private readonly offChange: () => void;

  constructor(private readonly d: BatchServiceDeps) {
    super();
    const onChange = ({ task, from }: TaskChange) => {
      if (from !== task.state && isFinal(task.state)) void this.checkCompleted(task.id);
    };
    d.lifecycle.on('change', onChange);
    this.offChange = () => d.lifecycle.off('change', onChange);
  }

  /**
   * Store the batch and one queued task per row. Rows are validated before this; a storage
   * fault part-way cancels the tasks already made and removes the batch, so nothing half-made
   * stays behind for the caller to trip over.
   */
  async create(
    owner: string | null,
    rows: readonly RowInput[],
    publishTo: string[],
    defaults: Record<string, unknown>,
    inputs: readonly TaskLibraryRefs[] = [],
    extras: BatchExtras = {},
    /** Per row: output options and caption style resolved by the route (docs/output.md). */
    outputs: ReadonlyArray<{ outputOptions: OutputOptions | null; captionStyle: CaptionStyle | null } | undefined> = [],
  ): Promise<BatchView> {
    const now = this.d.clock.now();
    // once per row, at intake (language/intake.ts), before anything is stored
    const speech = rows.map((r) => speechTask(r.text, r.language, this.d.normalize));
    await this.d.admitUsage?.(owner, speech);
    const batch: BatchRecord = { id: newTaskId(now), owner, createdAt: now, rowCount: rows.length, canceledAt: null, completedAt: null, defaults };
    const recs: BatchRowRecord[] = rows.map((r) => ({ batchId: batch.id, rowIndex: r.row, taskId: newTaskId(now), avatarId: r.avatarId, voiceId: r.voiceId, metadata: r.metadata }));
    await this.d.batches.createBatch(batch, recs);
    const created: Task[] = [];
    try {
      for (const [i, rec] of recs.entries()) {
        await this.d.publisher.requested(rec.taskId, publishTo);
        // The row's avatar/voice, resolved and checked against the caller's key by the route.
        if (inputs[i] && this.d.attachInputs) await this.d.attachInputs(rec.taskId, inputs[i]);
        if (extras.template && this.d.attachTemplate) await this.d.attachTemplate(rec.taskId, extras.template);
        const input = { ...speech[i], id: rec.taskId, owner, createdAt: now, ...(extras.captions ? { captions: extras.captions } : {}), ...(outputs[i] ?? {}) };
        created.push(await (this.d.createTask ? this.d.createTask(input) : this.d.lifecycle.insert(input)));
      }
    } catch (err) {
      for (const t of created) await this.d.lifecycle.cancel(t.id).catch(() => undefined);
      await this.d.batches.deleteBatch(batch.id).catch(() => undefined);
      throw err;
    }
    for (const t of created) this.d.lifecycle.accepted(t);
    this.d.scheduler.notify();
    return this.view(batch);
  }

  get(id: string): Promise<BatchRecord | undefined> {
    return this.d.batches.getBatch(id);
  }

  list(owner: string | undefined, limit: number): Promise<BatchRecord[]> {
    return this.d.batches.listBatches(owner, limit);
  }

  async view(batch: BatchRecord): Promise<BatchView> {
    const recs = await this.d.batches.rows(batch.id);
    const rows = await Promise.all(
      recs.map(async (rec) => {
        const task = await this.d.tasks.get(rec.taskId);
        const queuePosition = task?.state === 'queued' ? await this.d.tasks.queuePosition(task.id) : null;
        return { rec, task, queuePosition };
      }),
    );
    return { batch, rows };
  }

  /** Cancel every unfinished task of the batch; returns how many were canceled. */
  async cancel(batch: BatchRecord): Promise<number> {
    await this.d.batches.markCanceled(batch.id, this.d.clock.now());
    let n = 0;
    for (const rec of await this.d.batches.rows(batch.id)) if (await this.d.lifecycle.cancel(rec.taskId)) n += 1;
    await this.checkBatch(batch.id);
    return n;
  }

  private async checkCompleted(taskId: string): Promise<void> {
    try {
      const batchId = await this.d.batches.batchOfTask(taskId);
      if (batchId) await this.checkBatch(batchId);
    } catch (err) {
      this.d.log.warn({ err, taskId }, 'batches: completion check failed');
    }
  }

  private async checkBatch(batchId: string): Promise<void> {
    if ((await this.d.batches.unfinishedCount(batchId)) > 0) return;
    if (!(await this.d.batches.markCompleted(batchId, this.d.clock.now()))) return;
    const batch = await this.d.batches.getBatch(batchId);
    if (!batch) return;
    const event: BatchCompletedEvent = { owner: batch.owner, batchId, payload: presentBatch(await this.view(batch), this.d.clock.now()) };
    this.emit('batch.completed', event);
  }

  close(): void {
    this.offChange();
  }
}

