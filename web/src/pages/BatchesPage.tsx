/**
 * Batches: send a CSV (file or pasted), see this key's batches, and follow one at its own address
 * (`#/batches/<id>`) — counts, every row's text, metadata columns, status and result, the ZIP of
 * all finished videos named by a chosen column (with captions and a manifest), retry of failed
 * rows, cancel. Polls while a batch runs.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { tr } from '../i18n/tr';
import { api, ApiFailure, describeError, getApiKey, withToken } from '../lib/api';
import { formatDateTime, formatNumber } from '../lib/format';
import { StatusBadge } from './widgets';
import { ConfirmButton } from './ConfirmButton';

interface BatchRow {
  row: number;
  task_id: string;
  status: string;
  progress: number | null;
  error: string | null;
  error_code?: string | null;
  download_url: string | null;
  result_url?: string | null;
  metadata: unknown;
  /** The row's text (cut to 120 characters) and title; absent on older servers. */
  text?: string | null;
  title?: string | null;
}
interface Batch {
  batch_id: string;
  status: string;
  total: number;
  counts: Record<string, number>;
  created_time: string;
  results_url: string;
  rows: BatchRow[];
}
interface BatchListItem {
  batch_id: string;
  total: number;
  created_time: string;
  completed_time: string | null;
  canceled_time: string | null;
}

/** The CSV goes up as text/csv (not JSON, which `api` would label it): same key, same error shape. */
async function sendCsv(csv: string): Promise<Batch> {
  const key = getApiKey();
  const res = await fetch('/api/batches', { method: 'POST', headers: { 'content-type': 'text/csv', ...(key ? { authorization: `Bearer ${key}` } : {}) }, body: csv });
  const body = (await res.json().catch(() => ({}))) as Batch & { error?: string; code?: string; errors?: Array<{ row: number; message: string }> };
  if (!res.ok) {
    const { error, code, ...extra } = body;
    throw new ApiFailure(res.status, code ?? `http_${res.status}`, error ?? `Request failed (${res.status})`, extra);
  }
  return body;
}

/** A failed send as one line: the error, then the first rows the gateway named (their messages as sent). */
function describeSendError(e: unknown, t: TFunction): string {
  const rows = e instanceof ApiFailure && Array.isArray(e.extra.errors) ? (e.extra.errors as Array<{ row: number; message: string }>) : [];
  return [describeError(e, t), ...rows.slice(0, 5).map((r) => t('batches.rowError', { row: r.row, message: r.message }))].join(' · ');
}

/** The metadata keys of the rows (a CSV's extra columns), in first-seen order; none when a row's metadata is not an object. */
export function metadataColumns(rows: ReadonlyArray<{ metadata: unknown }>): string[] | null {
  const out = new Set<string>();
  for (const r of rows) {
    if (r.metadata === null || r.metadata === undefined) continue;
    if (typeof r.metadata !== 'object' || Array.isArray(r.metadata)) return null;
    Object.keys(r.metadata).forEach((k) => out.add(k));
  }
  return [...out];
}

const cell = (v: unknown): string => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

export function BatchesPage({ id }: { id?: string }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const tRef = useRef(t);
  tRef.current = t;
  const [list, setList] = useState<BatchListItem[]>([]);
  const [current, setCurrent] = useState<Batch | null>(null);
  const [csv, setCsv] = useState('text\n');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [nameBy, setNameBy] = useState('');

  const loadList = useCallback(() => {
    api<{ items: BatchListItem[] }>('/api/batches?limit=20').then((r) => setList(r.items), (e) => setError(describeError(e, tRef.current)));
  }, []);
  useEffect(() => loadList(), [loadList]);

  const open = useCallback((bid: string) => {
    api<Batch>(`/api/batches/${bid}`).then(setCurrent, (e) => setError(describeError(e, tRef.current)));
  }, []);
  useEffect(() => {
    if (id) open(id);
  }, [id, open]);
  // follow a running batch
  useEffect(() => {
    if (!current || current.status === 'completed' || current.status === 'canceled') return;
    const timer = setTimeout(() => open(current.batch_id), 2000);
    return () => clearTimeout(timer);
  }, [current, open]);

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const b = await sendCsv(csv);
      setCurrent(b);
      window.location.hash = `#/batches/${b.batch_id}`;
      loadList();
    } catch (e) {
      setError(describeSendError(e, t));
    } finally {
      setBusy(false);
    }
  };

  const columns = current ? metadataColumns(current.rows) : null;
  const again = current ? (current.counts.failed ?? 0) + (current.counts.canceled ?? 0) : 0;
  const zipUrl = current ? `${current.results_url}${nameBy ? `?name_by=${encodeURIComponent(nameBy)}` : ''}` : '';
  return (
    <section className="card batches">
      <h1>{id ? t('nav.batch') : t('batches.title')}</h1>
      {!id && (
        <>
          <label>
            <Trans i18nKey="batches.csvHelp" t={t} components={[<code />, <code />, <code />]} />
            <textarea rows={6} value={csv} onChange={(e) => setCsv(e.target.value)} aria-label={t('batches.csvRows')} />
          </label>
          <div className="row wrap">
            <input type="file" accept=".csv,text/csv" aria-label={t('batches.csvFile')} onChange={(e) => void e.target.files?.[0]?.text().then(setCsv)} />
            <button type="button" onClick={() => void submit()} disabled={busy}>{t('batches.send')}</button>
          </div>
        </>
      )}
      {error && <p className="error" role="alert">{error}</p>}
      {id && !current && !error && <p className="muted">{t('common.loading')}</p>}
      {current && id && (
        <div data-testid="batch">
          <h2 className="wrap-anywhere">
            {t('batches.batch', { id: current.batch_id })} <StatusBadge status={current.status} />
          </h2>
          <p className="muted">
            {t('batches.of', { counts: Object.entries(current.counts).map(([k, v]) => `${tr(t, 'status', k)} ${formatNumber(v, lng)}`).join(' · '), total: formatNumber(current.total, lng) })}
          </p>
          <div className="row wrap">
            <label>
              {t('studio.nameBy')}
              <select value={nameBy} onChange={(e) => setNameBy(e.target.value)} data-testid="name-by">
                <option value="">{t('studio.nameByTitle')}</option>
                <option value="text">{t('studio.nameByText')}</option>
                <option value="task_id">{t('studio.nameByTask')}</option>
                {(columns ?? []).map((c) => <option key={c} value={c}>{c}</option>)}
              </select>
            </label>
            <a className="button" href={withToken(zipUrl)} download data-testid="batch-zip">{t('batches.download')}</a>
            {again > 0 && (
              <button type="button" onClick={() => api<Batch>(`/api/batches/${current.batch_id}/retry`, { method: 'POST' }).then(setCurrent, (e) => setError(describeError(e, t)))} data-testid="batch-retry">
                {t('studio.retryRows', { count: again })}
              </button>
            )}
            {current.status !== 'completed' && current.status !== 'canceled' && (
              <ConfirmButton
                label={t('batches.cancel')}
                question={t('confirm.cancelBatch')}
                confirm={t('confirm.cancelConfirm')}
                onConfirm={() => api<Batch>(`/api/batches/${current.batch_id}/cancel`, { method: 'POST' }).then(setCurrent, (e) => setError(describeError(e, t)))}
                testId="batch-cancel"
              />
            )}
          </div>
          <p className="muted small">{t('studio.zipHelp')}</p>
          <div className="table-scroll" tabIndex={0} role="region" aria-label={t('studio.rowsTable')}>
            <table data-testid="batch-rows">
              <thead>
                <tr>
                  <th scope="col">{t('batches.row')}</th>
                  <th scope="col">{t('studio.text')}</th>
                  {columns ? columns.map((c) => <th scope="col" key={c}>{c}</th>) : <th scope="col">{t('batches.metadata')}</th>}
                  <th scope="col">{t('batches.status')}</th>
                  <th scope="col">{t('batches.result')}</th>
                </tr>
              </thead>
              <tbody>
                {current.rows.map((r) => (
                  <tr key={r.task_id}>
                    <td><a href={`#/tasks/${r.task_id}`}>{r.row}</a></td>
                    <td className="row-text">{r.title || r.text || ''}</td>
                    {columns ? columns.map((c) => <td key={c}>{cell((r.metadata as Record<string, unknown> | null)?.[c])}</td>) : <td><code>{cell(r.metadata)}</code></td>}
                    <td><StatusBadge status={r.status} />{r.error && r.status !== 'canceled' ? <span className="bad-text"> {r.error_code ? tr(t, 'errors', r.error_code, r.error) : r.error}</span> : ''}</td>
                    <td>{r.download_url ? <a href={withToken(r.download_url)} download>{t('studio.downloadShort')}<span className="sr-only"> {t('batches.row')} {r.row}</span></a> : ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p><a href="#/batches">{t('studio.allBatches')}</a></p>
        </div>
      )}
      {!id && (
        <>
          <h2>{t('batches.recent')}</h2>
          <ul className="tasks">
            {list.map((b) => (
              <li key={b.batch_id}>
                <a href={`#/batches/${b.batch_id}`} className="wrap-anywhere" data-testid="batch-link">
                  {b.batch_id} · {t('batches.rows', { count: b.total })} · {formatDateTime(b.created_time, lng)} · {tr(t, 'status', b.canceled_time ? 'canceled' : b.completed_time ? 'completed' : 'running')}
                </a>
              </li>
            ))}
            {!list.length && <li className="muted">{t('batches.none')}</li>}
          </ul>
        </>
      )}
    </section>
  );
}
