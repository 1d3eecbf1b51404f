/**
 * GPUs & queue: one card per slot with its task's live progress, the queue in order with wait
 * times. /api/queue is polled (slot health and telemetry have no events); task progress also
 * arrives by SSE between polls.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { tr } from '../i18n/tr';
import { api, describeError } from '../lib/api';
import { queueTasks, slotTaskIds, type QueueItem } from '../lib/farm';
import { formatEta, formatNumber, formatPercent, formatTime, formatWait } from '../lib/format';
import { throttle } from '../lib/live';
import type { QueueView, SlotView, TaskSummary } from '../lib/types';
import { useLiveTasks } from '../lib/useLive';
import { Progress, StatusBadge } from './widgets';

const POLL_MS = 2000;

export function FarmPage() {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const tRef = useRef(t);
  tRef.current = t;
  const [q, setQ] = useState<QueueView | null>(null);
  const [running, setRunning] = useState<Record<string, TaskSummary>>({});
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    api<QueueView>('/api/queue').then((r) => { setQ(r); setError(null); }, (e) => setError(describeError(e, tRef.current)));
    api<{ tasks: TaskSummary[] }>('/api/tasks?status=active&limit=100').then(
      (r) => setRunning(Object.fromEntries(r.tasks.map((t) => [t.task_id, t]))),
      () => undefined, // the cards still show without progress
    );
  }, []);
  useEffect(() => {
    load();
    const timer = setInterval(load, POLL_MS);
    return () => clearInterval(timer);
  }, [load]);
  // A task changing status (started, finished, queued) changes the slots and the queue: re-read
  // them soon, at most once a second, instead of waiting for the next poll.
  const resync = useRef(throttle(load, 1000));
  useEffect(() => () => resync.current.cancel(), []);
  const runningRef = useRef(running);
  runningRef.current = running;
  useLiveTasks((ev) => {
    if (runningRef.current[ev.task_id]?.status !== ev.status) resync.current.call();
    setRunning((m) => ({ ...m, [ev.task_id]: ev }));
  }, () => undefined);

  if (!q) return <section className="card">{error ? <p className="error" role="alert">{error}</p> : <p className="muted">{t('common.loading')}</p>}</section>;
  const slots = Object.entries(q.gpus);
  return (
    <>
      <section className="card" aria-labelledby="gpus-h">
        <h1 id="gpus-h">{t('farm.gpus')} <span className="muted">{t('farm.busyCount', { busy: slots.filter(([, g]) => g.busy).length, total: slots.length })}</span></h1>
        {error && <p className="error" role="alert">{t('farm.stale', { error })}</p>}
        <div className="slots">
          {slots.map(([id, g]) => <SlotCard key={id} id={id} g={g} ids={slotTaskIds(id, g, running)} running={running} />)}
        </div>
      </section>
      <section className="card" aria-labelledby="queue-h">
        {/* one top-level heading per page: the queue is a part of "GPUs & queue" */}
        <h2 id="queue-h">{t('farm.queue')} <span className="muted">{t('farm.queueSize', { size: formatNumber(q.queue_size, lng) })}</span></h2>
        <ol className="queue" data-testid="queue">
          {queueTasks(q.queue as QueueItem[]).map((x) => {
            const eta = formatEta(x, t, lng);
            return (
              <li key={x.key} value={x.place} data-testid="queue-task" data-parts={x.parts.length} data-eta={x.eta_seconds ?? undefined}>
                {/* another API key's task: its position shows, its id and text do not */}
                {x.task_id ? <a href={`#/tasks/${x.task_id}`}>{x.text ?? t('common.taskShort', { id: x.task_id.slice(-8) })}</a> : <span className="muted">{t('farm.otherUser')}</span>}
                <span className="muted">{t('farm.waiting', { time: formatWait(x.wait_seconds, lng) })}</span>
                {eta && <span className="muted" data-testid="queue-eta"> · {t('tasks.readyIn', { eta })}</span>}
                {x.parts.length > 1 && (
                  <details className="parts">
                    <summary>{t('studio.parts', { count: x.parts.length })}</summary>
                    <ol>{x.parts.map((p) => <li key={p.position} className="muted small">{p.text ?? '—'}</li>)}</ol>
                  </details>
                )}
              </li>
            );
          })}
          {!q.queue.length && <li className="muted empty">{t('farm.empty')}</li>}
        </ol>
        {q.queue_size > q.queue.length && <p className="muted small">{t('farm.more', { count: q.queue_size - q.queue.length })}</p>}
      </section>
    </>
  );
}

/** With pipelining a slot can hold two tasks (one in TTS, one rendering): each is shown. */
function SlotCard({ id, g, ids, running }: { id: string; g: SlotView; ids: string[]; running: Record<string, TaskSummary> }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const time = (iso: string) => formatTime(iso, lng);
  const state = g.stale ? 'offline' : !g.healthy ? 'unhealthy' : g.degraded ? 'degraded' : g.busy || ids.length ? 'busy' : 'idle';
  const hc = g.last_health_check;
  const stateLabel = tr(t, 'farm.states', state);
  return (
    <article className={`slot ${state}`} data-testid="slot-card" data-state={state} aria-label={t('farm.slotLabel', { id, state: stateLabel })}>
      <h2>{t('common.gpu', { id })} <span className={`badge h-${state}`}>{stateLabel}</span></h2>
      {ids.length ? (
        ids.map((tid) => {
          const task = running[tid];
          return (
            <div key={tid} className="slot-task">
              <span className="row"><a href={`#/tasks/${tid}`}>{t('common.taskShort', { id: tid.slice(-8) })}</a>{task && <StatusBadge status={task.phase} />}</span>
              {task && <p className="muted small clip">{task.text}</p>}
              <Progress value={task?.progress ?? 0} label={t('farm.slotProgress', { id, value: task?.progress ?? 0 })} />
            </div>
          );
        })
      ) : (
        <p className="muted">{t('farm.noTask')}</p>
      )}
      <dl className="facts">
        <dt>{t('farm.utilization')}</dt><dd>{g.gpu_utilization_pct !== null ? formatPercent(g.gpu_utilization_pct / 100, lng, 0) : '—'}</dd>
        <dt>{t('farm.memory')}</dt><dd>{g.memory_used_mb !== null ? `${formatNumber(g.memory_used_mb, lng)} MiB${g.memory_total_mb !== null ? ` / ${formatNumber(g.memory_total_mb, lng)} MiB` : ''}` : '—'}</dd>
        {g.temperature != null && <><dt>{t('farm.temperature')}</dt><dd>{formatNumber(g.temperature, lng)} °C</dd></>}
        {g.remote && <><dt>{t('farm.runner')}</dt><dd>{g.runner_host ?? t('farm.unknownHost')}{g.runner_version ? ` · v${g.runner_version}` : ''}{g.last_heartbeat ? t('farm.lastSeen', { time: time(g.last_heartbeat) }) : ''}</dd></>}
        {g.node && <><dt>{t('farm.node')}</dt><dd>{g.node}{g.local ? t('farm.thisNode') : ''}{g.stale && g.last_heartbeat ? t('farm.silentSince', { time: time(g.last_heartbeat) }) : ''}</dd></>}
        <dt>{t('farm.engine')}</dt><dd>{g.engine}</dd>
        {(g.video_url || g.video_port !== null) && <><dt>{t('farm.video')}</dt><dd><code>{g.video_url ?? t('farm.port', { port: g.video_port })}</code></dd></>}
        {(g.tts_url || g.tts_port !== null) && <><dt>{t('farm.tts')}</dt><dd><code>{g.tts_url ?? t('farm.port', { port: g.tts_port })}</code></dd></>}
        <dt>{t('farm.health')}</dt>
        <dd>{!hc ? '—' : hc.ok ? t('farm.healthOk', { time: time(hc.at) }) : t('farm.healthFailed', { tts: hc.tts ? t('farm.up') : t('farm.down'), video: hc.video ? t('farm.up') : t('farm.down'), time: time(hc.at) })}</dd>
      </dl>
      {g.degraded && (
        <p className="notice" data-testid="slot-degraded">
          {t('farm.degraded', { code: tr(t, 'checkNames', g.degraded.code, g.degraded.code), time: time(g.degraded.since) })}{' '}
          {g.degraded.next_probe ? t('farm.degradedProbe', { time: time(g.degraded.next_probe) }) : ''} {t('farm.degradedClear', { id })}
        </p>
      )}
      {g.telemetry_unavailable && <p className="muted small">{t('farm.telemetry', { reason: g.telemetry_unavailable })}</p>}
    </article>
  );
}
