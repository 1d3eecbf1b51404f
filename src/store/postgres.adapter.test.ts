import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTaskId } from '../domain/ids.js';
import { createTestDatabase, waitFor, type TestDatabase } from '../../test/helpers/postgres.js';
import { PostgresTaskStore, type PostgresStoreOptions } from './postgres.adapter.js';
import { SCHEMA_VERSION } from './postgres.schema.js';
import { describeTaskStoreConformance } from '../../test/conformance/task-store.conformance.js';
import { describeRecordPruneConformance } from '../../test/conformance/record-prune.conformance.js';

let db: TestDatabase;
const opened: PostgresTaskStore[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
}, 120_000);

afterAll(async () => {
  await Promise.all(opened.map((s) => s.close()));
  await db?.drop();
}, 120_000);

async function open(url: string, o: Partial<PostgresStoreOptions> = {}): Promise<PostgresTaskStore> {
  const s = await PostgresTaskStore.connect({ url, poolSize: 3, ...o });
  opened.push(s);
  return s;
}

describeTaskStoreConformance('postgres', async () => open(await db.freshSchemaUrl()));
describeRecordPruneConformance('postgres', async () => {
  const store = await open(await db.freshSchemaUrl());
  const sql = async (text: string, args: unknown[] = []) => {
    let n = 0;
    return (await store.pool.query(text.replace(/\?/g, () => `$${++n}`), args)).rows as Array<Record<string, unknown>>;
  };
  return { store, sql };
});

describe('PostgresTaskStore across nodes', () => {
  it('4 stores (separate pools, like 4 nodes) claiming 200 tasks concurrently take each exactly once', async () => {
    const url = await db.freshSchemaUrl();
    const nodes = await Promise.all([0, 1, 2, 3].map((i) => open(url, { nodeId: `claim-${i}`, listen: false })));
    const ids: string[] = [];
    for (let i = 0; i < 200; i++) ids.push((await nodes[i % 4].create({ id: newTaskId(1000 + i), text: `t${i}`, createdAt: 1000 + i })).id);
    const claimed: Array<{ id: string; node: number; attempt: number }> = [];
    // three claim loops per node: more claimers than pooled connections, all at once
    const loop = async (n: number) => {
      for (;;) {
        const t = await nodes[n].claimNext({ slotId: n, holder: `claim-${n}`, now: 10_000, leaseMs: 30_000 });
        if (!t) return;
        claimed.push({ id: t.id, node: n, attempt: t.attempt });
      }
    };
    await Promise.all([0, 1, 2, 3].flatMap((n) => [loop(n), loop(n), loop(n)]));
    expect(claimed).toHaveLength(200);
    expect(new Set(claimed.map((c) => c.id))).toEqual(new Set(ids));
    expect(claimed.every((c) => c.attempt === 1)).toBe(true);
    expect(await nodes[0].queueSize()).toBe(0);
    expect(await nodes[1].countByState()).toEqual({ preparing: 200 });
    const held = await Promise.all(nodes.map((s, n) => s.listHeldBy(`claim-${n}`)));
    expect(held.reduce((a, h) => a + h.length, 0)).toBe(200);
    // one 'preparing' event per task: no claim was applied twice
    const [{ n }] = await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${new URL(url).searchParams.get('options')!.split('=')[1]}.task_events WHERE state = 'preparing'`);
    expect(Number(n)).toBe(200);
  }, 120_000);

  it('each store hears the other stores’ changes, never its own', async () => {
    const url = await db.freshSchemaUrl();
    const a = await open(url, { nodeId: 'node-a' });
    const b = await open(url, { nodeId: 'node-b' });
    const heardA: string[] = [];
    const heardB: string[] = [];
    a.onRemoteChange((id) => heardA.push(id));
    const off = b.onRemoteChange((id) => heardB.push(id));
    const t1 = await a.create({ id: newTaskId(), text: 'from a', createdAt: 1 });
    await waitFor(async () => heardB.includes(t1.id));
    const claimed = await a.claimNext({ slotId: 0, holder: 'node-a', now: 2, leaseMs: 1000 });
    expect(await a.patch(t1.id, { attempt: claimed!.attempt, token: claimed!.leaseToken! }, { engineProgress: 5 }, 3)).toBe(true);
    await waitFor(async () => heardB.filter((id) => id === t1.id).length >= 3); // create, claim, patch
    const t2 = await b.create({ id: newTaskId(), text: 'from b', createdAt: 4 });
    await waitFor(async () => heardA.includes(t2.id));
    // a's own notifications (sent before t2's) reached a's connection first and were dropped
    expect(heardA).toEqual([t2.id]);
    expect(heardB).not.toContain(t2.id);
    off();
    await a.create({ id: newTaskId(), text: 'after off', createdAt: 5 });
    const t4 = await a.create({ id: newTaskId(), text: 'to a', createdAt: 6 });
    const seenBefore = heardB.length;
    await b.transition(t4.id, { from: 'queued' }, 'canceled', { finishedAt: 7 }, 7);
    await waitFor(async () => heardA.includes(t4.id));
    expect(heardB).toHaveLength(seenBefore);
  }, 60_000);

  it('a killed LISTEN connection reconnects and notifications resume; a killed pooled connection is replaced', async () => {
    const url = await db.freshSchemaUrl();
    const a = await open(url, { nodeId: 'kill-a' });
    const b = await open(url, { nodeId: 'kill-b' });
    const heard: string[] = [];
    let resyncs = 0;
    a.onRemoteChange((id) => heard.push(id));
    a.onResync(() => resyncs++);
    const killed = await db.query<{ ok: boolean }>(`SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = 'heygem-listen:kill-a'`);
    expect(killed).toEqual([{ ok: true }]);
    await waitFor(async () => a.listenerReconnects >= 1 && a.listening);
    expect(resyncs).toBe(1);
    // keep writing until one arrives: a notification sent while it was down is lost by design
    await waitFor(async () => {
      const t = await b.create({ id: newTaskId(), text: 'after kill', createdAt: 1 });
      return waitFor(async () => heard.includes(t.id), 2000).catch(() => false);
    }, 30_000, 10);
    // the pool's connections die too: the next queries run on fresh ones
    await db.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'heygem:kill-a'`);
    await waitFor(async () => (await a.queueSize().catch(() => -1)) >= 1, 30_000);
    expect(a.listening).toBe(true);
  }, 90_000);

  it('two stores registering the same new slots at once: exactly one gets them', async () => {
    const url = await db.freshSchemaUrl();
    const [a, b] = await Promise.all([open(url, { listen: false }), open(url, { listen: false })]);
    const [ra, rb] = await Promise.all([a.registerSlots('node-a', [0, 1, 2], 1000, 10_000), b.registerSlots('node-b', [2, 3, 1], 1000, 10_000)]);
    expect([ra.length === 0, rb.length === 0].filter(Boolean)).toHaveLength(1);
    const winner = ra.length === 0 ? 'node-a' : 'node-b';
    const rows = await a.listSlots();
    expect(new Set(rows.map((r) => r.nodeId))).toEqual(new Set([winner]));
    expect((ra.length ? ra : rb).every((c) => c.nodeId === winner)).toBe(true);
  }, 30_000);
});

describe('PostgreSQL schema migrations', () => {
  it('two nodes starting together migrate once; a newer schema is refused with a clear error', async () => {
    const url = await db.freshSchemaUrl();
    await Promise.all([open(url, { listen: false }), open(url, { listen: false }), open(url, { listen: false })]);
    const schema = new URL(url).searchParams.get('options')!.split('=')[1];
    // one row per migration, each applied once, up to the latest
    expect(await db.query(`SELECT version FROM ${schema}.schema_version ORDER BY version`)).toEqual(Array.from({ length: SCHEMA_VERSION }, (_, i) => ({ version: i + 1 })));
    await db.query(`INSERT INTO ${schema}.schema_version (version, applied_at) VALUES (${SCHEMA_VERSION + 1}, 0)`);
    await expect(PostgresTaskStore.connect({ url, listen: false })).rejects.toThrow(`schema version ${SCHEMA_VERSION + 1} is newer than this gateway understands (${SCHEMA_VERSION})`);
  }, 60_000);

  it('refuses a URL it cannot reach with the connection error, not a hang', async () => {
    await expect(PostgresTaskStore.connect({ url: 'postgres://postgres@127.0.0.1:1/none', listen: false })).rejects.toThrow(/ECONNREFUSED/);
  });
});
