/** Vimeo adapter against the local Vimeo API + tus fake (test/fakes/vimeo.fake.ts). */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeVimeo } from '../../test/fakes/vimeo.fake.js';
import { PublishError, type UploadJob } from './uploader.js';
import { VimeoUploader, type VimeoTargetOptions } from './vimeo.uploader.js';

let vimeo: FakeVimeo;
const dir = mkdtempSync(join(tmpdir(), 'hg-vimeo-'));
const file = join(dir, 'v.mp4');
const bytes = randomBytes(300_000);

beforeAll(async () => {
  vimeo = await new FakeVimeo().start();
  writeFileSync(file, bytes);
});
afterAll(() => vimeo.stop());

const opts = (o: Partial<VimeoTargetOptions> = {}): VimeoTargetOptions => ({
  apiUrl: vimeo.url,
  nameTemplate: 'HeyGem {task_id}',
  descriptionTemplate: '{date}: {text}',
  privacy: 'unlisted',
  chunkBytes: 128 * 1024,
  requestTimeoutMs: 10_000,
  ...o,
});

function job(taskId: string, saved: { resume: Record<string, unknown> | null } = { resume: null }): UploadJob {
  return {
    taskId,
    filePath: file,
    size: bytes.length,
    text: 'The quick brown fox jumps over the lazy dog, and then keeps running far away.',
    finishedAt: Date.UTC(2026, 10, 29, 8, 30),
    resume: saved.resume,
    saveResume: async (r) => void (saved.resume = r),
    signal: new AbortController().signal,
  };
}

const videoOf = (taskId: string) => [...vimeo.videos.values()].find((v) => v.name === `HeyGem ${taskId}`)!;

describe('VimeoUploader (tus)', () => {
  it('creates the video with the documented request, PATCHes chunks and verifies with HEAD', async () => {
    const up = new VimeoUploader(opts(), { kind: 'vimeo', accessToken: vimeo.token });
    const before = vimeo.requests.length;
    const r = await up.upload(job('task_v1'));
    const v = videoOf('task_v1');
    expect(r).toEqual({ url: v.link, remoteId: v.uri });
    expect(vimeo.bytesOf(v).equals(bytes)).toBe(true);
    expect(v.description).toBe('2026-11-29: The quick brown fox jumps over the lazy dog, and t...');
    expect(v.privacy).toBe('unlisted');
    const reqs = vimeo.requests.slice(before);
    expect(reqs[0]).toMatchObject({ method: 'POST', path: '/me/videos', headers: { authorization: `bearer ${vimeo.token}`, accept: 'application/vnd.vimeo.*+json;version=3.4', 'content-type': 'application/json' } });
    const patches = reqs.filter((q) => q.method === 'PATCH');
    expect(patches.map((p) => Number(p.headers['upload-offset']))).toEqual([0, 131072, 262144]);
    expect(patches.every((p) => p.headers['tus-resumable'] === '1.0.0' && p.headers['content-type'] === 'application/offset+octet-stream')).toBe(true);
    expect(patches.map((p) => Number(p.headers['content-length']))).toEqual([131072, 131072, bytes.length - 262144]);
    expect(reqs.at(-1)!.method).toBe('HEAD');
  });

  it('after a connection drop mid-chunk, the next attempt asks HEAD for the offset and sends only the rest', async () => {
    const up = new VimeoUploader(opts(), { kind: 'vimeo', accessToken: vimeo.token });
    const saved = { resume: null as Record<string, unknown> | null };
    vimeo.cutPatchAfter(50_000);
    const err = await up.upload(job('task_v2', saved)).catch((e) => e);
    expect(err).toBeInstanceOf(PublishError);
    expect(err.retryable).toBe(true);
    expect(saved.resume).toMatchObject({ uri: expect.stringMatching(/^\/videos\/\d+$/) });
    const v = videoOf('task_v2');
    expect(v.offset).toBe(50_000);
    const before = vimeo.requests.length;
    const r = await up.upload(job('task_v2', saved));
    expect(r.remoteId).toBe(v.uri);
    const reqs = vimeo.requests.slice(before);
    expect(reqs.filter((q) => q.method === 'POST')).toHaveLength(0); // same video, not a new one
    expect(reqs[0].method).toBe('HEAD');
    expect(reqs.find((q) => q.method === 'PATCH')!.headers['upload-offset']).toBe('50000');
    expect(vimeo.bytesOf(v).equals(bytes)).toBe(true);
  });

  it('a wrong token is permanent; a 503 is retryable; the token never appears in errors', async () => {
    const bad = new VimeoUploader(opts(), { kind: 'vimeo', accessToken: 'wrong-token-abcdef' });
    const e1 = await bad.upload(job('task_v3')).catch((e) => e);
    expect(e1).toMatchObject({ retryable: false });
    expect(e1.message).toContain('HTTP 401');
    expect(e1.message).not.toContain('wrong-token-abcdef');
    vimeo.failNext('create', 1, 503);
    const e2 = await new VimeoUploader(opts(), { kind: 'vimeo', accessToken: vimeo.token }).upload(job('task_v4')).catch((e) => e);
    expect(e2).toMatchObject({ retryable: true });
  });

  it('an expired upload link starts a new video', async () => {
    const saved = { resume: { uploadLink: `${vimeo.url}/tus/gone`, uri: '/videos/1', link: 'https://vimeo.com/1', size: bytes.length } as Record<string, unknown> };
    const r = await new VimeoUploader(opts(), { kind: 'vimeo', accessToken: vimeo.token }).upload(job('task_v5', saved));
    expect(r.remoteId).toBe(videoOf('task_v5').uri);
    expect(vimeo.bytesOf(videoOf('task_v5')).equals(bytes)).toBe(true);
  });
});
