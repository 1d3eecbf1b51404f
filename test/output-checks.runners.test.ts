/**
 * The output check of a remote runner's upload (docs/checks.md, "Where it runs"), at the HTTP
 * level with the test as two runners: a black result is refused with 422 output_black before it
 * replaces anything, the finding is stored on the task, the task is retried on the other runner's
 * GPU (the first runner's slot is passed over), and that GPU's good result completes it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toneWav } from '../src/simulate/tts-container.fake.js';
import { waitFor } from './helpers/gateway.js';
import { outputCase } from './helpers/output-fixtures.js';
import { bearer, scriptedGatewaysClosedAfterEach } from './helpers/scripted.js';

const gateway = scriptedGatewaysClosedAfterEach();
const V1 = '/api/runners/v1';
type Json = Record<string, any>;

describe('output check of a runner upload', () => {
  it('a black upload is refused with its code and the task completes on the other runner\u2019s GPU', { timeout: 120_000 }, async () => {
    const { t, tokens } = await gateway(
      // the scripted gateway turns the output check off unless asked: on here
      { auth: { enabled: true }, rateLimit: { submitsPerMinutePerKey: 0 }, scheduler: { retryBaseDelayMs: 5 }, checks: { output: { enabled: true } } },
      { slots: 0, realMedia: true, keys: { a: ['runner'], b: ['runner'], root: ['admin'] } },
    );
    const call = async (token: string, path: string, body?: unknown, fence?: { attempt: number; token: string }): Promise<Json> => {
      const headers: Record<string, string> = { ...bearer(token), 'content-type': 'application/json' };
      if (fence) Object.assign(headers, { 'x-job-attempt': String(fence.attempt), 'x-job-token': fence.token });
      const res = await fetch(`${t.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body ?? {}) });
      return (await res.json()) as Json;
    };
    /** Take the job as `token`'s runner, walk it to collecting and upload `video`. */
    const render = async (token: string, slotId: number, video: string) => {
      const { job } = await call(token, `${V1}/jobs/request`, { slotId, waitMs: 5000 });
      const fence = { attempt: job.attempt, token: job.leaseToken };
      let from = 'preparing';
      for (const to of ['reserved', 'tts', 'rendering', 'collecting']) {
        await call(token, `${V1}/jobs/${job.id}/transition`, { from, to, patch: to === 'tts' ? { audioDurationSec: 4 } : {} }, fence);
        from = to;
      }
      const form = new FormData();
      form.set('patch', JSON.stringify({ engineData: { code: 10000 } }));
      form.set('video', new Blob([new Uint8Array(readFileSync(video))], { type: 'video/mp4' }), 'r.mp4');
      form.set('speech', new Blob([new Uint8Array(toneWav(4))], { type: 'audio/wav' }), 's.wav');
      const res = await fetch(`${t.url}${V1}/jobs/${job.id}/success`, { method: 'POST', headers: { ...bearer(token), 'x-job-attempt': String(fence.attempt), 'x-job-token': fence.token }, body: form });
      return { job, status: res.status, body: (await res.json()) as Json };
    };
    await call(tokens.a, `${V1}/register`, { slots: [1] });
    await call(tokens.b, `${V1}/register`, { slots: [2] });
    // a moving face, so a still result would be judged too; a Chinese script
    const form = new FormData();
    form.set('text', '远程显卡渲染的视频也要先检查。');
    form.set('video', new Blob([new Uint8Array(readFileSync(await outputCase('good')))], { type: 'video/mp4' }), 'face.mp4');
    const id = String(((await (await fetch(`${t.url}/api/generate`, { method: 'POST', body: form, headers: bearer(tokens.root) })).json()) as Json).task_id);

    const bad = await render(tokens.a, 1, await outputCase('black'));
    expect(bad.job).toMatchObject({ id, attempt: 1 });
    expect(bad.status).toBe(422);
    expect(bad.body.code).toBe('output_black');
    const queued = await waitFor(async () => {
      const task = await t.gw.store.get(id);
      return task?.state === 'queued' ? task : undefined;
    });
    expect(queued).toMatchObject({ errorCode: 'output_black', avoidSlots: [1], outputPath: null });
    expect(queued.checks.map((c) => [c.code, c.attempt, c.slotId])).toEqual([['output_black', 1, 1]]);
    // runner a's slot is passed over while another GPU may take it
    expect((await call(tokens.a, `${V1}/jobs/request`, { slotId: 1, waitMs: 50 })).job).toBeNull();
    const good = await render(tokens.b, 2, await outputCase('good'));
    expect(good.job).toMatchObject({ id, attempt: 2 });
    expect(good.status, JSON.stringify(good.body)).toBe(200);
    const s = (await (await fetch(`${t.url}/api/status/${id}`, { headers: bearer(tokens.root) })).json()) as Json;
    expect(s).toMatchObject({ status: 'completed', gpu_id: 2 });
    expect(s.checks.map((c: Json) => [c.code, c.attempt, c.gpu_id])).toEqual([['output_black', 1, 1]]);
  });
});
