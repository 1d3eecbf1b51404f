import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/postgres.js';
import { PostgresTaskStore } from '../store/postgres.adapter.js';
import { SqliteTaskStore } from '../store/sqlite.adapter.js';
import type { TaskStore } from '../store/task-store.js';
import { openBatchStore } from './open-batch-store.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
}, 60_000);
afterAll(async () => db?.drop());

const stores: Array<[string, () => Promise<TaskStore>]> = [
  ['sqlite', async () => new SqliteTaskStore(':memory:')],
  ['postgres', async () => PostgresTaskStore.connect({ url: await db.freshSchemaUrl(), listen: false })],
];

describe.each(stores)('BatchStore idempotency keys (%s)', (_name, open) => {
  it('one claim wins; the answer is kept until the key expires, then the key is new again', async () => {
    const tasks = await open();
    const s = openBatchStore(tasks);
    const k = { owner: 'key1', scope: 'generate', key: 'k' };
    const claims = await Promise.all([s.claimKey(k, 'fp', 1000, 500), s.claimKey(k, 'fp', 1000, 500), s.claimKey(k, 'fp', 1000, 500)]);
    expect(claims.filter((c) => c === true)).toHaveLength(1);
    expect(claims.find((c) => c !== true)).toMatchObject({ fingerprint: 'fp', statusCode: null });
    await s.saveAnswer(k, 202, '{"a":1}');
    expect(await s.claimKey(k, 'fp', 1400, 500)).toMatchObject({ statusCode: 202, response: '{"a":1}', expiresAt: 1500 });
    // another owner's scope is separate
    expect(await s.claimKey({ ...k, owner: 'key2' }, 'fp', 1400, 500)).toBe(true);
    // past the TTL the old answer is gone and the key is taken afresh
    expect(await s.claimKey(k, 'other', 1500, 500)).toBe(true);
    await s.releaseKey(k);
    expect(await s.readKey(k)).toBeUndefined();
    expect(await s.purgeExpiredKeys(10_000)).toBe(1); // key2's
    await tasks.close();
  }, 30_000);
});
