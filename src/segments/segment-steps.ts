/**
 * What a slot does differently for a segment child (docs/segments.md), called from the task
 * pipeline at three points:
 *  - after TTS: the speech is finished (levels, fades, pause, whole frames); a retried segment
 *    reuses the speech of its earlier attempt, so the offsets of later segments stay true;
 *  - before the render: wait until every earlier segment's speech length is known (the face
 *    offset), then cut this segment's face from the ping-pong face at that offset;
 *  - the render reads that face clip instead of the whole face video.
 */
import { access, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TaskError } from '../domain/errors.js';
import { isFinal, type Task } from '../domain/task.js';
import type { TaskStore } from '../store/task-store.js';
import type { DataPaths } from '../runner/data-paths.js';
import type { RenderResult } from '../engines/ports.js';
import type { Media } from '../media/media.js';
import type { SegmentMedia } from './segment-media.js';
import { captionCues, toSrt, type CaptionLayout } from './captions.js';
import { describeFit, planFit } from './part-fit.js';
import type { OutputFinisher } from './output-finish.js';
import { isPlainOutput } from '../domain/output-options.js';
import { styledSubtitlesFilter } from './burn-args.js';
import type { SegmentWork } from '../runner/ports.js';

export interface SegmentStepsOptions {
  pauseMs: number;
  levelDb: number;
  /** Cue size of captions (config `captions`). */
  layout?: CaptionLayout;
  /** How often a segment waiting for its offset looks at its siblings. */
  pollMs?: number;
  /** A render whose video is off its speech by more than this is a bad render (part-fit.ts). @defaultValue 0.5 */
  partToleranceSec?: number;
  /** Burned captions + output options in one pass (output-finish.ts); absent on a remote runner. */
  finisher?: OutputFinisher;
}

const exists = (p: string) => access(p).then(
  () => true,
  () => false,
);

/** What the steps read of a segment's parent and siblings: the task store on a gateway, the gateway's answers on a remote runner. */
export type SegmentReads = Pick<TaskStore, 'get' | 'listSegments'>;

export class SegmentSteps implements SegmentWork {
  /** Ping-pong faces being made in this process, by path (two slots never make one twice). */
  private readonly making = new Map<string, Promise<{ fps: number; frames: number }>>();

  constructor(
    private readonly store: SegmentReads,
    private readonly media: SegmentMedia,
    private readonly paths: DataPaths,
    private readonly o: SegmentStepsOptions,
  ) {}

  /** One sampling seed per script (from the parent id): every segment speaks with the same voice. */
  seedOf(task: Pick<Task, 'parentId'>): number | undefined {
    if (!task.parentId) return undefined;
    let h = 0x811c9dc5;
    for (const c of task.parentId) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
    return h & 0x7fffffff;
  }

  /** The face clip the render of segment `task` reads (deterministic: a resumed render finds it). */
  faceClipPath(task: Pick<Task, 'id'>): string {
    return join(this.paths.taskWork(task.id), 'face.mp4');
  }

  /**
   * Before TTS: start making the ping-pong face (in parallel with the speech, so the first
   * segments do not wait for it). A retried segment keeps the speech of its earlier attempt
   * (same length, so the offsets of later segments stay true): returned here, TTS is skipped.
   */
  async beforeSpeech(task: Task, faceVideo: string): Promise<{ audioPath: string; durationSec: number } | null> {
    if (!task.parentId) return null;
    this.pingPong(task, faceVideo, new AbortController().signal).catch(() => undefined); // awaited (and its error seen) later
    if (!task.audioPath || !task.audioDurationSec) return null;
    return (await exists(task.audioPath)) ? { audioPath: task.audioPath, durationSec: task.audioDurationSec } : null;
  }

  /** TTS output → finished segment speech (in place); the padded length is the segment's length. */
  async finishSpeech(task: Task, audioPath: string, faceVideo: string, signal: AbortSignal): Promise<number> {
    const { fps } = await this.pingPong(task, faceVideo, signal);
    const parent = task.parentId ? await this.store.get(task.parentId) : undefined;
    const last = parent?.segmentCount !== null && parent?.segmentCount !== undefined && task.segmentIndex === parent.segmentCount - 1;
    return this.media.finishSpeech(audioPath, audioPath, { pauseSec: last ? 0 : this.o.pauseMs / 1000, fps, levelDb: this.o.levelDb, signal });
  }

  /**
   * Wait for the speech lengths of every earlier segment (they give this segment's start in
   * the face), then cut the face clip. Heartbeats continue meanwhile; a cancel aborts `signal`.
   */
  async prepareRender(task: Task, faceVideo: string, signal: AbortSignal, onQueuedWait?: (queued: boolean) => void): Promise<Task> {
    if (!task.parentId || task.segmentIndex === null) return task;
    const offsetSec = await this.offsetOf(task, signal, onQueuedWait);
    const pp = await this.pingPong(task, faceVideo, signal);
    const frames = Math.round((task.audioDurationSec ?? 0) * pp.fps) + 1; // +1: the renderer never runs short
    await mkdir(this.paths.taskWork(task.id), { recursive: true });
    await this.media.faceClip(this.pingPongPath(task), this.faceClipPath(task), { fps: pp.fps, periodFrames: pp.frames, startFrame: Math.round(offsetSec * pp.fps), frames, signal });
    return task;
  }

  /**
   * After the render, before the task completes: the video cut (stream copy) or padded (its last
   * frame held, re-encoded) to exactly its speech in whole frames, with the speech as its sound
   * (part-fit.ts). Every rendered task goes through it, one segment or many: the MP4 is as long
   * as the speech, and the parts of a long script add up to the stitched sound frame for frame.
   * A video off by more than the tolerance is a bad render of this part: `result_invalid`,
   * retryable, so only this part is rendered again.
   */
  async fitToSpeech(task: Task, result: RenderResult, probe: Pick<Media, 'videoPackets'>, signal: AbortSignal): Promise<RenderResult> {
    const speechSec = task.audioDurationSec;
    if (!task.audioPath || !speechSec) return result;
    const facts = await probe.videoPackets(result.outPath, signal);
    const plan = planFit(facts, speechSec, this.o.partToleranceSec ?? 0.5);
    if (plan.kind === 'bad') {
      const which = task.parentId && task.segmentIndex !== null ? `segment ${task.segmentIndex + 1}` : 'the task';
      await rm(result.outPath, { force: true }); // not this task's video: nothing of it stays if it fails for good
      throw new TaskError('result_invalid', `Bad render of ${which}: ${describeFit(plan, facts.fps)}`, { retryable: true });
    }
    if (plan.kind !== 'exact' || Math.abs(facts.audioSec - speechSec) > 1 / facts.fps) await this.media.fitPart(result.outPath, task.audioPath, plan, signal);
    return { ...result, durationSec: plan.frames / facts.fps };
  }

  /**
   * A one-segment task's video, finished: `captions: burn` and the output options in one pass
   * (output-finish.ts); a task with neither is returned as rendered.
   */
  async finishOutput(task: Task, result: RenderResult, signal: AbortSignal, target?: string): Promise<RenderResult> {
    const cues = task.captions === 'burn' ? captionCues(task, [], 0, this.o.layout) : null;
    if (!this.o.finisher) {
      // A remote runner has no finisher: it burns the captions (in the task's style) when that is
      // all there is to do; with output options the gateway finishes the upload in one pass.
      if (cues?.length && isPlainOutput(task.outputOptions)) {
        await mkdir(this.paths.taskWork(task.id), { recursive: true });
        const srt = join(this.paths.taskWork(task.id), 'captions.srt');
        await writeFile(srt, toSrt(cues));
        const style = task.captionStyle;
        if (style) await this.media.burnWith(result.outPath, result.outPath, (size) => styledSubtitlesFilter(srt, style, size), signal);
        else await this.media.burnCaptions(result.outPath, srt, result.outPath, signal);
      }
      return result;
    }
    const done = await this.o.finisher.finish(task, result.outPath, cues, signal, target);
    return done.facts ? { ...result, outPath: done.outPath, engineData: { ...(result.engineData ?? {}), ...done.facts } } : result;
  }

  private async offsetOf(task: Task, signal: AbortSignal, onQueuedWait?: (queued: boolean) => void): Promise<number> {
    const poll = this.o.pollMs ?? 100;
    let queued = false;
    for (;;) {
      if (signal.aborted) throw new TaskError('canceled', 'Task was canceled');
      const before = (await this.store.listSegments(task.parentId!)).filter((s) => (s.segmentIndex ?? 0) < task.segmentIndex!);
      const gone = before.find((s) => isFinal(s.state) && s.state !== 'completed');
      // the parent is failing or being canceled: this segment is canceled next; stop waiting
      if (gone) throw new TaskError('canceled', `Segment ${gone.segmentIndex! + 1} ended ${gone.state}`);
      if (before.length === task.segmentIndex && before.every((s) => s.audioDurationSec !== null && s.ttsEndedAt !== null)) {
        if (queued) onQueuedWait?.(false);
        return before.reduce((a, s) => a + s.audioDurationSec!, 0);
      }
      // waiting on a segment nobody holds (queued for a retry): tell the slot it may claim it
      const nowQueued = before.some((s) => s.state === 'queued' && (s.audioDurationSec === null || s.ttsEndedAt === null));
      if (nowQueued !== queued) onQueuedWait?.((queued = nowQueued));
      await new Promise<void>((res) => {
        const done = () => {
          clearTimeout(t);
          signal.removeEventListener('abort', done);
          res();
        };
        const t = setTimeout(done, poll);
        signal.addEventListener('abort', done, { once: true });
      });
    }
  }

  private pingPongPath(task: Task): string {
    return join(this.paths.taskWork(task.parentId!), 'pingpong.mp4');
  }

  /** The parent's ping-pong face: made once (by whichever segment needs it first), then reused. */
  private async pingPong(task: Task, faceVideo: string, signal: AbortSignal): Promise<{ fps: number; frames: number }> {
    const path = this.pingPongPath(task);
    let p = this.making.get(path);
    if (!p) {
      p = (async () => {
        await mkdir(this.paths.taskWork(task.parentId!), { recursive: true });
        if (await exists(path)) {
          const s = await this.media.streams(path, signal);
          if (s.videoFrames > 0) return { fps: s.fps, frames: s.videoFrames };
        }
        // not tied to this segment's signal: other segments of the task wait for the same face
        return this.media.pingPong(faceVideo, path);
      })();
      this.making.set(path, p);
      p.then(
        () => setTimeout(() => this.making.delete(path), 60_000).unref(),
        () => this.making.delete(path),
      );
    }
    return p;
  }
}
