/** Tasks: recent and running tasks, paged, filter by status, search by text, live updates. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { tr } from '../i18n/tr';
import { api, describeError, withToken } from '../lib/api';
import { formatAge, formatDateTime, formatEta, formatNumber, formatSeconds } from '../lib/format';
import { matchesFilter, mergeTask, needsResync, throttle } from '../lib/live';
import type { TaskSummary } from '../lib/types';
import { useLiveTasks } from '../lib/useLive';
import { Progress, StatusBadge } from './widgets';

const PAGE = 20;
const FILTERS = ['', 'queued', 'active', 'completed', 'failed', 'canceled'];

export function TasksPage() {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const tRef = useRef(t);
  tRef.current = t;
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
      (e) => setError(describeError(e, tRef.current)),
    );
  }, [status, q, offset]);
  useEffect(() => load(), [load]);

  useEffect(() => {
    const timer = setTimeout(() => {
      setQ(search);
      setOffset(0);
    }, 250);
    return () => clearTimeout(timer);
  }, [search]);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
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
    setRows((r) => mergeTask(r, ev, { firstPage: offset === 0, matches: (x) => matchesFilter(x, status, q), limit: PAGE }));
  }, load);

  return (
    <section className="card">
      <h1>{t('nav.tasks')}</h1>
      <div className="row filters">
        <label>
          {t('tasks.statusFilter')}
          <select value={status} onChange={(e) => { setStatus(e.target.value); setOffset(0); }}>
            {FILTERS.map((f) => <option key={f} value={f}>{f ? tr(t, 'status', f) : t('tasks.all')}</option>)}
          </select>
        </label>
        <label>
          {t('tasks.search')}
          <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder={t('tasks.searchPlaceholder')} />
        </label>
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      <ul className="tasks" aria-busy={!loaded}>
        {rows.map((x) => {
          const eta = formatEta(x, t, lng);
          return (
            <li key={x.task_id} data-testid="task-row" data-id={x.task_id} data-status={x.status}>
              <a href={`#/tasks/${x.task_id}`} className="task-link">
                <span className="text">
                  {x.poster_url && <img className="task-poster" src={withToken(x.poster_url)} alt="" data-testid="task-poster" />}
                  {x.text}
                </span>
                <span className="meta">
                  <StatusBadge status={x.status} />
                  {x.status !== 'queued' && x.status !== x.phase && <span>{tr(t, 'status', x.phase)}</span>}
                  {x.gpu_id !== null && <span>{t('common.gpu', { id: x.gpu_id })}</span>}
                  {x.queue_position !== null && <span>{t('tasks.inQueue', { position: x.queue_position })}</span>}
                  {eta && <span data-testid="task-eta">{t('tasks.readyIn', { eta })}</span>}
                  <span title={formatDateTime(x.created_time, lng)}>{formatAge(x.created_time, now, lng)}</span>
                  {x.timing.total_time !== null && x.finished_time && <span>{t('tasks.took', { time: formatSeconds(x.timing.total_time, lng) })}</span>}
                  {x.error_code && x.status !== 'canceled' && <span className="bad-text">{x.error_code}</span>}
                </span>
                <Progress value={x.progress} label={t('common.progress', { label: tr(t, 'status', x.phase), value: x.progress })} />
              </a>
            </li>
          );
        })}
        {loaded && !rows.length && <li className="muted">{status || q ? t('tasks.noMatch') : t('tasks.none')}</li>}
      </ul>
      <nav className="row between pager" aria-label={t('tasks.pages')}>
        <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>{t('tasks.newer')}</button>
        <span className="muted" aria-live="polite">{total ? t('tasks.range', { from: formatNumber(offset + 1, lng), to: formatNumber(Math.min(total, offset + rows.length), lng), total: formatNumber(total, lng) }) : ''}</span>
        <button type="button" disabled={offset + PAGE >= total} onClick={() => setOffset(offset + PAGE)}>{t('tasks.older')}</button>
      </nav>
    </section>
  );
}
