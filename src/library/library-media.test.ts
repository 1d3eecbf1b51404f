import { execFileSync } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FfmpegMedia } from '../media/ffmpeg.adapter.js';
import type { ProbeResult } from '../media/media.js';
import { LibraryMedia, needsTranscode, posterArgs, previewArgs } from './library-media.js';

const probe = (p: Partial<ProbeResult>): ProbeResult => ({ formatName: 'mov,mp4,m4a,3gp,3g2,mj2', durationSec: 2, hasVideo: true, hasAudio: true, videoCodec: 'h264', audioCodec: 'aac', width: 320, height: 240, ...p });

describe('library media', () => {
  it('re-encodes only what the containers would not read as is', () => {
    expect(needsTranscode(probe({}))).toBe(false);
    expect(needsTranscode(probe({ hasAudio: false, audioCodec: undefined }))).toBe(false);
    expect(needsTranscode(probe({ videoCodec: 'hevc' }))).toBe(true);
    expect(needsTranscode(probe({ audioCodec: 'opus' }))).toBe(true);
    expect(needsTranscode(probe({ formatName: 'matroska,webm' }))).toBe(true);
    expect(needsTranscode(probe({ width: 321 }))).toBe(true);
    // 10-bit or 4:4:4 H.264 is H.264 the containers (and many browsers) cannot decode well
    expect(needsTranscode(probe({ pixFmt: 'yuv420p' }))).toBe(false);
    expect(needsTranscode(probe({ pixFmt: 'yuv420p10le' }))).toBe(true);
    expect(needsTranscode(probe({ pixFmt: 'yuv444p' }))).toBe(true);
  });

  it('hardens every input and never seeks past a short clip', () => {
    expect(posterArgs('in', 'out.jpg', { durationSec: 0.4 })).toEqual(expect.arrayContaining(['-ss', '0.20', '-protocol_whitelist', 'file,pipe', '-frames:v', '1']));
    expect(previewArgs('in', 'out.webp').join(' ')).toContain('-c:v libwebp_anim -loop 0');
    // the video stream's own length counts, not the audio's; one frame is taken at 0
    expect(posterArgs('in', 'out.jpg', { durationSec: 5, videoDurationSec: 0.3 })).toEqual(expect.arrayContaining(['-ss', '0.15']));
    expect(posterArgs('in', 'out.jpg', { durationSec: 5, videoDurationSec: 0.04, frameCount: 1 })).toEqual(expect.arrayContaining(['-ss', '0.00']));
  });

  it('makes a poster of a one-frame video inside seconds of audio, and a failed encode stops its sibling (real ffmpeg)', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hg-libmedia-'));
    const one = join(dir, 'one.mp4');
    const frame = join(dir, 'frame.mp4');
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=160x120:rate=25', '-frames:v', '1', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', frame]);
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', frame, '-f', 'lavfi', '-i', 'sine=duration=3', '-c:v', 'copy', '-c:a', 'aac', one]);
    const face = await new FfmpegMedia().probe(one);
    expect(face.frameCount).toBe(1);
    expect(face.durationSec).toBeGreaterThan(2);
    const lib = new LibraryMedia({ ffmpegPath: 'ffmpeg', timeoutMs: 30_000 });
    await lib.poster(one, join(dir, 'poster.jpg'), face);
    expect(statSync(join(dir, 'poster.jpg')).size).toBeGreaterThan(300);
    await lib.preview(one, join(dir, 'preview.webp'));
    expect(statSync(join(dir, 'preview.webp')).size).toBeGreaterThan(300);
    const stop = new AbortController();
    stop.abort();
    await expect(lib.preview(one, join(dir, 'never.webp'), stop.signal)).rejects.toMatchObject({ code: 'input_invalid' });
  });

  it('turns an AVI into an H.264 MP4 with a poster and an animated preview (real ffmpeg)', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hg-libmedia-'));
    const avi = join(dir, 'in.avi');
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=162x120:rate=10:duration=1', '-f', 'lavfi', '-i', 'sine=duration=1', '-c:v', 'mpeg4', '-c:a', 'pcm_s16le', '-shortest', avi]);
    const media = new FfmpegMedia();
    expect(needsTranscode(await media.probe(avi))).toBe(true);
    const lib = new LibraryMedia({ ffmpegPath: 'ffmpeg', timeoutMs: 30_000 });
    await lib.transcode(avi, join(dir, 'face.mp4'));
    const out = await media.probe(join(dir, 'face.mp4'));
    expect(out).toMatchObject({ videoCodec: 'h264', audioCodec: 'aac', hasAudio: true });
    expect(needsTranscode(out)).toBe(false);
    await lib.poster(join(dir, 'face.mp4'), join(dir, 'poster.jpg'), out);
    await lib.preview(join(dir, 'face.mp4'), join(dir, 'preview.webp'));
    expect(statSync(join(dir, 'poster.jpg')).size).toBeGreaterThan(500);
    expect(statSync(join(dir, 'preview.webp')).size).toBeGreaterThan(500);
  });
});
