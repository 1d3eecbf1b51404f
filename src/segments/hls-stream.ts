/**
 * Watch a long script while it renders (docs/segments.md, "Watch while it renders"): the HLS
 * playlist of a task and its MPEG-TS segments, made from the fitted parts already on disk.
 *
 * - A segment is one part (a child's fitted MP4): its video copied, its sound (the part's own
 *   speech, AAC) copied, timestamps moved to where the part starts in the script. Made when the
 *   part completes (and on demand after a restart), kept beside the parts in `outputs/` as
 *   `<part id>.ts`, so file retention removes it with the task's other files.
 * - The stitch removes the parts; every segment is made before that (`keep`), so the finished
 *   playlist still plays, as one stream of the task's length.
 * - A one-part task has a stream once it is completed: one segment made from its MP4. While it
 *   renders there is nothing to watch yet (`stream_not_ready`).
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DomainError } from '../domain/errors.js';
import type { Task } from '../domain/task.js';
import type { Logger } from '../logger.js';
import type { DataPaths } from '../runner/data-paths.js';
import type { TaskStore } from '../store/task-store.js';
import { buildPlaylist, listedParts, partOffset, type PlaylistPart } from './hls-playlist.js';
import { targetFrames } from './part-fit.js';
import type { SegmentMedia } from './segment-media.js';

/**
 * Where the stream's timeline starts, seconds. Not 0: a part's AAC sound starts 23 ms before its
 * picture (encoder priming), and MPEG-TS has no negative timestamps — at 0 the muxer would shift
 * the first segment alone by 23 ms. Players start the timeline at the first timestamp.
 */
export const STREAM_START_SEC = 10;

interface StreamPart extends PlaylistPart {
  id: string;
  /** The fitted part (a child's MP4, or a one-part task's result). */
  source: string | null;
}

export class HlsStream {
  /** Segments being made, by part id (this process). */
  /** Segments being made, by part id, with the task whose stream they belong to. */
  private readonly making = new Map<string, { owner: string; p: Promise<string> }>();
  /** Frame rate by file (bounded). */
  private readonly rates = new Map<string, number>();

  constructor(
    private readonly store: Pick<TaskStore, 'listSegments'>,
    private readonly media: SegmentMedia,
    private readonly paths: DataPaths,
    private readonly log: Logger,
  ) {}

  segmentPath(partId: string): string {
    return join(this.paths.outputs, `${partId}.ts`);
  }

  /** The playlist text; `query` is appended to every segment URI (the access token: players send no headers). */
  async playlist(task: Task, query: string): Promise<string> {
    const parts = await this.parts(task);
    return buildPlaylist({ parts, ended: task.state === 'completed', uri: (k) => `stream/${k}.ts${query}` });
  }

  /** The file of segment `k`, made if needed; 404 unless parts 0…k are all done. */
  async segment(task: Task, k: number): Promise<string> {
    const parts = await this.parts(task);
    if (!(k >= 0 && k < listedParts(parts))) throw new DomainError('segment_not_found', 'not_found', `Segment ${k} of this stream is not ready`);
    return this.make(task.id, parts, k);
  }

  /** A part completed: make its segment now, so the first watcher does not wait for it. */
  prepare(child: Task): void {
    if (!child.parentId) return;
    void (async () => {
      const parts = await this.childParts(child.parentId!);
      const k = parts.findIndex((p) => p.id === child.id);
      if (k >= 0) await this.make(child.parentId!, parts, k);
    })().catch((err: unknown) => this.log.warn({ err, taskId: child.id }, 'could not make the stream segment of a part'));
  }

  /** Before the stitch removes the parts: every segment exists (the finished playlist needs them). */
  async keep(parent: Task): Promise<void> {
    const parts = await this.childParts(parent.id);
    for (let k = 0; k < parts.length; k++) {
      await this.make(parent.id, parts, k).catch((err: unknown) => this.log.warn({ err, taskId: parent.id, segment: k }, 'stream segment not kept'));
    }
  }

  /**
   * Wait for the segments still being made for `taskId`'s stream (a part that completed just
   * before its parent failed): a clean-up after this finds their files, not a writer mid-way.
   */
  async settle(taskId: string): Promise<void> {
    await Promise.allSettled([...this.making.values()].filter((m) => m.owner === taskId).map((m) => m.p));
  }

  private async parts(task: Task): Promise<StreamPart[]> {
    if (task.state === 'failed' || task.state === 'canceled') {
      throw new DomainError('stream_unavailable', 'conflict', `Task is ${task.state}; it has no stream`, { status: task.state });
    }
    if (task.segmentCount === null) {
      if (task.state !== 'completed' || !task.outputPath) {
        throw new DomainError('stream_not_ready', 'conflict', `Task is ${task.state}; a one-part task is streamed once it is completed (its MP4 is then at /api/download)`, { status: task.state });
      }
      const fps = await this.fps([task.outputPath, this.segmentPath(task.id)]);
      return [{ id: task.id, source: task.outputPath, done: true, seconds: targetFrames(task.audioDurationSec ?? 0, fps) / fps }];
    }
    return this.childParts(task.id);
  }

  private async childParts(parentId: string): Promise<StreamPart[]> {
    const children = await this.store.listSegments(parentId);
    const first = children[0];
    const fps = first ? await this.fps([first.outputPath, this.segmentPath(first.id)]) : 25;
    return children.map((c) => ({
      id: c.id,
      source: c.outputPath,
      done: c.state === 'completed',
      seconds: c.audioDurationSec === null ? 0 : targetFrames(c.audioDurationSec, fps) / fps,
    }));
  }

  /**
   * Frame rate of the parts (every part of a script has its face's), from the first readable
   * file; remembered per file (players reload the playlist every few seconds).
   */
  private async fps(files: Array<string | null>): Promise<number> {
    for (const f of files) {
      const known = f && this.rates.get(f);
      if (known) return known;
      if (!f || !(await exists(f))) continue;
      const fps = (await this.media.streams(f).catch(() => null))?.fps;
      if (!fps) return 25;
      if (this.rates.size >= 1000) this.rates.delete(this.rates.keys().next().value!);
      this.rates.set(f, fps);
      return fps;
    }
    return 25;
  }

  private make(owner: string, parts: StreamPart[], k: number): Promise<string> {
    const part = parts[k];
    const out = this.segmentPath(part.id);
    let p = this.making.get(part.id)?.p;
    if (!p) {
      p = (async () => {
        if (await exists(out)) return out;
        if (!part.source || !(await exists(part.source))) throw new DomainError('segment_not_found', 'not_found', `Segment ${k} of this stream is no longer on this node`);
        await this.media.transportSegment(part.source, out, STREAM_START_SEC + partOffset(parts, k));
        return out;
      })().finally(() => this.making.delete(part.id));
      this.making.set(part.id, { owner, p });
    }
    return p;
  }
}

const exists = (path: string) => stat(path).then(() => true, () => false);
