/**
 * Stitching a parent's rendered segments into its video (docs/segments.md): the speech
 * joined, the parts' video copied back to back under it, then verified — the video is the sum
 * of the parts within one frame and audio and video end within 40 ms of each other. With
 * `captions: burn` the captions are burned in afterwards (the one re-encode).
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TaskError } from '../domain/errors.js';
import type { Task } from '../domain/task.js';
import type { DataPaths } from '../runner/data-paths.js';
import { captionCues, toSrt } from './captions.js';
import type { SegmentMedia } from './segment-media.js';

export interface StitchResult {
  outPath: string;
  speechPath: string;
  durationSec: number;
  engineData: Record<string, unknown>;
}

export const MAX_DRIFT_SEC = 0.04;

export class Stitcher {
  constructor(
    private readonly media: SegmentMedia,
    private readonly paths: DataPaths,
    private readonly pauseSec: number,
  ) {}

  async stitch(parent: Task, children: Task[]): Promise<StitchResult> {
    const work = this.paths.taskWork(parent.id);
    await mkdir(work, { recursive: true });
    await mkdir(this.paths.outputs, { recursive: true });
    const missing = children.find((c) => !c.outputPath || !c.audioPath);
    if (missing) throw new TaskError('result_invalid', `Segment ${missing.segmentIndex! + 1} has no rendered video`);
    const speechPath = this.paths.speech(parent.id);
    await this.media.joinSpeech(children.map((c) => c.audioPath!), speechPath, work);
    const out = this.paths.output(parent.id);
    await this.media.stitch({ videos: children.map((c) => c.outputPath!), speech: speechPath, out, listDir: work });
    const facts = await this.media.streams(out);
    const expected = children.reduce((a, c) => a + (c.audioDurationSec ?? 0), 0);
    const frame = 1 / (facts.fps || 25);
    const drift = Math.abs(facts.videoSec - facts.audioSec);
    if (Math.abs(facts.videoSec - expected) > frame + 1e-3 || drift >= MAX_DRIFT_SEC) {
      throw new TaskError(
        'result_invalid',
        `stitched video does not verify: video ${facts.videoSec.toFixed(3)} s, audio ${facts.audioSec.toFixed(3)} s, parts ${expected.toFixed(3)} s`,
      );
    }
    let burned = false;
    if (parent.captions === 'burn') {
      const cues = captionCues({ ...parent, audioDurationSec: expected }, children, this.pauseSec);
      if (cues?.length) {
        const srt = join(work, 'captions.srt');
        await writeFile(srt, toSrt(cues));
        await this.media.burnCaptions(out, srt, out);
        burned = true;
      }
    }
    return {
      outPath: out,
      speechPath,
      durationSec: expected,
      engineData: { engine: 'segments', status: 2, progress: 100, segments: children.length, stitched: 'copy', duration_sec: Math.round(facts.videoSec * 1000) / 1000, drift_ms: Math.round(drift * 1000), captions_burned: burned },
    };
  }

  /** The parts are inside the stitched video now; their files and the scratch dir go. */
  async cleanUp(parent: Task, children: Task[]): Promise<void> {
    for (const c of children) {
      if (c.outputPath) await rm(c.outputPath, { force: true });
      if (c.audioPath && c.audioPath !== parent.audioPath) await rm(c.audioPath, { force: true });
    }
    await rm(this.paths.taskWork(parent.id), { recursive: true, force: true });
  }
}
