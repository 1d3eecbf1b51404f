/**
 * Batches: send a CSV (file or pasted), see this key's batches, and follow one — counts, every
 * row's status and result, the ZIP of all finished videos, cancel. Polls while a batch runs.
 */
import { useCallback, useEffect, useState } from 'react';
import { api, describeError, getApiKey, withToken } from '../lib/api';
import { StatusBadge } from './widgets';

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

async function sendCsv(csv: string): Promise<Batch> {
  const key = getApiKey();
  const res = await fetch('/api/batches', { method: 'POST', headers: { 'content-type': 'text/csv', ...(key ? { authorization: `Bearer ${key}` } : {}) }, body: csv });
  const body = (await res.json()) as Batch & { error?: string; errors?: Array<{ row: number; message: string }> };
  if (!res.ok) throw new Error([body.error, ...(body.errors ?? []).slice(0, 5).map((e) => `row ${e.row}: ${e.message}`)].filter(Boolean).join(' · '));
  return body;
}

export function BatchesPage() {
  const [list, setList] = useState<BatchListItem[]>([]);
  const [current, setCurrent] = useState<Batch | null>(null);
  const [csv, setCsv] = useState('text\n');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const loadList = useCallback(() => {
    api<{ items: BatchListItem[] }>('/api/batches?limit=20').then((r) => setList(r.items), (e) => setError(describeError(e)));
  }, []);
  useEffect(() => loadList(), [loadList]);

  const open = useCallback((id: string) => {
    api<Batch>(`/api/batches/${id}`).then(setCurrent, (e) => setError(describeError(e)));
  }, []);
  // follow a running batch
  useEffect(() => {
    if (!current || current.status === 'completed' || current.status === 'canceled') return;
    const t = setTimeout(() => open(current.batch_id), 2000);
    return () => clearTimeout(t);
  }, [current, open]);

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const b = await sendCsv(csv);
      setCurrent(b);
      loadList();
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card">
      <h1>Batches</h1>
      <label>
        CSV (a header with <code>text</code>; optional <code>avatar_id</code>, <code>voice_id</code>; other columns are kept as metadata)
        <textarea rows={6} value={csv} onChange={(e) => setCsv(e.target.value)} aria-label="CSV rows" />
      </label>
      <div className="row">
        <input type="file" accept=".csv,text/csv" aria-label="CSV file" onChange={(e) => void e.target.files?.[0]?.text().then(setCsv)} />
        <button type="button" onClick={() => void submit()} disabled={busy}>Send batch</button>
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      {current && (
        <div data-testid="batch">
          <h2>
            Batch {current.batch_id} <StatusBadge status={current.status} />
          </h2>
          <p className="muted">
            {Object.entries(current.counts).map(([k, v]) => `${k} ${v}`).join(' · ')} of {current.total}
          </p>
          <div className="row">
            <a href={withToken(current.results_url)} download>Download finished videos (ZIP)</a>
            {current.status !== 'completed' && current.status !== 'canceled' && (
              <button type="button" onClick={() => api<Batch>(`/api/batches/${current.batch_id}/cancel`, { method: 'POST' }).then(setCurrent, (e) => setError(describeError(e)))}>
                Cancel batch
              </button>
            )}
          </div>
          <table>
            <thead>
              <tr><th>Row</th><th>Status</th><th>Metadata</th><th>Result</th></tr>
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
      <h2>Recent batches</h2>
      <ul className="tasks">
        {list.map((b) => (
          <li key={b.batch_id}>
            <button type="button" className="link" onClick={() => open(b.batch_id)}>
              {b.batch_id} · {b.total} rows · {new Date(b.created_time).toLocaleString()} · {b.canceled_time ? 'canceled' : b.completed_time ? 'completed' : 'running'}
            </button>
          </li>
        ))}
        {!list.length && <li className="muted">No batches yet.</li>}
      </ul>
    </section>
  );
}
