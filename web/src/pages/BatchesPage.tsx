/**
 * Batches: send a CSV (file or pasted), see this key's batches, and follow one — counts, every
 * row's status and result, the ZIP of all finished videos, cancel. Polls while a batch runs.
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
  download_url: string | null;
  metadata: unknown;
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

export function BatchesPage() {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const tRef = useRef(t);
  tRef.current = t;
  const [list, setList] = useState<BatchListItem[]>([]);
  const [current, setCurrent] = useState<Batch | null>(null);
  const [csv, setCsv] = useState('text\n');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const loadList = useCallback(() => {
    api<{ items: BatchListItem[] }>('/api/batches?limit=20').then((r) => setList(r.items), (e) => setError(describeError(e, tRef.current)));
  }, []);
  useEffect(() => loadList(), [loadList]);

  const open = useCallback((id: string) => {
    api<Batch>(`/api/batches/${id}`).then(setCurrent, (e) => setError(describeError(e, tRef.current)));
  }, []);
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
      loadList();
    } catch (e) {
      setError(describeSendError(e, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card">
      <h1>{t('batches.title')}</h1>
      <label>
        <Trans i18nKey="batches.csvHelp" t={t} components={[<code />, <code />, <code />]} />
        <textarea rows={6} value={csv} onChange={(e) => setCsv(e.target.value)} aria-label={t('batches.csvRows')} />
      </label>
      <div className="row">
        <input type="file" accept=".csv,text/csv" aria-label={t('batches.csvFile')} onChange={(e) => void e.target.files?.[0]?.text().then(setCsv)} />
        <button type="button" onClick={() => void submit()} disabled={busy}>{t('batches.send')}</button>
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      {current && (
        <div data-testid="batch">
          <h2>
            {t('batches.batch', { id: current.batch_id })} <StatusBadge status={current.status} />
          </h2>
          <p className="muted">
            {t('batches.of', { counts: Object.entries(current.counts).map(([k, v]) => `${tr(t, 'status', k)} ${formatNumber(v, lng)}`).join(' · '), total: formatNumber(current.total, lng) })}
          </p>
          <div className="row">
            <a href={withToken(current.results_url)} download>{t('batches.download')}</a>
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
          <table>
            <thead>
              <tr><th>{t('batches.row')}</th><th>{t('batches.status')}</th><th>{t('batches.metadata')}</th><th>{t('batches.result')}</th></tr>
            </thead>
            <tbody>
              {current.rows.map((r) => (
                <tr key={r.task_id}>
                  <td><a href={`#/tasks/${r.task_id}`}>{r.row}</a></td>
                  <td><StatusBadge status={r.status} />{r.error ? ` ${r.error}` : ''}</td>
                  <td><code>{r.metadata === null ? '' : JSON.stringify(r.metadata)}</code></td>
                  <td>{r.download_url ? <a href={withToken(r.download_url)}>MP4</a> : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>{t('batches.recent')}</h2>
      <ul className="tasks">
        {list.map((b) => (
          <li key={b.batch_id}>
            <button type="button" className="link" onClick={() => open(b.batch_id)}>
              {b.batch_id} · {t('batches.rows', { count: b.total })} · {formatDateTime(b.created_time, lng)} · {tr(t, 'status', b.canceled_time ? 'canceled' : b.completed_time ? 'completed' : 'running')}
            </button>
          </li>
        ))}
        {!list.length && <li className="muted">{t('batches.none')}</li>}
      </ul>
    </section>
  );
}
