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

export class FrameSampler {
  constructor(private readonly o: { ffmpegPath: string; timeoutMs: number }) {}

  async sample(input: string, times: readonly number[], width: number, height: number, signal?: AbortSignal): Promise<SampledStills> {
    const size = width * height * 3;
    const { stdoutBytes } = await runProcess(this.o.ffmpegPath, sampleFramesArgs(input, times, width, height), {
      signal,
      timeoutMs: this.o.timeoutMs,
      maxOutputBytes: size * times.length,
    });
    const frames: Uint8Array[] = [];
    for (let off = 0; off + size <= stdoutBytes.length; off += size) frames.push(new Uint8Array(stdoutBytes.buffer, stdoutBytes.byteOffset + off, size));
    return { width, height, frames };
  }
}
