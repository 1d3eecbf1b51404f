/**
 * One suite for both WebhookStore adapters (SQLite, and PostgreSQL on a fresh schema per test),
 * plus what a shared database must get right: two nodes claiming the same delivery at once.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/postgres.js';
import type { NewDelivery, WebhookEndpoint, WebhookStore } from './outbox-store.js';
import { PostgresWebhookStore } from './outbox-store.postgres.js';
import { SqliteWebhookStore } from './outbox-store.sqlite.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
}, 60_000);
afterAll(async () => db?.drop());

const adapters: Array<[string, () => Promise<WebhookStore>]> = [
  ['sqlite', async () => new SqliteWebhookStore(join(mkdtempSync(join(tmpdir(), 'hg-wh-')), 'gateway.db'))],
  ['postgres', async () => PostgresWebhookStore.open({ url: await db.freshSchemaUrl() })],
];

const endpoint = (id: string, owner: string | null, at: number): WebhookEndpoint => ({
  id,
  owner,
  url: `https://hooks.example.com/${id}`,
  events: ['task.completed', 'task.failed'],
  description: null,
  secret: `whsec_${id}`,
  previousSecret: null,
  previousSecretUntil: null,
  enabled: true,
  createdAt: at,
  updatedAt: at,
});

const delivery = (id: string, extra: Partial<NewDelivery> = {}): NewDelivery => ({
  id,
  eventId: `evt_${id}`,
  eventType: 'task.completed',
  taskId: 't1',
  owner: 'k1',
  endpointId: 'e1',
  url: 'https://hooks.example.com/e1',
  body: '{"x":1}',
  ...extra,
});

const attempt = (deliveryId: string, n: number, status: number | null) => ({ deliveryId, attempt: n, startedAt: 100, durationMs: 5, status, error: status === 200 ? null : 'HTTP 500', node: 'a' });

describe.each(adapters)('WebhookStore (%s)', (_name, make) => {
  it('keeps endpoints per owner, patches and deletes them', async () => {
    const s = await make();
    await s.createEndpoint(endpoint('e1', 'k1', 10));
    await s.createEndpoint(endpoint('e2', 'k2', 20));
    await s.createEndpoint(endpoint('e3', null, 30));
    expect((await s.listEndpoints()).map((e) => e.id)).toEqual(['e1', 'e2', 'e3']);
    expect((await s.listEndpoints('k1')).map((e) => e.id)).toEqual(['e1']);
    expect((await s.listEndpoints(null)).map((e) => e.id)).toEqual(['e3']);
    const next = await s.updateEndpoint('e1', { events: ['task.canceled'], enabled: false, previousSecret: 'old', previousSecretUntil: 99 }, 50);
    expect(next).toMatchObject({ id: 'e1', events: ['task.canceled'], enabled: false, previousSecret: 'old', previousSecretUntil: 99, updatedAt: 50, createdAt: 10 });
    expect(await s.getEndpoint('e1')).toEqual(next);
    expect(await s.updateEndpoint('nope', { enabled: true }, 1)).toBeUndefined();
    expect(await s.deleteEndpoint('e2')).toBe(true);
    expect(await s.deleteEndpoint('e2')).toBe(false);
    expect(await s.getEndpoint('e2')).toBeUndefined();
    await s.close();
  });

  it('keeps the first callback URL of a task', async () => {
    const s = await make();
    await s.saveCallback('t1', 'https://a.example/1', 1);
    await s.saveCallback('t1', 'https://b.example/2', 2);
    expect(await s.getCallback('t1')).toBe('https://a.example/1');
    expect(await s.getCallback('t2')).toBeUndefined();
    await s.close();
  });

  it('enqueues once, claims (counting the attempt), logs the attempt and moves on', async () => {
    const s = await make();
    expect(await s.enqueue([delivery('d1'), delivery('d2', { taskId: 't2', endpointId: null })], 100)).toBe(2);
    expect(await s.enqueue([delivery('d1', { body: 'changed' })], 200)).toBe(0);
    expect((await s.getDelivery('d1'))!).toMatchObject({ body: '{"x":1}', state: 'pending', attempts: 0, nextAttemptAt: 100 });
    expect((await s.due(100, 10)).map((d) => d.id).sort()).toEqual(['d1', 'd2']);
    const c = await s.claim('d1', 'node-a', 150, 1000);
    expect(c).toMatchObject({ id: 'd1', attempts: 1, claimedBy: 'node-a', claimedUntil: 1150 });
    expect(await s.claim('d1', 'node-b', 160, 1000)).toBeUndefined(); // held
    expect((await s.due(160, 10)).map((d) => d.id)).toEqual(['d2']);
    expect(await s.finish('d1', 'node-b', attempt('d1', 1, 500), { state: 'pending', nextAttemptAt: 5000, lastStatus: 500, lastError: 'HTTP 500' }, 170)).toBe(false);
    expect(await s.finish('d1', 'node-a', attempt('d1', 1, 500), { state: 'pending', nextAttemptAt: 5000, lastStatus: 500, lastError: 'HTTP 500' }, 170)).toBe(true);
    expect(await s.getDelivery('d1')).toMatchObject({ state: 'pending', attempts: 1, nextAttemptAt: 5000, lastStatus: 500, claimedBy: null });
    expect(await s.claim('d1', 'node-a', 200, 1000)).toBeUndefined(); // not due yet
    const again = await s.claim('d1', 'node-b', 5000, 1000);
    expect(again?.attempts).toBe(2);
    await s.finish('d1', 'node-b', attempt('d1', 2, 200), { state: 'delivered', nextAttemptAt: 0, lastStatus: 200, lastError: null }, 5010);
    expect(await s.getDelivery('d1')).toMatchObject({ state: 'delivered', attempts: 2, deliveredAt: 5010, lastStatus: 200, lastError: null });
    expect((await s.attempts('d1')).map((a) => [a.attempt, a.status])).toEqual([[1, 500], [2, 200]]);
    expect((await s.listDeliveries({ endpointId: 'e1', limit: 10 })).map((d) => d.id)).toEqual(['d1']);
    expect((await s.listDeliveries({ taskId: 't2', limit: 10 })).map((d) => d.id)).toEqual(['d2']);
    expect((await s.listDeliveries({ owner: 'k1', limit: 10 })).length).toBe(2);
    expect((await s.listDeliveries({ owner: 'other', limit: 10 })).length).toBe(0);
    await s.close();
  });

  it('a lapsed claim is taken over; a restarted node drops its own claims; redelivery by hand', async () => {
    const s = await make();
    await s.enqueue([delivery('d1')], 100);
    expect(await s.claim('d1', 'node-a', 100, 50)).toBeDefined();
    expect(await s.redeliver('d1', 120)).toBe(false); // in flight
    expect((await s.claim('d1', 'node-b', 151, 50))?.attempts).toBe(2); // node-a died mid-attempt
    await s.releaseHolder('node-b');
    expect((await s.getDelivery('d1'))!.claimedBy).toBeNull();
    expect(await s.claim('d1', 'node-a', 160, 50)).toBeDefined();
    await s.finish('d1', 'node-a', attempt('d1', 3, 200), { state: 'delivered', nextAttemptAt: 0, lastStatus: 200, lastError: null }, 170);
    expect(await s.redeliver('d1', 300)).toBe(true);
    expect(await s.getDelivery('d1')).toMatchObject({ state: 'pending', nextAttemptAt: 300, attempts: 3 });
    expect((await s.claim('d1', 'node-a', 300, 50))?.attempts).toBe(4);
    expect(await s.redeliver('nope', 300)).toBe(false);
    await s.close();
  });

  it('two nodes claiming at once: exactly one wins', async () => {
    const a = await make();
    await a.enqueue(Array.from({ length: 20 }, (_, i) => delivery(`d${i}`)), 1);
    const ids = (await a.due(1, 100)).map((d) => d.id);
    const results = await Promise.all(ids.flatMap((id) => [a.claim(id, 'node-a', 10, 1000), a.claim(id, 'node-b', 10, 1000)]));
    expect(results.filter(Boolean).length).toBe(20);
    await a.close();
  });
});

/** The columns of the task store's `tasks` table the start-up sweep reads (the outbox shares its database). */
const TASKS_DDL = `CREATE TABLE tasks (id TEXT PRIMARY KEY, state TEXT NOT NULL, parent_id TEXT, owner TEXT, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, finished_at BIGINT)`;

type Exec = (sql: string, values?: unknown[]) => Promise<void>;

const withTasks: Array<[string, () => Promise<{ store: WebhookStore; exec: Exec; done(): Promise<void> }>]> = [
  [
    'sqlite',
    async () => {
      const file = join(mkdtempSync(join(tmpdir(), 'hg-wh-')), 'gateway.db');
      const raw = new Database(file);
      raw.exec(TASKS_DDL);
      return { store: new SqliteWebhookStore(file), exec: async (sql, v = []) => void raw.prepare(sql).run(...v), done: async () => void raw.close() };
    },
  ],
  [
    'postgres',
    async () => {
      const url = await db.freshSchemaUrl();
      const raw = new pg.Client({ connectionString: url });
      await raw.connect();
      await raw.query(TASKS_DDL);
      let i = 0;
      const exec: Exec = async (sql, v = []) => void (await raw.query(sql.replace(/\?/g, () => `$${++i}`), v).finally(() => (i = 0)));
      return { store: await PostgresWebhookStore.open({ url }), exec, done: () => raw.end() };
    },
  ],
];

describe.each(withTasks)('WebhookStore start-up sweep (%s)', (_name, make) => {
  it('pages by id the ended tasks with a receiver and no delivery since they ended', async () => {
    const { store: s, exec, done } = await make();
    const task = (id: string, state: string, owner: string | null, createdAt: number, parent: string | null = null) =>
      exec('INSERT INTO tasks (id, state, parent_id, owner, created_at, updated_at, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [id, state, parent, owner, createdAt, 200, state === 'queued' ? null : 200]);
    await task('a', 'completed', 'k1', 100);
    await task('b', 'completed', 'k1', 100); // answered: a delivery recorded after it ended
    await task('c', 'queued', 'k1', 100); // not ended
    await task('d', 'completed', 'k2', 100);
    await task('e', 'failed', null, 100);
    await task('f', 'completed', 'k1', 10); // created before the window
    await task('g', 'completed', 'k1', 100, 'a'); // a segment: reports through its parent
    await task('h', 'canceled', 'k1', 100); // its only delivery is from an earlier end
    for (const id of ['a', 'b', 'c', 'f', 'g', 'h']) await s.saveCallback(id, `https://cb.example/${id}`, 100);
    await s.enqueue([delivery('db', { taskId: 'b' })], 250);
    await s.enqueue([delivery('dh', { taskId: 'h' })], 150);
    const page = (source: 'callbacks' | 'owners', owners: Array<string | null>, afterId: string, limit = 10) => s.endedWithoutDelivery({ source, owners, from: 50, afterId, limit });
    expect(await page('callbacks', [], '')).toEqual(['a', 'h']);
    expect(await page('callbacks', [], '', 1)).toEqual(['a']);
    expect(await page('callbacks', [], 'a', 1)).toEqual(['h']);
    expect(await page('callbacks', [], 'h', 1)).toEqual([]);
    expect(await page('owners', ['k2', null], '')).toEqual(['d', 'e']);
    expect(await page('owners', ['k1'], '')).toEqual(['a', 'h']);
    expect(await page('owners', [null], 'e')).toEqual([]);
    expect(await page('owners', [], '')).toEqual([]);
    await s.close();
    await done();
  });
});
