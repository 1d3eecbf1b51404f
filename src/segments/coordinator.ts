/**
 * The owner of parent tasks (docs/segments.md). Slots run the segment children like any task;
 * this follows their changes and moves the parent through its own moves (tasks/parent-moves.ts):
 *  - the first child claimed → the parent goes to `rendering` (public status `processing`);
 *  - a child failed for good → the parent fails naming it, the other children are canceled;
 *  - the parent canceled or failed → every unfinished child is canceled (their slots drain);
 *  - the parent retried → its failed/canceled children are retried;
 *  - every child completed → one node wins the parent's rendering → collecting move (a
 *    compare-and-set: exactly one stitcher), stitches, and completes it.
 * Every node runs one; a periodic sweep catches changes whose event was missed (a restart).
 */
import { TaskError, toTaskError } from '../domain/errors.js';
import { isFinal, type Task, type TaskState } from '../domain/task.js';
import type { Logger } from '../logger.js';
import type { TaskChange, TaskLifecycle } from '../tasks/lifecycle.js';
import type { Clock } from '../tasks/clock.js';
import { ParentMoves } from '../tasks/parent-moves.js';
import type { TaskStore } from '../store/task-store.js';
import type { Stitcher } from './stitcher.js';
import { findingsOf, type OutputGate } from '../checks/output-gate.js';

const UNFINISHED: TaskState[] = ['queued', 'preparing', 'reserved', 'tts', 'rendering', 'collecting'];

export interface CoordinatorOptions {
  sweepMs: number;
  /** A parent left in `collecting` this long by a stitcher that died is stitched again. */
  staleStitchMs: number;
}

export class SegmentCoordinator {
  private readonly chains = new Map<string, Promise<void>>();
  private readonly stitching = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private readonly parents: ParentMoves;
  private readonly onChange = (c: TaskChange) => this.changed(c);
  /** Called after a stitch finished (tests and metrics); never throws into the coordinator. */
  onSettled: (parent: Task) => void = () => undefined;
  /** The output check of the stitched whole (docs/checks.md); absent = not checked. */
  outputGate?: Pick<OutputGate, 'passStitched'>;

  constructor(
    private readonly store: TaskStore,
    private readonly lifecycle: TaskLifecycle,
    private readonly stitcher: Stitcher,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly o: CoordinatorOptions,
  ) {
    this.parents = new ParentMoves(lifecycle, clock);
  }

  start(): void {
    this.lifecycle.on('change', this.onChange);
    this.timer = setInterval(() => void this.sweep(), this.o.sweepMs);
    this.timer.unref();
    void this.sweep();
  }

  async stop(): Promise<void> {
    this.lifecycle.off('change', this.onChange);
    if (this.timer) clearInterval(this.timer);
    await Promise.all([...this.chains.values()]);
  }

  private changed({ task, from }: TaskChange): void {
    if (task.parentId) this.reconcile(task.parentId);
    else if (task.segmentCount !== null) {
      // a retry request: bring back the children that ended with the parent
      if (task.state === 'queued' && (from === 'failed' || from === 'canceled')) this.serial(task.id, () => this.retryChildren(task.id));
      else this.reconcile(task.id);
    }
  }

  /** Look at every unfinished parent (missed events, a stitcher that died). */
  async sweep(): Promise<void> {
    try {
      const parents = (await this.store.listInStates(UNFINISHED)).filter((t) => t.segmentCount !== null && t.parentId === null);
      for (const p of parents) this.reconcile(p.id);
    } catch (err) {
      this.log.warn({ err }, 'segment sweep failed');
    }
  }

  /** Run `fn` after earlier work on the same parent (one decision at a time per parent here). */
  private serial(parentId: string, fn: () => Promise<void>): Promise<void> {
    const prev = this.chains.get(parentId) ?? Promise.resolve();
    const next = prev
      .then(fn)
      .catch((err: unknown) => this.log.warn({ err, taskId: parentId }, 'segment coordination step failed; the sweep tries again'))
      .finally(() => {
        if (this.chains.get(parentId) === next) this.chains.delete(parentId);
      });
    this.chains.set(parentId, next);
    return next;
  }

  reconcile(parentId: string): Promise<void> {
    return this.serial(parentId, () => this.step(parentId));
  }

  private async retryChildren(parentId: string): Promise<void> {
    for (const c of await this.store.listSegments(parentId)) if (c.state === 'failed' || c.state === 'canceled') await this.lifecycle.retry(c);
  }

  private async step(parentId: string): Promise<void> {
    let parent = await this.store.get(parentId);
    if (!parent) return;
    const children = await this.store.listSegments(parentId);
    if (isFinal(parent.state)) {
      if (parent.state !== 'completed') {
        for (const c of children) if (!isFinal(c.state)) await this.lifecycle.cancel(c.id);
        await this.stitcher.discard(parent);
      }
      return;
    }
    if (parent.state === 'queued' && children.some((c) => c.state !== 'queued')) {
      const started = await this.parents.start(parent);
      if (!started) return; // canceled meanwhile: the next event decides
      parent = started;
    }
    const canceled = children.find((c) => c.state === 'canceled');
    const failed = children.find((c) => c.state === 'failed');
    if (failed || canceled) {
      const bad = (failed ?? canceled)!;
      const n = `Segment ${bad.segmentIndex! + 1} of ${children.length}`;
      const msg = failed ? `${n} failed: ${bad.errorMessage ?? bad.errorCode}` : `${n} was canceled`;
      const next = failed
        ? await this.parents.fail(parent, { code: bad.errorCode ?? 'internal', message: msg }, msg)
        : await this.lifecycle.cancel(parent.id);
      if (next) for (const c of children) if (!isFinal(c.state)) await this.lifecycle.cancel(c.id);
      return;
    }
    if (parent.state === 'collecting' && !this.stitching.has(parent.id) && this.clock.now() - parent.updatedAt > this.o.staleStitchMs) {
      // its stitcher stopped: hand the stitch back (the next step claims it again)
      parent = (await this.parents.stitchAgain(parent)) ?? parent;
      return this.step(parentId);
    }
    if (parent.state !== 'rendering' || children.length !== parent.segmentCount) return;
    // progress is shown from the children (status.ts): a parent holds no lease to write it with
    if (!children.every((c) => c.state === 'completed')) {
      // every segment spoke (the speech of a retried one is kept): encode the sound track now
      if (children.every((c) => c.audioPath && c.ttsEndedAt !== null && c.audioDurationSec !== null)) this.stitcher.prepareSpeech(parent, children).catch(() => undefined);
      return;
    }
    const collecting = await this.parents.stitch(parent, Math.max(...children.map((c) => c.ttsEndedAt ?? 0)));
    if (!collecting) return; // another node stitches
    this.stitching.add(parent.id);
    try {
      const r = await this.stitcher.stitch(collecting, children);
      // the parts were judged against their faces: the whole is judged for what stitching may spoil
      const checked = await this.outputGate?.passStitched(collecting, { video: r.outPath, speech: r.speechPath, skipFreeze: true });
      const done = await this.parents.complete(collecting, { outputPath: r.outPath, audioPath: r.speechPath, audioDurationSec: r.durationSec, engineData: r.engineData, ...(checked ? { checks: checked.checks } : {}) });
      if (done) {
        await this.stitcher.cleanUp(done, children);
        this.onSettled(done);
      }
    } catch (raw) {
      const err = raw instanceof TaskError ? raw : toTaskError(raw);
      this.log.error({ taskId: parent.id, code: err.code, err: err.message }, 'stitching segments failed');
      const checks = findingsOf(raw);
      await this.parents.fail(collecting, { code: err.code, message: checks ? err.message : `Stitching the segments failed: ${err.message}` }, undefined, checks);
    } finally {
      this.stitching.delete(parent.id);
    }
  }
}
