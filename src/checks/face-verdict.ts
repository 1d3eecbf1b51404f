/**
 * The face check's judgement, pure: what the detector found in each sampled still → accept, or
 * refuse with one stable code. Boxes are shares of the frame (0..1), so the rules do not depend
 * on the size the stills were decoded at. docs/checks.md has the rules in words.
 */

/** A face box as shares of the frame width/height; `score` is the detector's confidence. */
export interface FaceBox {
  x: number;
  y: number;
  w: number;
  h: number;
  score: number;
}

/** The faces found in the still taken at `at` seconds. */
export interface SampledFrame {
  at: number;
  faces: FaceBox[];
}

export interface FaceRules {
  /** Least face height, as a share of the frame height. */
  minFaceHeightShare: number;
  /** A box closer to an edge than this share of the frame counts as touching it. */
  edgeMargin: number;
}

export type FaceCode = 'no_face' | 'multiple_faces' | 'face_too_small' | 'face_cut_off';

export type FaceVerdict =
  | { ok: true; face: FaceBox; frames: SampledFrame[] }
  | { ok: false; code: FaceCode; message: string; frames: SampledFrame[] };

/** Sample times: one still a second for short clips, else `max` spread evenly, each mid-interval. */
export function sampleTimes(durationSec: number, max: number): number[] {
  // Under a second (a single picture in a video stream): its first frame, the only sure one.
  if (durationSec < 1) return [0];
  const n = Math.max(1, Math.min(max, Math.floor(durationSec)));
  const step = durationSec / n;
  return Array.from({ length: n }, (_, i) => Math.round((i + 0.5) * step * 1000) / 1000);
}

/**
 * Faces smaller than half the least size are background (a poster, a passer-by far away): they
 * neither make a frame "multiple faces" nor count as the speaker.
 */
function significant(faces: FaceBox[], rules: FaceRules): FaceBox[] {
  return faces.filter((f) => f.h >= rules.minFaceHeightShare / 2);
}

const touchesEdge = (f: FaceBox, m: number) => f.x <= m || f.y <= m || f.x + f.w >= 1 - m || f.y + f.h >= 1 - m;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const pct = (v: number) => `${Math.round(v * 100)} %`;

export function judgeFaces(frames: SampledFrame[], rules: FaceRules): FaceVerdict {
  const n = frames.length;
  const withFace = frames.filter((f) => f.faces.length > 0);
  // "Most" frames: a face missed in a blink or a turn of the head is normal, a face missing in
  // half the video is not a talking head HeyGem can animate.
  if (n === 0 || withFace.length * 2 <= n) {
    return { ok: false, code: 'no_face', message: `No face found in ${n - withFace.length} of ${n} sampled frames`, frames };
  }
  const crowded = frames.filter((f) => significant(f.faces, rules).length > 1);
  // HeyGem animates whichever face it finds first: two people in even a fifth of the stills is refused.
  if (crowded.length >= Math.max(1, Math.ceil(n / 5))) {
    const at = crowded.map((f) => `${f.at} s`).join(', ');
    return { ok: false, code: 'multiple_faces', message: `More than one face in ${crowded.length} of ${n} sampled frames (at ${at})`, frames };
  }
  const main = withFace.map((f) => f.faces.reduce((a, b) => (b.h > a.h ? b : a)));
  const height = median(main.map((f) => f.h));
  if (height < rules.minFaceHeightShare) {
    return { ok: false, code: 'face_too_small', message: `The face is ${pct(height)} of the frame height; at least ${pct(rules.minFaceHeightShare)} is needed`, frames };
  }
  const cut = main.filter((f) => touchesEdge(f, rules.edgeMargin));
  if (cut.length * 2 > main.length) {
    return { ok: false, code: 'face_cut_off', message: `The face touches the frame edge in ${cut.length} of ${main.length} frames with a face`, frames };
  }
  // The box the avatar keeps: the median face (by height) of the stills that showed one.
  const face = [...main].sort((a, b) => a.h - b.h)[Math.floor(main.length / 2)];
  return { ok: true, face, frames };
}
