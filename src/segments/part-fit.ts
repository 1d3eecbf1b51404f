/**
 * How a rendered part is brought to exactly its speech's length in whole frames (docs/segments.md,
 * "Cut to the speech"). Pure: decided from the part's video packets as ffprobe lists them.
 *
 * A lip-sync container muxes its own frames: a part comes back a few frames longer than the
 * speech it was given (ffmpeg's `-shortest` overshoots), or a frame short. Summed over a long
 * script that drifts the picture away from the sound, so every part is cut to
 * `round(speech × fps)` frames before it is accepted:
 *  - `exact`: nothing to do;
 *  - `cut`: longer, and its first N packets in decode order are exactly its first N frames on
 *    screen (no frame after the cut is needed to show one before it): a stream copy of those
 *    packets, no re-encode;
 *  - `encode`: shorter (its last frame is held), or longer with frames reordered across the cut
 *    (B-frames): only this part is re-encoded;
 *  - `bad`: off by more than the tolerance — not a rounding of the container's muxer but a bad
 *    render, retried like any failed render.
 */

export interface PartPackets {
  fps: number;
  /** Presentation time of each video packet, seconds, in decode (file) order. */
  pts: number[];
}

export type FitPlan =
  | { kind: 'exact'; frames: number }
  | { kind: 'cut'; frames: number; from: number }
  | { kind: 'encode'; frames: number; from: number; reason: 'short' | 'reordered' }
  | { kind: 'bad'; frames: number; from: number; offSec: number };

/** Frames a part of `speechSec` must have (its speech is padded to whole frames for segments). */
export function targetFrames(speechSec: number, fps: number): number {
  return Math.max(1, Math.round(speechSec * fps));
}

export function planFit(p: PartPackets, speechSec: number, toleranceSec: number): FitPlan {
  const frames = targetFrames(speechSec, p.fps);
  const from = p.pts.length;
  const offSec = from / p.fps - speechSec;
  if (Math.abs(offSec) > toleranceSec) return { kind: 'bad', frames, from, offSec };
  if (from === frames) return { kind: 'exact', frames };
  if (from < frames) return { kind: 'encode', frames, from, reason: 'short' };
  // The cut keeps the first `frames` packets: exact only when they are the first `frames` on screen.
  const shown = [...p.pts].sort((a, b) => a - b);
  const lastKept = shown[frames - 1];
  const copyable = p.pts.slice(0, frames).every((t) => t <= lastKept);
  return copyable ? { kind: 'cut', frames, from } : { kind: 'encode', frames, from, reason: 'reordered' };
}

/** A short human description of a plan, for logs and the task's engine data. */
export function describeFit(plan: FitPlan, fps: number): string {
  const d = plan.kind === 'exact' ? 0 : plan.from - plan.frames;
  const frames = `${d > 0 ? '+' : ''}${d} frame${Math.abs(d) === 1 ? '' : 's'}`;
  if (plan.kind === 'bad') return `${(plan.from / fps).toFixed(2)} s of video for ${(plan.frames / fps).toFixed(2)} s of speech (${plan.offSec > 0 ? '+' : ''}${plan.offSec.toFixed(2)} s)`;
  return plan.kind === 'exact' ? 'exact' : `${plan.kind} (${frames})`;
}
