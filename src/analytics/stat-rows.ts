/**
 * The rows the stats need: tasks that finished in the window, or held a slot during it. On
 * SQLite one indexed query; on other stores a history walk (fine for dashboards).
 */
import { rowToTask, SqliteTaskStore, type Row } from '../store/sqlite.adapter.js';
import type { TaskStore } from '../store/task-store.js';
import type { StatRow } from './stats.js';

export async function loadStatRows(store: TaskStore, from: number, to: number): Promise<StatRow[]> {
  if (store instanceof SqliteTaskStore) {
    const rows = store.database.prepare('SELECT * FROM tasks WHERE created_at < ? AND (finished_at IS NULL OR finished_at >= ?)').all(to, from) as Row[];
    return rows.map(rowToTask);
  }
  const { items } = await store.list({ to, limit: 500 });
  return items.filter((t) => t.finishedAt === null || t.finishedAt >= from);
}
