/**
 * Engine ports: what a slot runner needs from a speech engine and a video engine.
 * Adapters: `heygem` (real GPU containers, docs/protocol.md) and `preview` (CPU: espeak-ng + ffmpeg).
 * All paths here are *host* paths; adapters translate them for their containers.
 * Every call takes an AbortSignal so cancel frees the slot at once (docs/lifecycle.md).
 * Failures are thrown as TaskError (src/domain/errors.ts) with a stable code.
 */
import type { SpeechLanguage } from '../text/language.js';

export interface SpeechRequest {
  taskId: string;
  /** Speech-ready text (already normalized). */
  text: string;
  /** The task's language (engines that pick a voice per language use it; absent = English). */
  language?: SpeechLanguage;
  /** Host path of the reference voice (WAV). */
  referenceAudio: string;
  /** Transcript of the reference voice, may be empty. */
  referenceText?: string;
  /**
   * Content hash of a library voice: the engine keeps one copy per hash in its container and
   * reuses it (no per-request copy). Absent for per-task references.
   */
  referenceKey?: string;
  /** Where to write the synthesized WAV (host path). */
  outPath: string;
  /** Sampling seed: every segment of one script uses the same one, so they sound like one voice. */
  seed?: number;
  signal: AbortSignal;
}

export interface SpeechResult {
  audioPath: string;
  durationSec: number;
}

export interface SpeechEngine {
  readonly kind: string;
  synthesize(req: SpeechRequest): Promise<SpeechResult>;
  /** Cheap liveness probe; resolves true when the engine answers. */
  health(signal?: AbortSignal): Promise<boolean>;
}

export interface RenderProgress {
  /** Engine-reported progress 0..100 (HeyGem jumps 0/10/20/90/100). */
  progress: number;
  message?: string;
}

export interface RenderRequest {
  /** Job code sent to the container; the task id. */
  code: string;
  audioPath: string;
  /** Face video (host path). */
  videoPath: string;
  /** Content hash of a library avatar's face: staged once per container under that hash. */
  videoKey?: string;
  /** Speech duration, used to verify the result and to pace polling. */
  audioDurationSec: number;
  /** Final output path (host); written atomically (temp name, then rename). */
  outPath: string;
  /**
   * true when re-attaching after a restart: the job may already be running or finished in the
   * container, so query by code before (re)submitting.
   */
  resume?: boolean;
  onProgress?: (p: RenderProgress) => void;
  /** Called once the container accepted the job (so the task can record it was submitted). */
  onSubmitted?: () => void;
  /**
   * Called when the engine reports done and the result is being verified and copied. From
   * here on the engine (the GPU) is free: the runner hands it to the next task while this one
   * is collected, so verification and copying never idle the GPU.
   */
  onCollecting?: () => void;
  signal: AbortSignal;
}

export interface RenderResult {
  outPath: string;
  durationSec: number;
  /** The container's final query data, kept for the compatible status `result.data`. */
  engineData?: Record<string, unknown>;
}

export interface VideoEngine {
  readonly kind: string;
  render(req: RenderRequest): Promise<RenderResult>;
  health(signal?: AbortSignal): Promise<boolean>;
  /**
   * Optional: look at a face before its render is due (while the container still renders the
   * task before), so render() finds the answer ready instead of probing on the GPU's idle time.
   */
  prepareFace?(videoPath: string, signal: AbortSignal): Promise<void>;
}

/** One GPU slot: a TTS engine and a video engine on the same GPU. */
export interface SlotEngines {
  id: number;
  speech: SpeechEngine;
  video: VideoEngine;
  /** Shown in /api/queue (compatible fields). */
  videoPort: number | null;
  ttsPort: number | null;
  videoUrl: string | null;
  ttsUrl: string | null;
}
