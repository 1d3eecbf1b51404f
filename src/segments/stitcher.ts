/**
 * Stitching a parent's rendered segments into its video (docs/segments.md): the speech
 * joined, the parts' video copied back to back under it (each part was already cut to its own
 * speech in whole frames when it was rendered, part-fit.ts), then verified — the video has the
 * parts' frames, is the sum of the parts within one frame, and audio and video end within 40 ms
 * of each other. With
 * `captions: burn` the captions are burned in afterwards (the one re-encode).
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { TaskError } from '../domain/errors.js';
import type { Task } from '../domain/task.js';
import type { DataPaths } from '../runner/data-paths.js';
import { captionCues, type CaptionLayout } from './captions.js';
import type { OutputFinisher } from './output-finish.js';
import { targetFrames } from './part-fit.js';
import type { SegmentMedia } from './segment-media.js';

export interface StitchResult {
  outPath: string;
  speechPath: string;
  durationSec: number;
  engineData: Record<string, unknown>;
}

export const MAX_DRIFT_SEC = 0.04;

export class Stitcher {
  /** Called before the parts are removed: what must outlive them is made from them (the HLS segments, hls-stream.ts). */
  beforeCleanUp: (parent: Task) => Promise<void> = async () => undefined;
  /** Before a failed or canceled parent's scratch files go: its stream segments still being made finish first. */
  beforeDiscard: (parent: Task) => Promise<void> = async () => undefined;
  /** Speech joined and encoded ahead of the stitch, by parent id (this process). */
  private readonly audio = new Map<string, Promise<{ wav: string; m4a: string }>>();

  constructor(
    private readonly media: SegmentMedia,
    private readonly paths: DataPaths,
    private readonly pauseSec: number,
    private readonly finisher: Pick<OutputFinisher, 'finish'>,
    private readonly layout?: CaptionLayout,
  ) {}

  /**
   * Join and encode the speech once every segment spoke — usually long before the last render
   * ends, so the stitch itself only copies. Memoized per parent; the stitch redoes it when it
   * was not started here (another node) or failed.
   */
  prepareSpeech(parent: Task, children: Task[]): Promise<{ wav: string; m4a: string }> {
    let p = this.audio.get(parent.id);
    if (!p) {
      p = (async () => {
        const work = this.paths.taskWork(parent.id);
        await mkdir(work, { recursive: true });
        await mkdir(this.paths.outputs, { recursive: true });
        const wav = this.paths.speech(parent.id);
        await this.media.joinSpeech(children.map((c) => c.audioPath!), wav, work);
        const m4a = join(work, 'speech.m4a');
        await this.media.encodeSpeech(wav, m4a);
        return { wav, m4a };
      })();
      this.audio.set(parent.id, p);
      p.catch(() => this.audio.delete(parent.id));
    }
    return p;
  }

  async stitch(parent: Task, children: Task[]): Promise<StitchResult> {
    const work = this.paths.taskWork(parent.id);
    const missing = children.find((c) => !c.outputPath || !c.audioPath);
    if (missing) throw new TaskError('result_invalid', `Segment ${missing.segmentIndex! + 1} has no rendered video`);
    const speech = await this.prepareSpeech(parent, children).catch(() => {
      this.audio.delete(parent.id);
      return this.prepareSpeech(parent, children);
    });
    this.audio.delete(parent.id);
    const speechPath = speech.wav;
    const out = this.paths.output(parent.id);
    // every part was cut to its speech in whole frames (part-fit.ts): each lasts exactly those
    const fps = (await this.media.streams(children[0].outputPath!)).fps || 25;
    const videos = children.map((c) => ({ path: c.outputPath!, seconds: targetFrames(c.audioDurationSec ?? 0, fps) / fps }));
    await this.media.stitch({ videos, speech: speech.m4a, out, listDir: work });
    const facts = await this.media.streams(out);
    const expected = children.reduce((a, c) => a + (c.audioDurationSec ?? 0), 0);
    const frame = 1 / fps;
    // the frames add up exactly, so every cut falls where its speech ends
    const frames = children.reduce((a, c) => a + targetFrames(c.audioDurationSec ?? 0, fps), 0);
    const drift = Math.abs(facts.videoSec - facts.audioSec);
    if (Math.abs(facts.videoFrames - frames) > 1 || Math.abs(facts.videoSec - expected) > frame + 1e-3 || drift >= MAX_DRIFT_SEC) {
      throw new TaskError(
        'result_invalid',
        `stitched video does not verify: video ${facts.videoSec.toFixed(3)} s (${facts.videoFrames} frames), audio ${facts.audioSec.toFixed(3)} s, parts ${expected.toFixed(3)} s (${frames} frames)`,
      );
    }
    // captions burned in and output options applied: the one re-encode (output-finish.ts)
    const cues = parent.captions === 'burn' ? captionCues({ ...parent, audioDurationSec: expected }, children, this.pauseSec, this.layout) : null;
    const finished = await this.finisher.finish(parent, out, cues);
    return {
      outPath: finished.outPath,
      speechPath,
      durationSec: expected,
      engineData: { engine: 'segments', status: 2, progress: 100, segments: children.length, stitched: 'copy', duration_sec: Math.round(facts.videoSec * 1000) / 1000, drift_ms: Math.round(drift * 1000), captions_burned: !!cues?.length, ...(finished.facts ?? {}) },
    };
  }

  /** A parent that failed or was canceled: its scratch files go (the segments' own files go with their retention). */
  async discard(parent: Task): Promise<void> {
    await this.beforeDiscard(parent).catch(() => undefined);
    await this.audio.get(parent.id)?.catch(() => undefined);
    this.audio.delete(parent.id);
    await rm(this.paths.taskWork(parent.id), { recursive: true, force: true });
  }

  /** The parts are inside the stitched video now; their files and the scratch dir go. */
  async cleanUp(parent: Task, children: Task[]): Promise<void> {
    await this.beforeCleanUp(parent).catch(() => undefined);
    for (const c of children) {
      if (c.outputPath) await rm(c.outputPath, { force: true });
      if (c.audioPath && c.audioPath !== parent.audioPath) await rm(c.audioPath, { force: true });
    }
    await rm(this.paths.taskWork(parent.id), { recursive: true, force: true });
  }
}
