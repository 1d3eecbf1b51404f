/**
 * The face check on real faces (photos shipped in an npm package, composited by ffmpeg:
 * test/helpers/face-fixtures.ts): each case gets its code, with the frames and boxes named.
 */
import { describe, expect, it } from 'vitest';
import { DomainError } from '../domain/errors.js';
import { FfmpegMedia } from '../media/ffmpeg.adapter.js';
import { FrameSampler } from '../media/frame-sampler.js';
import { faceCaseVideo, type FaceCase } from '../../test/helpers/face-fixtures.js';
import { faceVideoWithAudio, silentVideo } from '../../test/helpers/fixtures.js';
import { FaceCheck, type FaceCheckConfig } from './face-check.js';
import { HumanFaceDetector } from './human-face-detector.js';

const cfg: FaceCheckConfig = {
  face: 'on', sampleFrames: 10, minFaceHeightShare: 0.15, edgeMargin: 0.01, minConfidence: 0.5,
  minVideoSeconds: 0.5, minFps: 10, maxFps: 60, minShortSide: 120, maxLongSide: 4096,
};
const media = new FfmpegMedia({});
const detector = new HumanFaceDetector({ minConfidence: cfg.minConfidence });
const check = new FaceCheck(cfg, detector, new FrameSampler({ ffmpegPath: 'ffmpeg', timeoutMs: 60_000 }));

async function codeOf(path: string): Promise<{ code: string; details: Record<string, unknown> } | 'ok'> {
  try {
    await check.check(path, await media.probe(path));
    return 'ok';
  } catch (err) {
    if (err instanceof DomainError) return { code: err.code, details: err.details };
    throw err;
  }
}

describe('face check on real faces', () => {
  it('accepts one face and returns its box, fps and size', async () => {
    const path = await faceCaseVideo('one');
    const r = await check.check(path, await media.probe(path));
    expect(r).toMatchObject({ fps: 25, width: 640, height: 360, rotation: 0 });
    expect(r.frames).toHaveLength(3);
    expect(r.frames.map((f) => f.at)).toEqual([0.5, 1.5, 2.5]);
    // the right-hand person of the photo: right of the middle, upper half
    expect(r.face!.x + r.face!.w / 2).toBeGreaterThan(0.5);
    expect(r.face!.y + r.face!.h / 2).toBeLessThan(0.6);
    expect(r.face!.h).toBeGreaterThan(0.2);
  }, 60_000);

  it.each<[FaceCase, string]>([
    ['two', 'multiple_faces'],
    ['none', 'no_face'],
    ['tiny', 'face_too_small'],
    ['cut', 'face_cut_off'],
  ])('%s → %s, naming the frames and boxes found', async (kind, code) => {
    const r = await codeOf(await faceCaseVideo(kind));
    expect(r).not.toBe('ok');
    const { code: got, details } = r as { code: string; details: { frames: Array<{ at: number; faces: unknown[] }> } };
    expect(got).toBe(code);
    expect(details.frames).toHaveLength(3);
    const faces = details.frames.map((f) => f.faces.length);
    if (kind === 'none') expect(faces).toEqual([0, 0, 0]);
    if (kind === 'two') expect(faces).toEqual([2, 2, 2]);
    if (kind === 'tiny' || kind === 'cut') expect(faces).toEqual([1, 1, 1]);
  }, 60_000);

  it('the shared test fixtures carry a real face and pass', async () => {
    expect(await codeOf(await faceVideoWithAudio(1))).toBe('ok');
    expect(await codeOf(await silentVideo(1))).toBe('ok');
  }, 60_000);

  it('checks.face off keeps the header checks and skips detection', async () => {
    const off = new FaceCheck({ ...cfg, face: 'off' }, { detect: () => Promise.reject(new Error('not called')) }, new FrameSampler({ ffmpegPath: 'ffmpeg', timeoutMs: 60_000 }));
    const path = await faceCaseVideo('none');
    expect(await off.check(path, await media.probe(path))).toMatchObject({ face: null, frames: [] });
    await expect(off.check(path, { ...(await media.probe(path)), fps: 120 })).rejects.toMatchObject({ code: 'frame_rate_out_of_range' });
  }, 60_000);
});
