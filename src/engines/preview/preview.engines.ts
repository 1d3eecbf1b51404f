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
import { runsToSsml, voiceRuns, type PreviewVoice } from './voice-runs.js';
import type { SpeechLanguage } from '../../text/language.js';
import { runProcess } from '../../media/process.js';

/**
 * espeak-ng voices per language. Mandarin is `cmn-latn-pinyin`: in Debian's espeak-ng 1.51 the
 * plain `cmn` voice reads many syllables as English words plus a tone digit ("你好" → "ni
 * three hao three"); the pinyin variant reads every Han character in Mandarin, and Latin runs
 * never reach it (they go to the English voice). Its default rate is 200 words (syllables) a
 * minute: about 4 characters a second with its pauses, as a Mandarin speaker reads; at 160 it drawls.
 */
export const PREVIEW_VOICES: Record<SpeechLanguage, PreviewVoice> = {
  en: { name: 'en', wordsPerMinute: 160 },
  zh: { name: 'cmn-latn-pinyin', wordsPerMinute: 200 },
};

export class PreviewSpeechEngine implements SpeechEngine {
  readonly kind = 'preview';
  private readonly voices: Record<SpeechLanguage, PreviewVoice>;
  constructor(private readonly o: { media: Media; espeakPath?: string; voice?: string; voiceZh?: string }) {
    this.voices = {
      en: { ...PREVIEW_VOICES.en, name: o.voice ?? PREVIEW_VOICES.en.name },
      zh: { ...PREVIEW_VOICES.zh, name: o.voiceZh ?? PREVIEW_VOICES.zh.name },
    };
  }

  /** The espeak-ng input and options for a text: one voice as plain text, several as SSML. */
  plan(text: string, language: SpeechLanguage = 'en'): { input: string; voice: string; wordsPerMinute: number; ssml: boolean } {
    const runs = voiceRuns(text, language);
    if (runs.length <= 1) {
      const v = this.voices[runs[0]?.language ?? language];
      return { input: text, voice: v.name, wordsPerMinute: v.wordsPerMinute, ssml: false };
    }
    const base = this.voices[language];
    return { input: runsToSsml(runs, this.voices, base.wordsPerMinute), voice: base.name, wordsPerMinute: base.wordsPerMinute, ssml: true };
  }

  async synthesize(req: SpeechRequest): Promise<SpeechResult> {
    const p = this.plan(req.text, req.language);
    try {
      await writeAtomically(req.outPath, '.wav', (tmp) => espeakToWav(this.o.espeakPath ?? 'espeak-ng', p.input, tmp, { voice: p.voice, wordsPerMinute: p.wordsPerMinute, ssml: p.ssml, signal: req.signal }));
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
