/**
 * One suite for every PublicationStore adapter: memory, SQLite, and PostgreSQL (each test on a
 * fresh schema of one throw-away database), plus what only a shared database has to get right:
 * nodes starting together, two nodes planning the same completion, two claiming at once.
 */
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/postgres.js';
import { MemoryPublicationStore } from '../../test/doubles/publication-store.memory.js';
import type { PublicationStore } from './publication-store.js';
import { PostgresPublicationStore } from './publication-store.postgres.js';
import { SqlitePublicationStore } from './publication-store.sqlite.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
}, 60_000);
afterAll(async () => db?.drop());

const adapters: Array<[string, () => Promise<PublicationStore>]> = [
  ['memory', async () => new MemoryPublicationStore()],
  ['sqlite', async () => new SqlitePublicationStore(join(mkdtempSync(join(tmpdir(), 'hg-pub-')), 'gateway.db'))],
  ['postgres', async () => PostgresPublicationStore.open({ url: await db.freshSchemaUrl() })],
];

describe.each(adapters)('PublicationStore (%s)', (_name, make) => {
  it('keeps the first request of a task and lists unplanned ones oldest first', async () => {
    const s = await make();
    expect(await s.hasAny()).toBe(false);
    await s.saveRequest('b', ['vimeo', 's3'], 20);
    expect(await s.hasAny()).toBe(true);
    await s.saveRequest('a', [], 10);
    await s.saveRequest('b', ['other'], 30);
    expect(await s.getRequest('b')).toEqual({ taskId: 'b', targets: ['vimeo', 's3'], createdAt: 20, planned: false });
    expect(await s.getRequest('a')).toEqual({ taskId: 'a', targets: [], createdAt: 10, planned: false });
    expect((await s.unplannedRequests(10)).map((r) => r.taskId)).toEqual(['a', 'b']);
    expect(await s.getRequest('zzz')).toBeUndefined();
    await s.close();
  });

  it('plans pending publications once, updates them and finds them by state', async () => {
    const s = await make();
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
    const s = await make();
    await s.plan('old', [{ target: 'vimeo', type: 'vimeo' }], 5);
    expect(await s.getRequest('old')).toMatchObject({ targets: ['vimeo'], planned: true });
    await s.forget(['old']);
    expect(await s.list('old')).toEqual([]);
    expect(await s.getRequest('old')).toBeUndefined();
    await s.close();
  });

  it('claims: free → granted; held by another live holder → refused; own → renewed; lapsed → taken over; released → free', async () => {
    const s = await make();
    await s.plan('c', [{ target: 'vimeo', type: 'vimeo' }], 1);
    expect(await s.claim('c', 'vimeo', 'node-a', 1000, 100)).toBe(true);
    expect((await s.list('c'))[0]).toMatchObject({ claimedBy: 'node-a', claimedUntil: 1100 });
    expect(await s.claim('c', 'vimeo', 'node-b', 1050, 100)).toBe(false);
    expect(await s.claim('c', 'vimeo', 'node-a', 1090, 100)).toBe(true); // renewal
    expect(await s.claim('c', 'vimeo', 'node-b', 1150, 100)).toBe(false); // renewed: still live
    expect(await s.claim('c', 'vimeo', 'node-b', 1190, 100)).toBe(true); // lapsed exactly now
    expect((await s.list('c'))[0]).toMatchObject({ claimedBy: 'node-b', claimedUntil: 1290 });
    await s.release('c', 'vimeo', 'node-a'); // not a's any more: changes nothing
    expect((await s.list('c'))[0].claimedBy).toBe('node-b');
    await s.release('c', 'vimeo', 'node-b');
    expect((await s.list('c'))[0]).toMatchObject({ claimedBy: null, claimedUntil: null });
    expect(await s.claim('c', 'vimeo', 'node-a', 1200, 100)).toBe(true);
    // Updates leave the claim alone; a publication that does not exist cannot be claimed.
    await s.update('c', 'vimeo', { state: 'uploading', attempts: 1 }, 1201);
    expect((await s.list('c'))[0]).toMatchObject({ state: 'uploading', claimedBy: 'node-a' });
    expect(await s.claim('c', 'nope', 'node-a', 1200, 100)).toBe(false);
    await s.close();
  });

  it('of many holders claiming at once, exactly one wins', async () => {
    const s = await make();
    await s.plan('r', [{ target: 's3', type: 's3' }], 1);
    const holders = Array.from({ length: 8 }, (_, i) => `node-${i}`);
    const won = await Promise.all(holders.map((h) => s.claim('r', 's3', h, 500, 1000)));
    expect(won.filter(Boolean)).toHaveLength(1);
    expect((await s.list('r'))[0].claimedBy).toBe(holders[won.indexOf(true)]);
    await s.close();
  });
});

describe('PostgreSQL publication store, several nodes on one database', () => {
  it('nodes starting together create the tables once; both see the same rows', async () => {
    const url = await db.freshSchemaUrl();
    const stores = await Promise.all(Array.from({ length: 4 }, () => PostgresPublicationStore.open({ url })));
    await stores[0].saveRequest('t', ['vimeo'], 1);
    for (const s of stores) expect(await s.getRequest('t')).toMatchObject({ targets: ['vimeo'] });
    // A node restarting later finds the tables there and keeps the rows.
    const later = await PostgresPublicationStore.open({ url });
    expect(await later.getRequest('t')).toMatchObject({ planned: false });
    await Promise.all([...stores, later].map((s) => s.close()));
  });

  it('two nodes planning the same completion at once create each publication once', async () => {
    const url = await db.freshSchemaUrl();
    const [a, b] = await Promise.all([PostgresPublicationStore.open({ url }), PostgresPublicationStore.open({ url })]);
    for (let i = 0; i < 20; i++) {
      const id = `p${i}`;
      await a.saveRequest(id, ['vimeo', 's3'], i);
      const targets = [{ target: 'vimeo', type: 'vimeo' as const }, { target: 's3', type: 's3' as const }];
      // Opposite orders from the two nodes: the adapter's fixed insert order must avoid a deadlock.
      await Promise.all([a.plan(id, targets, 100 + i), b.plan(id, [...targets].reverse(), 200 + i)]);
      expect((await a.list(id)).map((p) => [p.target, p.state])).toEqual([['s3', 'pending'], ['vimeo', 'pending']]);
    }
    expect(await b.unplannedRequests(100)).toEqual([]);
    // Claims from two nodes (two pools, two connections) racing: one wins each time.
    for (let i = 0; i < 20; i++) {
      const won = await Promise.all([a.claim(`p${i}`, 's3', 'node-a', 1000, 5000), b.claim(`p${i}`, 's3', 'node-b', 1000, 5000)]);
      expect(won.filter(Boolean)).toHaveLength(1);
    }
    await Promise.all([a.close(), b.close()]);
  });

  it('borrows a pool without closing it', async () => {
    const { createPgPool } = await import('../store/postgres.pool.js');
    const pool = createPgPool({ url: await db.freshSchemaUrl(), max: 2 });
    const s = await PostgresPublicationStore.open({ pool });
    await s.close();
    expect((await pool.query('SELECT COUNT(*)::int AS n FROM publications')).rows[0].n).toBe(0);
    await pool.end();
  });
});

describe('SQLite publication store', () => {
  it('adds the claim columns to a file written before claims existed', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'hg-pub-')), 'gateway.db');
    const old = new Database(file);
    old.exec(`CREATE TABLE publications (task_id TEXT NOT NULL, target TEXT NOT NULL, type TEXT NOT NULL, state TEXT NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0, url TEXT, remote_id TEXT, error TEXT, resume TEXT, next_attempt_at BIGINT NOT NULL DEFAULT 0,
      created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, done_at BIGINT, PRIMARY KEY (task_id, target))`);
    old.prepare("INSERT INTO publications (task_id, target, type, state, attempts, created_at, updated_at) VALUES ('o', 's3', 's3', 'uploading', 1, 1, 1)").run();
    old.close();
    const s = new SqlitePublicationStore(file);
    expect((await s.list('o'))[0]).toMatchObject({ state: 'uploading', attempts: 1, claimedBy: null, claimedUntil: null });
    expect(await s.claim('o', 's3', 'me', 10, 5)).toBe(true);
    await s.close();
  });

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
