/**
 * Load: 1,000 tasks submitted at once over real HTTP (loopback) to a gateway with 4 in-process
 * scripted slots (short engine times). All complete, every status read is self-consistent and
 * never goes backwards, and memory stays bounded. Bounded in count and time.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { TestGateway } from './helpers/gateway.js';
import { scriptedGateway } from './helpers/scripted.js';

const N = 1000;
let t: TestGateway | undefined;
afterAll(async () => t?.close());

const ORDER: Record<string, number> = { queued: 0, preprocessing: 1, reserved: 2, processing: 3, completed: 4 };

function checkConsistent(s: Record<string, unknown>): void {
  expect(Object.keys(ORDER)).toContain(s.status);
  if (s.status === 'queued') expect(s.queue_position).toBeGreaterThanOrEqual(1);
  else expect(s.queue_position).toBeNull();
  if (s.status === 'completed') {
    expect(s.progress).toBe(100);
    expect(s.result_url).toBe(`/outputs/${s.task_id}.mp4`);
    expect(s.error).toBeNull();
  } else {
    expect(s.result_url).toBeNull();
    expect(Number(s.progress)).toBeLessThan(100);
  }
}

describe('load', () => {
  it(`accepts and completes ${N} concurrent tasks with consistent status reads and bounded memory`, async () => {
    ({ t } = await scriptedGateway({ rateLimit: { submitsPerMinutePerIp: 0 } }, { slots: 4, script: { ttsMs: 1, renderMs: 2 } }));
    const url = t.url;
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const created = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        fetch(`${url}/api/generate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: `Load task ${i}: $x^2$` }) }).then(async (r) => {
          expect(r.status).toBe(202);
          return ((await r.json()) as { task_id: string }).task_id;
        }),
      ),
    );
    expect(new Set(created).size).toBe(N);
    // Read statuses while the farm works through the queue: consistent, never backwards.
    const last = new Map<string, number>();
    const pending = new Set(created);
    const deadline = Date.now() + 240_000; // a bound for a loaded 2-core machine, not a speed check (bench/ measures speed)
    while (pending.size && Date.now() < deadline) {
      const batch = [...pending].slice(0, 200);
      const reads = await Promise.all(batch.map((id) => fetch(`${url}/api/status/${id}`).then((r) => r.json() as Promise<Record<string, unknown>>)));
      for (const s of reads) {
        checkConsistent(s);
        const id = String(s.task_id);
        const rank = ORDER[String(s.status)];
        expect(rank).toBeGreaterThanOrEqual(last.get(id) ?? 0);
        last.set(id, rank);
        if (s.status === 'completed') pending.delete(id);
      }
    }
    expect(pending.size).toBe(0);
    const q = (await (await fetch(`${url}/api/queue`)).json()) as { queue_size: number; gpus: Record<string, { busy: boolean }> };
    expect(q.queue_size).toBe(0);
    const { total } = await t.gw.store.list({ states: ['completed'] });
    expect(total).toBe(N);
    global.gc?.();
    const grownMiB = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024;
    expect(grownMiB).toBeLessThan(256);
  }, 300_000);
});
