/**
 * The moves of a parent of segments (docs/segments.md). A parent holds no slot and no lease —
 * its segments do the work — so it has its own small state machine, driven by the segment
 * coordinator from what the segments did:
 *
 *   queued ──a segment was claimed──▶ rendering ──every segment completed──▶ collecting
 *   collecting ──stitched──▶ completed        collecting ──its stitcher is gone──▶ queued
 *   any unfinished ──a segment failed for good──▶ failed (naming it); canceled like any task
 *
 * The stores apply one transition table to every row, so `start` passes the phases in between
 * (one event each, as a plain task's trail shows them). Each move is a compare-and-set on the
 * parent's state: of two nodes that decide the same move, one wins.
 */
import type { TaskError } from '../domain/errors.js';
import type { CheckFinding, Task, TaskState } from '../domain/task.js';
import type { Clock } from './clock.js';
import type { TaskLifecycle } from './lifecycle.js';
import type { TaskResult } from './patches.js';
import type { TaskPatch } from '../store/task-store.js';

const TO_RENDERING: readonly TaskState[] = ['preparing', 'reserved', 'tts', 'rendering'];

export class ParentMoves {
  constructor(
    private readonly lifecycle: TaskLifecycle,
    private readonly clock: Clock,
  ) {}

  /** queued → rendering (public status `processing`): its first segment was claimed. undefined when it lost a race (canceled meanwhile). */
  async start(parent: Task): Promise<Task | undefined> {
    const now = this.clock.now();
    const stamps: Partial<Record<TaskState, TaskPatch>> = { preparing: { startedAt: now }, tts: { ttsStartedAt: now }, rendering: { renderStartedAt: now, engineProgress: 0 } };
    let at: Task | undefined = parent;
    for (const to of TO_RENDERING) {
      at = await this.lifecycle.move(at, to, stamps[to] ?? {});
      if (!at) return undefined;
    }
    return at;
  }

  /** rendering → collecting: every segment completed; the winner of this move stitches. */
  stitch(parent: Task, ttsEndedAt: number): Promise<Task | undefined> {
    return this.lifecycle.move(parent, 'collecting', { engineProgress: 100, ttsEndedAt });
  }

  /** collecting → queued: the node stitching it stopped; the next look starts it again. */
  stitchAgain(parent: Task): Promise<Task | undefined> {
    return this.lifecycle.move(parent, 'queued', {}, 'stitch interrupted; stitching again');
  }

  /** collecting → completed with the stitched video and sound track. */
  complete(parent: Task, result: TaskResult): Promise<Task | undefined> {
    return this.lifecycle.complete(parent, result);
  }

  /** → failed: a segment failed for good, or the stitch did. */
  fail(parent: Task, err: Pick<TaskError, 'code' | 'message'>, message?: string, checks?: CheckFinding[]): Promise<Task | undefined> {
    return this.lifecycle.end(parent, err, message, checks);
  }
}
