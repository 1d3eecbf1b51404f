/** The lightweight farm's results: one pre-encoded MP4 per speech step, copied per job. */
import { createHash } from 'node:crypto';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { faceVideoWithAudio } from '../../test/helpers/fixtures.js';
import { checkMp4Structure } from '../media/mp4-boxes.js';
import { preparedResultFile, prepareResults, type PreparedResultsSpec } from './prepared-results.js';
import { toneWav } from './tts-container.fake.js';
import { startFakeVideoContainer, type FakeVideoContainer } from './video-container.fake.js';

let fake: FakeVideoContainer | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});

const sha = async (path: string) => createHash('sha256').update(await readFile(path)).digest('hex');

describe('prepared results', () => {
  it('names the nearest step and nothing beyond the prepared range', () => {
    const spec: PreparedResultsSpec = { dir: '/r', face: '/f.mp4', stepSec: 0.25, maxSec: 8 };
    expect(preparedResultFile(spec, 1.1)).toBe('/r/1000ms.mp4');
    expect(preparedResultFile(spec, 1.13)).toBe('/r/1250ms.mp4');
    expect(preparedResultFile(spec, 0.01)).toBe('/r/250ms.mp4'); // never an empty result
    expect(preparedResultFile(spec, 8)).toBe('/r/8000ms.mp4');
    expect(preparedResultFile(spec, 8.2)).toBeNull(); // encoded per job instead
  });

  it('a prepared fake answers with a copy of the result of its speech length', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hg-prepared-'));
    const spec: PreparedResultsSpec = { dir: join(dir, 'results'), face: await faceVideoWithAudio(2), stepSec: 0.5, maxSec: 1 };
    await prepareResults(spec);
    const want = preparedResultFile(spec, 1)!;
    expect((await checkMp4Structure(want)).ok).toBe(true);
    const dataDir = join(dir, 'gpu0');
    fake = await startFakeVideoContainer({ dataDir, renderMs: 100, growMs: 50, produceResult: 'prepared', prepared: spec });
    await copyFile(spec.face, join(dataDir, 'temp', 'c1.mp4'));
    await writeFile(join(dataDir, 'temp', 'c1.wav'), toneWav(1.1));
    const submit = await fetch(`${fake.url}/easy/submit`, { method: 'POST', body: JSON.stringify({ audio_url: 'c1.wav', video_url: 'c1.mp4', code: 'c1', chaofen: 0, watermark_switch: 0, pn: 1 }) });
    expect(((await submit.json()) as { code: number }).code).toBe(10000);
    let status = 1;
    while (status === 1) {
      status = ((await (await fetch(`${fake.url}/easy/query?code=c1`)).json()) as { data: { status: number } }).data.status;
      if (status === 1) await sleep(20);
    }
    expect(status).toBe(2);
    while (fake.stats().settling.length) await sleep(20); // the rest of the growing file
    const out = join(dataDir, 'temp', 'c1-r.mp4');
    expect(await sha(out)).toBe(await sha(want));
    expect(fake.stats().resultSha256.c1).toBe(await sha(want));
  });
});
