/**
 * The output check on real ffmpeg output (test/helpers/output-fixtures.ts): each spoiled result
 * gets its finding, a good one none; silence where the speech pauses and a still result of a
 * still face are not findings. The rules themselves are tested on parsed intervals.
 */
import { describe, expect, it } from 'vitest';
import { FfmpegMedia } from '../media/ffmpeg.adapter.js';
import { outputCase, type OutputCase } from '../../test/helpers/output-fixtures.js';
import { faceVideoWithAudio } from '../../test/helpers/fixtures.js';
import { DEFAULT_OUTPUT_RULES, judgeOutput, OutputChecker, parseDetections, STILL_FACE_WINDOW_SEC, stillFaceArgs } from './output-check.js';

const media = new FfmpegMedia({});
const checker = new OutputChecker({ ffmpegPath: 'ffmpeg', timeoutMs: 60_000 });
const moving = () => outputCase('good'); // a face video that moves

async function findings(kind: OutputCase, o: { speech?: string; face?: string } = {}) {
  const result = await outputCase(kind);
  const p = await media.probe(result);
  return checker.check({ result, videoSec: p.videoDurationSec ?? p.durationSec, audioSec: p.audioDurationSec ?? p.durationSec, face: o.face ?? (await moving()), speech: o.speech });
}

describe('output check on real results', () => {
  it('a good result has no findings', async () => {
    expect(await findings('good')).toEqual([]);
  }, 60_000);

  it.each<[OutputCase, string, number]>([
    ['black', 'output_black', 1],
    ['frozen', 'output_frozen', 0],
    ['silent', 'output_silent', 1],
    ['drift', 'output_av_drift', 2.5],
  ])('%s → %s at %s s', async (kind, code, at) => {
    const f = await findings(kind);
    expect(f.map((x) => x.code)).toEqual([code]);
    expect(f[0].at).toBeCloseTo(at, 0);
    expect(f[0].detail).toEqual(expect.any(String));
  }, 60_000);

  it('silence where the speech itself pauses is no finding', async () => {
    expect(await findings('silent', { speech: await outputCase('speech-pause') })).toEqual([]);
  }, 60_000);

  it('a still result of a still face (a held photo) is no finding', async () => {
    expect(await checker.isStill(await faceVideoWithAudio(2))).toBe(true);
    expect(await checker.isStill(await moving())).toBe(false);
    expect(await findings('frozen', { face: await faceVideoWithAudio(2) })).toEqual([]);
  }, 60_000);

  it('a good result does not read the face video at all (no frozen stretch to judge)', async () => {
    // a face that cannot be read: the face pass would fail the check if it ran
    expect(await findings('good', { face: '/nonexistent/face.mp4' })).toEqual([]);
    await expect(findings('frozen', { face: '/nonexistent/face.mp4' })).rejects.toThrow();
  }, 60_000);

  it('reads only the first seconds of a long face video (its cost is the result\u2019s, not the face\u2019s)', async () => {
    expect(stillFaceArgs('face.mp4').join(' ')).toContain(`-t ${STILL_FACE_WINDOW_SEC} -f null`);
    // a held photo longer than the window: still (the freeze is open where the reading stops)
    expect(await checker.isStill(await faceVideoWithAudio(STILL_FACE_WINDOW_SEC + 3))).toBe(true);
  }, 60_000);
});

describe('parseDetections / judgeOutput', () => {
  const log = [
    '[blackdetect @ 0x1] black_start:1 black_end:2.5 black_duration:1.5',
    '[freezedetect @ 0x2] lavfi.freezedetect.freeze_start: 3',
    '[freezedetect @ 0x2] lavfi.freezedetect.freeze_duration: 2',
    '[freezedetect @ 0x2] lavfi.freezedetect.freeze_end: 5',
    'frame=  1 fps=0.0 q=-0.0 size=N/A time=00:00:00.09 bitrate=N/A speed=60.1x    [silencedetect @ 0x3] silence_start: -0.01',
    '[silencedetect @ 0x3] silence_end: 2 | silence_duration: 2',
    '[silencedetect @ 0x3] silence_start: 7',
  ].join('\n');

  it('reads every stretch; one still open at the end runs to the end', () => {
    expect(parseDetections(log, 9)).toEqual({
      black: [{ start: 1, end: 2.5 }],
      frozen: [{ start: 3, end: 5 }],
      silent: [{ start: 0, end: 2 }, { start: 7, end: 9 }],
      clipped: null,
    });
  });

  it('clipping is a warning past the share of samples at full scale', () => {
    const found = parseDetections('[Parsed_volumedetect_1 @ 0x4] n_samples: 100000\n[Parsed_volumedetect_1 @ 0x4] histogram_0db: 500', 5);
    expect(found.clipped).toEqual({ atFullScale: 500, samples: 100000 });
    const facts = { videoSec: 5, audioSec: 5, speechSilent: null, faceStill: false };
    expect(judgeOutput(found, facts, DEFAULT_OUTPUT_RULES)).toEqual([expect.objectContaining({ code: 'output_clipped', at: 0 })]);
    expect(judgeOutput({ ...found, clipped: { atFullScale: 50, samples: 100000 } }, facts, DEFAULT_OUTPUT_RULES)).toEqual([]);
  });

  it('silence is judged only where the speech has sound, freezes only for a moving face', () => {
    const found = parseDetections(log, 9);
    const facts = { videoSec: 9, audioSec: 9, speechSilent: [{ start: 0, end: 1.5 }, { start: 6.5, end: 9 }], faceStill: false };
    expect(judgeOutput(found, facts, DEFAULT_OUTPUT_RULES).map((f) => f.code)).toEqual(['output_black', 'output_frozen']);
    const noSpeechInfo = judgeOutput(found, { ...facts, speechSilent: null, faceStill: true }, DEFAULT_OUTPUT_RULES);
    expect(noSpeechInfo.map((f) => [f.code, f.at])).toEqual([['output_silent', 0], ['output_black', 1], ['output_silent', 7]]);
  });

  it('a black stretch is not also reported frozen; a freeze that outlasts it by the threshold is', () => {
    const facts = { videoSec: 9, audioSec: 9, speechSilent: null, faceStill: false };
    const allBlack = { black: [{ start: 0, end: 2.08 }], frozen: [{ start: 0, end: 2.12 }], silent: [] };
    expect(judgeOutput(allBlack, facts, DEFAULT_OUTPUT_RULES).map((f) => f.code)).toEqual(['output_black']);
    const longer = { ...allBlack, frozen: [{ start: 0, end: 5 }] };
    expect(judgeOutput(longer, facts, DEFAULT_OUTPUT_RULES).map((f) => [f.code, f.at])).toEqual([['output_black', 0], ['output_frozen', 2.08]]);
  });

  it('A/V drift past the tolerance, either way', () => {
    const none = { black: [], frozen: [], silent: [] };
    const facts = { speechSilent: null, faceStill: false };
    expect(judgeOutput(none, { ...facts, videoSec: 10, audioSec: 10.4 }, DEFAULT_OUTPUT_RULES)).toEqual([]);
    expect(judgeOutput(none, { ...facts, videoSec: 10, audioSec: 11 }, DEFAULT_OUTPUT_RULES)[0]).toMatchObject({ code: 'output_av_drift', at: 10 });
    expect(judgeOutput(none, { ...facts, videoSec: 12, audioSec: 11 }, DEFAULT_OUTPUT_RULES)[0]).toMatchObject({ code: 'output_av_drift', at: 11 });
  });
});
