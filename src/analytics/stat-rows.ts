/**
 * The rows the stats need: tasks that finished in the window, or held a slot during it — one
 * indexed query in every store (TaskStore.listForStats).
 */
import type { TaskStore } from '../store/task-store.js';
import type { StatRow } from './stats.js';

/** `owner`: only that API key's tasks (a non-admin caller); undefined = every task. */
export async function loadStatRows(store: TaskStore, from: number, to: number, owner?: string): Promise<StatRow[]> {
  const rows = await store.listForStats(from, to);
  return owner === undefined ? rows : rows.filter((t) => t.owner === owner);
}
