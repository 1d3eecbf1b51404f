/**
 * The pre-encoded results of a lightweight fake farm (src/simulate/prepared-results.ts), made
 * once per machine under the temp dir and reused by every run: the gateway's own default face
 * (made by its media adapter), results every 0.25 s of speech up to 8 s (the
 * benchmarks' texts speak 1–7 s; longer speech is encoded per job as usual).
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FfmpegMedia } from '../../src/media/ffmpeg.adapter.js';
import type { PreparedResultsSpec } from '../../src/simulate/prepared-results.js';

export async function preparedFarmResults(): Promise<PreparedResultsSpec> {
  const dir = join(tmpdir(), 'hg-bench-prepared-results');
  await mkdir(dir, { recursive: true });
  const face = join(dir, 'face.mp4');
  if (!existsSync(face)) await new FfmpegMedia().makeDefaultFace(face, { seconds: 4 });
  // The farm process makes the missing results before its containers start.
  return { dir: join(dir, 'v1'), face, stepSec: 0.25, maxSec: 8 };
}
