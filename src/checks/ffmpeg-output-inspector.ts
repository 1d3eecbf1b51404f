/**
 * The OutputInspector adapter: ffprobe for the stream lengths, then OutputChecker's ffmpeg
 * passes (output-check.ts).
 */
import type { Media } from '../media/media.js';
import { OutputChecker, type OutputFinding, type OutputRules } from './output-check.js';
import type { OutputInspector, ResultFiles } from './output-gate.js';

export class FfmpegOutputInspector implements OutputInspector {
  private readonly checker: OutputChecker;

  constructor(
    private readonly media: Pick<Media, 'probe'>,
    o: { ffmpegPath: string; timeoutMs: number; rules: OutputRules },
  ) {
    this.checker = new OutputChecker(o);
  }

  async inspect(f: ResultFiles, signal?: AbortSignal): Promise<OutputFinding[]> {
    const p = await this.media.probe(f.video, signal);
    return this.checker.check({
      result: f.video,
      videoSec: p.videoDurationSec ?? p.durationSec,
      audioSec: p.audioDurationSec ?? p.durationSec,
      speech: f.speech ?? undefined,
      face: f.face ?? undefined,
      faceStill: f.skipFreeze ? true : undefined,
      signal,
    });
  }
}
