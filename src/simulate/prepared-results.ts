/**
 * Pre-encoded results for a lightweight fake farm. At 24–48 simulated GPUs on a small machine the
 * fakes' own ffprobe/ffmpeg per job (four processes a result) starve the gateway they are meant
 * to measure. In `prepared` mode a fake copies one of these files instead: one MP4 per step of
 * speech length, muxed once from a face and a tone the way the fake muxes a real job (the face's
 * frames stream-copied to the speech's length, AAC sound). The HTTP protocol and the result's
 * shape (a growing file written after "done", of the speech's duration within half a step) stay
 * as they are; only the fake's per-job encoding is gone.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { toneWav } from './tts-container.fake.js';

const run = promisify(execFile);

export interface PreparedResultsSpec {
  /** Where the files are (kept between runs: named by the step's length). */
  dir: string;
  /** Face video the results are made of (H.264, as the gateway stages it). */
  face: string;
  /** Speech length step, seconds: a result is at most half a step off its speech. */
  stepSec: number;
  /** Longest speech with a prepared result; longer speech is encoded per job as usual. */
  maxSec: number;
}

/** The prepared file for a speech length, or null beyond the prepared range. */
export function preparedResultFile(spec: PreparedResultsSpec, speechSec: number): string | null {
  const steps = Math.max(1, Math.round(speechSec / spec.stepSec));
  if (steps * spec.stepSec > spec.maxSec + 1e-9) return null;
  return join(spec.dir, `${Math.round(steps * spec.stepSec * 1000)}ms.mp4`);
}

/** Make the files that are missing (two encoders at a time). */
export async function prepareResults(spec: PreparedResultsSpec): Promise<void> {
  await mkdir(spec.dir, { recursive: true });
  const lengths: number[] = [];
  for (let s = spec.stepSec; s <= spec.maxSec + 1e-9; s += spec.stepSec) lengths.push(s);
  const todo = lengths.filter((s) => !existsSync(preparedResultFile(spec, s)!));
  if (!todo.length) return;
  const rate = (await run('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=r_frame_rate', '-of', 'csv=p=0', spec.face])).stdout.trim();
  const [num, den] = rate.split('/').map(Number);
  const fps = den ? num / den : num || 25;
  const one = async (sec: number) => {
    const out = preparedResultFile(spec, sec)!;
    const wav = `${out}.wav`;
    const tmp = `${out}.tmp.mp4`;
    await writeFile(wav, toneWav(sec));
    const frames = String(Math.max(1, Math.round(sec * fps)));
    const mux = (video: string[]) =>
      run('ffmpeg', ['-v', 'error', '-y', '-stream_loop', '-1', '-i', spec.face, '-i', wav, '-map', '0:v:0', '-map', '1:a:0', ...video, '-frames:v', frames, '-c:a', 'aac', '-movflags', '+faststart', '-f', 'mp4', tmp]);
    try {
      await mux(['-c:v', 'copy']).catch(() => mux(['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p']));
      await rename(tmp, out);
    } finally {
      await rm(wav, { force: true });
      await rm(tmp, { force: true });
    }
  };
  for (let i = 0; i < todo.length; i += 2) await Promise.all(todo.slice(i, i + 2).map(one));
}
