/**
 * Several gateway nodes on one PostgreSQL database (docs/lifecycle.md, docs/postgres.md):
 *  - two real `serve` processes, each with its own slots on protocol-exact fake containers;
 *    one is killed with SIGKILL while it renders and stays dead: every task still completes
 *    exactly once, on the survivor, after the lease expires; the dead node's container output
 *    is never copied; the killed node then rejoins cleanly;
 *  - kill -9 and restart within the lease: the render is re-attached, submitted once;
 *  - server-sent events on one node show a task that runs on another;
 *  - 1,000 submissions over two nodes: none lost or duplicated, same positions on both.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSimulatedFarm } from '../src/simulate/simulate.js';
import { InertMedia, scriptedSlots } from './doubles/scripted-engines.js';
import { PostgresTaskStore } from '../src/store/postgres.adapter.js';
import { FAST_HEYGEM, getStatus, startTestGateway, submit, waitFinal, waitFor, type TestGateway } from './helpers/gateway.js';
import { createTestDatabase, type TestDatabase } from './helpers/postgres.js';
import { freePort, startServeKilledOnCleanup, writeConfig, type ServeProcess } from './helpers/process.js';
import { slotsOf } from './helpers/farm.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
}, 60_000);
afterAll(async () => db?.drop());

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
});

const serve = (config: string, port: number): Promise<ServeProcess> => startServeKilledOnCleanup(cleanups, config, port);

async function inProcess(url: string, inline: Record<string, unknown>, slots: number): Promise<TestGateway> {
  const t = await startTestGateway(
    { store: { driver: 'postgres', url }, scheduler: { retryBaseDelayMs: 5, heartbeatMs: 100, reapIntervalMs: 100, leaseMs: 2000, ...(inline.scheduler as object) }, checks: { output: { enabled: false } }, ...inline },
    { slotEngines: scriptedSlots(slots, { ttsMs: 2, renderMs: 5 }, { events: [] }), media: new InertMedia() },
  );
  cleanups.push(() => t.close());
  return t;
}

/** A two-node deployment on one database, sharing the data dir (as nodes must until remote runners). */
async function twoNodes(opts: { renderMs: number; leaseMs: number }) {
  const dir = mkdtempSync(join(tmpdir(), 'hg-cluster-'));
  const farm = await startSimulatedFarm({ gpus: 4, baseDir: join(dir, 'farm'), host: '127.0.0.1', renderMs: opts.renderMs, ttsMs: 100 });
  cleanups.push(() => farm.close());
  const url = await db.freshSchemaUrl();
  const slotCfg = (ids: number[]) => slotsOf({ slots: ids.map((id) => farm.slots[id]) });
  const node = async (name: string, ids: number[]) => {
    const port = await freePort();
    const config = writeConfig(mkdtempSync(join(dir, `${name}-`)), {
      server: { host: '127.0.0.1', port },
      dataDir: join(dir, 'data'),
      engine: 'heygem',
      slots: slotCfg(ids),
      heygem: FAST_HEYGEM,
      store: { driver: 'postgres', url },
      node: { id: name },
      scheduler: { retryBaseDelayMs: 20, healthProbeIntervalMs: 200, leaseMs: opts.leaseMs, heartbeatMs: Math.round(opts.leaseMs / 6), reapIntervalMs: Math.round(opts.leaseMs / 6), maxAttempts: 4 },
    });
    return { config, port };
  };
  return { farm, dir, url, a: await node('node-a', [0, 1]), b: await node('node-b', [2, 3]) };
}

describe('two nodes on one PostgreSQL', () => {
  it('kill -9 one node for good while it renders: every task completes exactly once on the other; the dead node’s results are never copied; it rejoins cleanly', async () => {
    const leaseMs = 3000;
    const { farm, a, b, url } = await twoNodes({ renderMs: 1500, leaseMs });
    const nodeA = await serve(a.config, a.port);
    const nodeB = await serve(b.config, b.port);
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push(String((await submit(i % 2 ? nodeB.url : nodeA.url, `Cluster task ${i}.`)).body.task_id));
    // Wait until node A has renders in its containers, then kill it for good.
    const onA = await waitFor(async () => {
      const all = await Promise.all(ids.map((id) => getStatus(nodeB.url, id)));
      const rendering = all.filter((s) => s.phase === 'rendering' && (s.gpu_id === 0 || s.gpu_id === 1));
      return rendering.length ? rendering.map((s) => String(s.task_id)) : undefined;
    }, 30_000, 20);
    const killedAt = Date.now();
    nodeA.child.kill('SIGKILL');
    await nodeA.exited;
    const submitsOnA = () => farm.slots[0].video.stats().submits + farm.slots[1].video.stats().submits;
    const aSubmitsAtKill = submitsOnA();

    const finals = await Promise.all(ids.map((id) => waitFinal(nodeB.url, id, 120_000)));
    expect(finals.map((s) => s.status)).toEqual(ids.map(() => 'completed'));
    const store = await PostgresTaskStore.connect({ url, nodeId: 'inspector' });
    cleanups.push(() => store.close());
    const failover: number[] = [];
    for (const id of ids) {
      const events = await store.events(id);
      expect(events.filter((e) => e.state === 'completed'), id).toHaveLength(1);
      const done = events.find((e) => e.state === 'completed')!;
      if (onA.includes(id)) {
        // Its render on node A belonged to an attempt that died with A: the result came from a
        // later attempt on B's GPUs, never from A's container.
        expect([2, 3]).toContain(done.slotId);
        const dead = events.find((e) => e.state === 'rendering' && (e.slotId === 0 || e.slotId === 1))!;
        expect(done.attempt).toBeGreaterThan(dead.attempt);
        expect(events.some((e) => e.errorCode === 'lease_expired' && e.attempt === dead.attempt)).toBe(true);
        const next = events.find((e) => e.state === 'preparing' && e.attempt === dead.attempt + 1)!;
        failover.push(next.at - killedAt);
      }
    }
    // Nothing more was submitted to the dead node's containers after the kill.
    expect(submitsOnA()).toBe(aSubmitsAtKill);
    process.stdout.write(`failover (kill → next attempt claimed), lease ${leaseMs} ms: ${failover.map((ms) => `${ms} ms`).join(', ')}\n`);
    for (const ms of failover) expect(ms).toBeGreaterThan(0);

    // A rejoins under the same name: its slots register again, and it takes work.
    const again = await serve(a.config, a.port);
    const q = (await (await fetch(`${nodeB.url}/api/queue`)).json()) as { gpus: Record<string, unknown> };
    expect(Object.keys(q.gpus).sort()).toEqual(['0', '1', '2', '3']);
    const more: string[] = [];
    for (let i = 0; i < 4; i++) more.push(String((await submit(again.url, `After rejoin ${i}.`)).body.task_id));
    for (const id of more) expect((await waitFinal(again.url, id, 60_000)).status).toBe('completed');
  }, 240_000);

  it('kill -9 and restart within the lease: the running render is re-attached and rendered once', async () => {
    const { farm, a } = await twoNodes({ renderMs: 2500, leaseMs: 30_000 });
    const first = await serve(a.config, a.port);
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push(String((await submit(first.url, `Reattach ${i}.`)).body.task_id));
    await waitFor(async () => (await Promise.all(ids.map((id) => getStatus(first.url, id)))).some((s) => s.phase === 'rendering'), 30_000, 20);
    first.child.kill('SIGKILL');
    await first.exited;
    const second = await serve(a.config, a.port);
    const finals = await Promise.all(ids.map((id) => waitFinal(second.url, id, 90_000)));
    expect(finals.map((s) => s.status)).toEqual(ids.map(() => 'completed'));
    expect(farm.slots[0].video.stats().submits + farm.slots[1].video.stats().submits).toBe(4);
  }, 180_000);
});

describe('events and positions across nodes', () => {
  it('server-sent events on node B show a task that runs and completes on node A', async () => {
    const url = await db.freshSchemaUrl();
    const a = await inProcess(url, { node: { id: 'a' } }, 1);
    const b = await inProcess(url, { node: { id: 'b' }, scheduler: { enabled: false } }, 0);
    const ctrl = new AbortController();
    const res = await fetch(`${b.url}/api/events`, { signal: ctrl.signal });
    const reader = res.body!.getReader();
    const seen: Array<Record<string, unknown>> = [];
    let buf = '';
    const id = String((await submit(a.url, 'seen from afar')).body.task_id);
    const decoder = new TextDecoder();
    const deadline = Date.now() + 30_000;
    while (!seen.some((e) => e.task_id === id && e.status === 'completed') && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += decoder.decode(value, { stream: true });
      for (let i = buf.indexOf('\n\n'); i >= 0; i = buf.indexOf('\n\n')) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (block.startsWith('event: task') && data) seen.push(JSON.parse(data) as Record<string, unknown>);
      }
    }
    ctrl.abort();
    const mine = seen.filter((e) => e.task_id === id);
    expect(mine.map((e) => e.status)).toContain('completed');
    expect(mine.find((e) => e.status === 'completed')?.gpu_id).toBe(0);
    // B's farm view lists A's slot with its node
    const q = (await (await fetch(`${b.url}/api/queue`)).json()) as { gpus: Record<string, { node?: string }> };
    expect(q.gpus['0']?.node).toBe('a');
  });

  it('1,000 submissions over two nodes: none lost or duplicated; both nodes agree on every position', async () => {
    const url = await db.freshSchemaUrl();
    const a = await inProcess(url, { node: { id: 'a' }, scheduler: { enabled: false }, rateLimit: { submitsPerMinutePerIp: 0 } }, 0);
    const b = await inProcess(url, { node: { id: 'b' }, scheduler: { enabled: false }, rateLimit: { submitsPerMinutePerIp: 0 } }, 0);
    const N = 1000;
    const ids = await Promise.all(
      Array.from({ length: N }, async (_, i) => {
        const r = await fetch(`${(i % 2 ? b : a).url}/api/generate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: `Task ${i}` }) });
        expect(r.status).toBe(202);
        return String(((await r.json()) as { task_id: string }).task_id);
      }),
    );
    expect(new Set(ids).size).toBe(N);
    const positions = async (t: TestGateway) => Promise.all(ids.map(async (id) => Number((await getStatus(t.url, id)).queue_position)));
    const [pa, pb] = [await positions(a), await positions(b)];
    expect(pa).toEqual(pb);
    expect([...pa].sort((x, y) => x - y)).toEqual(Array.from({ length: N }, (_, i) => i + 1));
    // A worker node drains the queue: each task completes exactly once.
    const w = await inProcess(url, { node: { id: 'w' } }, 4);
    await waitFor(async () => (await w.gw.store.countByState()).completed === N, 120_000, 200);
    const counts = await w.gw.store.countByState();
    expect(counts).toEqual({ completed: N });
  }, 180_000);
});
