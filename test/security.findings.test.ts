/**
 * The smaller holes found by an attacker's probe, one test each (docs/security.md): the disk
 * reservation of silent uploads, retries past the queue limit, one-frame and huge face videos.
 * (S3 key ids in errors: src/publish/credentials.test.ts; a runner's heartbeat with another
 * runner's fence: test/runners.protocol.test.ts.)
 */
import { execFileSync } from 'node:child_process';
import { statfsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { faceImage, faceVideoWithAudio, ONE_FACE_CROP } from './helpers/fixtures.js';
import { waitFor } from './helpers/gateway.js';
import { scriptedGatewaysClosedAfterEach } from './helpers/scripted.js';

const gateway = scriptedGatewaysClosedAfterEach();
const sockets: Socket[] = [];
afterEach(() => {
  while (sockets.length) sockets.pop()!.destroy();
});

async function submitJson(url: string, text: string): Promise<Response> {
  return fetch(`${url}/api/generate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) });
}

async function uploadFace(url: string, route: string, file: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const form = new FormData();
  form.set('text', 'Hello there.');
  form.set('video', new Blob([new Uint8Array(await readFile(file))]), 'face.mp4');
  const res = await fetch(`${url}${route}`, { method: 'POST', body: form });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('findings of the attacker probe', () => {
  it('1: sockets that declare gigabytes and send nothing do not hold other submits at 507', async () => {
    // Leave 2 GiB above the guard: two declared 5.4 GB uploads reserved in full would cross it.
    const s = statfsSync(tmpdir());
    const free = Number(s.bavail) * Number(s.bsize);
    expect(free).toBeGreaterThan(3 * 1024 ** 3);
    const { t } = await gateway({ limits: { minFreeDiskBytes: free - 2 * 1024 ** 3 } });
    const cap = Math.max(t.gw.config.limits.maxUploadBytes, t.gw.config.batches.maxBodyBytes) + 1024 * 1024;
    const reserved = async () => (await t.gw.health.disk.check(0)).reservedBytes;
    const { port } = new URL(t.url);
    for (let i = 0; i < 2; i++) {
      const sock = connect(Number(port), '127.0.0.1');
      sockets.push(sock);
      sock.write('POST /api/generate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: 5400000000\r\n\r\n');
    }
    // both silent requests are past the guard, holding their reservations
    await waitFor(async () => (await reserved()) >= 2 * cap);
    expect(await reserved()).toBe(2 * cap);
    const r = await submitJson(t.url, 'Another key still gets in.');
    expect(r.status).toBe(202);
    // a socket that goes away releases what it held
    while (sockets.length) sockets.pop()!.destroy();
    await waitFor(async () => (await reserved()) === 0);
  });

  it('2: a retry is refused with 503 + Retry-After when the queue is at limits.maxQueued', async () => {
    const { t } = await gateway({ limits: { maxQueued: 2 }, scheduler: { enabled: false } });
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) ids.push(((await (await submitJson(t.url, `first ${i}`)).json()) as { task_id: string }).task_id);
    for (const id of ids) expect((await fetch(`${t.url}/api/tasks/${id}/cancel`, { method: 'POST' })).status).toBe(200);
    for (let i = 0; i < 2; i++) expect((await submitJson(t.url, `second ${i}`)).status).toBe(202);
    expect((await submitJson(t.url, 'one too many')).status).toBe(503);
    const retry = await fetch(`${t.url}/api/tasks/${ids[0]}/retry`, { method: 'POST' });
    expect(retry.status).toBe(503);
    expect(((await retry.json()) as { code: string }).code).toBe('queue_full');
    expect(Number(retry.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await t.gw.store.get(ids[0]))?.state).toBe('canceled');
    expect(await t.gw.store.queueSize()).toBe(2);
  });

  it('3: a one-frame face video inside seconds of sound becomes an avatar with a poster', { timeout: 60_000 }, async () => {
    const { t } = await gateway({}, { realMedia: true });
    const dir = t.gw.paths.root;
    const frame = join(dir, 'frame.mp4');
    const one = join(dir, 'one.mp4');
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', faceImage(), '-vf', `${ONE_FACE_CROP},scale=160:120`, '-r', '25', '-frames:v', '1', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', frame]);
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', frame, '-f', 'lavfi', '-i', 'sine=duration=3', '-c:v', 'copy', '-c:a', 'aac', one]);
    const r = await uploadFace(t.url, '/api/avatars', one);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect((await fetch(`${t.url}${String(r.body.poster_url)}`)).status).toBe(200);
  });

  it('4: a face video over the pixel or frame cap is refused on its header, before any decode', { timeout: 60_000 }, async () => {
    const { t } = await gateway({ limits: { maxVideoPixels: 100 * 100, maxVideoFrames: 10 } }, { realMedia: true });
    const face = await faceVideoWithAudio(2);
    for (const route of ['/api/generate', '/api/avatars']) {
      const r = await uploadFace(t.url, route, face);
      expect(r.status, route).toBe(400);
      expect(r.body.code, route).toBe('video_too_large');
    }
    expect((await t.gw.store.list({ limit: 10 })).total).toBe(0);
    const { t: frames } = await gateway({ limits: { maxVideoFrames: 10 } }, { realMedia: true });
    const r = await uploadFace(frames.url, '/api/generate', face);
    expect(r.body.code).toBe('video_too_many_frames');
  });
});
