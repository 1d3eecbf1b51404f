/**
 * The rows the stats need: tasks that finished in the window, or held a slot during it — one
 * indexed query in every store (TaskStore.listForStats).
 */
import type { TaskStore } from '../store/task-store.js';
import type { StatRow } from './stats.js';

export async function loadStatRows(store: TaskStore, from: number, to: number): Promise<StatRow[]> {
  return store.listForStats(from, to);
}
