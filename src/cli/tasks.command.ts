/** `tasks [--status s] [--limit n]`: recent tasks of a running gateway as a table. */
import { call, type ClientOptions } from './client.js';
import { streamLine } from './stream-line.js';

interface Row {
  task_id: string;
  status: string;
  phase: string;
  progress: number;
  gpu_id: number | null;
  created_time: string;
  text: string;
  /** Absent from gateways older than languages. */
  language?: string;
  error_code: string | null;
  /** A long script's HLS playlist (absent from older gateways). */
  stream_url?: string | null;
}

/** Terminal cells of a string: East Asian wide and full-width characters take two. */
export function cells(s: string): number {
  let n = 0;
  for (const ch of s) n += WIDE.test(ch) ? 2 : 1;
  return n;
}
const WIDE = /[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]|[\u{20000}-\u{3FFFD}]/u;

/** At most `max` terminal cells of `s` (whole characters). */
function clip(s: string, max: number): string {
  let out = '';
  let n = 0;
  for (const ch of s) {
    n += cells(ch);
    if (n > max) break;
    out += ch;
  }
  return out;
}

export function formatTasks(rows: Row[]): string {
  const head = ['TASK', 'STATUS', 'PHASE', '%', 'GPU', 'LANG', 'CREATED', 'TEXT'];
  const body = rows.map((r) => [r.task_id, r.status, r.phase, String(r.progress), r.gpu_id === null ? '-' : String(r.gpu_id), r.language ?? '-', r.created_time.replace('T', ' ').slice(0, 19), (r.error_code ? `[${r.error_code}] ` : '') + clip(r.text.replace(/\s+/g, ' '), 40)]);
  // columns are padded by display width: a Chinese character takes two terminal cells
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => cells(b[i]))));
  return [head, ...body].map((cols) => cols.map((c, i) => (i === cols.length - 1 ? c : c + ' '.repeat(widths[i] - cells(c)))).join('  ')).join('\n');
}

/** Long scripts still rendering are watchable now: one stream line each (finished ones have their MP4). */
export function streamLines(o: { url: string; apiKey?: string }, rows: Row[]): string[] {
  return rows.filter((t) => t.stream_url && !['completed', 'failed', 'timeout', 'canceled'].includes(t.status)).map((t) => streamLine(o, t.stream_url!, t.task_id));
}

export async function tasks(o: ClientOptions & { status?: string; limit?: number }): Promise<void> {
  const p = new URLSearchParams({ limit: String(o.limit ?? 20) });
  if (o.status) p.set('status', o.status);
  const r = await call<{ tasks: Row[]; total: number }>(o, `/api/tasks?${p}`);
  process.stdout.write(`${formatTasks(r.tasks)}\n${r.tasks.length} of ${r.total} tasks\n${streamLines(o, r.tasks).map((l) => `${l}\n`).join('')}`);
}
