/**
 * Remote runners over HTTP, no shared filesystem (docs/runners.md): a gateway process with no
 * local slots and runner processes, each driving its own protocol fakes on loopback. Real CLI
 * processes, real SQLite, real ffmpeg, real HTTP.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSimulatedFarm } from '../src/simulate/simulate.js';
import { faceVideoWithAudio } from './helpers/fixtures.js';
import { getStatus, submit, waitFinal, waitFor } from './helpers/gateway.js';
import { freePort } from './helpers/process.js';
import { gatewayConfig, runnerConfig, runnerToken, startGateway, startRunner, stopProcess } from './helpers/runners.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
});

let face: string;
beforeAll(async () => {
  face = await faceVideoWithAudio(2);
});

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

async function rig(gpus: number, scheduler: Record<string, unknown> = {}, renderMs = 300, extra: Record<string, unknown> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'hg-runners-'));
  const farm = await startSimulatedFarm({ gpus, baseDir: join(dir, 'farm'), host: '127.0.0.1', renderMs, ttsMs: 50 });
  cleanups.push(() => farm.close());
  const port = await freePort();
  const gwDir = join(dir, 'gateway');
  const gwConfig = gatewayConfig(gwDir, port, scheduler, extra);
  const gateway = await startGateway(gwConfig, port);
  cleanups.push(() => stopProcess(gateway, true));
  return { dir, farm, port, gwConfig, gwDataDir: join(gwDir, 'data'), gateway, url: gateway.url };
}

async function startNamedRunner(r: Awaited<ReturnType<typeof rig>>, name: string, slot: number, token?: string) {
  const t = token ?? (await runnerToken(r.gwDataDir, name));
  const p = await startRunner(r.url, t, runnerConfig(join(r.dir, name), [r.farm.slots[slot]]));
  cleanups.push(() => stopProcess(p, true));
  return { p, token: t };
}

describe('remote runners', { timeout: 300_000 }, () => {
  it('a long script with a library voice renders its segments on both runners and is stitched by the gateway', async () => {
    const r = await rig(2, {}, 300, { segments: { targetSeconds: 3 } });
    await startNamedRunner(r, 'seg-a', 0);
    await startNamedRunner(r, 'seg-b', 1);
    // a library voice on the gateway: runners download it with the job, by content hash
    const wav = join(mkdtempSync(join(tmpdir(), 'hg-runner-voice-')), 'voice.wav');
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=300:duration=3', '-ac', '1', wav]);
    const form = new FormData();
    form.set('name', 'Narrator');
    form.set('audio', new Blob([new Uint8Array(readFileSync(wav))]), 'voice.wav');
    const voice = (await (await fetch(`${r.url}/api/voices`, { method: 'POST', body: form })).json()) as { id: string };
    expect(voice.id).toMatch(/^vo_/);
    const text = Array.from({ length: 8 }, (_, i) => `This is sentence number ${i + 1} of a script that is long enough to split.`).join(' ');
    const res = await fetch(`${r.url}/api/generate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text, voice_id: voice.id }) });
    expect(res.status).toBe(202);
    const id = String(((await res.json()) as { task_id: string }).task_id);
    const final = await waitFinal(r.url, id, 240_000);
    expect(final.status, JSON.stringify(final)).toBe('completed');
    const segments = final.segments as Array<{ phase: string; gpu_id: number | null }>;
    expect(segments.length).toBeGreaterThanOrEqual(2);
    expect(segments.every((s) => s.phase === "completed"), JSON.stringify(segments)).toBe(true);
    expect(new Set(segments.map((s) => s.gpu_id)).size).toBe(2);
    // both runners' containers rendered segments; each segment once
    const submits = r.farm.slots.map((s) => s.video.stats().submits);
    expect(submits.reduce((a, b) => a + b, 0)).toBe(segments.length);
    expect(submits.every((n) => n > 0)).toBe(true);
    // the voice reached each runner's TTS container under its content-hash name, never the user's
    for (const s of r.farm.slots) expect(readdirSync(join(s.ttsDataDir, "reference")).some((f) => f.startsWith('lib-'))).toBe(true);
    const dl = await fetch(`${r.url}/api/download/${id}`);
    expect(dl.status).toBe(200);
  });

  it('two runner processes complete 12 tasks: each rendered once, results byte-identical to what the containers wrote', async () => {
    const r = await rig(2);
    const runners = [];
    for (const [i, name] of ['gpu-a', 'gpu-b'].entries()) {
      const token = await runnerToken(r.gwDataDir, name);
      const p = await startRunner(r.url, token, runnerConfig(join(r.dir, name), [r.farm.slots[i]]));
      cleanups.push(() => stopProcess(p, true));
      runners.push(p);
    }
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await submit(r.url, `Remote task ${i}: rendered on a runner.`, i % 4 === 0 ? { path: face } : undefined);
      expect(res.status).toBe(202);
      ids.push(String(res.body.task_id));
    }
    const finals = await Promise.all(ids.map((id) => waitFinal(r.url, id, 240_000)));
    for (const s of finals) expect(s.status, JSON.stringify(s)).toBe('completed');
    // Rendered once each, across both runners' containers; both took part.
    const submits = r.farm.slots.map((s) => s.video.stats().submits);
    expect(submits.reduce((a, b) => a + b, 0)).toBe(12);
    expect(submits.every((n) => n > 0)).toBe(true);
    // The gateway's outputs are exactly the bytes the containers produced.
    const produced = Object.assign({}, ...r.farm.slots.map((s) => s.video.stats().resultSha256)) as Record<string, string>;
    for (const id of ids) {
      expect(produced[id], `container result for ${id}`).toBeDefined();
      expect(sha256(join(r.gwDataDir, 'outputs', `${id}.mp4`))).toBe(produced[id]);
      const dl = await fetch(`${r.url}/api/download/${id}`);
      expect(dl.status).toBe(200);
    }
    // Runners keep nothing after a job but their input cache (one face video, by content hash).
    for (const name of ['gpu-a', 'gpu-b']) {
      const data = join(r.dir, name, 'data');
      expect(readdirSync(join(data, 'outputs'))).toEqual([]);
      expect(readdirSync(join(data, 'jobs'))).toEqual([]);
      expect(readdirSync(join(data, 'work'))).toEqual([]);
    }
    // (a runner that happened to take no task with a face has no cache at all)
    const cacheOf = (n: string) => (existsSync(join(r.dir, n, 'data', 'cache')) ? readdirSync(join(r.dir, n, 'data', 'cache')) : []);
    const cached = ['gpu-a', 'gpu-b'].flatMap(cacheOf);
    expect(cached.length).toBeGreaterThan(0);
    for (const f of cached) expect(f).toBe(`${sha256(face)}.mp4`);
    // The runners' slots are part of the deployment's GPU view.
    const queue = (await (await fetch(`${r.url}/api/queue`)).json()) as Record<string, unknown>;
    expect(JSON.stringify(queue)).toContain('runner:gpu-a');
    for (const p of runners) expect(p.output()).not.toMatch(/hgw_[0-9a-f]{12}_[A-Za-z0-9_-]{43}/); // never the full token
  }, 300_000);

  it('kill -9 a runner mid-render: the task completes on the other runner after the lease expires; the dead runner\'s late upload is refused and replaces nothing', async () => {
    const r = await rig(2, { leaseMs: 3000, heartbeatMs: 300, reapIntervalMs: 200 });
    r.farm.slots[0].video.setOptions({ renderMs: 5000 });
    const a = await startNamedRunner(r, 'gpu-a', 0);
    const res = await submit(r.url, 'A render that outlives its runner.');
    const id = String(res.body.task_id);
    // Rendering in runner A's container, and A has noted the submitted job in its journal.
    const journal = join(r.dir, 'gpu-a', 'data', 'jobs', `${id}.json`);
    await waitFor(async () => r.farm.slots[0].video.stats().submits === 1 && readFileSync(journal, 'utf8').includes('"renderSubmitted":true'), 60_000);
    await stopProcess(a.p, true);
    await startNamedRunner(r, 'gpu-b', 1);
    const final = await waitFinal(r.url, id, 120_000);
    expect(final.status, JSON.stringify(final)).toBe('completed');
    expect(final.attempts).toBe(1); // the expired attempt counts against maxAttempts
    const out = join(r.gwDataDir, 'outputs', `${id}.mp4`);
    expect(sha256(out)).toBe(r.farm.slots[1].video.stats().resultSha256[`${id}-a2`]);
    const before = { sha: sha256(out), ino: statSync(out).ino, mtime: statSync(out).mtimeMs };
    // A comes back with the old job still in its container: it drains it and offers the result.
    const a2 = await startNamedRunner(r, 'gpu-a', 0, a.token);
    await waitFor(async () => a2.p.output().includes('late result refused'), 90_000);
    expect(r.farm.slots[0].video.stats().resultSha256[id]).toBeDefined();
    expect({ sha: sha256(out), ino: statSync(out).ino, mtime: statSync(out).mtimeMs }).toEqual(before);
    expect((await getStatus(r.url, id)).status).toBe('completed');
    expect(readdirSync(join(r.dir, 'gpu-a', 'data', 'jobs'))).toEqual([]);
    expect(readdirSync(join(r.dir, 'gpu-a', 'data', 'outputs'))).toEqual([]);
  }, 300_000);

  it('the gateway restarts (kill -9) while runners render: they retry with backoff and finish, nothing rendered twice', async () => {
    const r = await rig(2, { leaseMs: 30_000, heartbeatMs: 300 }, 4000);
    const a = await startNamedRunner(r, 'gpu-a', 0);
    await startNamedRunner(r, 'gpu-b', 1);
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push(String((await submit(r.url, `Survives a gateway restart ${i}.`)).body.task_id));
    await waitFor(async () => r.farm.slots.every((s) => s.video.stats().submits >= 1), 60_000);
    await stopProcess(r.gateway, true);
    const again = await startGateway(r.gwConfig, r.port);
    cleanups.push(() => stopProcess(again, true));
    const finals = await Promise.all(ids.map((id) => waitFinal(r.url, id, 240_000)));
    for (const s of finals) {
      expect(s.status, JSON.stringify(s)).toBe('completed');
      expect(s.attempts).toBe(0);
    }
    const produced = Object.assign({}, ...r.farm.slots.map((s) => s.video.stats().resultSha256)) as Record<string, string>;
    expect(r.farm.slots.reduce((n, s) => n + s.video.stats().submits, 0)).toBe(4);
    for (const id of ids) expect(sha256(join(r.gwDataDir, 'outputs', `${id}.mp4`))).toBe(produced[id]);
    expect(a.p.output()).toContain('retrying with backoff'); // the runner did see the gateway go away
  }, 300_000);

  it('the gateway stays away longer than the lease and the runner\'s retry window while it renders: the runner keeps its result and uploads it when the gateway is back, nothing rendered twice', async () => {
    // lease 4 s → the runner's calls retry for 10 s; the outage outlasts both.
    const r = await rig(1, { leaseMs: 4000, heartbeatMs: 400 }, 3000);
    const runner = await startNamedRunner(r, 'gpu-a', 0);
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) ids.push(String((await submit(r.url, `Outlasts the gateway ${i}.`)).body.task_id));
    await waitFor(async () => r.farm.slots[0].video.stats().submits >= 1, 60_000);
    await stopProcess(r.gateway, true);
    const downAt = Date.now();
    // The render finishes meanwhile; recording it outlasts the call's retry window, and the
    // runner's move waits on (logged once it has given up a call's retries).
    await waitFor(async () => /store unreachable: move to (collecting|completed) will be retried/.test(runner.p.output()), 90_000, 100);
    const downFor = Date.now() - downAt;
    const again = await startGateway(r.gwConfig, r.port);
    cleanups.push(() => stopProcess(again, true));
    const finals = await Promise.all(ids.map((id) => waitFinal(r.url, id, 120_000)));
    expect(finals.map((s) => s.status)).toEqual(['completed', 'completed']);
    const stats = r.farm.slots[0].video.stats();
    expect(stats.submits, JSON.stringify(finals.map((s) => [s.attempts, s.checks, s.last_error]))).toBe(2);
    for (const id of ids) expect(sha256(join(r.gwDataDir, 'outputs', `${id}.mp4`))).toBe(stats.resultSha256[id]);
    expect(runner.p.child.exitCode).toBeNull();
    expect(runner.p.output()).not.toMatch(/unhandled|uncaught/i);
    process.stdout.write(`gateway away ${downFor} ms (lease 4000 ms); runner uploads after it came back: ${stats.submits} renders for 2 tasks\n`);
  }, 300_000);
});
