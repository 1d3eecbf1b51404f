/**
 * Reading burned captions back from a video's pixels (test/captions.burn.test.ts,
 * test/zh.e2e.test.ts). Two captions of different Chinese characters are readable when both put
 * ink on the frame and their pictures differ in a good part of that ink; tofu fails the check,
 * because every missing glyph is drawn as the same box (or not at all).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Grey pixels of the frame at `atSec`, optionally only rows [fromRow, height). */
export async function grayFrame(video: string, atSec: number, o: { width: number; height: number; fromRow?: number }): Promise<Buffer> {
  const { stdout } = await run('ffmpeg', ['-hide_banner', '-v', 'error', '-ss', atSec.toFixed(3), '-i', video, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'gray', '-'], {
    encoding: 'buffer',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (stdout.length !== o.width * o.height) throw new Error(`frame of ${stdout.length} bytes, expected ${o.width}×${o.height}`);
  return stdout.subarray((o.fromRow ?? 0) * o.width);
}

/** Pixels that differ clearly (white text with a dark outline on a mid-tone ground). */
export const differing = (a: Buffer, b: Buffer): number => a.reduce((n, v, i) => n + (Math.abs(v - b[i]) > 48 ? 1 : 0), 0);

/** A flat picture of the most common grey of `f`: the ground a caption is drawn on. */
export function ground(f: Buffer): Buffer {
  const counts = new Array<number>(256).fill(0);
  for (const v of f) counts[v]++;
  return Buffer.alloc(f.length, counts.indexOf(Math.max(...counts)));
}

export function readableCaptions(a: Buffer, b: Buffer, bg: Buffer): { ok: boolean; inkA: number; inkB: number; diff: number } {
  const inkA = differing(a, bg);
  const inkB = differing(b, bg);
  const diff = differing(a, b);
  return { ok: inkA > 60 && inkB > 60 && diff > 0.4 * Math.min(inkA, inkB), inkA, inkB, diff };
}
