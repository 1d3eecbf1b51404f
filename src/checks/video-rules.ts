/**
 * What HeyGem needs of a face video besides a face, read from ffprobe's header before any
 * frame is decoded: a length it can loop, a frame rate it renders at, a size it can crop a face
 * from. Pure; the sizes are the displayed ones (rotation applied).
 */
import { DomainError } from '../domain/errors.js';

export interface VideoRules {
  minVideoSeconds: number;
  minFps: number;
  maxFps: number;
  /** Least length of the shorter side, in pixels. */
  minShortSide: number;
  /** Most length of the longer side, in pixels. */
  maxLongSide: number;
}

export interface VideoFacts {
  durationSec: number;
  fps: number;
  width: number;
  height: number;
}

export function checkVideoRules(v: VideoFacts, r: VideoRules): void {
  const facts = { duration_sec: round(v.durationSec), fps: round(v.fps), width: v.width, height: v.height };
  if (v.durationSec < r.minVideoSeconds) {
    throw new DomainError('video_too_short', 'unprocessable', `The video is ${round(v.durationSec)} s long; at least ${r.minVideoSeconds} s is needed`, facts);
  }
  // 0: the container gives no rate (some AVI/MKV); the decoder copes, so only a stated rate is judged.
  if (v.fps > 0 && (v.fps < r.minFps || v.fps > r.maxFps)) {
    throw new DomainError('frame_rate_out_of_range', 'unprocessable', `The video runs at ${round(v.fps)} fps; ${r.minFps}–${r.maxFps} fps is accepted`, facts);
  }
  // 0×0: the header states no size (only a test double's probe does); the decoder judges it.
  if (v.width <= 0 || v.height <= 0) return;
  if (Math.min(v.width, v.height) < r.minShortSide) {
    throw new DomainError('resolution_too_low', 'unprocessable', `The video is ${v.width}×${v.height}; its shorter side must be at least ${r.minShortSide} px`, facts);
  }
  if (Math.max(v.width, v.height) > r.maxLongSide) {
    throw new DomainError('resolution_too_high', 'unprocessable', `The video is ${v.width}×${v.height}; its longer side must be at most ${r.maxLongSide} px`, facts);
  }
}

const round = (x: number) => Math.round(x * 100) / 100;
