/**
 * The segments of a long script on a shared time axis: for each one its GPU, its speech (light)
 * and render (dark) spans, its state and attempts — what ran where, and when.
 */
import { useTranslation } from 'react-i18next';
import { formatSeconds } from '../lib/format';
import type { SegmentView } from '../lib/types';
import { StatusBadge } from './widgets';

const ms = (t: string | null) => (t ? Date.parse(t) : null);

export function Segments({ items, rendered, total }: { items: SegmentView[]; rendered?: number; total?: number | null }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const done = items.filter((s) => s.status === 'completed').length;
  const times = items.flatMap((s) => [ms(s.start_time), ms(s.finished_time)]).filter((t): t is number => t !== null);
  const t0 = times.length ? Math.min(...times) : 0;
  const t1 = Math.max(t0 + 1, ...times, Date.now());
  const pct = (t: number | null) => (t === null ? null : ((t - t0) / (t1 - t0)) * 100);
  return (
    <>
      <h2 className="small" id="segments-h">
        {total
          ? t('segments.titleSpeech', { done, total: items.length, rendered: formatSeconds(rendered ?? 0, lng), speech: formatSeconds(total, lng) })
          : t('segments.title', { done, total: items.length })}
      </h2>
      <ol className="segments" aria-labelledby="segments-h" data-testid="segments">
        {items.map((s) => {
          const a = pct(ms(s.tts_started_time) ?? ms(s.start_time));
          const b = pct(ms(s.render_started_time) ?? ms(s.tts_ended_time));
          const c = pct(ms(s.finished_time)) ?? (s.render_started_time ? 100 : null);
          return (
            <li key={s.task_id} className="segment" data-state={s.status}>
              <span className="seg-label">#{s.index + 1} · {t('common.gpu', { id: s.gpu_id ?? '—' })}{s.speech_seconds !== null ? ` · ${formatSeconds(s.speech_seconds, lng)}` : ''}{s.attempts ? ` · ${t('segments.retries', { count: s.attempts })}` : ''}</span>
              <span className="seg-bar" aria-hidden="true">
                {a !== null && b !== null && <span className="seg-tts" style={{ left: `${a}%`, width: `${Math.max(0.5, b - a)}%` }} />}
                {b !== null && c !== null && <span className="seg-render" style={{ left: `${b}%`, width: `${Math.max(0.5, c - b)}%` }} />}
              </span>
              <StatusBadge status={s.status} />
              {s.error && <span className="error small"> {s.error}</span>}
            </li>
          );
        })}
      </ol>
    </>
  );
}
