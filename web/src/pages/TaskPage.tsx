/** One task: timeline, texts, speech, video, download, error, cancel/retry. Live via SSE + polling. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiFailure, describeError, withToken } from '../lib/api';
import { formatEta, formatSeconds, isFinal } from '../lib/format';
import { applyToStatus } from '../lib/live';
import { overheadSeconds, phaseTimeline } from '../lib/timeline';
import { Segments } from './Segments';
import type { TaskStatus } from '../lib/types';
import { useLiveTasks } from '../lib/useLive';
import { Progress, StatusBadge } from './widgets';
import { Publications, publishing, type WithPublications } from './Publications';

const STATE_TEXT = { done: 'done', active: 'in progress', pending: 'not started', failed: 'ended' } as const;
const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '—');

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
      (e) => setError(e instanceof ApiFailure && e.status === 404 ? 'No such task (or it has been removed).' : describeError(e)),
    );
  }, [id]);
  useEffect(() => load(), [load]);

  const sRef = useRef(s);
  sRef.current = s;
  useLiveTasks(
    (ev) => {
      if (ev.task_id !== id || !sRef.current) return;
      const { next, refetch } = applyToStatus(sRef.current, ev);
      setS(next);
      if (refetch) load();
    },
    () => sRef.current && !isFinal(sRef.current.status) && load(),
    1500,
  );

  // Publications change without task events, and the live stream stops the fallback polling:
  // follow them by polling while any upload can still change.
  const uploading = s ? publishing(s as WithPublications) : false;
  useEffect(() => {
    if (!uploading) return;
    const timer = setInterval(load, 1500);
    return () => clearInterval(timer);
  }, [uploading, load]);

  const act = async (what: 'cancel' | 'retry') => {
    setActing(true);
    setError(null);
    try {
      await api(`/api/tasks/${id}/${what}`, { method: 'POST' });
      load();
    } catch (e) {
      setError(describeError(e));
    } finally {
      setActing(false);
    }
  };

  if (error && !s) return <section className="card"><h1>Task</h1><p className="error" role="alert">{error}</p><a href="#/tasks">All tasks</a></section>;
  if (!s) return <section className="card"><p className="muted">Loading…</p></section>;
  const steps = phaseTimeline(s);
  const overhead = s.status === 'completed' ? overheadSeconds(s.timing) : null;
  return (
    <section className="card task">
      <div className="row between wrap">
        <h1>Task <code>{s.task_id}</code></h1>
        <span role="status"><StatusBadge status={s.status} /></span>
      </div>
      <Progress value={s.progress} label={`${s.phase} ${s.progress}%`} />
      <ol className="timeline" aria-label="Phases">
        {steps.map((p) => (
          <li key={p.key} className={`step ${p.state}`} data-state={p.state}>
            <span className="dot" aria-hidden="true" />
            <span>{p.label}<span className="sr-only"> ({STATE_TEXT[p.state]})</span></span>
            {p.seconds !== null && <span className="muted">{formatSeconds(p.seconds)}</span>}
          </li>
        ))}
      </ol>
      {overhead !== null && <p className="muted small">Preparing and collecting together: {formatSeconds(overhead)}</p>}
      <dl className="facts">
        <dt>GPU</dt><dd>{s.gpu_id ?? '—'}</dd>
        {s.status === 'queued' && <><dt>Queue position</dt><dd>{s.queue_position ?? '—'}</dd></>}
        {formatEta(s) && <><dt>Ready in</dt><dd data-testid="task-eta">{formatEta(s)}</dd></>}
        <dt>Created</dt><dd>{when(s.created_time)}</dd>
        <dt>Started</dt><dd>{when(s.start_time)}</dd>
        <dt>Finished</dt><dd>{when(s.finished_time)}</dd>
        <dt>Attempts</dt><dd>{s.attempts}</dd>
        <dt>Face video</dt><dd>{s.video_name ?? 'default'}</dd>
      </dl>
      {s.error && <p className="error" role="alert" data-testid="task-error"><strong>{s.error_code}</strong>: {s.error}</p>}
      {!s.error && s.last_error && <p className="notice">Retrying after {s.last_error.code}: {s.last_error.message}</p>}
      {s.segments && s.segments.length > 0 && <Segments items={s.segments} rendered={s.rendered_speech_seconds} total={s.speech_seconds} />}
      <h2 className="small">Input text</h2>
      <p className="quote">{s.input_text}</p>
      <h2 className="small">What the voice says</h2>
      <p className="quote">{s.normalized_text ?? '—'}</p>
      {s.generated_audio_url && (
        <>
          <h2 className="small" id="speech-h">Speech</h2>
          <audio controls preload="none" src={withToken(s.generated_audio_url)} aria-labelledby="speech-h" data-testid="speech-audio" />
        </>
      )}
      {s.result_url && (
        <>
          <h2 className="small" id="video-h">Video</h2>
          <video className="result" controls preload="metadata" src={withToken(s.result_url)} aria-labelledby="video-h" data-testid="result-video">
            {s.captions && <track kind="captions" src={withToken(s.captions.vtt)} srcLang="en" label="Captions" default />}
          </video>
        </>
      )}
      <Publications items={(s as WithPublications).publications} />
      <div className="row actions">
        {s.download_url && <a className="button" href={withToken(s.download_url)} download data-testid="download">Download MP4</a>}
        {s.captions && <a className="button" href={withToken(s.captions.srt)} download data-testid="captions-srt">Captions (SRT)</a>}
        {!isFinal(s.status) && <button type="button" disabled={acting} onClick={() => act('cancel')}>Cancel</button>}
        {(s.status === 'failed' || s.status === 'timeout' || s.status === 'canceled') && <button type="button" disabled={acting} onClick={() => act('retry')}>Retry</button>}
        <a href="#/tasks" className="back">All tasks</a>
      </div>
      {error && <p className="error" role="alert">{error}</p>}
    </section>
  );
}
