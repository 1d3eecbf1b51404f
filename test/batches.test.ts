/**
 * Batches, Idempotency-Key and back-pressure over HTTP, on scripted engines (fast): JSON and
 * CSV intake with row-numbered errors (nothing stored), status with per-row results and
 * metadata echoed back, the streamed ZIP, cancel, batch.completed once, 503 + Retry-After past
 * the queue limit, and one task for two identical requests sent at once.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { BatchCompletedEvent } from '../src/batches/batch-service.js';
import { waitFor } from './helpers/gateway.js';
import { bearer, scriptedGatewaysClosedAfterEach } from './helpers/scripted.js';

const run = promisify(execFile);
const gateway = scriptedGatewaysClosedAfterEach();
type Body = Record<string, any>;

async function post(url: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Body; headers: Headers }> {
  const isText = typeof body === 'string';
  const res = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': isText ? 'text/csv' : 'application/json', ...headers }, body: isText ? body : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Body, headers: res.headers };
}

/** A voice in the library (from a 2 s tone), for rows that name one: ids are checked like generate's. */
let tone = 300;
async function registerVoice(url: string, name: string): Promise<string> {
  tone += 40; // another pitch per voice: the library keys files by content hash
  const wav = join(mkdtempSync(join(tmpdir(), 'hg-batch-')), 'voice.wav');
  await run('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', `sine=frequency=${tone}:duration=2`, '-ac', '1', wav]);
  const form = new FormData();
  form.set('name', name);
  form.set('audio', new Blob([new Uint8Array(readFileSync(wav))]), 'voice.wav');
  const res = await fetch(`${url}/api/voices`, { method: 'POST', body: form });
  const body = (await res.json()) as Body;
  expect(res.status, JSON.stringify(body)).toBe(201);
  return body.id as string;
}

const get = async (url: string, path: string, headers: Record<string, string> = {}): Promise<Body> => (await (await fetch(`${url}${path}`, { headers })).json()) as Body;

describe('POST /api/batches', () => {
  it('queues JSON rows, reports counts and per-row results with metadata, and zips the videos', async () => {
    const { t } = await gateway({}, { slots: 2 });
    const events: BatchCompletedEvent[] = [];
    t.gw.pipelines.batches.on('batch.completed', (e: BatchCompletedEvent) => events.push(e));
    const [v1, v2] = [await registerVoice(t.url, 'Narrator'), await registerVoice(t.url, 'Guest')];
    const rows = Array.from({ length: 5 }, (_, i) => ({ text: `Line ${i + 1}`, metadata: { lesson: i + 1 }, ...(i === 2 ? { voice_id: v2 } : {}) }));
    const res = await post(t.url, '/api/batches', { rows, voice_id: v1 });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ success: true, total: 5 });
    expect(res.body.rows).toHaveLength(5);
    const id = res.body.batch_id as string;
    const done = await waitFor(async () => {
      const b = await get(t.url, `/api/batches/${id}`);
      return b.status === 'completed' ? b : undefined;
    }, 60_000);
    expect(done.counts).toEqual({ queued: 0, processing: 0, completed: 5, failed: 0, canceled: 0 });
    expect(done.rows.map((r: Body) => [r.row, r.metadata, r.avatar_id, r.voice_id])).toEqual([
      [1, { lesson: 1 }, null, v1],
      [2, { lesson: 2 }, null, v1],
      [3, { lesson: 3 }, null, v2],
      [4, { lesson: 4 }, null, v1],
      [5, { lesson: 5 }, null, v1],
    ]);
    // each row's task is tied to its voice in the library (the runner reads it back from there)
    const voices = await Promise.all(done.rows.map(async (r: Body) => (await t.gw.library.inputsForTask(r.task_id))?.voice?.path));
    const [p1, p2] = [voices[0], voices[2]];
    expect([p1?.includes(v1), p2?.includes(v2)]).toEqual([true, true]);
    expect(voices).toEqual([p1, p1, p2, p1, p1]);
    expect(done.rows.every((r: Body) => r.status === 'completed' && r.download_url === `/api/download/${r.task_id}`)).toBe(true);
    await waitFor(async () => events.length === 1);
    expect(events[0]).toMatchObject({ owner: null, batchId: id, payload: { status: 'completed', total: 5 } });

    // entries named by row and a chosen column (`name_by`), captions beside each video, a manifest last
    const names = async (query: string) => {
      const zip = await fetch(`${t.url}/api/batches/${id}/results.zip${query}`);
      expect(zip.status).toBe(200);
      expect(zip.headers.get('content-type')).toBe('application/zip');
      const file = join(t.dataDir, 'r.zip');
      writeFileSync(file, Buffer.from(await zip.arrayBuffer()));
      const { stdout } = await run('python3', ['-c', 'import sys,zipfile; z=zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print("\\n".join(z.namelist())); print("@@" + z.read("manifest.csv").decode("utf-8-sig"))', file]);
      const [list, manifest] = stdout.split('@@');
      return { list: list.trim().split('\n'), manifest: manifest.trim().split('\r\n') };
    };
    const byLesson = await names('?name_by=lesson');
    expect(byLesson.list.filter((n) => n.endsWith('.mp4'))).toEqual(done.rows.map((r: Body) => `${r.row}-${r.row}.mp4`));
    expect(byLesson.list.at(-1)).toBe('manifest.csv');
    expect(byLesson.manifest[0]).toMatch(/^row,task_id,text,lesson,file,captions,status$/);
    expect(byLesson.manifest[1]).toMatch(new RegExp(`^1,${done.rows[0].task_id},Line 1,1,1-1\\.mp4,(1-1\\.vtt)?,completed$`));
    expect((await names('')).list.filter((n) => n.endsWith('.mp4'))).toEqual(done.rows.map((r: Body) => `${r.row}-line-${r.row}.mp4`));
    expect(events).toHaveLength(1);
  });

  it('reads a CSV body: quotes, commas and line breaks inside quotes, CRLF, BOM; extra columns are metadata', async () => {
    const { t } = await gateway({ scheduler: { enabled: false } });
    const [v1, v2] = [await registerVoice(t.url, 'One'), await registerVoice(t.url, 'All')];
    const csv = `\uFEFFtext,voice_id,chapter\r\n"Hello, ""you""",${v1},intro\r\n"two\r\nlines",,body\r\nthird,,end\r\n`;
    const res = await post(t.url, `/api/batches?voice_id=${v2}`, csv);
    expect(res.status).toBe(202);
    const rows = res.body.rows as Body[];
    expect(rows.map((r) => [r.row, r.voice_id, r.avatar_id, r.metadata])).toEqual([
      [1, v1, null, { chapter: 'intro' }],
      [2, v2, null, { chapter: 'body' }],
      [3, v2, null, { chapter: 'end' }],
    ]);
    const texts = await Promise.all(rows.map(async (r) => (await get(t.url, `/api/status/${r.task_id}`)).input_text));
    expect(texts).toEqual(['Hello, "you"', 'two\r\nlines', 'third']);
    expect(rows.every((r) => r.status === 'queued' && typeof r.queue_position === 'number')).toBe(true);
  });

  it('takes a CSV file upload (multipart)', async () => {
    const { t } = await gateway({ scheduler: { enabled: false } });
    const form = new FormData();
    form.set('file', new Blob(['text\none\ntwo\n'], { type: 'text/csv' }), 'rows.csv');
    const voice = await registerVoice(t.url, 'Narrator');
    form.set('voice_id', voice);
    const res = await fetch(`${t.url}/api/batches`, { method: 'POST', body: form });
    expect(res.status).toBe(202);
    expect(((await res.json()) as Body).rows.map((r: Body) => r.voice_id)).toEqual([voice, voice]);

    // an id the library does not have names its row; nothing is stored
    const before = (await get(t.url, '/api/batches')).items.length;
    const unknown = await post(t.url, '/api/batches', { rows: [{ text: 'a' }, { text: 'b', voice_id: 'vo_00000000000000000000000000' }] });
    expect(unknown.status).toBe(404);
    expect(unknown.body.row).toBe(2);
    expect(String(unknown.body.error)).toMatch(/^Row 2: /);
    expect((await get(t.url, '/api/batches')).items.length).toBe(before);
  });

  it('refuses bad rows with their row numbers and stores nothing', async () => {
    const { t } = await gateway({ scheduler: { enabled: false }, limits: { maxTextChars: 20 } });
    const bad = await post(t.url, '/api/batches', { rows: [{ text: 'ok' }, { text: '  ' }, { text: 'x'.repeat(21) }, 'nope', { text: 'fine', avatar_id: 'bad id!' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('batch_rows_invalid');
    expect(bad.body.errors.map((e: Body) => [e.row, e.code])).toEqual([
      [2, 'text_missing'],
      [3, 'text_too_long'],
      [4, 'row_invalid'],
      [5, 'id_invalid'],
    ]);
    expect(bad.body.error).toContain('rows 2, 3, 4, 5');

    const csv = await post(t.url, '/api/batches', 'text,chapter\r\nok,1\r\n,2\r\n"multi\r\nline",3,extra\r\nlast,4\r\n');
    expect(csv.status).toBe(400);
    expect(csv.body.errors.map((e: Body) => [e.row, e.line, e.code])).toEqual([
      [2, 3, 'text_missing'],
      [3, 4, 'row_invalid'],
    ]);
    const broken = await post(t.url, '/api/batches', 'text\nok\n"never closed\n');
    expect(broken.status).toBe(400);
    expect(broken.body).toMatchObject({ code: 'csv_invalid', line: 3 });
    expect((await post(t.url, '/api/batches', 'chapter\n1\n')).body.code).toBe('csv_invalid');
    expect((await post(t.url, '/api/batches', { rows: [] })).body.code).toBe('batch_empty');
    expect((await post(t.url, '/api/batches', { text: 'not rows' })).body.code).toBe('batch_invalid');

    expect((await get(t.url, '/api/tasks')).total).toBe(0);
    expect((await get(t.url, '/api/batches')).items).toEqual([]);
  });

  it('cancels a batch: unfinished rows end canceled, the batch reports it', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { t } = await gateway({}, { slots: 1, script: { renderGate: () => gate } });
    const res = await post(t.url, '/api/batches', { rows: [{ text: 'a' }, { text: 'b' }, { text: 'c' }] });
    const id = res.body.batch_id as string;
    await waitFor(async () => (await get(t.url, `/api/batches/${id}`)).counts.processing === 1);
    const c = await post(t.url, `/api/batches/${id}/cancel`, {});
    expect(c.status).toBe(200);
    expect(c.body.canceled_tasks).toBe(3);
    release();
    const b = await waitFor(async () => {
      const v = await get(t.url, `/api/batches/${id}`);
      return v.status === 'canceled' ? v : undefined;
    });
    expect(b.counts.canceled).toBe(3);
    expect(b.canceled_time).toEqual(expect.any(String));
  });

  it('shows a batch only to the key that sent it (and admins)', async () => {
    const { t, tokens } = await gateway({ auth: { enabled: true }, scheduler: { enabled: false } }, { keys: { alice: ['submit', 'read'], bob: ['submit', 'read'] } });
    const res = await post(t.url, '/api/batches', { rows: [{ text: 'mine' }] }, bearer(tokens.alice));
    expect(res.status).toBe(202);
    const id = res.body.batch_id as string;
    expect((await fetch(`${t.url}/api/batches/${id}`, { headers: bearer(tokens.bob) })).status).toBe(404);
    expect((await fetch(`${t.url}/api/batches/${id}/results.zip`, { headers: bearer(tokens.bob) })).status).toBe(404);
    expect((await fetch(`${t.url}/api/batches/${id}`, { headers: bearer(tokens.alice) })).status).toBe(200);
    expect((await get(t.url, '/api/batches', bearer(tokens.bob))).items).toEqual([]);
  });
});

describe('Idempotency-Key', () => {
  it('two identical generate requests at once make one task; both get the same answer', async () => {
    const { t, tokens } = await gateway({ auth: { enabled: true }, scheduler: { enabled: false }, rateLimit: { submitsPerMinutePerKey: 0 } }, { keys: { alice: ['submit', 'read'], bob: ['submit', 'read'] } });
    const h = { ...bearer(tokens.alice), 'idempotency-key': 'order-42' };
    const answers = await Promise.all(Array.from({ length: 4 }, () => post(t.url, '/api/generate', { text: 'Hello once' }, h)));
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 202]);
    expect(new Set(answers.map((a) => a.body.task_id)).size).toBe(1);
    expect(answers.filter((a) => a.headers.get('idempotent-replayed') === 'true')).toHaveLength(3);
    expect((await get(t.url, '/api/tasks', bearer(tokens.alice))).total).toBe(1);
    // later: same body → the first answer again; other body → 422; another key's scope is separate
    const again = await post(t.url, '/api/generate', { text: 'Hello once' }, h);
    expect(again.body).toEqual(answers[0].body);
    const other = await post(t.url, '/api/generate', { text: 'Something else' }, h);
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('idempotency_key_reused');
    const bob = await post(t.url, '/api/generate', { text: 'Hello once' }, { ...bearer(tokens.bob), 'idempotency-key': 'order-42' });
    expect(bob.status).toBe(202);
    expect(bob.body.task_id).not.toBe(answers[0].body.task_id);
    expect((await post(t.url, '/api/generate', { text: 'x' }, { ...h, 'idempotency-key': 'bad key with spaces' })).body.code).toBe('idempotency_key_invalid');
  });

  it('a multipart retry with a new boundary is the same request; batches replay their first answer', async () => {
    const { t } = await gateway({ scheduler: { enabled: false } });
    const send = async () => {
      const form = new FormData();
      form.set('text', 'same words');
      const res = await fetch(`${t.url}/api/generate`, { method: 'POST', body: form, headers: { 'idempotency-key': 'mp-1' } });
      return (await res.json()) as Body;
    };
    expect((await send()).task_id).toBe((await send()).task_id);
    const rows = { rows: [{ text: 'a' }, { text: 'b' }] };
    const [b1, b2] = await Promise.all([post(t.url, '/api/batches', rows, { 'idempotency-key': 'batch-1' }), post(t.url, '/api/batches', rows, { 'idempotency-key': 'batch-1' })]);
    expect(b1.body.batch_id).toBe(b2.body.batch_id);
    expect((await get(t.url, '/api/tasks')).total).toBe(3);
    // an error answer is not kept: the key stays usable for a corrected request
    expect((await post(t.url, '/api/batches', { rows: [{ text: '' }] }, { 'idempotency-key': 'fix-me' })).status).toBe(400);
    expect((await post(t.url, '/api/batches', { rows: [{ text: 'fixed' }] }, { 'idempotency-key': 'fix-me' })).status).toBe(202);
  });
});

describe('back-pressure', () => {
  it('answers 503 with Retry-After past limits.maxQueued, for single tasks and batches', async () => {
    const { t } = await gateway({ scheduler: { enabled: false }, limits: { maxQueued: 3 } });
    for (let i = 0; i < 3; i++) expect((await post(t.url, '/api/generate', { text: `t${i}` })).status).toBe(202);
    const full = await post(t.url, '/api/generate', { text: 'one too many' });
    expect(full.status).toBe(503);
    expect(full.body).toMatchObject({ code: 'queue_full', limit: 3, queued: 3 });
    expect(Number(full.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(full.headers.get('retry-after'))).toBe(full.body.retry_after_seconds);
    expect((await post(t.url, '/api/batches', { rows: [{ text: 'a' }] })).status).toBe(503);
    expect((await post(t.url, '/api/batches', { rows: [{ text: 'a' }, { text: 'b' }, { text: 'c' }, { text: 'd' }] })).body.code).toBe('batch_too_large');
    expect((await get(t.url, '/api/tasks')).total).toBe(3);
  });
});
