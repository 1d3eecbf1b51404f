/** `tasks [--status s] [--limit n]`: recent tasks of a running gateway as a table. */
import { call, type ClientOptions } from './client.js';

interface Row {
  task_id: string;
  status: string;
  phase: string;
  progress: number;
  gpu_id: number | null;
  created_time: string;
  text: string;
  error_code: string | null;
}

export function formatTasks(rows: Row[]): string {
  const head = ['TASK', 'STATUS', 'PHASE', '%', 'GPU', 'CREATED', 'TEXT'];
  const body = rows.map((r) => [r.task_id, r.status, r.phase, String(r.progress), r.gpu_id === null ? '-' : String(r.gpu_id), r.created_time.replace('T', ' ').slice(0, 19), (r.error_code ? `[${r.error_code}] ` : '') + r.text.replace(/\s+/g, ' ').slice(0, 40)]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  return [head, ...body].map((cols) => cols.map((c, i) => (i === cols.length - 1 ? c : c.padEnd(widths[i]))).join('  ')).join('\n');
}

export async function tasks(o: ClientOptions & { status?: string; limit?: number }): Promise<void> {
  const p = new URLSearchParams({ limit: String(o.limit ?? 20) });
  if (o.status) p.set('status', o.status);
  const r = await call<{ tasks: Row[]; total: number }>(o, `/api/tasks?${p}`);
  process.stdout.write(`${formatTasks(r.tasks)}\n${r.tasks.length} of ${r.total} tasks\n`);
}
