/**
 * Following a render in the video container (src/engines/heygem/video.adapter.ts) against the
 * protocol-exact fake: a long render with flat progress is alive, a container that forgets the
 * job or stops answering is reported, "done" is seen through the result file without waiting
 * for the next poll. No timing is asserted: each case waits for an outcome.
 */
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TaskError } from '../src/domain/errors.js';
import { HeygemVideoEngine, type HeygemVideoOptions } from '../src/engines/heygem/video.adapter.js';
import { toneWav } from '../src/simulate/tts-container.fake.js';
import { startFakeVideoContainer, type FakeVideoContainer, type FakeVideoOptions } from '../src/simulate/video-container.fake.js';
import { FfmpegMedia } from '../src/media/ffmpeg.adapter.js';
import { faceVideoWithAudio } from './helpers/fixtures.js';
import { waitFor } from './helpers/gateway.js';

let face: string;
const cleanups: Array<() => Promise<void>> = [];
beforeAll(async () => {
  face = await faceVideoWithAudio(2);
});
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
});

async function setup(fakeOpts: Partial<FakeVideoOptions>, engineOpts: Partial<HeygemVideoOptions> = {}) {
  const base = mkdtempSync(join(tmpdir(), 'hg-follow-'));
  const dataDir = join(base, 'gpu0');
  const fake: FakeVideoContainer = await startFakeVideoContainer({ dataDir, host: '127.0.0.1', renderMs: 300, growMs: 30, ...fakeOpts });
  cleanups.push(() => fake.close());
  const engine = new HeygemVideoEngine({
    url: fake.url,
    hostDataDir: dataDir,
    containerDataDir: '/code/data',
    media: new FfmpegMedia(),
    pollIntervalMs: 50,
    minPollIntervalMs: 20,
    requestTimeoutMs: 2000,
    renderTimeoutMs: 60_000,
    hangFactor: 4,
    hangMinMs: 300,
    defaultRenderSecPerSpeechSec: 2,
    watchResultFile: true,
    verifyTimeoutMs: 5000,
    healthTimeoutMs: 1000,
    ...engineOpts,
  });
  const audio = join(base, 'speech.wav');
  writeFileSync(audio, toneWav(1));
  const render = (code: string, signal = new AbortController().signal) =>
    engine.render({ code, audioPath: audio, videoPath: face, audioDurationSec: 1, outPath: join(base, `${code}.mp4`), signal });
  return { fake, engine, render, dataDir };
}

const failure = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as TaskError);

describe('following a render', () => {
  it('a long render whose progress sits at 20 the whole time is not declared hung', async () => {
    // The old rule (no progress change for 300 ms → hung) would have killed it five times over.
    const { fake, render } = await setup({ renderMs: 1500, progress: 'flat' }, { hangMinMs: 300 });
    const r = await render('long1');
    expect(r.durationSec).toBeGreaterThan(0.5);
    const st = fake.stats();
    expect(st.submits).toBe(1);
    expect(st.history).toMatchObject([{ code: 'long1', status: 2 }]);
  });

  it('a render far over its expected time is reported hung, and the slot stays out until the job ends', async () => {
    const { fake, engine, render } = await setup({ hang: true }, { hangMinMs: 300, defaultRenderSecPerSpeechSec: 0.1 });
    const err = await failure(render('stuck1'));
    expect(err).toMatchObject({ code: 'render_timeout' });
    expect(err!.message).toMatch(/far over the time expected/);
    expect(await engine.health()).toBe(false);
    await fake.restart();
    expect(await engine.health()).toBe(true);
  });

  it('a container that forgets the job (restart) is reported as render_lost', async () => {
    const { fake, render } = await setup({ renderMs: 60_000, progress: 'flat' });
    const pending = failure(render('lost1'));
    await waitFor(async () => fake.stats().jobs.some((j) => j.code === 'lost1'));
    await fake.restart();
    expect(await pending).toMatchObject({ code: 'render_lost' });
  });

  it('a forgotten job whose result file is there is collected, not re-rendered', async () => {
    const { fake, render, dataDir } = await setup({ renderMs: 60_000, progress: 'flat' });
    const pending = render('kept1');
    await waitFor(async () => fake.stats().jobs.some((j) => j.code === 'kept1'));
    copyFileSync(await faceVideoWithAudio(1), join(dataDir, 'temp', 'kept1-r.mp4')); // 1 s, like the speech
    await fake.restart();
    const r = await pending;
    expect(r.durationSec).toBeGreaterThan(0);
    expect(fake.stats().submits).toBe(1);
  });

  it('a container that stops answering is reported as unreachable', async () => {
    const { fake, render } = await setup({ renderMs: 60_000, progress: 'flat' }, { requestTimeoutMs: 300 });
    const pending = failure(render('frozen1'));
    await waitFor(async () => fake.stats().jobs.some((j) => j.code === 'frozen1'));
    fake.setOptions({ frozen: true });
    expect(await pending).toMatchObject({ code: 'engine_unreachable' });
  });

  it('"done" is seen when the result file appears, not at the next poll a minute later', async () => {
    const { fake, render } = await setup({ renderMs: 400, progress: 'flat' }, { pollIntervalMs: 60_000, minPollIntervalMs: 20 });
    const r = await render('signal1');
    expect(r.durationSec).toBeGreaterThan(0.5);
    // One query right after the submit, then only the ones the file woke (a few, 20 ms apart).
    expect(fake.stats().queries).toBeLessThan(10);
  }, 20_000);

});
