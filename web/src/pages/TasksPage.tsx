/** Tasks: recent and running tasks, paged, filter by status, search by text, live updates. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, describeError, withToken } from '../lib/api';
import { formatAge, formatEta, formatSeconds } from '../lib/format';
import { matchesFilter, mergeTask, needsResync, throttle } from '../lib/live';
import type { TaskSummary } from '../lib/types';
import { useLiveTasks } from '../lib/useLive';
import { Progress, StatusBadge } from './widgets';

const PAGE = 20;
const FILTERS = ['', 'queued', 'active', 'completed', 'failed', 'canceled'];

export function TasksPage() {
  const [rows, setRows] = useState<TaskSummary[]>([]);
  const [total, setTotal] = useState(0);
  const [status, setStatus] = useState('');
  const [search, setSearch] = useState('');
  const [q, setQ] = useState(''); // `search`, debounced: one request per pause in typing
  const [offset, setOffset] = useState(0);
  const [now, setNow] = useState(Date.now());
  const [error, setError] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);

  const load = useCallback(() => {
    const p = new URLSearchParams({ limit: String(PAGE), offset: String(offset) });
    if (status) p.set('status', status);
    if (q.trim()) p.set('q', q.trim());
    api<{ tasks: TaskSummary[]; total: number }>(`/api/tasks?${p}`).then(
      (r) => {
        setRows(r.tasks);
        setTotal(r.total);
        setError(null);
        setLoaded(true);
      },
      (e) => setError(describeError(e)),
    );
  }, [status, q, offset]);
  useEffect(() => load(), [load]);

  useEffect(() => {
    const t = setTimeout(() => {
      setQ(search);
      setOffset(0);
    }, 250);
    return () => clearTimeout(t);
  }, [search]);
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);

  // Live: apply each event at once, and re-read the page (at most once a second) when tasks
  // appear or change status, for totals and the queue positions events don't carry.
  const rowsRef = useRef(rows);
  rowsRef.current = rows;
  const loadRef = useRef(load);
  loadRef.current = load;
  const resync = useRef(throttle(() => loadRef.current(), 1000));
  useEffect(() => () => resync.current.cancel(), []);
  useLiveTasks((ev) => {
    if (needsResync(rowsRef.current, ev)) resync.current.call();
    setRows((r) => mergeTask(r, ev, { firstPage: offset === 0, matches: (t) => matchesFilter(t, status, q), limit: PAGE }));
  }, load);

  return (
    <section className="card">
      <h1>Tasks</h1>
      <div className="row filters">
        <label>
          Status
          <select value={status} onChange={(e) => { setStatus(e.target.value); setOffset(0); }}>
            {FILTERS.map((f) => <option key={f} value={f}>{f || 'all'}</option>)}
          </select>
        </label>
        <label>
          Search
          <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="text contains…" />
        </label>
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      <ul className="tasks" aria-busy={!loaded}>
        {rows.map((t) => (
          <li key={t.task_id} data-testid="task-row" data-id={t.task_id} data-status={t.status}>
            <a href={`#/tasks/${t.task_id}`} className="task-link">
              <span className="text">
                {t.poster_url && <img className="task-poster" src={withToken(t.poster_url)} alt="" data-testid="task-poster" />}
                {t.text}
              </span>
              <span className="meta">
                <StatusBadge status={t.status} />
                {t.status !== 'queued' && t.status !== t.phase && <span>{t.phase}</span>}
                {t.gpu_id !== null && <span>GPU {t.gpu_id}</span>}
                {t.queue_position !== null && <span>#{t.queue_position} in queue</span>}
                {formatEta(t) && <span data-testid="task-eta">ready in {formatEta(t)}</span>}
                <span title={new Date(t.created_time).toLocaleString()}>{formatAge(t.created_time, now)}</span>
                {t.timing.total_time !== null && t.finished_time && <span>took {formatSeconds(t.timing.total_time)}</span>}
                {t.error_code && t.status !== 'canceled' && <span className="bad-text">{t.error_code}</span>}
              </span>
              <Progress value={t.progress} label={`${t.phase} ${t.progress}%`} />
            </a>
          </li>
        ))}
        {loaded && !rows.length && <li className="muted">{status || q ? 'No tasks match.' : 'No tasks yet.'}</li>}
      </ul>
      <nav className="row between pager" aria-label="Pages">
        <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>Newer</button>
        <span className="muted" aria-live="polite">{total ? `${offset + 1}–${Math.min(total, offset + rows.length)} of ${total}` : ''}</span>
        <button type="button" disabled={offset + PAGE >= total} onClick={() => setOffset(offset + PAGE)}>Older</button>
      </nav>
    </section>
  );
}
