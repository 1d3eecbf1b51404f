/** Media fixtures made on the fly with real ffmpeg (the repo ships no binary media). */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const cacheDir = join(tmpdir(), 'heygem-gateway-fixtures');
const require = createRequire(import.meta.url);

/**
 * Real faces from a source this project did not make: the sample photos shipped in the
 * @vladmandic/face-api npm package (a dev dependency). sample1.jpg is 1920×1280, three people.
 */
export function faceImage(name = 'sample1.jpg'): string {
  return join(dirname(require.resolve('@vladmandic/face-api/package.json')), 'demo', name);
}

/** The right-hand person of sample1.jpg, head and shoulders, 4:3 (one face, 38 % of the height). */
export const ONE_FACE_CROP = 'crop=800:600:1120:100';

/**
 * A short clip of one real face (a photo shipped in an npm package, faceImage()) with a tone as
 * its sound track (video + audio): it passes the face check (docs/checks.md).
 */
export async function faceVideoWithAudio(seconds = 2): Promise<string> {
  mkdirSync(cacheDir, { recursive: true });
  const out = join(cacheDir, `portrait-${seconds}s.mp4`);
  if (existsSync(out)) return out;
  const tmp = `${out}.${process.pid}.tmp.mp4`;
  await run('ffmpeg', [
    '-v', 'error', '-y',
    '-loop', '1', '-framerate', '25', '-i', faceImage(), '-t', String(seconds),
    '-f', 'lavfi', '-i', `sine=frequency=220:sample_rate=44100:duration=${seconds}`,
    '-vf', `${ONE_FACE_CROP},scale=320:240`,
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', '-movflags', '+faststart', tmp,
  ]);
  await import('node:fs/promises').then((fs) => fs.rename(tmp, out));
  return out;
}

/** A video of one real face with no audio track. */
export async function silentVideo(seconds = 1): Promise<string> {
  mkdirSync(cacheDir, { recursive: true });
  const out = join(cacheDir, `silent-portrait-${seconds}s.mp4`);
  if (existsSync(out)) return out;
  const tmp = `${out}.${process.pid}.tmp.mp4`;
  await run('ffmpeg', ['-v', 'error', '-y', '-loop', '1', '-framerate', '25', '-i', faceImage(), '-t', String(seconds), '-vf', `${ONE_FACE_CROP},scale=160:120`, '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', tmp]);
  await import('node:fs/promises').then((fs) => fs.rename(tmp, out));
  return out;
}

export async function ffprobeJson(path: string): Promise<{ format: { format_name: string; duration: string }; streams: Array<{ codec_type: string; codec_name: string }> }> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', path]);
  return JSON.parse(stdout);
}
