/**
 * Idempotency and batches across two gateway nodes on one PostgreSQL database: the same
 * Idempotency-Key sent to both nodes at once creates exactly one task (the database's primary
 * key decides, not a lock in either process); a batch made on one node is read and canceled
 * on the other.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './helpers/postgres.js';
import { scriptedGatewaysClosedAfterEach } from './helpers/scripted.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
}, 60_000);
afterAll(async () => db?.drop());

const gateway = scriptedGatewaysClosedAfterEach();
type Body = Record<string, any>;

async function twoNodes(): Promise<[string, string]> {
  const url = await db.freshSchemaUrl();
  const node = (id: string) => gateway({ store: { driver: 'postgres', url }, node: { id }, scheduler: { enabled: false }, rateLimit: { submitsPerMinutePerKey: 0 } });
  const [a, b] = await Promise.all([node('node-a'), node('node-b')]);
  return [a.t.url, b.t.url];
}

const post = async (url: string, path: string, body: unknown, key?: string): Promise<{ status: number; body: Body }> => {
  const res = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Body };
};

describe('PostgreSQL: idempotency and batches across nodes', () => {
  it('one Idempotency-Key sent to two nodes at once → exactly one task', async () => {
    const [a, b] = await twoNodes();
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => post(i % 2 ? b : a, '/api/generate', { text: 'exactly once' }, 'pg-key-1')));
    expect(answers.map((x) => x.status)).toEqual(Array(6).fill(202));
    expect(new Set(answers.map((x) => x.body.task_id)).size).toBe(1);
    const tasks = (await (await fetch(`${b}/api/tasks`)).json()) as Body;
    expect(tasks.total).toBe(1);
    expect((await post(b, '/api/generate', { text: 'another body' }, 'pg-key-1')).status).toBe(422);
    const batches = await Promise.all([post(a, '/api/batches', { rows: [{ text: 'x' }, { text: 'y' }] }, 'pg-batch'), post(b, '/api/batches', { rows: [{ text: 'x' }, { text: 'y' }] }, 'pg-batch')]);
    expect(batches[0].body.batch_id).toBe(batches[1].body.batch_id);
    expect(((await (await fetch(`${a}/api/tasks`)).json()) as Body).total).toBe(3);
  }, 60_000);

  it('a batch made on one node is read and canceled on the other', async () => {
    const [a, b] = await twoNodes();
    // (avatar/voice ids are checked against the library like generate's: test/batches.test.ts)
    const rows = Array.from({ length: 30 }, (_, i) => ({ text: `row ${i + 1}`, metadata: { n: i + 1 } }));
    const made = await post(a, '/api/batches', { rows });
    expect(made.status).toBe(202);
    const id = made.body.batch_id as string;
    const seen = (await (await fetch(`${b}/api/batches/${id}`)).json()) as Body;
    expect(seen).toMatchObject({ status: 'queued', total: 30, counts: { queued: 30 } });
    expect(seen.rows[0]).toMatchObject({ row: 1, metadata: { n: 1 }, avatar_id: null, voice_id: null });
    expect(seen.rows[29]).toMatchObject({ row: 30, metadata: { n: 30 }, voice_id: null });
    const c = await post(b, `/api/batches/${id}/cancel`, {});
    expect(c.body).toMatchObject({ status: 'canceled', canceled_tasks: 30, counts: { canceled: 30 } });
  }, 60_000);
});
