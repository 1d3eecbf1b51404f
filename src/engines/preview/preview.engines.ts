/**
 * The CPU preview engine (the embedded default): espeak-ng speech, and the face video looped or
 * trimmed to the speech with the speech as its sound track. Honest about what it is: no
 * lip-sync and no voice cloning — it exists so the whole service runs anywhere.
 */
import { TaskError } from '../../domain/errors.js';
import { writeAtomically } from '../../media/ffmpeg.adapter.js';
import type { Media } from '../../media/media.js';
import { ProcessError } from '../../media/process.js';
import type { RenderRequest, RenderResult, SpeechEngine, SpeechRequest, SpeechResult, VideoEngine } from '../ports.js';
import { espeakToWav } from './espeak.js';
import { runProcess } from '../../media/process.js';

export class PreviewSpeechEngine implements SpeechEngine {
  readonly kind = 'preview';
  constructor(private readonly o: { media: Media; espeakPath?: string; voice?: string }) {}

  async synthesize(req: SpeechRequest): Promise<SpeechResult> {
    try {
      await writeAtomically(req.outPath, '.wav', (tmp) => espeakToWav(this.o.espeakPath ?? 'espeak-ng', req.text, tmp, { voice: this.o.voice, signal: req.signal }));
    } catch (err) {
      if (err instanceof ProcessError && err.kind === 'aborted') throw new TaskError('canceled', 'Task was canceled');
      throw new TaskError('tts_failed', `espeak-ng failed: ${(err as Error).message}`);
    }
    const durationSec = await this.o.media.duration(req.outPath, req.signal);
    if (durationSec <= 0) throw new TaskError('tts_failed', 'espeak-ng produced no audio');
    return { audioPath: req.outPath, durationSec };
  }

  async health(): Promise<boolean> {
    return runProcess(this.o.espeakPath ?? 'espeak-ng', ['--version'], { timeoutMs: 5000 }).then(
      () => true,
      () => false,
    );
  }
}

export class PreviewVideoEngine implements VideoEngine {
  readonly kind = 'preview';
  constructor(private readonly o: { media: Media }) {}

  async render(req: RenderRequest): Promise<RenderResult> {
    req.onSubmitted?.();
    req.onProgress?.({ progress: 0 });
    await this.o.media.muxLoop(req.videoPath, req.audioPath, req.outPath, { durationSec: req.audioDurationSec, signal: req.signal });
    req.onCollecting?.();
    const v = await this.o.media.verifyMp4(req.outPath, { expectedDurationSec: req.audioDurationSec }, req.signal);
    if (!v.ok) throw new TaskError('result_invalid', `Preview render did not verify: ${v.reason}`);
    req.onProgress?.({ progress: 100 });
    return { outPath: req.outPath, durationSec: v.probe.durationSec, engineData: { engine: 'preview', status: 2, progress: 100 } };
  }

  async health(): Promise<boolean> {
    return true;
  }
}
