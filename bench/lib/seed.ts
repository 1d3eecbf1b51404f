/**
 * Seed a gateway database with many tasks (benchmarks only): one transaction, rows inserted
 * 200 at a time by one prepared multi-row INSERT (a million rows in seconds, not minutes).
 */
import { newTaskId } from '../../src/domain/ids.js';
import { SqliteTaskStore } from '../../src/store/sqlite.adapter.js';

const COLUMNS = 'id, state, slot_id, text, normalized_text, created_at, updated_at, started_at, tts_started_at, tts_ended_at, render_started_at, render_ended_at, finished_at, output_path, available_at, engine_progress';
const PER_ROW = 16;
const BATCH = 200;

export function seedDatabase(dbPath: string, o: { completed: number; queued: number }): { queuedIds: string[]; completedIds: string[] } {
  const store = new SqliteTaskStore(dbPath);
  const db = store.database;
  const statement = (rows: number) => db.prepare(`INSERT INTO tasks (${COLUMNS}) VALUES ${Array.from({ length: rows }, () => `(${Array(PER_ROW).fill('?').join(', ')})`).join(', ')}`);
  const full = statement(BATCH);
  let pending: unknown[] = [];
  const flush = () => {
    if (pending.length === BATCH * PER_ROW) full.run(pending);
    else if (pending.length) statement(pending.length / PER_ROW).run(pending);
    pending = [];
  };
  const row = (values: unknown[]) => {
    pending.push(...values);
    if (pending.length === BATCH * PER_ROW) flush();
  };
  const queuedIds: string[] = [];
  const completedIds: string[] = [];
  const t0 = Date.now() - (o.completed + o.queued) * 1000;
  db.transaction(() => {
    for (let i = 0; i < o.completed; i++) {
      const at = t0 + i * 1000;
      const id = newTaskId(at);
      completedIds.push(id);
      const text = `History task ${i} with some text to speak.`;
      row([id, 'completed', i % 3, text, text, at, at + 9000, at + 500, at + 500, at + 1500, at + 1500, at + 4500, at + 4600, `/nonexistent/${id}.mp4`, 0, 100]);
    }
    for (let i = 0; i < o.queued; i++) {
      const at = t0 + (o.completed + i) * 1000;
      const id = newTaskId(at);
      queuedIds.push(id);
      const text = `Queued task ${i} waiting for a GPU.`;
      row([id, 'queued', null, text, text, at, at, null, null, null, null, null, null, null, 0, 0]);
    }
    flush();
  })();
  void store.close();
  return { queuedIds, completedIds };
}
