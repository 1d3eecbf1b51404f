/**
 * The rows the stats need: tasks that finished in the window, or held a slot during it. On
 * SQLite one indexed query; on other stores a history walk (fine for dashboards).
 */
import { rowToTask, SqliteTaskStore, type Row } from '../store/sqlite.adapter.js';
import type { TaskStore } from '../store/task-store.js';
import type { StatRow } from './stats.js';

/** `owner`: only that API key's tasks (a non-admin caller); undefined = every task. */
export async function loadStatRows(store: TaskStore, from: number, to: number, owner?: string): Promise<StatRow[]> {
  if (store instanceof SqliteTaskStore) {
    const byOwner = owner === undefined ? '' : ' AND owner = ?';
    const args: unknown[] = owner === undefined ? [to, from] : [to, from, owner];
    const rows = store.database.prepare(`SELECT * FROM tasks WHERE created_at < ? AND (finished_at IS NULL OR finished_at >= ?)${byOwner}`).all(...args) as Row[];
    return rows.map(rowToTask);
  }
  const { items } = await store.list({ to, limit: 500, owner });
  return items.filter((t) => t.finishedAt === null || t.finishedAt >= from);
}
