/** Stats: throughput, outcomes, phase percentiles and slot utilization from GET /api/stats. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, describeError } from '../lib/api';
import { formatDateTime, formatNumber, formatPercent, formatSeconds } from '../lib/format';

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
  { label: 'hour', ms: 3_600_000, bucket: '5m' },
  { label: 'day', ms: 86_400_000, bucket: '1h' },
  { label: 'week', ms: 7 * 86_400_000, bucket: '1d' },
] as const;

const UNIT = { '5m': 'studio.unit5m', '1h': 'studio.unit1h', '1d': 'studio.unit1d' } as const;

export function StatsPage() {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const [w, setW] = useState(1);
  const [s, setS] = useState<StatsView | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const to = new Date();
    const from = new Date(to.getTime() - WINDOWS[w].ms);
    const q = new URLSearchParams({ from: from.toISOString(), to: to.toISOString(), bucket: WINDOWS[w].bucket });
    api<StatsView>(`/api/stats?${q}`).then(setS, (e: unknown) => setError(describeError(e, t)));
  }, [w, t]);
  if (!s) return <section className="card">{error ? <p className="error">{error}</p> : <p className="muted">{t('common.loading')}</p>}</section>;
  const pct = (f: number) => formatPercent(f, lng);
  const n = (v: number) => formatNumber(v, lng);
  // an even top of at least 2: the middle tick is a whole number of tasks, never the top repeated
  const peak = Math.max(2, 2 * Math.ceil(Math.max(0, ...s.throughput.map((b) => b.completed + b.failed + b.canceled)) / 2));
  return (
    <section className="card stats">
      <div className="row between">
        <h1>{t('stats.title')}</h1>
        <label>
          {t('stats.window')}{' '}
          <select value={w} onChange={(e) => setW(Number(e.target.value))}>
            {WINDOWS.map((x, i) => <option key={x.label} value={i}>{t(`stats.windows.${x.label}`)}</option>)}
          </select>
        </label>
      </div>
      <dl className="facts" data-testid="stats-totals">
        <dt>{t('stats.completed')}</dt><dd>{n(s.totals.completed)}</dd>
        <dt>{t('stats.failed')}</dt><dd>{n(s.totals.failed)}</dd>
        <dt>{t('stats.canceled')}</dt><dd>{n(s.totals.canceled)}</dd>
        <dt>{t('stats.successRate')}</dt><dd>{s.totals.success_rate === null ? '—' : pct(s.totals.success_rate)}</dd>
      </dl>
      <h2 className="small">{t('stats.throughput')}</h2>
      {/* axes: tasks ended per step (0, half, peak) up the side, the window's first and last step along the bottom */}
      <div className="chart" data-testid="throughput-chart">
        <span className="axis-title y">{t('studio.chartY')}</span>
        <div className="y-axis" aria-hidden="true"><span>{n(peak)}</span><span>{n(peak / 2)}</span><span>0</span></div>
        <div className="bars" role="img" aria-label={t('stats.throughputLabel')}>
          {s.throughput.map((b) => (
            <div key={b.start} className="bar" title={t('stats.bar', { time: formatDateTime(b.start, lng), completed: n(b.completed), failed: n(b.failed) })}>
              <div className="ok" style={{ height: `${(b.completed / peak) * 100}%` }} />
              <div className="bad" style={{ height: `${((b.failed + b.canceled) / peak) * 100}%` }} />
            </div>
          ))}
        </div>
        <div className="x-axis" aria-hidden="true">
          <span>{s.throughput.length ? formatDateTime(s.throughput[0].start, lng) : ''}</span>
          <span>{s.throughput.length ? formatDateTime(s.throughput[s.throughput.length - 1].start, lng) : ''}</span>
        </div>
        <span className="axis-title x">{t('studio.chartX', { unit: t(UNIT[WINDOWS[w].bucket]) })}</span>
      </div>
      <h2 className="small">{t('stats.phases')}</h2>
      <table>
        <thead><tr><th>{t('stats.phase')}</th><th>p50</th><th>p95</th><th>{t('stats.measured')}</th></tr></thead>
        <tbody>
          {(['queue', 'tts', 'render', 'total'] as const).map((k) => (
            <tr key={k}><td>{t(`stats.phaseNames.${k}`)}</td><td>{formatSeconds(s.durations_seconds[k].p50, lng)}</td><td>{formatSeconds(s.durations_seconds[k].p95, lng)}</td><td>{n(s.durations_seconds[k].count)}</td></tr>
          ))}
        </tbody>
      </table>
      {/* the outcomes above count tasks; phase times are measured where the work ran (per part) */}
      <p className="muted small">{t('stats.measuredNote')}</p>
      <h2 className="small">{t('stats.failures')}</h2>
      {Object.keys(s.failures_by_code).length ? (
        <ul>{Object.entries(s.failures_by_code).map(([code, f]) => <li key={code}><code>{code}</code>: {n(f.count)} ({pct(f.rate)})</li>)}</ul>
      ) : <p className="muted">{t('stats.noFailures')}</p>}
      <h2 className="small">{t('stats.utilization')}</h2>
      {Object.entries(s.slots).map(([id, u]) => (
        <div key={id} className="util">
          <span>{t('common.gpu', { id })}</span>
          <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(u.utilization * 100)} aria-label={t('stats.utilizationLabel', { id })}>
            <div style={{ width: `${u.utilization * 100}%` }} />
          </div>
          <span className="muted">{pct(u.utilization)}</span>
        </div>
      ))}
    </section>
  );
}
