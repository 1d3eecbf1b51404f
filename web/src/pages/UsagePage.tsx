/**
 * Usage (docs/templates.md, "Usage"): seconds of video delivered and GPU seconds used per UTC day
 * of a month as a bar chart (axes in seconds), totals per key (an admin key sees every key), this
 * key's budgets and what is left, and the month as CSV.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { getApiKey, api, describeError } from '../lib/api';
import { formatNumber } from '../lib/format';
import { axisTicks, fillDays, type UsageDay } from '../lib/usage';

interface Totals { video_seconds: number; gpu_seconds: number; tts_seconds: number; render_seconds: number; videos: number }
interface Me { key_id: string | null; used: Totals; budget: { max_video_seconds_per_month: number | null; max_gpu_seconds_per_month: number | null } | null; left: { video_seconds: number | null; gpu_seconds: number | null } | null }

/** [from, to) of the UTC month `offset` months from now, as dates. */
function monthRange(offset: number): { from: string; to: string } {
  const n = new Date();
  const iso = (y: number, m: number) => new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
  return { from: iso(n.getUTCFullYear(), n.getUTCMonth() + offset), to: iso(n.getUTCFullYear(), n.getUTCMonth() + offset + 1) };
}

const W = 640;
const H = 240;
const M = { left: 56, right: 12, top: 12, bottom: 40 };

function Chart({ days, lng }: { days: UsageDay[]; lng: string }) {
  const { t } = useTranslation();
  const ticks = axisTicks(Math.max(0, ...days.map((d) => Math.max(d.video_seconds, d.gpu_seconds))));
  const top = ticks[ticks.length - 1];
  const iw = W - M.left - M.right;
  const ih = H - M.top - M.bottom;
  const y = (v: number) => M.top + ih - (v / top) * ih;
  const slot = iw / Math.max(1, days.length);
  const bw = Math.max(1, slot / 2 - 1);
  return (
    <svg viewBox={`0 0 ${W} ${H}`} className="usage-chart" role="img" aria-label={t('usage.chartLabel')} data-testid="usage-chart">
      {ticks.map((v) => (
        <g key={v}>
          <line x1={M.left} x2={W - M.right} y1={y(v)} y2={y(v)} className="grid" />
          <text x={M.left - 6} y={y(v) + 4} textAnchor="end" className="tick">{formatNumber(v, lng)}</text>
        </g>
      ))}
      <text x={14} y={M.top + ih / 2} transform={`rotate(-90 14 ${M.top + ih / 2})`} textAnchor="middle" className="axis-title">{t('usage.yAxis')}</text>
      {days.map((d, i) => {
        const x = M.left + i * slot;
        return (
          <g key={d.day}>
            <title>{t('usage.barTitle', { day: d.day, video: formatNumber(d.video_seconds, lng), gpu: formatNumber(d.gpu_seconds, lng) })}</title>
            <rect x={x + 1} y={y(d.video_seconds)} width={bw} height={M.top + ih - y(d.video_seconds)} className="video" />
            <rect x={x + 1 + bw} y={y(d.gpu_seconds)} width={bw} height={M.top + ih - y(d.gpu_seconds)} className="gpu" />
            {(i % 5 === 0 || i === days.length - 1) && <text x={x + slot / 2} y={H - M.bottom + 16} textAnchor="middle" className="tick">{d.day.slice(8)}</text>}
          </g>
        );
      })}
      <line x1={M.left} x2={W - M.right} y1={M.top + ih} y2={M.top + ih} className="axis" />
      <line x1={M.left} x2={M.left} y1={M.top} y2={M.top + ih} className="axis" />
      <text x={M.left + iw / 2} y={H - 4} textAnchor="middle" className="axis-title">{t('usage.xAxis')}</text>
    </svg>
  );
}

export function UsagePage() {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const [offset, setOffset] = useState(0);
  const [days, setDays] = useState<UsageDay[] | null>(null);
  const [keys, setKeys] = useState<Array<Totals & { key_id: string | null; key_name?: string | null }>>([]);
  const [me, setMe] = useState<Me | null>(null);
  const [error, setError] = useState<string | null>(null);
  const range = monthRange(offset);
  const q = new URLSearchParams(range).toString();

  useEffect(() => {
    setError(null);
    const fail = (e: unknown) => setError(describeError(e, t));
    api<{ items: UsageDay[] }>(`/api/usage?group_by=day&${q}`).then((r) => setDays(fillDays(r.items, range.from, range.to)), fail);
    api<{ items: Array<Totals & { key_id: string | null; key_name?: string | null }> }>(`/api/usage?group_by=key&${q}`).then((r) => setKeys(r.items), fail);
    api<Me>('/api/usage/me').then(setMe, fail);
  }, [q, t]); // eslint-disable-line react-hooks/exhaustive-deps

  // A download the browser makes itself cannot send the API key header: fetch, then save.
  const download = async () => {
    const key = getApiKey();
    const res = await fetch(`/api/usage?group_by=day&format=csv&${q}`, { headers: key ? { authorization: `Bearer ${key}` } : {} });
    if (!res.ok) return setError(t('usage.downloadFailed'));
    const a = document.createElement('a');
    a.href = URL.createObjectURL(await res.blob());
    a.download = `usage-${range.from}.csv`;
    a.click();
    URL.revokeObjectURL(a.href);
  };
  const s = (v: number | null | undefined) => (v === null || v === undefined ? '—' : t('usage.seconds', { n: formatNumber(v, lng) }));

  return (
    <section className="card usage">
      <div className="row between wrap">
        <h1>{t('usage.title')}</h1>
        <label>{t('usage.month')}{' '}
          <select value={offset} onChange={(e) => setOffset(Number(e.target.value))} data-testid="usage-month">
            <option value={0}>{t('usage.thisMonth')}</option>
            <option value={-1}>{t('usage.lastMonth')}</option>
          </select>
        </label>
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      {me && (
        <dl className="facts" data-testid="usage-me">
          <dt>{t('usage.videoUsed')}</dt><dd>{s(me.used.video_seconds)}</dd>
          <dt>{t('usage.gpuUsed')}</dt><dd>{s(me.used.gpu_seconds)}</dd>
          <dt>{t('usage.videoLeft')}</dt><dd>{me.budget ? s(me.left?.video_seconds) : t('usage.noBudget')}</dd>
          <dt>{t('usage.gpuLeft')}</dt><dd>{me.budget ? s(me.left?.gpu_seconds) : t('usage.noBudget')}</dd>
        </dl>
      )}
      <div className="row wrap legend">
        <span><i className="swatch video" /> {t('usage.video')}</span>
        <span><i className="swatch gpu" /> {t('usage.gpu')}</span>
        <button type="button" className="ghost small" onClick={() => void download()} data-testid="usage-csv">{t('usage.downloadCsv')}</button>
      </div>
      {days === null ? <p className="muted">{t('common.loading')}</p> : <Chart days={days} lng={lng} />}
      <h2 className="small">{t('usage.byKey')}</h2>
      <table>
        <thead><tr><th>{t('usage.key')}</th><th>{t('usage.video')}</th><th>{t('usage.gpu')}</th><th>{t('usage.videos')}</th></tr></thead>
        <tbody>
          {keys.map((k) => (
            <tr key={k.key_id ?? '-'}><td>{k.key_name ? <>{k.key_name} <code>{k.key_id}</code></> : <code>{k.key_id ?? t('usage.noKey')}</code>}</td><td>{s(k.video_seconds)}</td><td>{s(k.gpu_seconds)}</td><td>{formatNumber(k.videos, lng)}</td></tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
