/**
 * One task, the result first: the player (poster: the avatar's, else the video's first frame;
 * a long script's HLS stream while it renders, hls.js, StreamPlayer.tsx),
 * then progress, timeline, what it was made with, texts, speech, download, duplicate and edit,
 * cancel/retry. Progress shows in the tab title. Live via SSE + polling.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { tr } from '../i18n/tr';
import { api, ApiFailure, describeError, withToken } from '../lib/api';
import { formatDateTime, formatEta, formatSeconds, isFinal } from '../lib/format';
import { applyToStatus } from '../lib/live';
import { overheadSeconds, phaseTimeline } from '../lib/timeline';
import { Segments } from './Segments';
import { StreamPlayer } from './StreamPlayer';
import type { CheckFinding, TaskStatus } from '../lib/types';
import { useLiveTasks } from '../lib/useLive';
import { Progress, StatusBadge } from './widgets';
import { Publications, publishing, type WithPublications } from './Publications';
import { ConfirmButton } from './ConfirmButton';
import { TaskTitle } from './TaskTitle';
import { cancelAndDelete } from './BulkBar';
import { taskTitle } from '../lib/title';

/** A long script runs on its parts' GPUs (its own `gpu_id` stays empty): those, in order. */
const gpusOf = (s: TaskStatus) => (s.segments?.length ? [...new Set(s.segments.flatMap((x) => (x.gpu_id === null ? [] : [x.gpu_id])))].sort((a, b) => a - b).join(', ') || '—' : (s.gpu_id ?? '—'));

/** The captions track's language: the task's text language when the gateway reports one. */
const captionsLang = (language: string | null | undefined) => (language === 'zh' ? 'zh' : 'en');

export function TaskPage({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const tRef = useRef(t);
  tRef.current = t;
  const [s, setS] = useState<TaskStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [acting, setActing] = useState(false);

  const load = useCallback(() => {
    api<TaskStatus>(`/api/status/${id}`).then(
      (r) => {
        setS(r);
        setError(null);
      },
      (e) => setError(e instanceof ApiFailure && e.status === 404 ? tRef.current('task.notFound') : describeError(e, tRef.current)),
    );
  }, [id]);
  useEffect(() => load(), [load]);

  // The tab says how far the task is, so it can be watched from another tab.
  const tabLabel = s ? (isFinal(s.status) ? tr(t, 'status', s.status) : t('task.tabProgress', { value: Math.round(s.progress) })) : null;
  const name = s ? taskTitle(s) : '';
  useEffect(() => {
    if (tabLabel) document.title = `${tabLabel} · ${name || t('nav.task')} · heygem-gateway`;
  }, [tabLabel, name, t]);

  const sRef = useRef(s);
  sRef.current = s;
  useLiveTasks(
    (ev) => {
      if (!sRef.current) return;
      if (ev.task_id !== id) {
        // a segment of this long script moved: the parent's segments, progress and stream with it
        const seg = sRef.current.segments?.find((x) => x.task_id === ev.task_id);
        if (seg && seg.status !== ev.status) load();
        return;
      }
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

  const remove = async () => {
    setActing(true);
    setError(null);
    try {
      await cancelAndDelete(id, sRef.current?.status ?? 'completed');
      window.location.hash = '#/tasks';
    } catch (e) {
      setError(describeError(e, t));
      setActing(false);
    }
  };

  const act = async (what: 'cancel' | 'retry') => {
    setActing(true);
    setError(null);
    try {
      await api(`/api/tasks/${id}/${what}`, { method: 'POST' });
      load();
    } catch (e) {
      setError(describeError(e, t));
    } finally {
      setActing(false);
    }
  };

  if (error && !s) return <section className="card"><h1>{t('task.heading')}</h1><p className="error" role="alert">{error}</p><a href="#/tasks">{t('common.allTasks')}</a></section>;
  if (!s) return <section className="card"><p className="muted">{t('common.loading')}</p></section>;
  const steps = phaseTimeline(s);
  const poster = s.avatar ? withToken(s.avatar.poster_url) : undefined;
  const retries = s.segments?.length ? s.segments.reduce((n, x) => n + x.attempts, 0) : s.attempts;
  const overhead = s.status === 'completed' ? overheadSeconds(s.timing) : null;
  const eta = formatEta(s, t, lng);
  const when = (iso: string | null) => formatDateTime(iso, lng);
  return (
    <section className="card task">
      <div className="row between wrap">
        <TaskTitle id={s.task_id} title={s.title ?? null} text={s.input_text} onSaved={(title) => setS((x) => (x ? { ...x, title } : x))} />
        <span role="status"><StatusBadge status={s.status} /></span>
      </div>
      <p className="muted small">{t('task.heading')} <code>{s.task_id}</code></p>
      {s.result_url && (
        <>
          <h2 className="sr-only" id="video-h">{t('task.video')}</h2>
          {/* #t=0.1: without an avatar poster the browser shows the first frame, not black */}
          <video className="result" controls preload="metadata" poster={poster} src={`${withToken(s.result_url)}${poster ? '' : '#t=0.1'}`} aria-labelledby="video-h" data-testid="result-video">
            {s.captions && <track kind="captions" src={withToken(s.captions.vtt)} srcLang={captionsLang(s.language)} label={t('task.captions')} default />}
          </video>
        </>
      )}
      {/* hls.js gives up on a playlist without segments: the stream is shown once its first part is rendered */}
      {!s.result_url && s.stream_url && !isFinal(s.status) && s.segments?.[0]?.status === 'completed' && <StreamPlayer url={s.stream_url} poster={poster} />}
      <Progress value={s.progress} label={t('common.progress', { label: tr(t, 'status', s.phase), value: s.progress })} />
      <ol className="timeline" aria-label={t('task.phases')}>
        {steps.map((p) => (
          <li key={p.key} className={`step ${p.state}`} data-state={p.state}>
            <span className="dot" aria-hidden="true" />
            <span>{t(p.label)}<span className="sr-only"> ({t(`stepState.${p.state}`)})</span></span>
            {p.seconds !== null && <span className="muted">{formatSeconds(p.seconds, lng)}</span>}
          </li>
        ))}
      </ol>
      {overhead !== null && <p className="muted small">{t('task.overhead', { time: formatSeconds(overhead, lng) })}</p>}
      <dl className="facts">
        <dt>{t('task.gpu')}</dt><dd>{gpusOf(s)}</dd>
        {s.status === 'queued' && <><dt>{t('task.queuePosition')}</dt><dd>{s.queue_position ?? '—'}</dd></>}
        {eta && <><dt>{t('task.readyIn')}</dt><dd data-testid="task-eta">{eta}</dd></>}
        <dt>{t('task.created')}</dt><dd>{when(s.created_time)}</dd>
        <dt>{t('task.started')}</dt><dd>{when(s.start_time)}</dd>
        <dt>{t('task.finished')}</dt><dd>{when(s.finished_time)}</dd>
        {/* `attempts` counts failed tries (retries), not runs: a task done on its first try shows none */}
        {retries > 0 && <><dt>{t('task.attempts')}</dt><dd data-testid="task-retries">{retries}</dd></>}
        {s.avatar ? <><dt>{t('task.avatar')}</dt><dd data-testid="task-avatar">{s.avatar.name}</dd></> : <><dt>{t('task.faceVideo')}</dt><dd>{s.video_name ?? t('task.faceDefault')}</dd></>}
        <dt>{t('task.voice')}</dt><dd data-testid="task-voice">{s.voice?.name ?? t('task.voiceOwn')}</dd>
        {s.language && <><dt>{t('task.language')}</dt><dd data-testid="task-language">{tr(t, 'language', s.language)}</dd></>}
      </dl>
      {s.status === 'canceled' && <p className="notice neutral" data-testid="task-canceled">{t('task.canceled')}</p>}
      {s.error && s.status !== 'canceled' && <p className="error" role="alert" data-testid="task-error"><strong>{s.error_code}</strong>: {s.error_code ? tr(t, 'errors', s.error_code, s.error) : s.error}</p>}
      {!s.error && s.last_error && <p className="notice">{t('task.retrying', { code: s.last_error.code, message: tr(t, 'errors', s.last_error.code, s.last_error.message) })}</p>}
      {s.checks && s.checks.length > 0 && <Checks items={s.checks} />}
      {s.segments && s.segments.length > 0 && <Segments items={s.segments} rendered={s.rendered_speech_seconds} total={s.speech_seconds} />}
      <h2 className="small">{t('task.inputText')}</h2>
      <p className="quote">{s.input_text}</p>
      <h2 className="small">{t('task.spoken')}</h2>
      <p className="quote">{s.normalized_text ?? '—'}</p>
      {s.generated_audio_url && (
        <>
          <h2 className="small" id="speech-h">{t('task.speech')}</h2>
          <audio controls preload="none" src={withToken(s.generated_audio_url)} aria-labelledby="speech-h" data-testid="speech-audio" />
        </>
      )}
      <Publications items={(s as WithPublications).publications} />
      <div className="row actions">
        {s.download_url && <a className="button" href={withToken(s.download_url)} download data-testid="download">{t('task.download')}</a>}
        <a className="button ghost" href={`#/from/${s.task_id}`} data-testid="duplicate">{t('task.duplicate')}</a>
        {s.captions && <a className="button" href={withToken(s.captions.srt)} download data-testid="captions-srt">{t('task.captionsSrt')}</a>}
        {!isFinal(s.status) && <ConfirmButton label={t('common.cancel')} question={t('confirm.cancelTask')} confirm={t('confirm.cancelConfirm')} disabled={acting} onConfirm={() => act('cancel')} testId="cancel" />}
        {(s.status === 'failed' || s.status === 'timeout' || s.status === 'canceled') && <button type="button" disabled={acting} onClick={() => act('retry')}>{t('common.retry')}</button>}
        <ConfirmButton label={t('common.delete')} className="danger" disabled={acting} onConfirm={() => void remove()} testId="delete-task"
          question={isFinal(s.status) ? t('studio.deleteOne', { title: name }) : t('studio.deleteOneRunning', { title: name })} confirm={t('studio.deleteConfirm')} />
        <a href="#/tasks" className="back">{t('common.allTasks')}</a>
      </div>
      {error && <p className="error" role="alert">{error}</p>}
    </section>
  );
}

/** What the output check found in the task's results: each with its GPU and attempt (docs/checks.md). */
function Checks({ items }: { items: CheckFinding[] }) {
  const { t, i18n } = useTranslation();
  return (
    <section aria-labelledby="checks-h" data-testid="task-checks">
      <h2 className="small" id="checks-h">{t('task.checks')}</h2>
      <ul className="checks">
        {items.map((c, i) => (
          <li key={i} data-code={c.code}>
            <strong>{tr(t, 'checkNames', c.code, c.code)}</strong>{' '}
            {c.gpu_id === null ? t('task.checkStitched', { at: formatSeconds(c.at, i18n.language) }) : t('task.checkAt', { at: formatSeconds(c.at, i18n.language), gpu: c.gpu_id, attempt: c.attempt })}
            <span className="muted small"> — {c.detail}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
