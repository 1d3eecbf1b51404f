/** Medium tests: real ffmpeg/ffprobe on tiny generated fixtures. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { faceVideoWithAudio, silentVideo } from '../../test/helpers/fixtures.js';
import { toneWav } from '../simulate/tts-container.fake.js';
import { FfmpegMedia, findBinary } from './ffmpeg.adapter.js';
import { runProcess } from './process.js';

const media = new FfmpegMedia();
let dir: string;
let face: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hg-media-'));
  face = await faceVideoWithAudio(2);
});

describe('FfmpegMedia', () => {
  it('probes a real video and rejects junk named .mp4', async () => {
    const p = await media.probe(face);
    expect(p).toMatchObject({ hasVideo: true, hasAudio: true, videoCodec: 'h264', audioCodec: 'aac' });
    expect(p.durationSec).toBeCloseTo(2, 0);
    const junk = join(dir, 'junk.mp4');
    writeFileSync(junk, 'this is not a video');
    await expect(media.probe(junk)).rejects.toMatchObject({ code: 'input_invalid' });
  });

  it('refuses a playlist disguised as .mp4 (it could read other local files)', async () => {
    const evil = join(dir, 'evil.mp4');
    writeFileSync(evil, `#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2,\n${face}\n#EXT-X-ENDLIST\n`);
    await expect(media.probe(evil)).rejects.toMatchObject({ code: 'input_invalid' });
    await expect(media.extractAudio(evil, join(dir, 'evil.wav'))).rejects.toBeTruthy();
  });

  it('extracts the reference voice as mono 44.1 kHz WAV', async () => {
    const out = join(dir, 'ref.wav');
    await media.extractAudio(face, out, { maxSeconds: 1 });
    const p = await media.probe(out);
    expect(p.hasAudio && !p.hasVideo).toBe(true);
    expect(p.durationSec).toBeCloseTo(1, 1);
  });

  it('loops the face to exactly the speech length (no -shortest overshoot)', async () => {
    const speech = join(dir, 'speech.wav');
    writeFileSync(speech, toneWav(5.3));
    const out = join(dir, 'looped.mp4');
    await media.muxLoop(face, speech, out, { durationSec: 5.3 });
    const v = await media.verifyMp4(out, { expectedDurationSec: 5.3, toleranceSec: 0.15 });
    expect(v.ok, JSON.stringify(v)).toBe(true);
    const bytes = readFileSync(out);
    expect(bytes.indexOf('moov')).toBeLessThan(bytes.indexOf('mdat')); // faststart
  });

  it('refuses truncated, video-only and wrong-length results', async () => {
    const half = join(dir, 'half.mp4');
    const bytes = readFileSync(face);
    writeFileSync(half, bytes.subarray(0, Math.floor(bytes.length / 2)));
    expect((await media.verifyMp4(half)).ok).toBe(false);
    expect((await media.verifyMp4(await silentVideo(1))).ok).toBe(false);
    const copy = join(dir, 'copy.mp4');
    await copyFile(face, copy);
    expect(await media.verifyMp4(copy, { expectedDurationSec: 10 })).toMatchObject({ ok: false });
    expect((await media.verifyMp4(join(dir, 'missing.mp4'))).ok).toBe(false);
  });

  it('makes the default face video', async () => {
    const out = join(dir, 'face.mp4');
    await media.makeDefaultFace(out, { seconds: 1 });
    expect((await media.verifyMp4(out)).ok).toBe(true);
  });

  it('finds binaries on PATH and kills a process on abort', async () => {
    expect(await findBinary('ffmpeg')).toMatch(/ffmpeg$/);
    expect(await findBinary('no-such-binary-here')).toBeNull();
    const ac = new AbortController();
    const p = runProcess('sleep', ['10'], { signal: ac.signal });
    setTimeout(() => ac.abort(), 50);
    await expect(p).rejects.toMatchObject({ kind: 'aborted' });
    await expect(runProcess('sleep', ['10'], { timeoutMs: 50 })).rejects.toMatchObject({ kind: 'timeout' });
  });
});
