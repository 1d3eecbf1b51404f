/** The Redis adapter passes the same conformance suite, against the real Redis on loopback. */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { newTaskId } from '../domain/ids.js';
import { RedisTaskStore } from './redis.adapter.js';
import { describeTaskStoreConformance } from './task-store.conformance.js';

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const made: RedisTaskStore[] = [];
const fresh = () => {
  const s = new RedisTaskStore({ url, prefix: `hgtest-${randomBytes(6).toString('hex')}` });
  made.push(s);
  return s;
};
afterAll(async () => {
  for (const s of made) {
    const cleanup = new RedisTaskStore({ url, prefix: s.prefix });
    await cleanup.flush();
    await cleanup.close();
    await s.close();
  }
});

describeTaskStoreConformance('redis', async () => fresh());

describe('RedisTaskStore across processes', () => {
  it('two stores on one prefix never claim the same task', async () => {
    const a = fresh();
    const prefix = a.prefix;
    const b = new RedisTaskStore({ url, prefix });
    for (let i = 0; i < 40; i++) await a.create({ id: newTaskId(), text: `t${i}`, createdAt: i });
    const claims = await Promise.all(Array.from({ length: 60 }, (_, i) => (i % 2 ? a : b).claimNext(i % 3, 100)));
    const ids = claims.filter(Boolean).map((t) => t!.id);
    expect(ids.length).toBe(40);
    expect(new Set(ids).size).toBe(40);
    await b.close();
  });
});
