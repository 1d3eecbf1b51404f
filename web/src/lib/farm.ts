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
