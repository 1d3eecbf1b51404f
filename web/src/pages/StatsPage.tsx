/** Stats: throughput, outcomes, phase percentiles and slot utilization from GET /api/stats. */
import { useEffect, useState } from 'react';
import { api } from '../lib/api';
import { formatSeconds } from '../lib/format';

interface Summary {
  count: number;
  p50: number | null;
  p95: number | null;
}
interface StatsView {
  totals: { completed: number; failed: number; canceled: number; success_rate: number | null };
  failures_by_code: Record<string, { count: number; rate: number }>;
  durations_seconds: Record<'queue' | 'tts' | 'render' | 'total', Summary>;
  slots: Record<string, { busy_seconds: number; utilization: number }>;
  throughput: Array<{ start: string; completed: number; failed: number; canceled: number }>;
}

const WINDOWS = [
  { label: 'Last hour', ms: 3_600_000, bucket: '5m' },
  { label: 'Last 24 hours', ms: 86_400_000, bucket: '1h' },
  { label: 'Last 7 days', ms: 7 * 86_400_000, bucket: '1d' },
];

export function StatsPage() {
  const [w, setW] = useState(1);
  const [s, setS] = useState<StatsView | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const to = new Date();
    const from = new Date(to.getTime() - WINDOWS[w].ms);
    const q = new URLSearchParams({ from: from.toISOString(), to: to.toISOString(), bucket: WINDOWS[w].bucket });
    api<StatsView>(`/api/stats?${q}`).then(setS, (e: Error) => setError(e.message));
  }, [w]);
  if (!s) return <section className="card">{error ? <p className="error">{error}</p> : <p className="muted">Loading…</p>}</section>;
  const peak = Math.max(1, ...s.throughput.map((b) => b.completed + b.failed + b.canceled));
  return (
    <section className="card stats">
      <div className="row between">
        <h1>Stats</h1>
        <label>
          Window{' '}
          <select value={w} onChange={(e) => setW(Number(e.target.value))}>
            {WINDOWS.map((x, i) => <option key={x.label} value={i}>{x.label}</option>)}
          </select>
        </label>
      </div>
      <dl className="facts" data-testid="stats-totals">
        <dt>Completed</dt><dd>{s.totals.completed}</dd>
        <dt>Failed</dt><dd>{s.totals.failed}</dd>
        <dt>Canceled</dt><dd>{s.totals.canceled}</dd>
        <dt>Success rate</dt><dd>{s.totals.success_rate === null ? '—' : `${(s.totals.success_rate * 100).toFixed(1)}%`}</dd>
      </dl>
      <h2 className="small">Throughput</h2>
      <div className="bars" role="img" aria-label="Tasks finished per interval">
        {s.throughput.map((b) => (
          <div key={b.start} className="bar" title={`${new Date(b.start).toLocaleString()}: ${b.completed} completed, ${b.failed} failed`}>
            <div className="ok" style={{ height: `${(b.completed / peak) * 100}%` }} />
            <div className="bad" style={{ height: `${((b.failed + b.canceled) / peak) * 100}%` }} />
          </div>
        ))}
      </div>
      <h2 className="small">Time per phase (completed tasks)</h2>
      <table>
        <thead><tr><th>phase</th><th>p50</th><th>p95</th><th>tasks</th></tr></thead>
        <tbody>
          {(['queue', 'tts', 'render', 'total'] as const).map((k) => (
            <tr key={k}><td>{k}</td><td>{formatSeconds(s.durations_seconds[k].p50)}</td><td>{formatSeconds(s.durations_seconds[k].p95)}</td><td>{s.durations_seconds[k].count}</td></tr>
          ))}
        </tbody>
      </table>
      <h2 className="small">Failures by code</h2>
      {Object.keys(s.failures_by_code).length ? (
        <ul>{Object.entries(s.failures_by_code).map(([code, f]) => <li key={code}><code>{code}</code>: {f.count} ({(f.rate * 100).toFixed(1)}%)</li>)}</ul>
      ) : <p className="muted">No failures in this window.</p>}
      <h2 className="small">GPU slot utilization</h2>
      {Object.entries(s.slots).map(([id, u]) => (
        <div key={id} className="util">
          <span>GPU {id}</span>
          <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(u.utilization * 100)} aria-label={`GPU ${id} utilization`}>
            <div style={{ width: `${u.utilization * 100}%` }} />
          </div>
          <span className="muted">{(u.utilization * 100).toFixed(1)}%</span>
        </div>
      ))}
    </section>
  );
}
