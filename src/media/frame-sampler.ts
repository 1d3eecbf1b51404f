/**
 * Stills from a video for the face check: one ffmpeg run (ffmpeg.args.ts `sampleFramesArgs`),
 * raw RGB24 on stdout split into frames. Runs at the media niceness like every ffmpeg child.
 */
import { sampleFramesArgs } from './ffmpeg.args.js';
import { runProcess } from './process.js';

export interface SampledStills {
  width: number;
  height: number;
  /** One RGB24 buffer per requested time, in order (fewer if the video ended early). */
  frames: Uint8Array[];
}

/** Last still time up to which a clip is scanned instead of seeked (a few GOPs of a phone video). */
const SCAN_UNTIL_S = 20;

export class FrameSampler {
  constructor(private readonly o: { ffmpegPath: string; timeoutMs: number }) {}

  async sample(input: string, times: readonly number[], width: number, height: number, signal?: AbortSignal): Promise<SampledStills> {
    const size = width * height * 3;
    // Up to SCAN_UNTIL_S one decode from the start is cheaper than a seek per still (ffmpeg.args.ts).
    const mode = (times.at(-1) ?? 0) <= SCAN_UNTIL_S ? 'scan' : 'seek';
    const { stdoutBytes } = await runProcess(this.o.ffmpegPath, sampleFramesArgs(input, times, width, height, mode), {
      signal,
      timeoutMs: this.o.timeoutMs,
      maxOutputBytes: size * times.length,
    });
    const frames: Uint8Array[] = [];
    for (let off = 0; off + size <= stdoutBytes.length; off += size) frames.push(new Uint8Array(stdoutBytes.buffer, stdoutBytes.byteOffset + off, size));
    return { width, height, frames };
  }
}
