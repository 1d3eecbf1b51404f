/**
 * Bad input: every rejection is a 4xx JSON error with a stable code, nothing is stored, no
 * upload is left behind, and the server keeps answering. Real ffprobe checks content.
 */
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faceVideoWithAudio, silentVideo } from './helpers/fixtures.js';
import type { TestGateway } from './helpers/gateway.js';
import { scriptedGateway } from './helpers/scripted.js';

let t: TestGateway;
let face: Buffer;
let facePath: string;
let silent: Buffer;

beforeAll(async () => {
  facePath = await faceVideoWithAudio(2);
  face = await readFile(facePath);
  silent = await readFile(await silentVideo(1));
  ({ t } = await scriptedGateway({ limits: { maxTextChars: 50, maxUploadBytes: 1024 * 1024, maxVideoSeconds: 1.5 } }, { realMedia: true }));
});
afterAll(async () => t?.close());

async function form(fields: Record<string, string | { data: Buffer; name: string; field?: string }>): Promise<{ status: number; body: Record<string, unknown> }> {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) {
    if (typeof v === 'string') fd.set(k, v);
    else fd.set(v.field ?? k, new Blob([new Uint8Array(v.data)]), v.name);
  }
  const res = await fetch(`${t.url}/api/generate`, { method: 'POST', body: fd });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Raw HTTP so a body can be malformed or cut off on purpose. */
function raw(path: string, headers: Record<string, string | number>, body: Buffer | string, method = 'POST', endEarly = false): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const u = new URL(t.url);
    const req = request({ host: u.hostname, port: u.port, path, method, headers }, (res) => {
      let b = '';
      res.on('data', (c) => (b += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: b }));
    });
    req.on('error', (err) => (endEarly ? resolve({ status: 0, body: String(err) }) : reject(err)));
    req.write(body);
    if (endEarly) setTimeout(() => req.destroy(), 100);
    else req.end();
  });
}

describe('POST /api/generate rejects bad input with a stable code', () => {
  const cases: Array<[string, () => Promise<{ status: number; body: Record<string, unknown> }>, number, string]> = [
    ['missing text', () => form({}), 400, 'text_missing'],
    ['blank text', () => form({ text: '   \n ' }), 400, 'text_missing'],
    ['text over the limit', () => form({ text: 'x'.repeat(51) }), 400, 'text_too_long'],
    ['text over the limit (JSON)', async () => jsonPost({ text: 'y'.repeat(51) }), 400, 'text_too_long'],
    ['text of the wrong type (JSON)', async () => jsonPost({ text: 42 }), 400, 'text_missing'],
    ['text as an array (JSON)', async () => jsonPost({ text: ['a'] }), 400, 'text_missing'],
    ['an empty file (as the library pages say it)', () => form({ text: 'hi', video: { data: Buffer.alloc(0), name: 'face.mp4' } }), 400, 'file_empty'],
    ['not a video, whatever its name', () => form({ text: 'hi', video: { data: Buffer.from('#!/bin/sh\necho pwned\n'.repeat(20)), name: 'face.mp4' } }), 400, 'video_invalid'],
    ['a wrong extension', () => form({ text: 'hi', video: { data: face, name: 'face.exe' } }), 400, 'video_format_invalid'],
    ['a video without sound', () => form({ text: 'hi', video: { data: silent, name: 'silent.mp4' } }), 400, 'video_no_audio'],
    ['a video that is too long', () => form({ text: 'hi', video: { data: face, name: 'face.mp4' } }), 400, 'video_too_long'],
    ['an upload over the size limit', () => form({ text: 'hi', video: { data: Buffer.alloc(2 * 1024 * 1024, 1), name: 'big.mp4' } }), 413, 'upload_too_large'],
    ['a file in another field', () => form({ text: 'hi', other: { data: face, name: 'x.mp4', field: 'other' } }), 400, 'unexpected_file'],
    ['a playlist that points at other files on the host', () => form({ text: 'hi', video: { data: Buffer.from(`#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1.0,\nfile://${facePath}\n#EXT-X-ENDLIST\n`), name: 'face.mp4' } }), 400, 'video_invalid'],
    ['a traversal file name', () => form({ text: 'hi', video: { data: Buffer.from('nope'), name: '../../etc/passwd.mp4' } }), 400, 'video_invalid'],
  ];
  for (const [name, run, status, code] of cases) {
    it(name, async () => {
      const r = await run();
      expect(r.status, JSON.stringify(r.body)).toBe(status);
      expect(r.body.code).toBe(code);
      expect(typeof r.body.error).toBe('string');
    });
  }

  it('malformed, boundary-less and truncated multipart bodies are 400s, not crashes', async () => {
    const noBoundary = await raw('/api/generate', { 'content-type': 'multipart/form-data' }, 'garbage');
    expect(noBoundary.status).toBe(400);
    const garbage = await raw('/api/generate', { 'content-type': 'multipart/form-data; boundary=XYZ' }, '--XYZ\r\nnot a header\r\n\r\n');
    expect([400, 413]).toContain(garbage.status);
    expect(JSON.parse(garbage.body).code).toMatch(/multipart_invalid|text_missing/);
    const head = '--B\r\nContent-Disposition: form-data; name="text"\r\n\r\nhello\r\n--B\r\nContent-Disposition: form-data; name="video"; filename="a.mp4"\r\nContent-Type: video/mp4\r\n\r\n';
    const cut = await raw('/api/generate', { 'content-type': 'multipart/form-data; boundary=B' }, Buffer.concat([Buffer.from(head), face.subarray(0, 1000)]));
    expect(cut.status).toBe(400);
    expect(JSON.parse(cut.body).code).toBe('multipart_invalid');
    const bad = await raw('/api/generate', { 'content-type': 'application/json' }, '{"text": "unterminated');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({ code: expect.any(String), error: expect.any(String) });
    const weird = await raw('/api/generate', { 'content-type': 'text/x-weird' }, 'text=hi');
    expect(weird.status).toBe(415);
    // a client that dies mid-upload
    await raw('/api/generate', { 'content-type': 'multipart/form-data; boundary=B', 'content-length': 10_000_000 }, Buffer.concat([Buffer.from(head), face.subarray(0, 2000)]), 'POST', true);
  });

  it('stored nothing and left no upload behind; the server still answers', async () => {
    await new Promise((r) => setTimeout(r, 200));
    expect((await t.gw.store.list({})).total).toBe(0);
    expect(readdirSync(join(t.dataDir, 'uploads'))).toEqual([]);
    expect((await fetch(`${t.url}/api/health`)).status).toBe(200);
  });
});

async function jsonPost(body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${t.url}/api/generate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('ids and file names cannot escape', () => {
  const evil = ['../../etc/passwd', '..%2F..%2Fetc%2Fpasswd', '%2e%2e%2f%2e%2e%2fetc%2fpasswd', '....//....//etc/passwd', '%00', 'a'.repeat(300), '01kbx0000000000000000000000'];
  it('answers unknown or malicious task ids with a JSON 404', async () => {
    for (const id of evil) {
      for (const [method, path] of [
        ['GET', `/api/status/${id}`],
        ['GET', `/api/download/${id}`],
        ['GET', `/outputs/${id}`],
        ['GET', `/outputs/${id}.mp4`],
        ['POST', `/api/tasks/${id}/cancel`],
        ['POST', `/api/tasks/${id}/retry`],
      ]) {
        const r = await raw(path, {}, '', method);
        expect([400, 404, 414, 415], `${method} ${path} → ${r.status}`).toContain(r.status);
        const body = JSON.parse(r.body) as Record<string, unknown>;
        expect(typeof body.code).toBe('string');
        expect(r.body).not.toMatch(/root:|\/work\/|node_modules|at .*\.ts:/);
      }
    }
  });

  it('a known id still 404s for a file that is not servable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hg-x-'));
    writeFileSync(join(dir, 'x'), 'x');
    const r = await raw('/outputs/gateway.db', {}, '', 'GET');
    expect(r.status).toBe(404);
  });
});
