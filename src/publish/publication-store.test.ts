/** One suite for every PublicationStore adapter (the PostgreSQL one will join it). */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryPublicationStore } from './publication-store.memory.js';
import type { PublicationStore } from './publication-store.js';
import { SqlitePublicationStore } from './publication-store.sqlite.js';

const adapters: Array<[string, () => PublicationStore]> = [
  ['memory', () => new MemoryPublicationStore()],
  ['sqlite', () => new SqlitePublicationStore(join(mkdtempSync(join(tmpdir(), 'hg-pub-')), 'gateway.db'))],
];

describe.each(adapters)('PublicationStore (%s)', (_name, make) => {
  it('keeps the first request of a task and lists unplanned ones oldest first', async () => {
    const s = make();
    await s.saveRequest('b', ['vimeo', 's3'], 20);
    await s.saveRequest('a', [], 10);
    await s.saveRequest('b', ['other'], 30);
    expect(await s.getRequest('b')).toEqual({ taskId: 'b', targets: ['vimeo', 's3'], createdAt: 20, planned: false });
    expect(await s.getRequest('a')).toEqual({ taskId: 'a', targets: [], createdAt: 10, planned: false });
    expect((await s.unplannedRequests(10)).map((r) => r.taskId)).toEqual(['a', 'b']);
    expect(await s.getRequest('zzz')).toBeUndefined();
    await s.close();
  });

  it('plans pending publications once, updates them and finds them by state', async () => {
    const s = make();
    await s.saveRequest('t1', ['vimeo', 's3'], 1);
    await s.plan('t1', [{ target: 'vimeo', type: 'vimeo' }, { target: 's3', type: 's3' }], 100);
    await s.plan('t1', [{ target: 'vimeo', type: 'vimeo' }], 200); // idempotent
    expect((await s.getRequest('t1'))!.planned).toBe(true);
    expect(await s.unplannedRequests(10)).toEqual([]);
    const rows = await s.list('t1');
    expect(rows.map((r) => [r.target, r.state, r.attempts, r.createdAt])).toEqual([['s3', 'pending', 0, 100], ['vimeo', 'pending', 0, 100]]);
    expect(await s.update('t1', 'vimeo', { state: 'uploading', attempts: 1, resume: { uploadLink: 'u', size: 3 } }, 150)).toBe(true);
    expect(await s.update('t1', 'nope', { state: 'done' }, 150)).toBe(false);
    const v = (await s.list('t1')).find((r) => r.target === 'vimeo')!;
    expect(v).toMatchObject({ state: 'uploading', attempts: 1, resume: { uploadLink: 'u', size: 3 }, updatedAt: 150 });
    await s.update('t1', 'vimeo', { state: 'done', url: 'https://vimeo.com/1', remoteId: '/videos/1', resume: null, doneAt: 160 }, 160);
    await s.update('t1', 's3', { state: 'pending', nextAttemptAt: 500, error: 'SlowDown' }, 170);
    expect((await s.listByState(['pending', 'uploading'], 10)).map((r) => [r.target, r.nextAttemptAt, r.error])).toEqual([['s3', 500, 'SlowDown']]);
    expect((await s.list('t1')).find((r) => r.target === 'vimeo')).toMatchObject({ state: 'done', url: 'https://vimeo.com/1', resume: null, doneAt: 160 });
    await s.close();
  });

  it('plans a task that never had a request (submitted by an older gateway)', async () => {
    const s = make();
    await s.plan('old', [{ target: 'vimeo', type: 'vimeo' }], 5);
    expect(await s.getRequest('old')).toMatchObject({ targets: ['vimeo'], planned: true });
    await s.forget(['old']);
    expect(await s.list('old')).toEqual([]);
    expect(await s.getRequest('old')).toBeUndefined();
    await s.close();
  });
});

describe('SQLite publication store', () => {
  it('survives reopening the file (durable across restarts)', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'hg-pub-')), 'gateway.db');
    const a = new SqlitePublicationStore(file);
    await a.plan('t', [{ target: 's3', type: 's3' }], 1);
    await a.update('t', 's3', { state: 'uploading', attempts: 2 }, 2);
    await a.close();
    const b = new SqlitePublicationStore(file);
    expect(await b.listByState(['uploading'], 5)).toMatchObject([{ taskId: 't', target: 's3', attempts: 2 }]);
    await b.close();
  });
});
