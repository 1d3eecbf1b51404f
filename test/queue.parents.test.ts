/**
 * Honest parents (docs/api.md, "Queue"): a long script counts once in `queue_size` and in
 * queue positions, whatever the number of parts it was cut into; its parts are listed under it
 * in /api/queue and in its status, never as entries of their own.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from './helpers/gateway.js';

const EN = Array.from({ length: 9 }, (_, i) => `Part ${i + 1} of the lesson explains one idea, and then it stops.`).join(' ');
const ZH = Array.from({ length: 9 }, (_, i) => `第${i + 1}部分讲一个道理，这款手机售价2999元，比去年便宜了20%。`).join('');

let t: TestGateway | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function generate(url: string, text: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${url}/api/generate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) });
  expect(res.status).toBe(202);
  return (await res.json()) as Record<string, unknown>;
}

const get = async (url: string, path: string) => (await (await fetch(`${url}${path}`)).json()) as Record<string, unknown>;

describe('queue positions count submissions, not parts', () => {
  it('a long script (English or Chinese) counts once; its parts show under it in the queue and in its status', async () => {
    // The scheduler is off: everything stays queued while the answers are read.
    t = await startTestGateway({ preview: { slots: 3 }, segments: { targetSeconds: 6 }, scheduler: { enabled: false }, checks: { face: 'off' } });
    const en = await generate(t.url, EN);
    const zh = await generate(t.url, ZH);
    const short = await generate(t.url, 'One short sentence.');
    expect([en.queue_position, zh.queue_position, short.queue_position]).toEqual([1, 2, 3]);

    const queue = await get(t.url, '/api/queue');
    expect(queue.queue_size).toBe(3);
    const entries = queue.queue as Array<Record<string, unknown>>;
    expect(entries.map((e) => [e.task_id, e.position])).toEqual([[en.task_id, 1], [zh.task_id, 2], [short.task_id, 3]]);
    for (const e of entries.slice(0, 2)) {
      const parts = e.parts as Array<{ index: number; task_id: string }>;
      expect(e.segment_count).toBeGreaterThanOrEqual(2);
      expect(parts.map((p) => p.index)).toEqual(Array.from({ length: e.segment_count as number }, (_, i) => i));
    }
    expect(entries[2]).toMatchObject({ segment_count: null, parts: null });

    const parent = await get(t.url, `/api/status/${zh.task_id}`);
    expect(parent).toMatchObject({ queue_position: 2, language: 'zh', status: 'queued' });
    const segments = parent.segments as Array<{ task_id: string }>;
    expect(segments).toHaveLength(parent.segment_count as number);
    // A part answers its parent's place; the short task behind both scripts is third, not 2 + parts.
    expect(await get(t.url, `/api/status/${segments[1].task_id}`)).toMatchObject({ queue_position: 2 });
    expect(await get(t.url, `/api/status/${short.task_id}`)).toMatchObject({ queue_position: 3 });
  });
});
