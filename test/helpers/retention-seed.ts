/**
 * Many old finished tasks with every kind of side row, written straight into a gateway SQLite
 * file in one transaction (the retention test and bench): each task has an event, a publish
 * request and publication, a webhook delivery with an attempt, a callback URL and a library
 * link; every `segmentEvery`-th task is a long script with 3 segment rows; tasks come in
 * batches of 100. Plus `queued` fresh tasks that retention must leave alone.
 */
import { join } from 'node:path';
import { newTaskId } from '../../src/domain/ids.js';
import { SqliteTaskStore } from '../../src/store/sqlite.adapter.js';

export interface RetentionSeed {
  /** Task rows written that retention should remove (top-level tasks and segments). */
  oldTasks: number;
  queuedIds: string[];
}

export async function seedRetention(dataDir: string, o: { tasks: number; queued: number; finishedAt: number; segmentEvery?: number }): Promise<RetentionSeed> {
  const store = new SqliteTaskStore(join(dataDir, 'gateway.db'));
  const db = store.database;
  const q = (sql: string) => db.prepare(sql);
  const task = q('INSERT INTO tasks (id, state, text, created_at, updated_at, finished_at, parent_id, segment_index, segment_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const event = q('INSERT INTO task_events (task_id, at, state) VALUES (?, ?, ?)');
  const request = q("INSERT INTO publish_requests (task_id, targets, created_at, planned) VALUES (?, 's3', ?, 1)");
  const publication = q("INSERT INTO publications (task_id, target, type, state, created_at, updated_at, done_at) VALUES (?, 's3', 's3', 'done', ?, ?, ?)");
  const callback = q("INSERT INTO webhook_callbacks (task_id, url, created_at) VALUES (?, 'http://127.0.0.1:9/cb', ?)");
  const delivery = q(
    `INSERT INTO webhook_deliveries (id, event_id, event_type, task_id, url, body, state, next_attempt_at, created_at, updated_at, delivered_at)
     VALUES (?, ?, 'task.completed', ?, 'http://127.0.0.1:9/cb', '{}', 'delivered', 0, ?, ?, ?)`,
  );
  const attempt = q('INSERT INTO webhook_attempts (delivery_id, attempt, started_at, duration_ms, status) VALUES (?, 1, ?, 12, 200)');
  const link = q("INSERT INTO library_task_inputs (task_id, avatar_id, voice_id, created_at) VALUES (?, 'av-seed', 'vo-seed', ?)");
  const batch = q("INSERT INTO batches (id, created_at, row_count, completed_at, defaults) VALUES (?, ?, 100, ?, '{}')");
  const batchRow = q('INSERT INTO batch_rows (batch_id, row_index, task_id) VALUES (?, ?, ?)');
  const segmentEvery = o.segmentEvery ?? 50;
  const at = o.finishedAt;
  let oldTasks = 0;
  const withSideRows = (id: string) => {
    event.run(id, at, 'completed');
    request.run(id, at);
    publication.run(id, at, at, at);
    callback.run(id, at);
    delivery.run(`d-${id}`, `e-${id}`, id, at, at, at);
    attempt.run(`d-${id}`, at);
    link.run(id, at);
  };
  const queuedIds: string[] = [];
  db.transaction(() => {
    for (let i = 0; i < o.tasks; i++) {
      const id = newTaskId(at - o.tasks + i);
      const parent = i % segmentEvery === 0;
      task.run(id, 'completed', `Old task ${i}.`, at - 60_000, at, at, null, null, parent ? 3 : null);
      withSideRows(id);
      oldTasks++;
      if (parent)
        for (let s = 0; s < 3; s++) {
          const sid = `${id}-s${s}`;
          task.run(sid, 'completed', `Segment ${s} of ${i}.`, at - 60_000, at, at, id, s, null);
          withSideRows(sid);
          oldTasks++;
        }
      if (i % 100 === 0) batch.run(`b-${i / 100}`, at - 60_000, at);
      batchRow.run(`b-${Math.floor(i / 100)}`, i % 100, id);
    }
    for (let i = 0; i < o.queued; i++) {
      const now = Date.now();
      const id = newTaskId(now);
      queuedIds.push(id);
      task.run(id, 'queued', `Waiting task ${i}.`, now, now, null, null, null, null);
    }
  })();
  await store.close();
  return { oldTasks, queuedIds };
}
