/**
 * The last step of every task's video (docs/output.md): captions burned in and the delivery
 * options applied — in ONE ffmpeg pass, after the render (and after the stitch of a long
 * script), on this host's CPU. A task without options keeps today's path exactly: the render as
 * it is, or the one caption burn it always had.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TaskError } from '../domain/errors.js';
import { isPlainOutput, outputExtension } from '../domain/output-options.js';
import type { Task } from '../domain/task.js';
import { planFrame } from '../media/output-args.js';
import { runOutputPass } from '../media/output-pass.js';
import { ProcessError } from '../media/process.js';
import type { DataPaths } from '../runner/data-paths.js';
import { styledSubtitlesFilter, subtitlesFilter, type BurnStyle } from './burn-args.js';
import { toSrt, type Cue } from './captions.js';
import type { OutputImages } from './output-images.js';
import type { SegmentMedia } from './segment-media.js';

export interface FinishedOutput {
  outPath: string;
  /** What the pass did (kept in the task's engine data), null when there was no pass. */
  facts: Record<string, unknown> | null;
}

export class OutputFinisher {
  constructor(
    private readonly media: SegmentMedia,
    private readonly images: OutputImages,
    private readonly paths: DataPaths,
    private readonly o: { ffmpegPath?: string; timeoutMs?: number; captionStyle: BurnStyle },
  ) {}

  /** `cues`: the task's captions when they are to be burned in, else null. */
  /**
   * `target`: where the finished file goes when it is not published yet (a runner's upload is
   * finished in its work dir and renamed into outputs/ only after the fenced complete);
   * default outputs/<id>.<ext>.
   */
  async finish(task: Task, video: string, cues: Cue[] | null, signal?: AbortSignal, target?: string): Promise<FinishedOutput> {
    const burn = !!cues?.length;
    const options = task.outputOptions;
    if (isPlainOutput(options) && !burn) return { outPath: video, facts: null };
    const work = this.paths.taskWork(task.id);
    await mkdir(work, { recursive: true });
    const srt = join(work, 'captions.srt');
    if (burn) await writeFile(srt, toSrt(cues!));
    if (isPlainOutput(options)) {
      // captions only: the burn it always was (a style, when the task has one)
      if (task.captionStyle) await this.media.burnWith(video, video, (size) => styledSubtitlesFilter(srt, task.captionStyle!, size), signal);
      else await this.media.burnCaptions(video, srt, video, signal);
      return { outPath: video, facts: { captions_burned: true } };
    }
    const o = options!;
    const [size, streams] = await Promise.all([this.media.frameSize(video, signal), this.media.streams(video, signal)]);
    const plan = planFrame(size, o);
    const subtitles = burn ? (task.captionStyle ? styledSubtitlesFilter(srt, task.captionStyle, plan.out) : subtitlesFilter(srt, this.o.captionStyle, plan.out)) : undefined;
    const images = {
      background: o.background.startsWith('img_') ? this.images.pathOf(o.background) : undefined,
      watermark: o.watermark ? this.images.pathOf(o.watermark.image) : undefined,
    };
    const out = target ?? join(this.paths.outputs, `${task.id}.${outputExtension(o)}`);
    try {
      await runOutputPass({ video, out, plan, options: o, images, subtitles, fps: streams.fps }, { ffmpegPath: this.o.ffmpegPath, timeoutMs: this.o.timeoutMs }, signal);
    } catch (err) {
      if (err instanceof ProcessError && err.kind === 'aborted') throw new TaskError('canceled', 'Task was canceled');
      const tail = err instanceof ProcessError ? err.stderrTail.trim().split('\n').pop() ?? '' : String(err);
      throw new TaskError('internal', `The output pass failed: ${tail}`);
    }
    if (out !== video) await rm(video, { force: true });
    return {
      outPath: out,
      facts: { output: { framing: plan.kind, width: plan.out.width, height: plan.out.height, format: o.format, clamped: plan.clamped }, ...(burn ? { captions_burned: true } : {}) },
    };
  }
}
