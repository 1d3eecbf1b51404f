/** One task: timeline, texts, speech, video, download, error, cancel/retry. Live via SSE + polling. */
import { useCallback, useEffect, useState } from 'react';
import { api, withToken } from '../lib/api';
import { formatSeconds, isFinal } from '../lib/format';
import { phaseTimeline } from '../lib/timeline';
import type { TaskStatus } from '../lib/types';
import { useLiveTasks } from '../lib/useLive';
import { Progress, StatusBadge } from './widgets';

export function TaskPage({ id }: { id: string }) {
  const [s, setS] = useState<TaskStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [acting, setActing] = useState(false);

  const load = useCallback(() => {
    api<TaskStatus>(`/api/status/${id}`).then(
      (r) => {
        setS(r);
        setError(null);
      },
      (e: Error) => setError(e.message),
    );
  }, [id]);
  useEffect(() => load(), [load]);
  useLiveTasks((ev) => ev.task_id === id && load(), () => s && !isFinal(s.status) && load(), 1500);

  const act = async (what: 'cancel' | 'retry') => {
    setActing(true);
    try {
      await api(`/api/tasks/${id}/${what}`, { method: 'POST' });
      load();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setActing(false);
    }
  };

  if (error && !s) return <section className="card"><h1>Task</h1><p className="error" role="alert">{error}</p></section>;
  if (!s) return <section className="card"><p className="muted">Loading…</p></section>;
  const steps = phaseTimeline(s);
  return (
    <section className="card task">
      <div className="row between">
        <h1>Task <code>{s.task_id}</code></h1>
        <StatusBadge status={s.status} />
      </div>
      <Progress value={s.progress} label={`${s.phase} ${s.progress}%`} />
      <ol className="timeline" aria-label="Phases">
        {steps.map((p) => (
          <li key={p.key} className={`step ${p.state}`}>
            <span className="dot" aria-hidden="true" />
            <span>{p.label}</span>
            <span className="muted">{p.seconds !== null ? formatSeconds(p.seconds) : ''}</span>
          </li>
        ))}
      </ol>
      <dl className="facts">
        <dt>GPU</dt><dd>{s.gpu_id ?? '—'}</dd>
        <dt>Queue position</dt><dd>{s.queue_position ?? '—'}</dd>
        <dt>Attempts</dt><dd>{s.attempts}</dd>
        <dt>Face video</dt><dd>{s.video_name ?? 'default'}</dd>
      </dl>
      {s.error && <p className="error" role="alert" data-testid="task-error"><strong>{s.error_code}</strong>: {s.error}</p>}
      {!s.error && s.last_error && <p className="notice">Retrying after {s.last_error.code}: {s.last_error.message}</p>}
      <h2 className="small">Input text</h2>
      <p className="quote">{s.input_text}</p>
      <h2 className="small">What the voice says</h2>
      <p className="quote">{s.normalized_text ?? '—'}</p>
      {s.generated_audio_url && (
        <>
          <h2 className="small">Speech</h2>
          <audio controls preload="none" src={withToken(s.generated_audio_url)} />
        </>
      )}
      {s.result_url && (
        <>
          <h2 className="small">Video</h2>
          <video className="result" controls preload="metadata" src={withToken(s.result_url)} data-testid="result-video" />
        </>
      )}
      <div className="row actions">
        {s.download_url && <a className="button" href={withToken(s.download_url)} download data-testid="download">Download MP4</a>}
        {!isFinal(s.status) && <button type="button" disabled={acting} onClick={() => act('cancel')}>Cancel</button>}
        {(s.status === 'failed' || s.status === 'timeout' || s.status === 'canceled') && <button type="button" disabled={acting} onClick={() => act('retry')}>Retry</button>}
      </div>
      {error && <p className="error" role="alert">{error}</p>}
    </section>
  );
}
