/**
 * The ffmpeg work of registering an avatar: the face re-encoded once (when the upload is not
 * already what the containers read best), a poster JPEG and a short animated WebP preview.
 * Pure argument builders (unit-tested) plus a small runner; argument arrays only.
 */
import { TaskError } from '../domain/errors.js';
import { QUIET, SAFE_INPUT, transcodeArgs } from '../media/ffmpeg.args.js';
import { writeAtomically } from '../media/ffmpeg.adapter.js';
import type { ProbeResult } from '../media/media.js';
import { ProcessError, runProcess } from '../media/process.js';

// H.264 yuv420p + AAC in MP4 with even dimensions: what HeyGem reads without surprises. The
// rule lives in the media layer: the video engine applies it to per-task uploads too.
export { needsTranscode, transcodeArgs } from '../media/ffmpeg.args.js';

/**
 * One frame, half a second in (the first frame is often black or mid-blink), 320 px wide —
 * clamped to the video stream itself: a video of one frame (its audio may run much longer) has
 * nothing after 0 s, and a seek past its last frame writes no file at all.
 */
export function posterArgs(input: string, out: string, face: Pick<ProbeResult, 'durationSec' | 'videoDurationSec' | 'frameCount'>): string[] {
  const videoSec = face.videoDurationSec ?? face.durationSec;
  const at = (face.frameCount ?? 2) <= 1 ? 0 : Math.max(0, Math.min(0.5, videoSec / 2));
  return [...QUIET, '-ss', at.toFixed(2), ...SAFE_INPUT, '-i', input, '-frames:v', '1', '-vf', 'scale=320:-2', '-q:v', '4', '-update', '1', '-f', 'image2', out];
}

/**
 * The first seconds as a looping, silent animated WebP (plays in any <img>, no codec needed).
 * The last frame is held for a second (`tpad`): the WebP encoder refuses an animation of a
 * single frame, which is what a one-frame face video would give.
 */
export function previewArgs(input: string, out: string, seconds = 3): string[] {
  return [...QUIET, ...SAFE_INPUT, '-t', String(seconds), '-i', input, '-an', '-vf', 'tpad=stop_mode=clone:stop_duration=1,fps=8,scale=240:-2', '-t', String(seconds), '-c:v', 'libwebp_anim', '-loop', '0', '-quality', '60', '-f', 'webp', out];
}

export class LibraryMedia {
  constructor(private readonly o: { ffmpegPath: string; timeoutMs: number }) {}

  transcode(input: string, out: string): Promise<void> {
    return writeAtomically(out, '.mp4', (tmp) => this.run(transcodeArgs(input, tmp)));
  }

  poster(input: string, out: string, face: Pick<ProbeResult, 'durationSec' | 'videoDurationSec' | 'frameCount'>, signal?: AbortSignal): Promise<void> {
    return writeAtomically(out, '.jpg', (tmp) => this.run(posterArgs(input, tmp, face), signal));
  }

  preview(input: string, out: string, signal?: AbortSignal): Promise<void> {
    return writeAtomically(out, '.webp', (tmp) => this.run(previewArgs(input, tmp), signal));
  }

  private async run(args: string[], signal?: AbortSignal): Promise<void> {
    try {
      await runProcess(this.o.ffmpegPath, args, { timeoutMs: this.o.timeoutMs, maxOutputBytes: 64 * 1024, signal });
    } catch (err) {
      const tail = err instanceof ProcessError ? err.stderrTail : String(err);
      throw new TaskError('input_invalid', `ffmpeg could not process the video: ${tail.split('\n').filter(Boolean).pop() ?? ''}`.slice(0, 300));
    }
  }
}
