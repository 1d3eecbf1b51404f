/**
 * Record retention on a TaskStore adapter (store/record-prune.ts): pruning old task records
 * leaves no row behind that named them — events, segments, publications, publish requests,
 * webhook deliveries and attempts, callback URLs, library links, batch rows — and touches
 * nothing that is recent, active or still needed. Side rows are written with plain SQL (the
 * tables belong to other features' stores); `sql` takes `?` placeholders on both databases.
 */
import { describe, expect, it } from 'vitest';
import type { TaskState } from '../../src/domain/task.js';
import type { TaskStore } from '../../src/store/task-store.js';

export interface PruneFixture {
  store: TaskStore;
  sql(text: string, args?: unknown[]): Promise<Array<Record<string, unknown>>>;
}

/** Rows that name something that is gone: each query must count 0 after pruning. */
export const ORPHAN_QUERIES: Record<string, string> = {
  task_events: 'SELECT COUNT(*) AS n FROM task_events e WHERE NOT EXISTS (SELECT 1 FROM tasks t WHERE t.id = e.task_id)',
  segments: 'SELECT COUNT(*) AS n FROM tasks c WHERE c.parent_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM tasks p WHERE p.id = c.parent_id)',
  publications: 'SELECT COUNT(*) AS n FROM publications x WHERE NOT EXISTS (SELECT 1 FROM tasks t WHERE t.id = x.task_id)',
  publish_requests: 'SELECT COUNT(*) AS n FROM publish_requests x WHERE NOT EXISTS (SELECT 1 FROM tasks t WHERE t.id = x.task_id)',
  webhook_deliveries: 'SELECT COUNT(*) AS n FROM webhook_deliveries x WHERE x.task_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.id = x.task_id)',
  webhook_attempts: 'SELECT COUNT(*) AS n FROM webhook_attempts a WHERE NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.id = a.delivery_id)',
  webhook_callbacks: 'SELECT COUNT(*) AS n FROM webhook_callbacks x WHERE NOT EXISTS (SELECT 1 FROM tasks t WHERE t.id = x.task_id)',
  library_task_inputs: 'SELECT COUNT(*) AS n FROM library_task_inputs x WHERE NOT EXISTS (SELECT 1 FROM tasks t WHERE t.id = x.task_id)',
  template_task_uses: 'SELECT COUNT(*) AS n FROM template_task_uses x WHERE NOT EXISTS (SELECT 1 FROM tasks t WHERE t.id = x.task_id)',
  // A batch row may outlive its task (reported as expired) only while the batch has a task left.
  batch_rows: 'SELECT COUNT(*) AS n FROM batch_rows r WHERE NOT EXISTS (SELECT 1 FROM batch_rows r2 JOIN tasks t ON t.id = r2.task_id WHERE r2.batch_id = r.batch_id)',
  batches: 'SELECT COUNT(*) AS n FROM batches b WHERE NOT EXISTS (SELECT 1 FROM batch_rows r WHERE r.batch_id = b.id)',
};

export async function countOrphans(f: PruneFixture): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const [name, q] of Object.entries(ORPHAN_QUERIES)) out[name] = Number((await f.sql(q))[0].n);
  return out;
}

let seq = 0;
const tid = (label: string) => `t-${label}-${++seq}`;

/** A task in `state`, finished (or last updated) at `at`, with every kind of side row. */
export async function addTaskWithSideRows(f: PruneFixture, o: { state: TaskState; at: number; parentId?: string; segmentCount?: number; label?: string; batchId?: string }): Promise<string> {
  const id = tid(o.label ?? o.state);
  await f.store.create({ id, text: `text of ${id}`, createdAt: 0, parentId: o.parentId, segmentIndex: o.parentId ? seq : undefined, segmentCount: o.segmentCount });
  const final = o.state === 'completed' || o.state === 'failed' || o.state === 'canceled';
  await f.sql('UPDATE tasks SET state = ?, updated_at = ?, finished_at = ? WHERE id = ?', [o.state, o.at, final ? o.at : null, id]);
  await f.sql("INSERT INTO task_events (task_id, at, state) VALUES (?, ?, 'queued')", [id, o.at]);
  await f.sql("INSERT INTO publish_requests (task_id, targets, created_at, planned) VALUES (?, 's3', ?, 1)", [id, o.at]);
  await f.sql("INSERT INTO publications (task_id, target, type, state, created_at, updated_at) VALUES (?, 's3', 's3', 'done', ?, ?)", [id, o.at, o.at]);
  await f.sql("INSERT INTO webhook_callbacks (task_id, url, created_at) VALUES (?, 'http://127.0.0.1:9/cb', ?)", [id, o.at]);
  await f.sql(
    `INSERT INTO webhook_deliveries (id, event_id, event_type, task_id, url, body, state, next_attempt_at, created_at, updated_at)
     VALUES (?, ?, 'task.completed', ?, 'http://127.0.0.1:9/cb', '{}', 'delivered', 0, ?, ?)`,
    [`d-${id}`, `e-${id}`, id, o.at, o.at],
  );
  await f.sql('INSERT INTO webhook_attempts (delivery_id, attempt, started_at, duration_ms, status) VALUES (?, 1, ?, 5, 200)', [`d-${id}`, o.at]);
  await f.sql("INSERT INTO library_task_inputs (task_id, avatar_id, voice_id, created_at) VALUES (?, 'av-1', 'vo-1', ?)", [id, o.at]);
  await f.sql("INSERT INTO template_task_uses (task_id, template_id, template_version, created_at) VALUES (?, 'tp-1', 2, ?)", [id, o.at]);
  await f.sql("INSERT INTO usage_records (task_id, part, owner, at, video_sec, tts_sec, render_sec) VALUES (?, 'a1', NULL, ?, 1, 1, 1)", [id, o.at]);
  if (o.batchId) {
    const n = Number((await f.sql('SELECT COUNT(*) AS n FROM batch_rows WHERE batch_id = ?', [o.batchId]))[0].n);
    if (n === 0) await f.sql("INSERT INTO batches (id, created_at, row_count, defaults) VALUES (?, 0, 1, '{}')", [o.batchId]);
    await f.sql('INSERT INTO batch_rows (batch_id, row_index, task_id) VALUES (?, ?, ?)', [o.batchId, n, id]);
  }
  return id;
}

async function addTasklessDelivery(f: PruneFixture, id: string, state: string, at: number): Promise<void> {
  await f.sql(
    `INSERT INTO webhook_deliveries (id, event_id, event_type, task_id, url, body, state, next_attempt_at, created_at, updated_at)
     VALUES (?, ?, 'batch.completed', NULL, 'http://127.0.0.1:9/cb', '{}', ?, 0, ?, ?)`,
    [id, `e-${id}`, state, at, at],
  );
  await f.sql('INSERT INTO webhook_attempts (delivery_id, attempt, started_at, duration_ms, status) VALUES (?, 1, ?, 5, 200)', [id, at]);
}

export function describeRecordPruneConformance(name: string, makeFixture: () => Promise<PruneFixture>): void {
  describe(`record retention conformance: ${name}`, () => {
    it('prunes old tasks with every row they left behind, in batches, and keeps what is recent, active or still needed', async () => {
      const f = await makeFixture();
      const OLD = 1000;
      const NEW = 9000;
      const before = 5000;
      // Gone: plain old tasks (one the last of its batch), a long script with its segments, an orphan segment.
      const oldA = await addTaskWithSideRows(f, { state: 'completed', at: OLD, batchId: 'b-kept' });
      const oldB = await addTaskWithSideRows(f, { state: 'failed', at: OLD, batchId: 'b-gone' });
      const parent = await addTaskWithSideRows(f, { state: 'completed', at: OLD, segmentCount: 2, label: 'parent' });
      const segs = [await addTaskWithSideRows(f, { state: 'completed', at: OLD, parentId: parent }), await addTaskWithSideRows(f, { state: 'completed', at: OLD, parentId: parent })];
      const orphan = await addTaskWithSideRows(f, { state: 'canceled', at: OLD, parentId: 'never-existed' });
      await addTasklessDelivery(f, 'd-old-delivered', 'delivered', OLD);
      // Kept: recent; queued; a long script with a segment still rendering (and its final segment);
      // an old final segment of a recent parent; an old task-less delivery still pending.
      const recent = await addTaskWithSideRows(f, { state: 'completed', at: NEW, batchId: 'b-kept' });
      const queued = await addTaskWithSideRows(f, { state: 'queued', at: OLD });
      const busyParent = await addTaskWithSideRows(f, { state: 'failed', at: OLD, segmentCount: 2, label: 'busy' });
      const busySegs = [await addTaskWithSideRows(f, { state: 'rendering', at: OLD, parentId: busyParent }), await addTaskWithSideRows(f, { state: 'completed', at: OLD, parentId: busyParent })];
      const youngParent = await addTaskWithSideRows(f, { state: 'completed', at: NEW, segmentCount: 1, label: 'young' });
      const youngSeg = await addTaskWithSideRows(f, { state: 'completed', at: OLD, parentId: youngParent });
      await addTasklessDelivery(f, 'd-old-pending', 'pending', OLD);

      // One top-level task per batch: the pass needs several batches, each complete in itself.
      const totals: Record<string, number> = {};
      let batches = 0;
      for (;;) {
        const r = await f.store.purgeFinished(before, 1);
        const rows = Object.values(r).reduce((a, b) => a + b, 0);
        if (rows === 0) break;
        batches++;
        for (const [k, v] of Object.entries(r)) totals[k] = (totals[k] ?? 0) + v;
        expect(r.tasks).toBeLessThanOrEqual(3); // one top-level task, with its segments
      }
      expect(batches).toBeGreaterThanOrEqual(4);

      for (const id of [oldA, oldB, parent, ...segs, orphan]) expect(await f.store.get(id), id).toBeUndefined();
      for (const id of [recent, queued, busyParent, ...busySegs, youngParent, youngSeg]) expect(await f.store.get(id), id).toBeDefined();
      expect(await countOrphans(f)).toEqual(Object.fromEntries(Object.keys(ORPHAN_QUERIES).map((k) => [k, 0])));

      // 6 tasks with one row in each side table; one more delivery (and its attempt) had no task.
      expect(totals).toMatchObject({
        tasks: 6,
        task_events: 12, // create's own event and the one added here
        publications: 6,
        publish_requests: 6,
        webhook_callbacks: 6,
        library_task_inputs: 6,
        template_task_uses: 6,
        webhook_deliveries: 7,
        webhook_attempts: 7,
        batch_rows: 1,
        batches: 1,
      });
      // The batch with a recent task keeps both rows (the pruned one is reported as expired).
      expect(Number((await f.sql("SELECT COUNT(*) AS n FROM batch_rows WHERE batch_id = 'b-kept'"))[0].n)).toBe(2);
      expect((await f.sql("SELECT id FROM webhook_deliveries WHERE task_id IS NULL")).map((r) => r.id)).toEqual(['d-old-pending']);
      expect((await f.store.purgeFinished(before, 500)).tasks).toBe(0);
      // Usage rows outlive their tasks: a month's usage never shrinks with retention.
      expect(Number((await f.sql('SELECT COUNT(*) AS n FROM usage_records'))[0].n)).toBe(13);
      await f.store.close();
    });
  });
}
