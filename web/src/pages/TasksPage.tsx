/** Tasks: recent and running tasks, paged, filter by status, search by text, live updates. */
import { useCallback, useEffect, useState } from 'react';
import { api } from '../lib/api';
import { formatAge, formatSeconds } from '../lib/format';
import { mergeTask } from '../lib/live';
import type { TaskSummary } from '../lib/types';
import { useLiveTasks } from '../lib/useLive';
import { Progress, StatusBadge } from './widgets';

const PAGE = 20;
const FILTERS = ['', 'queued', 'active', 'completed', 'failed', 'canceled'];

export function TasksPage() {
  const [rows, setRows] = useState<TaskSummary[]>([]);
  const [total, setTotal] = useState(0);
  const [status, setStatus] = useState('');
  const [q, setQ] = useState('');
  const [offset, setOffset] = useState(0);
  const [now, setNow] = useState(Date.now());
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    const p = new URLSearchParams({ limit: String(PAGE), offset: String(offset) });
    if (status) p.set('status', status);
    if (q.trim()) p.set('q', q.trim());
    api<{ tasks: TaskSummary[]; total: number }>(`/api/tasks?${p}`).then(
      (r) => {
        setRows(r.tasks);
        setTotal(r.total);
        setError(null);
      },
      (e: Error) => setError(e.message),
    );
  }, [status, q, offset]);

  useEffect(() => load(), [load]);
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);

  const matches = (t: TaskSummary) =>
    (!status || (status === 'active' ? !['queued', 'completed', 'failed', 'timeout', 'canceled'].includes(t.status) : t.status === status || (status === 'failed' && t.status === 'timeout'))) &&
    (!q.trim() || t.text.toLowerCase().includes(q.trim().toLowerCase()));
  useLiveTasks((ev) => setRows((r) => mergeTask(r, ev, { firstPage: offset === 0, matches, limit: PAGE })), load);

  return (
    <section className="card">
      <h1>Tasks</h1>
      <div className="row filters">
        <label>
          Status{' '}
          <select value={status} onChange={(e) => { setStatus(e.target.value); setOffset(0); }}>
            {FILTERS.map((f) => <option key={f} value={f}>{f || 'all'}</option>)}
          </select>
        </label>
        <label>
          Search <input type="search" value={q} onChange={(e) => { setQ(e.target.value); setOffset(0); }} placeholder="text contains…" />
        </label>
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      <ul className="tasks">
        {rows.map((t) => (
          <li key={t.task_id} data-testid="task-row" data-status={t.status}>
            <a href={`#/tasks/${t.task_id}`} className="task-link">
              <span className="text">{t.text}</span>
              <span className="meta">
                <StatusBadge status={t.status} />
                {t.gpu_id !== null && <span>GPU {t.gpu_id}</span>}
                {t.queue_position && <span>#{t.queue_position} in queue</span>}
                <span>{formatAge(t.created_time, now)}</span>
                {t.timing.total_time !== null && t.finished_time && <span>{formatSeconds(t.timing.total_time)}</span>}
              </span>
              <Progress value={t.progress} label={`${t.phase} ${t.progress}%`} />
            </a>
          </li>
        ))}
        {!rows.length && <li className="muted">No tasks yet.</li>}
      </ul>
      <div className="row between">
        <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>Newer</button>
        <span className="muted">{total ? `${offset + 1}–${Math.min(total, offset + PAGE)} of ${total}` : ''}</span>
        <button type="button" disabled={offset + PAGE >= total} onClick={() => setOffset(offset + PAGE)}>Older</button>
      </div>
    </section>
  );
}
