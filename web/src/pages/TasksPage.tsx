/**
 * Tasks: recent and running tasks, paged, filter by status, search by text or title, live
 * updates. Filters, search and page live in the address (`#/tasks?status=…&q=…&page=…`), so a
 * reload keeps them. Rows can be selected for bulk cancel, retry, delete and a ZIP download;
 * a finished row plays and downloads in place.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { tr } from '../i18n/tr';
import { api, describeError, withToken } from '../lib/api';
import { formatAge, formatDateTime, formatEta, formatNumber, formatSeconds, isFinal } from '../lib/format';
import { hashQuery, listHash, parseListQuery, type ListQuery } from '../lib/listQuery';
import { matchesFilter, mergeTask, needsResync, throttle } from '../lib/live';
import { taskTitle } from '../lib/title';
import type { TaskSummary } from '../lib/types';
import { useLiveTasks } from '../lib/useLive';
import { BulkBar } from './BulkBar';
import { Progress, StatusBadge } from './widgets';

const PAGE = 20;
const FILTERS = ['', 'queued', 'active', 'completed', 'failed', 'canceled'];

export function TasksPage({ query }: { query?: string | null }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const tRef = useRef(t);
  tRef.current = t;
  const initial = useRef(parseListQuery(query)).current;
  const [rows, setRows] = useState<TaskSummary[]>([]);
  const [total, setTotal] = useState(0);
  const [status, setStatus] = useState(initial.status);
  const [search, setSearch] = useState(initial.q);
  const [q, setQ] = useState(initial.q); // `search`, debounced: one request per pause in typing
  const [offset, setOffset] = useState((initial.page - 1) * PAGE);
  const [now, setNow] = useState(Date.now());
  const [error, setError] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [playing, setPlaying] = useState<string | null>(null);

  // The view in the address without a navigation (no hashchange: focus and state stay put).
  useEffect(() => {
    const view: ListQuery = { status, q: q.trim(), page: Math.floor(offset / PAGE) + 1 };
    const hash = listHash('tasks', view);
    if (window.location.hash !== hash) window.history.replaceState(null, '', hash);
  }, [status, q, offset]);

  // The address changed by a link or Back (not by us): take its view. App keeps this page
  // mounted when only the query changes after our own replaceState.
  useEffect(() => {
    const on = () => {
      if (!/^#\/tasks\/?(\?|$)/.test(window.location.hash)) return;
      const v = parseListQuery(hashQuery(window.location.hash));
      setStatus(v.status);
      setSearch(v.q);
      setQ(v.q);
      setOffset((v.page - 1) * PAGE);
    };
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);

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

  const qRef = useRef(q);
  qRef.current = q;
  useEffect(() => {
    if (search === qRef.current) return; // the address's search and page stand (first load, a link)
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

  const toggle = (id: string) => setSelected((s) => {
    const n = new Set(s);
    if (n.has(id)) n.delete(id);
    else n.add(id);
    return n;
  });
  const allOnPage = rows.length > 0 && rows.every((x) => selected.has(x.task_id));
  const chosen = rows.filter((x) => selected.has(x.task_id));

  return (
    <section className="card">
      <h1>{t('nav.tasks')}</h1>
      <div className="row filters">
        <label>
          {t('tasks.statusFilter')}
          <select value={status} onChange={(e) => { setStatus(e.target.value); setOffset(0); }} data-testid="status-filter">
            {FILTERS.map((f) => <option key={f} value={f}>{f ? tr(t, 'status', f) : t('tasks.all')}</option>)}
          </select>
        </label>
        <label>
          {t('tasks.search')}
          <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder={t('tasks.searchPlaceholder')} data-testid="task-search" />
        </label>
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      <BulkBar
        tasks={chosen}
        allOnPage={allOnPage}
        onSelectAll={(on) => setSelected(on ? new Set(rows.map((x) => x.task_id)) : new Set())}
        onDone={(message) => { setSelected(new Set()); setError(message); load(); }}
      />
      <ul className="tasks" aria-busy={!loaded}>
        {rows.map((x) => {
          const eta = formatEta(x, t, lng);
          const title = taskTitle(x);
          return (
            <li key={x.task_id} data-testid="task-row" data-id={x.task_id} data-status={x.status} className={`task-row${selected.has(x.task_id) ? ' selected' : ''}`}>
              <input type="checkbox" className="pick" checked={selected.has(x.task_id)} onChange={() => toggle(x.task_id)} aria-label={t('studio.select', { title })} data-testid="task-pick" />
              <a href={`#/tasks/${x.task_id}`} className="task-link">
                <span className="text">
                  {x.poster_url && <img className="task-poster" src={withToken(x.poster_url)} alt="" data-testid="task-poster" />}
                  <span>
                    <span className="title" data-testid="task-title">{title}</span>
                    {x.title && <span className="muted small sub">{x.text}</span>}
                  </span>
                </span>
                <span className="meta">
                  <StatusBadge status={x.status} />
                  {x.status !== 'queued' && x.status !== x.phase && !isFinal(x.status) && <span>{tr(t, 'status', x.phase)}</span>}
                  {x.gpu_id !== null && <span>{t('common.gpu', { id: x.gpu_id })}</span>}
                  {x.queue_position !== null && <span>{t('tasks.inQueue', { position: x.queue_position })}</span>}
                  {eta && <span data-testid="task-eta">{t('tasks.readyIn', { eta })}</span>}
                  <span title={formatDateTime(x.created_time, lng)}>{formatAge(x.created_time, now, lng)}</span>
                  {x.timing.total_time !== null && x.finished_time && <span>{t('tasks.took', { time: formatSeconds(x.timing.total_time, lng) })}</span>}
                  {x.error_code && x.status !== 'canceled' && <span className="bad-text">{tr(t, 'errors', x.error_code, x.error_code)}</span>}
                </span>
                <Progress value={x.progress} label={t('common.progress', { label: tr(t, 'status', x.phase), value: x.progress })} />
              </a>
              {x.status === 'completed' && x.result_url && (
                <span className="row-actions">
                  <button type="button" className="ghost" aria-expanded={playing === x.task_id} onClick={() => setPlaying(playing === x.task_id ? null : x.task_id)} data-testid="row-play">
                    {playing === x.task_id ? t('studio.hide') : t('studio.play')}<span className="sr-only"> {title}</span>
                  </button>
                  <a className="button ghost" href={withToken(`/api/download/${x.task_id}`)} download data-testid="row-download">
                    {t('studio.downloadShort')}<span className="sr-only"> {title}</span>
                  </a>
                </span>
              )}
              {playing === x.task_id && x.result_url && (
                <video className="row-video" controls autoPlay preload="metadata" src={withToken(x.result_url)} poster={x.poster_url ? withToken(x.poster_url) : undefined} aria-label={title} data-testid="row-video" />
              )}
            </li>
          );
        })}
        {loaded && !rows.length && <li className="muted">{status || q ? t('tasks.noMatch') : t('tasks.none')}</li>}
      </ul>
      <nav className="row between pager" aria-label={t('tasks.pages')}>
        <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>{t('tasks.newer')}</button>
        <span className="muted" aria-live="polite">{total ? t('tasks.range', { from: formatNumber(offset + 1, lng), to: formatNumber(Math.min(total, offset + rows.length), lng), total: formatNumber(total, lng) }) : ''}</span>
        <button type="button" disabled={offset + PAGE >= total} onClick={() => setOffset(offset + PAGE)} data-testid="older">{t('tasks.older')}</button>
      </nav>
    </section>
  );
}
