/**
 * A face video whose every frame carries its own index in pixels (10 black/white bands = 10
 * bits), and the reader that gets the indices back out of any video made from it: boundaries
 * of stitched videos are checked frame by frame.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const BITS = 10;

/** `seconds` of 25 fps video (frame n shows n) with a tone as its sound (a voice to clone). */
export async function indexedFace(seconds = 3): Promise<string> {
  const out = join(mkdtempSync(join(tmpdir(), 'hg-face-')), 'indexed.mp4');
  await run('ffmpeg', [
    '-hide_banner', '-v', 'error', '-y',
    '-f', 'lavfi', '-i', `color=c=black:s=320x64:r=25:d=${seconds},geq=lum='255*mod(floor(N/pow(2\\,floor(X*${BITS}/W)))\\,2)':cb=128:cr=128`,
    '-f', 'lavfi', '-i', `sine=f=220:r=44100:d=${seconds}`,
    '-t', String(seconds), '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '12', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', out,
  ]);
  return out;
}

/** The index shown by every frame of `video`, in order. */
export async function frameIndices(video: string): Promise<number[]> {
  const { stdout } = await run('ffmpeg', ['-v', 'error', '-i', video, '-vf', `scale=${BITS}:1:flags=area,format=gray`, '-f', 'rawvideo', '-'], {
    encoding: 'buffer',
    maxBuffer: 1 << 26,
  });
  const out: number[] = [];
  for (let f = 0; f + BITS <= stdout.length; f += BITS) {
    let n = 0;
    for (let b = 0; b < BITS; b++) if (stdout[f + b] > 128) n |= 1 << b;
    out.push(n);
  }
  return out;
}

/** Silences in a file's sound: [start, end] seconds (ffmpeg silencedetect). */
export async function silences(file: string, noiseDb = -40, minSec = 0.12): Promise<Array<[number, number]>> {
  const { stderr } = await run('ffmpeg', ['-hide_banner', '-nostats', '-i', file, '-af', `silencedetect=noise=${noiseDb}dB:d=${minSec}`, '-f', 'null', '-']);
  const starts = [...stderr.matchAll(/silence_start: ([\d.]+)/g)].map((m) => Number(m[1]));
  const ends = [...stderr.matchAll(/silence_end: ([\d.]+)/g)].map((m) => Number(m[1]));
  return starts.map((s, i) => [s, ends[i] ?? Infinity]);
}
