/**
 * The runner protocol at the HTTP level, driven by the test as a runner (real HTTP, real
 * ffprobe checks, no containers): tokens good for nothing else, fencing of every call, inputs
 * only for the lease holder, verified uploads, late uploads refused.
 */
import { readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toneWav } from '../src/simulate/tts-container.fake.js';
import { maskToken } from '../src/runners/runner-api.client.js';
import { faceVideoWithAudio } from './helpers/fixtures.js';
import { bearer, scriptedGatewaysClosedAfterEach } from './helpers/scripted.js';
import { waitFor } from './helpers/gateway.js';

const gateway = scriptedGatewaysClosedAfterEach();
const V1 = '/api/runners/v1';

async function rig(scheduler: Record<string, unknown> = {}) {
  const { t, tokens } = await gateway(
    { auth: { enabled: true }, rateLimit: { submitsPerMinutePerKey: 0 }, scheduler: { retryBaseDelayMs: 5, ...scheduler } },
    { slots: 0, realMedia: true, keys: { a: ['runner'], b: ['runner'], root: ['admin'] } },
  );
  const call = async (token: string, method: string, path: string, body?: unknown, fence?: { attempt: number; token: string }) => {
    const headers: Record<string, string> = { ...bearer(token) };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (fence) Object.assign(headers, { 'x-job-attempt': String(fence.attempt), 'x-job-token': fence.token });
    const res = await fetch(`${t.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: (text.startsWith('{') ? JSON.parse(text) : text) as Record<string, any> };
  };
  return { t, tokens, call };
}

async function submitFace(url: string, token: string, face: string): Promise<string> {
  const form = new FormData();
  form.set('text', 'A job for a remote runner.');
  form.set('video', new Blob([readFileSync(face)], { type: 'video/mp4' }), 'face.mp4');
  const res = await fetch(`${url}/api/generate`, { method: 'POST', body: form, headers: bearer(token) });
  expect(res.status).toBe(202);
  return String(((await res.json()) as { task_id: string }).task_id);
}

function resultForm(video: Buffer, speech: Buffer): FormData {
  const form = new FormData();
  form.set('patch', JSON.stringify({ engineData: { code: 10000 } }));
  form.set('video', new Blob([new Uint8Array(video)], { type: 'video/mp4' }), 'r.mp4');
  form.set('speech', new Blob([new Uint8Array(speech)], { type: 'audio/wav' }), 's.wav');
  return form;
}

describe('runner protocol v1', { timeout: 60_000 }, () => {
  it('runner tokens only work on the runner API, and the runner API takes nothing else', async () => {
    const { t, tokens, call } = await rig();
    expect((await call(tokens.a, 'GET', '/api/tasks')).status).toBe(403);
    expect((await call(tokens.a, 'POST', '/api/generate', { text: 'hi' })).status).toBe(403);
    expect((await call(tokens.root, 'POST', `${V1}/register`, { slots: [7] })).status).toBe(401);
    expect((await fetch(`${t.url}${V1}/jobs`)).status).toBe(401);
    expect((await call(tokens.a, 'POST', `${V1}/register`, { slots: [7] })).body).toMatchObject({ nodeId: 'runner:a', protocol: 1 });
    // A slot id another live runner drives is refused.
    expect((await call(tokens.b, 'POST', `${V1}/register`, { slots: [7] })).body.code).toBe('slot_conflict');
    // Work is requested only for the runner's own slots.
    expect((await call(tokens.b, 'POST', `${V1}/jobs/request`, { slotId: 7 })).status).toBe(409);
    expect(maskToken(tokens.a)).not.toContain(tokens.a.slice(17));
    // A gateway without local slots (runners only) is ready once a runner reports a healthy slot.
    const notYet = await fetch(`${t.url}/api/health/ready`);
    expect(notYet.status).toBe(503);
    expect(((await notYet.json()) as { reasons: string[] }).reasons).toContain('no healthy slot in the deployment (this node drives none)');
    expect((await call(tokens.a, 'POST', `${V1}/slots`, { slots: [{ slotId: 7, info: { healthy: true } }] })).status).toBe(200);
    await waitFor(async () => (await fetch(`${t.url}/api/health/ready`)).status === 200);
  });

  it('request → inputs → transitions → verified upload; other runners and stale fences are refused; a late upload replaces nothing', async () => {
    const { t, tokens, call } = await rig({ leaseMs: 1500, heartbeatMs: 200, reapIntervalMs: 100 });
    const face = await faceVideoWithAudio(2);
    await call(tokens.a, 'POST', `${V1}/register`, { slots: [1] });
    await call(tokens.b, 'POST', `${V1}/register`, { slots: [2] });
    const id = await submitFace(t.url, tokens.root, face);
    const { job } = (await call(tokens.a, 'POST', `${V1}/jobs/request`, { slotId: 1, waitMs: 5000 })).body;
    expect(job).toMatchObject({ id, state: 'preparing', attempt: 1, videoPath: null, audioPath: null });
    const fence = { attempt: job.attempt, token: job.leaseToken };
    // Nothing left for the other runner (the claim is atomic); it long-polls and gets null.
    expect((await call(tokens.b, 'POST', `${V1}/jobs/request`, { slotId: 2, waitMs: 50 })).body.job).toBeNull();
    // The input, byte for byte, only for the holder with its fence.
    const dl = await fetch(`${t.url}${V1}/jobs/${id}/inputs/video`, { headers: { ...bearer(tokens.a), 'x-job-attempt': '1', 'x-job-token': fence.token } });
    expect(dl.status).toBe(200);
    expect(Buffer.from(await dl.arrayBuffer()).equals(readFileSync(face))).toBe(true);
    expect(job.inputs.video.size).toBe(readFileSync(face).length);
    const other = await fetch(`${t.url}${V1}/jobs/${id}/inputs/video`, { headers: { ...bearer(tokens.b), 'x-job-attempt': '1', 'x-job-token': fence.token } });
    expect(other.status).toBe(410);
    expect((await call(tokens.a, 'POST', `${V1}/jobs/${id}/heartbeat`, undefined, { attempt: 1, token: 'wrong' })).body.result).toBe('lost');
    // Another runner that learned a's fence cannot keep a's lease alive: 410 like every other job call.
    const leaseBefore = (await t.gw.store.get(id))!.leaseExpiresAt;
    const stolen = await call(tokens.b, 'POST', `${V1}/jobs/${id}/heartbeat`, undefined, fence);
    expect(stolen.status).toBe(410);
    expect(stolen.body.code).toBe('lease_lost');
    expect((await t.gw.store.get(id))!.leaseExpiresAt).toBe(leaseBefore);
    expect((await call(tokens.a, 'POST', `${V1}/jobs/${id}/transition`, { from: 'preparing', to: 'completed' }, fence)).status).toBe(409);
    let from = 'preparing';
    for (const to of ['reserved', 'tts', 'rendering']) {
      const r = await call(tokens.a, 'POST', `${V1}/jobs/${id}/transition`, { from, to, patch: to === 'tts' ? { audioPath: '/etc/passwd', ttsStartedAt: Date.now() } : {} }, fence);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      from = to;
    }
    expect((await call(tokens.a, 'POST', `${V1}/jobs/${id}/update`, { patch: { audioDurationSec: 2, engineProgress: 40, outputPath: '/tmp/x' } }, fence)).status).toBe(200);
    const mid = await t.gw.store.get(id);
    expect(mid).toMatchObject({ state: 'rendering', engineProgress: 40, audioDurationSec: 2, audioPath: null, outputPath: null });
    // Not an MP4: refused after the checks, the task stays with the runner.
    const bad = await fetch(`${t.url}${V1}/jobs/${id}/success`, { method: 'POST', headers: { ...bearer(tokens.a), 'x-job-attempt': '1', 'x-job-token': fence.token }, body: resultForm(Buffer.from('not a video'), toneWav(2)) });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { code: string }).code).toBe('upload_invalid');
    // a stops renewing its lease: the reaper ends attempt 1, b gets attempt 2 and completes it.
    await waitFor(async () => (await t.gw.store.get(id))?.state === 'queued', 20_000);
    expect((await call(tokens.a, 'POST', `${V1}/jobs/${id}/heartbeat`, undefined, fence)).body).toEqual({ result: 'lost', canceled: false });
    const second = (await call(tokens.b, 'POST', `${V1}/jobs/request`, { slotId: 2, waitMs: 5000 })).body.job;
    expect(second).toMatchObject({ id, attempt: 2 });
    const f2 = { attempt: 2, token: second.leaseToken };
    from = 'preparing';
    for (const to of ['reserved', 'tts', 'rendering', 'collecting']) {
      expect((await call(tokens.b, 'POST', `${V1}/jobs/${id}/transition`, { from, to, patch: to === 'tts' ? { audioDurationSec: 2 } : {} }, f2)).status).toBe(200);
      from = to;
    }
    const upload = (token: string, f: { attempt: number; token: string }) =>
      fetch(`${t.url}${V1}/jobs/${id}/success`, { method: 'POST', headers: { ...bearer(token), 'x-job-attempt': String(f.attempt), 'x-job-token': f.token }, body: resultForm(readFileSync(face), toneWav(2)) });
    const ok = await upload(tokens.b, f2);
    expect(ok.status, await ok.clone().text()).toBe(200);
    const done = await t.gw.store.get(id);
    expect(done).toMatchObject({ state: 'completed', attempt: 2, outputPath: t.gw.paths.output(id), audioPath: t.gw.paths.speech(id) });
    expect(readFileSync(t.gw.paths.output(id)).equals(readFileSync(face))).toBe(true);
    const before = statSync(t.gw.paths.output(id));
    // The same attempt retrying its success (answer lost) gets 200; a's late upload gets 410.
    expect((await upload(tokens.b, f2)).status).toBe(200);
    const late = await upload(tokens.a, fence);
    expect(late.status).toBe(410);
    expect(((await late.json()) as { code: string }).code).toBe('lease_lost');
    const after = statSync(t.gw.paths.output(id));
    expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
    // Per-runner metrics: jobs by outcome, last heard from.
    const metrics = await (await fetch(`${t.url}/metrics`, { headers: bearer(tokens.root) })).text();
    expect(metrics).toContain('heygem_gateway_runner_jobs_total{runner="a",outcome="accepted"} 1');
    expect(metrics).toContain('heygem_gateway_runner_jobs_total{runner="b",outcome="completed"} 1');
    expect(metrics).toMatch(/heygem_gateway_runner_last_seen_age_seconds\{runner="b"\} \d/);
  });

  it('a cancel reaches the runner through its heartbeat; abort hands a job back at once', async () => {
    const { t, tokens, call } = await rig();
    await call(tokens.a, 'POST', `${V1}/register`, { slots: [3] });
    const mk = async () => {
      const res = await fetch(`${t.url}/api/generate`, { method: 'POST', headers: { ...bearer(tokens.root), 'content-type': 'application/json' }, body: JSON.stringify({ text: 'cancel me' }) });
      return String(((await res.json()) as { task_id: string }).task_id);
    };
    const id = await mk();
    const job = (await call(tokens.a, 'POST', `${V1}/jobs/request`, { slotId: 3, waitMs: 5000 })).body.job;
    const fence = { attempt: job.attempt, token: job.leaseToken };
    expect((await call(tokens.root, 'POST', `/api/tasks/${id}/cancel`)).status).toBe(200);
    expect((await call(tokens.a, 'POST', `${V1}/jobs/${id}/heartbeat`, undefined, fence)).body).toEqual({ result: 'lost', canceled: true });
    const id2 = await mk();
    const job2 = (await call(tokens.a, 'POST', `${V1}/jobs/request`, { slotId: 3, waitMs: 5000 })).body.job;
    expect(job2.id).toBe(id2);
    const back = await call(tokens.a, 'POST', `${V1}/jobs/${id2}/abort`, undefined, { attempt: job2.attempt, token: job2.leaseToken });
    expect(back.body).toMatchObject({ state: 'queued', errorCode: 'node_restarted' });
  });
});
