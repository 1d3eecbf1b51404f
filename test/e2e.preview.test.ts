/**
 * End to end, as a user runs it: the CLI `serve` command as a child process on the embedded
 * defaults (SQLite, ./data-like dir, preview engine), then generate → status → download →
 * ffprobe, over real HTTP.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ffprobeJson } from './helpers/fixtures.js';
import { submit, waitFinal } from './helpers/gateway.js';
import { startServeOnDefaults } from './helpers/process.js';

let url = '';
let dataDir = '';
let stop: () => Promise<void> = async () => undefined;

beforeAll(async () => {
  ({ url, dataDir, stop } = await startServeOnDefaults('hg-e2e-'));
}, 40000);

afterAll(() => stop());

describe('npm start (preview engine) end to end', () => {
  it('serves the page, the API docs and the info route', async () => {
    expect((await fetch(`${url}/`)).status).toBe(200);
    expect((await fetch(`${url}/docs/json`)).status).toBe(200);
    const info = (await (await fetch(`${url}/api/info`)).json()) as Record<string, unknown>;
    expect(info).toMatchObject({ engine: 'preview', slots: 2 });
  });

  it('turns text into a downloadable H.264 + AAC MP4 with faststart', async () => {
    const r = await submit(url, 'Hello from the preview engine. Two plus two is 4.');
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ success: true, status_url: `/api/status/${r.body.task_id}` });
    const s = await waitFinal(url, String(r.body.task_id), 60000);
    expect(s.status, JSON.stringify(s)).toBe('completed');
    expect((s.timing as Record<string, number>).total_time).toBeGreaterThan(0);
    const res = await fetch(`${url}/api/download/${r.body.task_id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('video/mp4');
    // named after the first words and the day, not the task id
    const day = new Date(String(s.created_time)).toISOString().slice(0, 10);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="hello-from-the-preview-engine-two-${day}.mp4"; filename*=UTF-8''hello-from-the-preview-engine-two-${day}.mp4`);
    expect(s).toMatchObject({ avatar: null, voice: null });
    const bytes = Buffer.from(await res.arrayBuffer());
    const file = join(dataDir, 'downloaded.mp4');
    writeFileSync(file, bytes);
    const probe = await ffprobeJson(file);
    const codecs = Object.fromEntries(probe.streams.map((x) => [x.codec_type, x.codec_name]));
    expect(codecs).toEqual({ video: 'h264', audio: 'aac' });
    expect(Number(probe.format.duration)).toBeGreaterThan(1);
    // faststart: the moov atom comes before mdat
    expect(bytes.indexOf('moov')).toBeLessThan(bytes.indexOf('mdat'));
    // byte ranges for seeking
    const part = await fetch(`${url}/api/download/${r.body.task_id}`, { headers: { range: 'bytes=0-99' } });
    expect(part.status).toBe(206);
    expect((await part.arrayBuffer()).byteLength).toBe(100);
  });

  it('answers bad input with clear JSON errors', async () => {
    const res = await fetch(`${url}/api/generate`, { method: 'POST', body: new FormData() });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'No text provided', code: 'text_missing' });
    const nf = await fetch(`${url}/api/status/doesnotexist`);
    expect(nf.status).toBe(404);
    expect(await nf.json()).toMatchObject({ status: 'not_found', code: 'task_not_found' });
  });
});
