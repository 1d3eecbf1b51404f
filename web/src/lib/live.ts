/**
 * Merging live task events (SSE) into the list the Tasks page shows (pure). Events arrive for
 * any task; only rows already shown or matching the filter on page one are kept.
 */
import type { TaskSummary } from './types';

export interface MergeOptions {
  firstPage: boolean;
  matches: (t: TaskSummary) => boolean;
  limit: number;
}

export function mergeTask(rows: TaskSummary[], ev: TaskSummary, opts: MergeOptions): TaskSummary[] {
  const i = rows.findIndex((r) => r.task_id === ev.task_id);
  if (i >= 0) {
    const prev = rows[i];
    // Events carry no queue position: keep the one we know while the task is still queued.
    const merged = { ...prev, ...ev, queue_position: ev.queue_position ?? (ev.status === 'queued' ? prev.queue_position : null) };
    let next = opts.matches(merged) ? rows.map((r, j) => (j === i ? merged : r)) : rows.filter((_, j) => j !== i);
    // A task leaving the queue moves everyone behind it one place up.
    const left = prev.status === 'queued' && merged.status !== 'queued' ? prev.queue_position : null;
    if (left !== null) next = next.map((r) => (r.status === 'queued' && r.queue_position !== null && r.queue_position > left ? { ...r, queue_position: r.queue_position - 1 } : r));
    return next;
  }
  if (!opts.firstPage || !opts.matches(ev)) return rows;
  return [ev, ...rows].slice(0, opts.limit);
}

/**
 * Whether an event changes more than progress — a new task or a status change — so the page
 * should re-read the list (totals, queue positions of new tasks) soon. Progress ticks don't.
 */
export function needsResync(rows: TaskSummary[], ev: TaskSummary): boolean {
  const row = rows.find((r) => r.task_id === ev.task_id);
  return !row || row.status !== ev.status;
}

/**
 * Calls `fn` at most once per `ms`, always finishing with a trailing call, so bursts of events
 * (a queue draining) cost one request per interval instead of one per event.
 */
export function throttle(fn: () => void, ms: number): { call: () => void; cancel: () => void } {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let last = -Infinity;
  const fire = () => {
    timer = null;
    last = Date.now();
    fn();
  };
  return {
    call() {
      if (timer) return; // a call is already scheduled and will see the latest state
      timer = setTimeout(fire, Math.max(0, last + ms - Date.now()));
    },
    cancel() {
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}

const FINAL = ['completed', 'failed', 'timeout', 'canceled'];

/**
 * The Tasks page's filter applied to a live event, mirroring the server's meaning of
 * `status` (status.route.ts: "active" = started but not final, "failed" includes timeouts) and
 * `q` (case-insensitive substring of the text).
 */
export function matchesFilter(t: TaskSummary, status: string, q: string): boolean {
  const okStatus =
    !status ||
    (status === 'active' ? t.status !== 'queued' && !FINAL.includes(t.status) : t.status === status || (status === 'failed' && t.status === 'timeout'));
  const needle = q.trim().toLowerCase();
  return okStatus && (!needle || t.text.toLowerCase().includes(needle));
}

/**
 * A live event applied to the task page's full status. Progress ticks are merged in place; a
 * phase change means new fields (speech URL, result, errors) that only /api/status carries,
 * so `refetch` asks the page to read it again.
 */
export function applyToStatus<S extends Omit<TaskSummary, 'text'>>(s: S, ev: TaskSummary): { next: S; refetch: boolean } {
  if (ev.task_id !== s.task_id) return { next: s, refetch: false };
  const { text: _text, queue_position, ...rest } = ev;
  const refetch = ev.phase !== s.phase || ev.status !== s.status;
  return { next: { ...s, ...rest, queue_position: ev.status === 'queued' ? (queue_position ?? s.queue_position) : null }, refetch };
}
