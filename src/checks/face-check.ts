/**
 * The face check at the door (docs/checks.md): before an upload is queued or an avatar is
 * registered, judge the video's header (video-rules.ts), sample up to `sampleFrames` stills,
 * find the faces in each (a FaceDetector) and judge them (face-verdict.ts). A refusal is a
 * DomainError (422) whose details name every sampled frame and the boxes found in it.
 */
import { DomainError } from '../domain/errors.js';
import type { ProbeResult } from '../media/media.js';
import { displaySize } from '../media/ffmpeg.args.js';
import type { FrameSampler } from '../media/frame-sampler.js';
import type { FaceDetector } from './human-face-detector.js';
import { judgeFaces, sampleTimes, type FaceBox, type FaceRules, type SampledFrame } from './face-verdict.js';
import { checkVideoRules, type VideoRules } from './video-rules.js';

export interface FaceCheckConfig extends FaceRules, VideoRules {
  face: 'on' | 'off';
  sampleFrames: number;
  /** Least detector confidence (the detector is built with it). */
  minConfidence: number;
}

/** What an accepted video was found to be; an avatar keeps it (docs/avatars.md). */
export interface FaceCheckResult {
  /** The speaker's box as shares of the displayed frame; null when `checks.face` is off. */
  face: FaceBox | null;
  fps: number;
  /** Displayed size (rotation applied). */
  width: number;
  height: number;
  rotation: number;
  frames: SampledFrame[];
}

/** Long side of the stills handed to the detector: BlazeFace looks at 256 px, more only costs decode time. */
const STILL_LONG_SIDE = 640;

export class FaceCheck {
  constructor(
    private readonly cfg: FaceCheckConfig,
    private readonly detector: FaceDetector,
    private readonly sampler: FrameSampler,
  ) {}

  get enabled(): boolean {
    return this.cfg.face === 'on';
  }

  async check(path: string, probe: ProbeResult, signal?: AbortSignal): Promise<FaceCheckResult> {
    const { width, height } = displaySize(probe);
    const fps = probe.fps ?? 0;
    // The length rule reads the whole file (a one-frame picture over seconds of sound is looped
    // like any face video); the stills are taken where the video stream has frames.
    checkVideoRules({ durationSec: probe.durationSec, fps, width, height }, this.cfg);
    const durationSec = Math.min(probe.videoDurationSec ?? probe.durationSec, probe.durationSec || Infinity);
    const base = { fps: round(fps), width, height, rotation: probe.rotation ?? 0 };
    if (!this.enabled) return { ...base, face: null, frames: [] };
    const times = sampleTimes(durationSec, this.cfg.sampleFrames);
    const [w, h] = stillSize(width, height);
    const stills = await this.sampler.sample(path, times, w, h, signal).catch((err: unknown) => {
      if ((err as Error).name === 'AbortError') throw err;
      throw new DomainError('media_unprocessable', 'invalid', 'ffmpeg could not decode frames of the video', {}, { cause: err });
    });
    if (!stills.frames.length) throw new DomainError('media_unprocessable', 'invalid', 'ffmpeg decoded no frame of the video');
    const frames: SampledFrame[] = [];
    for (const [i, rgb] of stills.frames.entries()) {
      const faces = await this.detector.detect({ width: w, height: h, rgb });
      frames.push({ at: times[i], faces: faces.map(roundBox) });
    }
    const verdict = judgeFaces(frames, this.cfg);
    if (!verdict.ok) throw new DomainError(verdict.code, 'unprocessable', verdict.message, { ...base, frames });
    return { ...base, face: verdict.face, frames };
  }
}

/** Even dimensions with the long side at STILL_LONG_SIDE (never upscaled), the aspect kept. */
export function stillSize(width: number, height: number): [number, number] {
  const k = Math.min(1, STILL_LONG_SIDE / Math.max(width, height, 1));
  const even = (v: number) => Math.max(2, Math.round((v * k) / 2) * 2);
  return [even(width), even(height)];
}

const round = (x: number, d = 100) => Math.round(x * d) / d;
const roundBox = (f: FaceBox): FaceBox => ({ x: round(f.x, 1000), y: round(f.y, 1000), w: round(f.w, 1000), h: round(f.h, 1000), score: round(f.score) });
