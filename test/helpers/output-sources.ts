/**
 * Sources for the output-option tests (docs/output.md), made by ffmpeg from the packaged face
 * photo (fixtures.ts faceImage) and cached like the other fixtures:
 *  - a 2400×1920 face video whose one face sits right of centre on a plain wall (tall enough
 *    for a 1080×1920 portrait cut without upscaling);
 *  - flat-colour PNGs for watermarks and backgrounds.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { faceImage } from './fixtures.js';

const run = promisify(execFile);
const cacheDir = join(tmpdir(), 'heygem-gateway-fixtures');

/** The right-hand person of sample1.jpg (800×1000 from the top, ×1.92) right of centre (x 700) on a 2400×1920 wall. */
/** `half`: the same picture at 1200×960 (a cheaper render where 1920 lines are not needed). */
export async function wideFaceSource(seconds = 3, half = false): Promise<string> {
  mkdirSync(cacheDir, { recursive: true });
  const out = join(cacheDir, `wide-face-${half ? '1200x960' : '2400x1920'}-v3-${seconds}s.mp4`);
  if (existsSync(out)) return out;
  const tmp = `${out}.${process.pid}.tmp.mp4`;
  await run('ffmpeg', [
    '-v', 'error', '-y',
    '-loop', '1', '-framerate', '25', '-i', faceImage(),
    '-f', 'lavfi', '-i', 'color=c=0x5a6e82:s=2400x1920:r=25',
    '-f', 'lavfi', '-i', `sine=frequency=220:sample_rate=44100:duration=${seconds}`,
    '-filter_complex', `[0]crop=800:1000:1120:0,scale=1536:1920[p];[1][p]overlay=700:0${half ? ',scale=1200:960' : ''}[v]`,
    '-map', '[v]', '-map', '2:a', '-t', String(seconds),
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-movflags', '+faststart', tmp,
  ]);
  await rename(tmp, out);
  return out;
}

/** A flat PNG of `color` (ffmpeg colour syntax, e.g. `red`). */
export async function colorPng(color: string, width: number, height: number): Promise<string> {
  mkdirSync(cacheDir, { recursive: true });
  const out = join(cacheDir, `flat-${color.replace(/\W/g, '')}-${width}x${height}.png`);
  if (existsSync(out)) return out;
  const tmp = `${out}.${process.pid}.tmp.png`;
  await run('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', `color=c=${color}:s=${width}x${height}`, '-frames:v', '1', '-f', 'image2', '-c:v', 'png', tmp]);
  await rename(tmp, out);
  return out;
}

/** RGB pixels of the frame at `atSec`. */
export async function rgbFrame(video: string, atSec: number, width: number, height: number): Promise<(x: number, y: number) => [number, number, number]> {
  const { stdout } = await run('ffmpeg', ['-hide_banner', '-v', 'error', '-ss', atSec.toFixed(3), '-i', video, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 });
  if (stdout.length !== width * height * 3) throw new Error(`frame of ${stdout.length} bytes, expected ${width}×${height}×3`);
  return (x, y) => {
    const i = (y * width + x) * 3;
    return [stdout[i], stdout[i + 1], stdout[i + 2]];
  };
}
