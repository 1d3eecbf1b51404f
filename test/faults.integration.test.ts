/**
 * Engine faults the gateway must survive, against the protocol-exact fakes (plus two tiny
 * protocol stubs for replies the fakes do not produce). Complements heygem.integration.test.ts
 * (status 3, TTS 500, restart mid-job, unreachable slot, cancel), without repeating it.
 * Every case ends in a recorded, explained state and leaves no slot held.
 */
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSerialServer } from '../src/simulate/serial-server.js';
import { startSimulatedFarm } from '../src/simulate/simulate.js';
import { faceVideoWithAudio, ffprobeJson } from './helpers/fixtures.js';
import { FAST_HEYGEM, startTestGateway, submit, waitFinal, waitFor, type TestGateway } from './helpers/gateway.js';
import { slotsOf } from './helpers/farm.js';

type Farm = Awaited<ReturnType<typeof startSimulatedFarm>>;
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
});
beforeAll(async () => {
  await faceVideoWithAudio(2);
});


async function setup(gpus: number, farmOpts: Record<string, unknown> = {}, gw: { heygem?: Record<string, unknown>; scheduler?: Record<string, unknown> } = {}) {
  const farm = await startSimulatedFarm({ gpus, baseDir: mkdtempSync(join(tmpdir(), 'hg-fault-')), host: '127.0.0.1', renderMs: 300, ttsMs: 30, ...farmOpts });
  cleanups.push(() => farm.close());
  const t = await startTestGateway({
    engine: 'heygem',
    slots: slotsOf(farm),
    heygem: { ...FAST_HEYGEM, ...gw.heygem },
    scheduler: { retryBaseDelayMs: 20, healthProbeIntervalMs: 100, ...gw.scheduler },
  });
  cleanups.push(() => t.close());
  return { farm, t };
}

async function expectReleased(t: TestGateway): Promise<void> {
  await waitFor(async () => t.gw.scheduler.runners.every((r) => !r.busy), 10_000);
}

const reply = (res: ServerResponse, code: number, msg: string, data: unknown = null) => {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(JSON.stringify({ code, success: code === 10000, msg, data }, null, 4));
};

// Real ffmpeg and HTTP per task: every wait inside is a bounded condition; this outer bound
// only has to hold on a loaded 2-core machine.
describe('TTS faults', { timeout: 120_000 }, () => {
  it('a synthesis that never answers times out as tts_failed, retried up to the limit, nothing rendered', async () => {
    const { farm, t } = await setup(1, {}, { heygem: { ttsTimeoutMs: 300, ttsTimeoutPerCharMs: 0, requestTimeoutMs: 300 }, scheduler: { maxAttempts: 2, unhealthyAfterFailures: 10 } });
    farm.slots[0].tts.setOptions({ failRate: 1, failMode: 'timeout' });
    const id = String((await submit(t.url, 'I will never be spoken.')).body.task_id);
    const s = await waitFinal(t.url, id, 60_000);
    expect(s).toMatchObject({ status: 'failed', error_code: 'tts_failed', attempts: 2 });
    expect(String(s.error)).toMatch(/did not finish within 300 ms/);
    expect(farm.slots[0].video.stats().submits).toBe(0);
    await expectReleased(t);
  });

  it('a header-only (empty) WAV is a tts_failed, not speech', async () => {
    const { farm, t } = await setup(1, {}, { scheduler: { maxAttempts: 1 } });
    farm.slots[0].tts.setOptions({ failRate: 1, failMode: 'tiny' });
    const s = await waitFinal(t.url, String((await submit(t.url, 'Silence.')).body.task_id));
    expect(s).toMatchObject({ status: 'failed', error_code: 'tts_failed' });
    expect(String(s.error)).toMatch(/0\.00 s of audio|not a WAV/);
    expect(farm.slots[0].video.stats().submits).toBe(0);
  });

  it('a JSON error reply carries the container’s message', async () => {
    const { farm, t } = await setup(1, {}, { scheduler: { maxAttempts: 1 } });
    farm.slots[0].tts.setOptions({ failRate: 1, failMode: 'json-error' });
    const s = await waitFinal(t.url, String((await submit(t.url, 'Out of memory.')).body.task_id));
    expect(s).toMatchObject({ status: 'failed', error_code: 'tts_failed' });
    expect(String(s.error)).toMatch(/CUDA out of memory/);
  });

  it('a 200 reply that is not a WAV (an HTML page) is a tts_failed', async () => {
    const stub = await startSerialServer(async (req, _b, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><body>Gateway Timeout</body></html>');
    }, {});
    cleanups.push(() => stub.close());
    const farm = await startSimulatedFarm({ gpus: 1, baseDir: mkdtempSync(join(tmpdir(), 'hg-fault-')), host: '127.0.0.1', renderMs: 300 });
    cleanups.push(() => farm.close());
    const t = await startTestGateway({
      engine: 'heygem',
      slots: [{ id: 0, video: { url: farm.slots[0].video.url, dataDir: farm.slots[0].videoDataDir }, tts: { url: stub.url, dataDir: farm.slots[0].ttsDataDir } }],
      heygem: FAST_HEYGEM,
      scheduler: { maxAttempts: 1, retryBaseDelayMs: 10 },
    });
    cleanups.push(() => t.close());
    const s = await waitFinal(t.url, String((await submit(t.url, 'HTML is not speech.')).body.task_id));
    expect(s).toMatchObject({ status: 'failed', error_code: 'tts_failed' });
    expect(String(s.error)).toMatch(/not a WAV/);
  });

  it('a transient TTS fault is retried with backoff and the task completes', async () => {
    const { farm, t } = await setup(1, {}, { scheduler: { retryBaseDelayMs: 400, maxAttempts: 3 } });
    farm.slots[0].tts.setOptions({ failRate: 1, failMode: '500' });
    const id = String((await submit(t.url, 'Second time lucky.')).body.task_id);
    await waitFor(async () => (await t.gw.store.events(id)).some((e) => e.errorCode === 'tts_failed'));
    farm.slots[0].tts.setOptions({ failRate: 0 });
    const s = await waitFinal(t.url, id);
    expect(s, JSON.stringify(s)).toMatchObject({ status: 'completed', attempts: 1 });
    const events = await t.gw.store.events(id);
    const requeue = events.find((e) => e.state === 'queued' && e.errorCode === 'tts_failed');
    expect(requeue).toBeDefined();
  });
});

// Real ffmpeg and HTTP per task: every wait inside is a bounded condition; this outer bound
// only has to hold on a loaded 2-core machine.
describe('video container faults', { timeout: 120_000 }, () => {
  it('a container busy with someone else’s job: retried as engine_busy until it is free', async () => {
    const { farm, t } = await setup(1, { renderMs: 700 }, { scheduler: { retryBaseDelayMs: 100, maxAttempts: 8, unhealthyAfterFailures: 20 } });
    const v = farm.slots[0].video;
    // The foreign job holds the container until the gateway has been refused once (a fixed
    // render time would race the gateway's own input steps on a loaded or an idle machine).
    v.setOptions({ hold: (code) => code === 'someone-else' && v.stats().busyRefusals === 0 });
    const foreign = await fetch(`${v.url}/easy/submit`, { method: 'POST', body: JSON.stringify({ audio_url: 'x.wav', video_url: 'x.mp4', code: 'someone-else' }) });
    expect(((await foreign.json()) as { code: number }).code).toBe(10000);
    const id = String((await submit(t.url, 'Wait your turn.')).body.task_id);
    const s = await waitFinal(t.url, id, 60_000);
    expect(s.status, JSON.stringify(s)).toBe('completed');
    expect(v.stats().busyRefusals).toBeGreaterThanOrEqual(1);
    const events = await t.gw.store.events(id);
    expect(events.some((e) => e.errorCode === 'engine_busy')).toBe(true);
  });

  it('a hung container (busy far beyond the expected time) trips the breaker; work moves to the healthy slot; a probe brings it back after a restart', async () => {
    // hangMinMs: far above a healthy render of a short line even on a loaded 2-core machine, so
    // only the hung container is judged hung.
    const { farm, t } = await setup(2, {}, { heygem: { hangMinMs: 6000, defaultRenderSecPerSpeechSec: 0.1 }, scheduler: { unhealthyAfterFailures: 1, maxAttempts: 4, healthProbeIntervalMs: 100 } });
    farm.slots[1].video.setOptions({ hang: true });
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push(String((await submit(t.url, `task ${i}`)).body.task_id));
    const finals = await Promise.all(ids.map((id) => waitFinal(t.url, id, 120_000)));
    expect(finals.map((s) => s.status), JSON.stringify(finals.map((s) => [s.error_code, s.error, s.attempts]))).toEqual(['completed', 'completed', 'completed', 'completed']);
    const hungTask = (await Promise.all(ids.map((id) => t.gw.store.events(id)))).flat().find((e) => e.errorCode === 'render_timeout');
    expect(hungTask).toBeDefined();
    // Still stuck: a probe that ran after all that keeps the slot out.
    const hung = t.gw.scheduler.runners[1];
    const since = Date.now();
    await waitFor(async () => (hung.lastHealth?.at ?? 0) > since);
    expect(hung.healthy).toBe(false);
    const q = (await (await fetch(`${t.url}/api/queue`)).json()) as { gpus: Record<string, { healthy: boolean }> };
    expect(q.gpus['1'].healthy).toBe(false);
    // The operator restarts the container: the probe sees the job gone and brings the slot back.
    farm.slots[1].video.setOptions({ hang: false });
    await farm.slots[1].video.restart();
    await waitFor(async () => t.gw.scheduler.runners[1].healthy);
    const more = [];
    for (let i = 0; i < 4; i++) more.push(String((await submit(t.url, `after ${i}`)).body.task_id));
    for (const id of more) expect((await waitFinal(t.url, id, 120_000)).status).toBe('completed');
    expect(farm.slots[1].video.stats().submits).toBeGreaterThanOrEqual(2);
    await expectReleased(t);
  }, 240_000); // two stall timeouts plus eight renders: bounded, generous for a loaded machine

  it('"done" with a result that stays truncated fails as result_invalid; no half-written output is left', async () => {
    const { t } = await setup(1, { video: { growMs: 600_000 } }, { heygem: { verifyTimeoutMs: 500 }, scheduler: { maxAttempts: 1 } });
    const id = String((await submit(t.url, 'Cut short.')).body.task_id);
    const s = await waitFinal(t.url, id, 60_000);
    expect(s).toMatchObject({ status: 'failed', error_code: 'result_invalid' });
    expect(existsSync(join(t.dataDir, 'outputs', `${id}.mp4`))).toBe(false);
    expect(readdirSync(join(t.dataDir, 'outputs')).filter((f) => f.includes('.tmp-'))).toEqual([]);
    await expectReleased(t);
  });

  it('"done" while the file is still growing: waits for it to verify, then stores the complete MP4', async () => {
    const { t } = await setup(1, { video: { growMs: 1200 } }, { heygem: { verifyTimeoutMs: 5000 } });
    const id = String((await submit(t.url, 'Patience pays.')).body.task_id);
    const s = await waitFinal(t.url, id, 60_000);
    expect(s.status).toBe('completed');
    const probe = await ffprobeJson(join(t.dataDir, 'outputs', `${id}.mp4`));
    expect(probe.streams.map((x) => x.codec_type).sort()).toEqual(['audio', 'video']);
  });

  it('"done" naming a result file that does not exist: result_invalid after the retries', async () => {
    const done = new Set<string>();
    const stub = await startSerialServer(async (req, body, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname === '/easy/submit') {
        done.add(String((JSON.parse(body.toString()) as { code: string }).code));
        return reply(res, 10000, '成功');
      }
      const code = url.searchParams.get('code') ?? '';
      if (!done.delete(code)) return reply(res, 10004, '任务不存在');
      return reply(res, 10000, '成功', { code, status: 2, progress: 100, msg: '成功', result: `/${code}-r.mp4` });
    }, {});
    cleanups.push(() => stub.close());
    const farm = await startSimulatedFarm({ gpus: 1, baseDir: mkdtempSync(join(tmpdir(), 'hg-fault-')), host: '127.0.0.1', ttsMs: 20 });
    cleanups.push(() => farm.close());
    const t = await startTestGateway({
      engine: 'heygem',
      slots: [{ id: 0, video: { url: stub.url, dataDir: farm.slots[0].videoDataDir }, tts: { url: farm.slots[0].tts.url, dataDir: farm.slots[0].ttsDataDir } }],
      heygem: { ...FAST_HEYGEM, verifyTimeoutMs: 300 },
      scheduler: { maxAttempts: 2, retryBaseDelayMs: 10, unhealthyAfterFailures: 10 },
    });
    cleanups.push(() => t.close());
    const s = await waitFinal(t.url, String((await submit(t.url, 'Where did it go?')).body.task_id));
    expect(s).toMatchObject({ status: 'failed', error_code: 'result_invalid', attempts: 2 });
    expect(String(s.error)).toMatch(/missing/);
  });

  it('a refused request (10002, bad parameter) fails fast without retries', async () => {
    const stub = await startSerialServer(async (req, _b, res) => {
      if (new URL(req.url ?? '/', 'http://x').pathname === '/easy/submit') return reply(res, 10002, 'audio_url参数缺失');
      return reply(res, 10004, '任务不存在');
    }, {});
    cleanups.push(() => stub.close());
    const farm = await startSimulatedFarm({ gpus: 1, baseDir: mkdtempSync(join(tmpdir(), 'hg-fault-')), host: '127.0.0.1', ttsMs: 20 });
    cleanups.push(() => farm.close());
    const t = await startTestGateway({
      engine: 'heygem',
      slots: [{ id: 0, video: { url: stub.url, dataDir: farm.slots[0].videoDataDir }, tts: { url: farm.slots[0].tts.url, dataDir: farm.slots[0].ttsDataDir } }],
      heygem: FAST_HEYGEM,
      scheduler: { maxAttempts: 5, retryBaseDelayMs: 10 },
    });
    cleanups.push(() => t.close());
    const s = await waitFinal(t.url, String((await submit(t.url, 'Bad request.')).body.task_id));
    expect(s).toMatchObject({ status: 'failed', error_code: 'render_failed', attempts: 1 });
    expect(String(s.error)).toMatch(/10002/);
  });
});
