import { describe, expect, it } from 'vitest';
import { judgeFaces, sampleTimes, type FaceBox, type SampledFrame } from './face-verdict.js';
import { checkVideoRules } from './video-rules.js';

const rules = { minFaceHeightShare: 0.15, edgeMargin: 0.01 };
const face = (o: Partial<FaceBox> = {}): FaceBox => ({ x: 0.4, y: 0.2, w: 0.2, h: 0.35, score: 0.9, ...o });
const frames = (...faces: FaceBox[][]): SampledFrame[] => faces.map((f, i) => ({ at: i + 0.5, faces: f }));

describe('sampleTimes', () => {
  it('one still a second for short clips, mid-second', () => {
    expect(sampleTimes(3, 10)).toEqual([0.5, 1.5, 2.5]);
    expect(sampleTimes(0.8, 10)).toEqual([0]);
    expect(sampleTimes(0.04, 10)).toEqual([0]);
  });
  it('at most `max`, spread over long videos', () => {
    const t = sampleTimes(600, 10);
    expect(t).toHaveLength(10);
    expect(t[0]).toBe(30);
    expect(t[9]).toBe(570);
  });
});

describe('judgeFaces', () => {
  it('accepts one face in every frame and keeps the median box', () => {
    const v = judgeFaces(frames([face({ h: 0.3 })], [face({ h: 0.4 })], [face({ h: 0.35 })]), rules);
    expect(v).toMatchObject({ ok: true, face: { h: 0.35 } });
  });
  it('no_face when most frames have none; a blink-frame without a face is fine', () => {
    expect(judgeFaces(frames([], [], [face()]), rules)).toMatchObject({ ok: false, code: 'no_face' });
    expect(judgeFaces(frames([], [face()]), rules)).toMatchObject({ ok: false, code: 'no_face' });
    expect(judgeFaces(frames([], [face()], [face()]), rules).ok).toBe(true);
    expect(judgeFaces([], rules)).toMatchObject({ ok: false, code: 'no_face' });
  });
  it('multiple_faces from a fifth of the frames; small background faces do not count', () => {
    const two = [face(), face({ x: 0.05 })];
    expect(judgeFaces(frames(two, [face()], [face()], [face()], [face()]), rules)).toMatchObject({ ok: false, code: 'multiple_faces' });
    expect(judgeFaces(frames([face(), face({ x: 0.05, h: 0.05 })], [face()]), rules).ok).toBe(true);
  });
  it('face_too_small below the share, by the median frame', () => {
    expect(judgeFaces(frames([face({ h: 0.1 })], [face({ h: 0.12 })], [face({ h: 0.3 })]), rules)).toMatchObject({ ok: false, code: 'face_too_small' });
  });
  it('face_cut_off when the box touches an edge in most frames', () => {
    const cut = face({ x: -0.05 });
    expect(judgeFaces(frames([cut], [cut], [face()]), rules)).toMatchObject({ ok: false, code: 'face_cut_off' });
    expect(judgeFaces(frames([face({ y: 0.7, h: 0.3 })]), rules)).toMatchObject({ ok: false, code: 'face_cut_off' });
    expect(judgeFaces(frames([cut], [face()], [face()]), rules).ok).toBe(true);
  });
});

describe('checkVideoRules', () => {
  const r = { minVideoSeconds: 0.5, minFps: 10, maxFps: 60, minShortSide: 120, maxLongSide: 4096 };
  const ok = { durationSec: 3, fps: 25, width: 640, height: 360 };
  it.each([
    [{ durationSec: 0.2 }, 'video_too_short'],
    [{ fps: 5 }, 'frame_rate_out_of_range'],
    [{ fps: 120 }, 'frame_rate_out_of_range'],
    [{ width: 100, height: 80 }, 'resolution_too_low'],
    [{ width: 5000, height: 2000 }, 'resolution_too_high'],
  ])('%o → %s (422)', (change, code) => {
    expect(() => checkVideoRules({ ...ok, ...change }, r)).toThrow(expect.objectContaining({ code, kind: 'unprocessable' }));
  });
  it('passes a good video and one whose container states no rate', () => {
    expect(() => checkVideoRules(ok, r)).not.toThrow();
    expect(() => checkVideoRules({ ...ok, fps: 0 }, r)).not.toThrow();
  });
});
