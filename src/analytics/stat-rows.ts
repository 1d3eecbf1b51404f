/**
 * The rows the stats need: tasks that finished in the window, or held a slot during it. On
 * SQLite one indexed query; on other stores a history walk (fine for dashboards).
 */
import type { Task } from '../domain/task.js';
import { SqliteTaskStore } from '../store/sqlite.adapter.js';
import type { TaskStore } from '../store/task-store.js';
import type { StatRow } from './stats.js';

export async function loadStatRows(store: TaskStore, from: number, to: number): Promise<StatRow[]> {
  if (store instanceof SqliteTaskStore) {
    const rows = store.database
      .prepare(
        `SELECT state, slot_id, error_code, created_at, started_at, tts_started_at, tts_ended_at, render_started_at, render_ended_at, finished_at
         FROM tasks WHERE created_at < ? AND (finished_at IS NULL OR finished_at >= ?)`,
      )
      .all(to, from) as Array<Record<string, number | string | null>>;
    return rows.map((r) => ({
      state: r.state as Task['state'],
      slotId: r.slot_id as number | null,
      errorCode: r.error_code as Task['errorCode'],
      createdAt: r.created_at as number,
      startedAt: r.started_at as number | null,
      ttsStartedAt: r.tts_started_at as number | null,
      ttsEndedAt: r.tts_ended_at as number | null,
      renderStartedAt: r.render_started_at as number | null,
      renderEndedAt: r.render_ended_at as number | null,
      finishedAt: r.finished_at as number | null,
    }));
  }
  const { items } = await store.list({ to, limit: 500 });
  return items.filter((t) => t.finishedAt === null || t.finishedAt >= from);
}
