/**
 * A user's own tasks over HTTP, on scripted engines: rename (PATCH /api/tasks/:id — the title in
 * the status, the list, the search and the download name), delete (DELETE /api/tasks/:id — only
 * a finished task, with its files; another key's answers 404), and the ZIP of a selection
 * (GET /api/tasks/results.zip — readable names, a manifest listing every id asked for), and a
 * batch's retry of its failed and canceled rows (POST /api/batches/:id/retry).
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { waitFor } from './helpers/gateway.js';
import { bearer, scriptedGatewaysClosedAfterEach } from './helpers/scripted.js';

const run = promisify(execFile);
const gateway = scriptedGatewaysClosedAfterEach();
type Body = Record<string, any>;

async function call(url: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Body }> {
  const res = await fetch(`${url}${path}`, { method, headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Body };
}

async function finished(url: string, text: string, headers: Record<string, string> = {}): Promise<string> {
  const r = await call(url, 'POST', '/api/generate', { text }, headers);
  expect(r.status).toBe(202);
  const id = r.body.task_id as string;
  await waitFor(async () => ((await call(url, 'GET', `/api/status/${id}`, undefined, headers)).body.status === 'completed' ? true : undefined), 60_000);
  return id;
}

describe('tasks: rename, delete, download a selection', () => {
  it('renames a task: status, list, search and download name follow; empty goes back to the text', async () => {
    const { t } = await gateway();
    const id = await finished(t.url, '这款手机售价2999元，比去年便宜了20%。');
    const r = await call(t.url, 'PATCH', `/api/tasks/${id}`, { title: '  Phone\nlaunch 手机  ' });
    expect(r).toEqual({ status: 200, body: { success: true, task_id: id, title: 'Phone launch 手机' } });
    expect((await call(t.url, 'GET', `/api/status/${id}`)).body.title).toBe('Phone launch 手机');
    const list = (await call(t.url, 'GET', '/api/tasks?q=launch')).body;
    expect(list.tasks.map((x: Body) => [x.task_id, x.title])).toEqual([[id, 'Phone launch 手机']]);
    const dl = await fetch(`${t.url}/api/download/${id}`);
    expect(dl.headers.get('content-disposition')).toMatch(/^attachment; filename="phone-launch-\d{4}-\d\d-\d\d\.mp4"; filename\*=UTF-8''phone-launch-%E6%89%8B%E6%9C%BA-/);
    await dl.body?.cancel();
    expect((await call(t.url, 'PATCH', `/api/tasks/${id}`, { title: 'x'.repeat(121) })).body.code).toBe('title_too_long');
    expect((await call(t.url, 'PATCH', `/api/tasks/${id}`, { title: '' })).body.title).toBeNull();
    expect((await call(t.url, 'GET', `/api/status/${id}`)).body.title).toBeNull();
  });

  it('deletes a finished task with its files; a queued one must be canceled first; another key sees 404', async () => {
    const { t, tokens } = await gateway({ auth: { enabled: true } }, { keys: { alice: ['submit', 'read'], bob: ['submit', 'read'] } });
    const alice = bearer(tokens.alice);
    const id = await finished(t.url, 'Delete me, files and all.', alice);
    const files = () => ['outputs', 'uploads', 'work'].flatMap((d) => (existsSync(join(t.dataDir, d)) ? readdirSync(join(t.dataDir, d)) : [])).filter((n) => n.startsWith(id));
    expect(files().length).toBeGreaterThan(0);
    expect((await call(t.url, 'DELETE', `/api/tasks/${id}`, undefined, bearer(tokens.bob))).status).toBe(404);
    const del = await call(t.url, 'DELETE', `/api/tasks/${id}`, undefined, alice);
    expect(del.status).toBe(200);
    expect(del.body.files_removed).toBeGreaterThan(0);
    expect(files()).toEqual([]);
    expect((await call(t.url, 'GET', `/api/status/${id}`, undefined, alice)).status).toBe(404);
    expect((await call(t.url, 'DELETE', `/api/tasks/${id}`, undefined, alice)).status).toBe(404);
    expect((await call(t.url, 'GET', '/api/tasks', undefined, alice)).body.total).toBe(0);
  });

  it('refuses to delete an unfinished task', async () => {
    const { t } = await gateway({ scheduler: { enabled: false } });
    const id = (await call(t.url, 'POST', '/api/generate', { text: 'Still queued.' })).body.task_id as string;
    const r = await call(t.url, 'DELETE', `/api/tasks/${id}`);
    expect([r.status, r.body.code]).toEqual([409, 'task_not_finished']);
    expect((await call(t.url, 'POST', `/api/tasks/${id}/cancel`)).status).toBe(200);
    expect((await call(t.url, 'DELETE', `/api/tasks/${id}`)).status).toBe(200);
  });

  it('queues a batch\'s canceled rows again; rows carry their text', async () => {
    const { t } = await gateway({ scheduler: { enabled: false } });
    const id = (await call(t.url, 'POST', '/api/batches', { rows: [{ text: 'One.' }, { text: '这款手机售价2999元。' }] })).body.batch_id as string;
    expect((await call(t.url, 'POST', `/api/batches/${id}/cancel`)).body.canceled_tasks).toBe(2);
    const r = await call(t.url, 'POST', `/api/batches/${id}/retry`);
    expect(r.status).toBe(200);
    expect(r.body.retried_tasks).toBe(2);
    expect(r.body.rows.map((x: Body) => [x.status, x.text])).toEqual([['queued', 'One.'], ['queued', '这款手机售价2999元。']]);
    expect((await call(t.url, 'POST', `/api/batches/${id}/retry`)).body.retried_tasks).toBe(0);
  });

  it('zips a selection under readable names with a manifest of every id asked for', async () => {
    const { t } = await gateway();
    const a = await finished(t.url, 'Gate C22 costs $5.');
    const b = await finished(t.url, 'Gate C22 costs $5.');
    await call(t.url, 'PATCH', `/api/tasks/${b}`, { title: 'Second take' });
    const unknown = '0'.repeat(26);
    const res = await fetch(`${t.url}/api/tasks/results.zip?ids=${a},${b},${unknown}`);
    expect(res.status).toBe(200);
    const file = join(t.dataDir, 'sel.zip');
    writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    const { stdout } = await run('python3', ['-c', 'import sys,zipfile; z=zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print("\\n".join(z.namelist())); print("@@" + z.read("manifest.csv").decode("utf-8-sig"))', file]);
    const [list, manifest] = stdout.split('@@');
    const day = new Date().toISOString().slice(0, 10);
    expect(list.trim().split('\n').filter((n) => !n.endsWith('.vtt'))).toEqual([`gate-c22-costs-5-${day}.mp4`, `second-take-${day}.mp4`, 'manifest.csv']);
    const lines = manifest.trim().split('\r\n');
    expect(lines[0]).toBe('task_id,title,text,created_time,file,captions,status');
    expect(lines[3]).toBe(`${unknown},,,,,,not_found`);
    expect((await fetch(`${t.url}/api/tasks/results.zip?ids=nope`)).status).toBe(400);
  });
});
