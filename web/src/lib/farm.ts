/** The GPUs & queue page's merging of /api/queue snapshots with live task events (pure). */
import { isFinal } from './format';
import type { SlotView, TaskSummary } from './types';

/**
 * The tasks a slot card shows: the slot's list from the last /api/queue read, minus tasks that
 * live events say have ended since (they left the slot; the next read confirms it), plus a task
 * an event says now runs on this GPU (so a new task shows before the next read).
 */
export function slotTaskIds(slotId: string, g: Pick<SlotView, 'tasks' | 'current_task'>, live: Record<string, TaskSummary>): string[] {
  const known = g.tasks?.length ? g.tasks : g.current_task ? [g.current_task] : [];
  const ids = known.filter((id) => !(live[id] && isFinal(live[id].status)));
  for (const t of Object.values(live)) {
    if (String(t.gpu_id) === slotId && t.gpu_id !== null && !isFinal(t.status) && t.status !== 'queued' && !ids.includes(t.task_id)) ids.push(t.task_id);
  }
  return ids;
}

/** One queue row as /api/queue sends it (`parent_id` names the task a long script's part belongs to). */
export interface QueueItem {
  task_id: string | null;
  position: number;
  wait_seconds: number;
  text: string | null;
  mine: boolean;
  parent_id?: string | null;
  eta_seconds?: number | null;
  eta_low?: number | null;
  eta_high?: number | null;
}

/** A task in the queue with its waiting parts folded in; ETAs are the task's (its last part's). */
export interface QueueTask {
  key: string;
  /** The task to link to: the parent of parts, else the item itself (null: another key's). */
  task_id: string | null;
  /** 1-based place among queued *tasks*. */
  place: number;
  text: string | null;
  mine: boolean;
  wait_seconds: number;
  parts: QueueItem[];
  eta_seconds: number | null;
  eta_low: number | null;
  eta_high: number | null;
}

/**
 * The queue as users think of it: one row per task in order of its first waiting part, parts
 * folded; works whether the server lists parts (with `parent_id`) or tasks. ETAs are made
 * non-decreasing down the list (a task behind another cannot be ready first) and the range
 * keeps the point estimate inside it.
 */
export function queueTasks(items: readonly QueueItem[]): QueueTask[] {
  const out: QueueTask[] = [];
  const byKey = new Map<string, QueueTask>();
  for (const it of [...items].sort((a, b) => a.position - b.position)) {
    const key = it.parent_id ?? it.task_id ?? `other-${it.position}`;
    let row = byKey.get(key);
    if (!row) {
      row = { key, task_id: it.parent_id ?? it.task_id, place: out.length + 1, text: it.text, mine: it.mine, wait_seconds: it.wait_seconds, parts: [], eta_seconds: null, eta_low: null, eta_high: null };
      byKey.set(key, row);
      out.push(row);
    }
    row.parts.push(it);
    row.wait_seconds = Math.max(row.wait_seconds, it.wait_seconds);
    if (it.eta_seconds != null) {
      row.eta_seconds = Math.max(row.eta_seconds ?? 0, it.eta_seconds);
      row.eta_low = Math.max(row.eta_low ?? 0, it.eta_low ?? it.eta_seconds);
      row.eta_high = Math.max(row.eta_high ?? 0, it.eta_high ?? it.eta_seconds);
    }
  }
  let floor = 0;
  for (const row of out) {
    if (row.eta_seconds === null) continue;
    row.eta_seconds = Math.max(row.eta_seconds, floor);
    row.eta_low = Math.min(row.eta_low ?? row.eta_seconds, row.eta_seconds);
    row.eta_high = Math.max(row.eta_high ?? row.eta_seconds, row.eta_seconds);
    floor = row.eta_seconds;
  }
  return out;
}
