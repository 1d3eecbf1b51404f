/**
 * What pruning one batch of old task records deletes, as SQL both stores run (the SQLite and
 * PostgreSQL adapters differ only in how they pass a list of ids). A task goes with everything
 * it left behind: events, publications and publish requests, webhook deliveries (and their
 * attempts) and callback URL, library links, the template version it was made from, and — for
 * a long script — its segment rows. Usage rows stay (a month's usage must not shrink with
 * retention; docs/templates.md).
 *
 * - The unit is a top-level task: a parent is pruned with all its segments, and only once none
 *   of them is still active (a backup render may outlive its parent's final state). A segment
 *   left without parent (pruned one by one before this module) is pruned on its own.
 * - A batch is kept, rows and all, while any of its tasks remains (its purged rows are reported
 *   as expired); the batch that prunes its last task deletes the batch and its rows.
 * - Webhook deliveries with no task (batch events, endpoint pings) are pruned by age once
 *   delivered or given up.
 */
import { FINAL_STATES } from '../domain/task.js';

/** Every table retention deletes from (the `table` label of the pruned-rows metric). */
export const PRUNED_TABLES = [
  'tasks',
  'task_events',
  'publications',
  'publish_requests',
  'webhook_deliveries',
  'webhook_attempts',
  'webhook_callbacks',
  'library_task_inputs',
  'template_task_uses',
  'batch_rows',
  'batches',
] as const;
export type PrunedTable = (typeof PRUNED_TABLES)[number];
export type PrunedRows = Record<PrunedTable, number>;

export function noPrunedRows(): PrunedRows {
  return Object.fromEntries(PRUNED_TABLES.map((t) => [t, 0])) as PrunedRows;
}

/** Literal, not a parameter: the partial index `tasks_purgeable` is used only for this predicate. */
export const FINAL_SQL = `(${[...FINAL_STATES].map((s) => `'${s}'`).join(', ')})`;

/**
 * Old final top-level tasks (or orphan segments) with no active segment; `$before`, `$limit`.
 * `hint`: SQLite's `INDEXED BY tasks_purgeable` — without statistics its planner prefers the
 * state index and would walk every final task to find the old ones.
 */
export const candidatesSql = (before: string, limit: string, hint = ''): string => `
SELECT t.id FROM tasks t ${hint}
WHERE t.state IN ${FINAL_SQL} AND COALESCE(t.finished_at, t.updated_at) < ${before}
  AND (t.parent_id IS NULL OR NOT EXISTS (SELECT 1 FROM tasks p WHERE p.id = t.parent_id))
  AND NOT EXISTS (SELECT 1 FROM tasks c WHERE c.parent_id = t.id AND c.state NOT IN ${FINAL_SQL})
LIMIT ${limit}`;

/**
 * Of the given ids, the final top-level tasks with no active segment: what a user's delete may
 * remove (DELETE /api/tasks/:id) — the same unit as retention, without the age.
 */
export const deletableSql = (ids: string): string => `
SELECT t.id FROM tasks t
WHERE t.id IN ${ids} AND t.state IN ${FINAL_SQL} AND t.parent_id IS NULL
  AND NOT EXISTS (SELECT 1 FROM tasks c WHERE c.parent_id = t.id AND c.state NOT IN ${FINAL_SQL})`;

/** The segments of the given parents. */
export const childrenSql = (ids: string): string => `SELECT id FROM tasks WHERE parent_id IN ${ids}`;

/** Batches that hold one of the given tasks (read before the tasks go). */
export const batchesOfSql = (ids: string): string => `SELECT DISTINCT batch_id FROM batch_rows WHERE task_id IN ${ids}`;

/** Deletes by task id, in an order that never leaves a child row without its parent row. */
export const taskDeletes = (ids: string): Array<[PrunedTable, string]> => [
  ['webhook_attempts', `DELETE FROM webhook_attempts WHERE delivery_id IN (SELECT id FROM webhook_deliveries WHERE task_id IN ${ids})`],
  ['webhook_deliveries', `DELETE FROM webhook_deliveries WHERE task_id IN ${ids}`],
  ['webhook_callbacks', `DELETE FROM webhook_callbacks WHERE task_id IN ${ids}`],
  ['publications', `DELETE FROM publications WHERE task_id IN ${ids}`],
  ['publish_requests', `DELETE FROM publish_requests WHERE task_id IN ${ids}`],
  ['library_task_inputs', `DELETE FROM library_task_inputs WHERE task_id IN ${ids}`],
  ['template_task_uses', `DELETE FROM template_task_uses WHERE task_id IN ${ids}`],
  ['task_events', `DELETE FROM task_events WHERE task_id IN ${ids}`],
  ['tasks', `DELETE FROM tasks WHERE id IN ${ids}`],
];

/** Deletes of the given batches once none of their tasks remains. */
export const batchDeletes = (batchIds: string): Array<[PrunedTable, string]> => [
  [
    'batch_rows',
    `DELETE FROM batch_rows WHERE batch_id IN ${batchIds}
       AND NOT EXISTS (SELECT 1 FROM batch_rows r JOIN tasks t ON t.id = r.task_id WHERE r.batch_id = batch_rows.batch_id)`,
  ],
  ['batches', `DELETE FROM batches WHERE id IN ${batchIds} AND NOT EXISTS (SELECT 1 FROM batch_rows r WHERE r.batch_id = batches.id)`],
];

/** Old task-less deliveries that are done with (delivered, or given up), at most `$limit`. */
export const tasklessDeliveriesSql = (before: string, limit: string): string =>
  `SELECT id FROM webhook_deliveries WHERE task_id IS NULL AND created_at < ${before} AND state IN ('delivered', 'failed') LIMIT ${limit}`;

export const deliveryDeletes = (ids: string): Array<[PrunedTable, string]> => [
  ['webhook_attempts', `DELETE FROM webhook_attempts WHERE delivery_id IN ${ids}`],
  ['webhook_deliveries', `DELETE FROM webhook_deliveries WHERE id IN ${ids}`],
];
