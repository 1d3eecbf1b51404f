/**
 * Merging live task events (SSE) into the list the Tasks page shows (pure). Events arrive for
 * any task; only rows already shown or matching the filter on page one are kept.
 */
import type { TaskSummary } from './types';

export function mergeTask(rows: TaskSummary[], ev: TaskSummary, opts: { firstPage: boolean; matches: (t: TaskSummary) => boolean; limit: number }): TaskSummary[] {
  const i = rows.findIndex((r) => r.task_id === ev.task_id);
  if (i >= 0) {
    // keep the queue position we know: events carry none
    const merged = { ...rows[i], ...ev, queue_position: ev.queue_position ?? (ev.status === 'queued' ? rows[i].queue_position : null) };
    return opts.matches(merged) ? rows.map((r, j) => (j === i ? merged : r)) : rows.filter((_, j) => j !== i);
  }
  if (!opts.firstPage || !opts.matches(ev)) return rows;
  return [ev, ...rows].slice(0, opts.limit);
}
