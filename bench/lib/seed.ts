/** Seed a gateway database with many tasks in one transaction (benchmarks only). */
import { newTaskId } from '../../src/domain/ids.js';
import { SqliteTaskStore } from '../../src/store/sqlite.adapter.js';

export function seedDatabase(dbPath: string, o: { completed: number; queued: number }): { queuedIds: string[]; completedIds: string[] } {
  const store = new SqliteTaskStore(dbPath);
  const db = store.database;
  const insert = db.prepare(
    `INSERT INTO tasks (id, state, slot_id, text, normalized_text, created_at, updated_at, started_at, tts_started_at, tts_ended_at, render_started_at, render_ended_at, finished_at, output_path, available_at, engine_progress)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)`,
  );
  const queuedIds: string[] = [];
  const completedIds: string[] = [];
  const t0 = Date.now() - (o.completed + o.queued) * 1000;
  db.transaction(() => {
    for (let i = 0; i < o.completed; i++) {
      const at = t0 + i * 1000;
      const id = newTaskId(at);
      completedIds.push(id);
      insert.run(id, 'completed', i % 3, `History task ${i} with some text to speak.`, `History task ${i} with some text to speak.`, at, at + 9000, at + 500, at + 500, at + 1500, at + 1500, at + 4500, at + 4600, `/nonexistent/${id}.mp4`, 100);
    }
    for (let i = 0; i < o.queued; i++) {
      const at = t0 + (o.completed + i) * 1000;
      const id = newTaskId(at);
      queuedIds.push(id);
      insert.run(id, 'queued', null, `Queued task ${i} waiting for a GPU.`, `Queued task ${i} waiting for a GPU.`, at, at, null, null, null, null, null, null, null, 0);
    }
  })();
  void store.close();
  return { queuedIds, completedIds };
}
