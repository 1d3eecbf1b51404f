/**
 * GPUs & queue: one card per slot with its task's live progress, the queue in order with wait
 * times. /api/queue is polled (slot health and telemetry have no events); task progress also
 * arrives by SSE between polls.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, describeError } from '../lib/api';
import { slotTaskIds } from '../lib/farm';
import { formatWait } from '../lib/format';
import { throttle } from '../lib/live';
import type { QueueView, SlotView, TaskSummary } from '../lib/types';
import { useLiveTasks } from '../lib/useLive';
import { Progress, StatusBadge } from './widgets';

const POLL_MS = 2000;

export function FarmPage() {
  const [q, setQ] = useState<QueueView | null>(null);
  const [running, setRunning] = useState<Record<string, TaskSummary>>({});
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    api<QueueView>('/api/queue').then((r) => { setQ(r); setError(null); }, (e) => setError(describeError(e)));
    api<{ tasks: TaskSummary[] }>('/api/tasks?status=active&limit=100').then(
      (r) => setRunning(Object.fromEntries(r.tasks.map((t) => [t.task_id, t]))),
      () => undefined, // the cards still show without progress
    );
  }, []);
  useEffect(() => {
    load();
    const t = setInterval(load, POLL_MS);
    return () => clearInterval(t);
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

  if (!q) return <section className="card">{error ? <p className="error" role="alert">{error}</p> : <p className="muted">Loading…</p>}</section>;
  const slots = Object.entries(q.gpus);
  return (
    <>
      <section className="card" aria-labelledby="gpus-h">
        <h1 id="gpus-h">GPUs <span className="muted">({slots.filter(([, g]) => g.busy).length} of {slots.length} busy)</span></h1>
        {error && <p className="error" role="alert">{error} — showing the last known state.</p>}
        <div className="slots">
          {slots.map(([id, g]) => <SlotCard key={id} id={id} g={g} ids={slotTaskIds(id, g, running)} running={running} />)}
        </div>
      </section>
      <section className="card" aria-labelledby="queue-h">
        <h1 id="queue-h">Queue <span className="muted">({q.queue_size})</span></h1>
        <ol className="queue" data-testid="queue">
          {q.queue.map((t) => (
            <li key={t.position}>
              {/* another API key's task: its position shows, its id and text do not */}
              {t.task_id ? <a href={`#/tasks/${t.task_id}`}>{t.text ?? `Task ${t.task_id.slice(-8)}`}</a> : <span className="muted">Another user’s task</span>}
              <span className="muted"> · waiting {formatWait(t.wait_seconds)}</span>
            </li>
          ))}
          {!q.queue.length && <li className="muted empty">The queue is empty.</li>}
        </ol>
        {q.queue_size > q.queue.length && <p className="muted small">and {q.queue_size - q.queue.length} more</p>}
      </section>
    </>
  );
}

/** With pipelining a slot can hold two tasks (one in TTS, one rendering): each is shown. */
function SlotCard({ id, g, ids, running }: { id: string; g: SlotView; ids: string[]; running: Record<string, TaskSummary> }) {
  const state = g.stale ? 'offline' : !g.healthy ? 'unhealthy' : g.busy || ids.length ? 'busy' : 'idle';
  const hc = g.last_health_check;
  return (
    <article className={`slot ${state}`} data-testid="slot-card" aria-label={`GPU ${id}, ${state}`}>
      <h2>GPU {id} <span className={`badge h-${state}`}>{state}</span></h2>
      {ids.length ? (
        ids.map((tid) => {
          const t = running[tid];
          return (
            <div key={tid} className="slot-task">
              <span className="row"><a href={`#/tasks/${tid}`}>Task {tid.slice(-8)}</a>{t && <StatusBadge status={t.phase} />}</span>
              {t && <p className="muted small clip">{t.text}</p>}
              <Progress value={t?.progress ?? 0} label={`GPU ${id} task progress ${t?.progress ?? 0}%`} />
            </div>
          );
        })
      ) : (
        <p className="muted">No task</p>
      )}
      <dl className="facts">
        <dt>Utilization</dt><dd>{g.gpu_utilization_pct !== null ? `${g.gpu_utilization_pct}%` : '—'}</dd>
        <dt>Memory</dt><dd>{g.memory_used_mb !== null ? `${g.memory_used_mb} MiB${g.memory_total_mb !== null ? ` / ${g.memory_total_mb} MiB` : ''}` : '—'}</dd>
        {g.temperature != null && <><dt>Temperature</dt><dd>{g.temperature} °C</dd></>}
        {g.remote && <><dt>Runner</dt><dd>{g.runner_host ?? 'unknown host'}{g.runner_version ? ` · v${g.runner_version}` : ''}{g.last_heartbeat ? ` · last seen ${new Date(g.last_heartbeat).toLocaleTimeString()}` : ''}</dd></>}
        {g.node && <><dt>Node</dt><dd>{g.node}{g.local ? ' (this one)' : ''}{g.stale && g.last_heartbeat ? ` — silent since ${new Date(g.last_heartbeat).toLocaleTimeString()}` : ''}</dd></>}
        <dt>Engine</dt><dd>{g.engine}</dd>
        {(g.video_url || g.video_port !== null) && <><dt>Video</dt><dd><code>{g.video_url ?? `port ${g.video_port}`}</code></dd></>}
        {(g.tts_url || g.tts_port !== null) && <><dt>TTS</dt><dd><code>{g.tts_url ?? `port ${g.tts_port}`}</code></dd></>}
        <dt>Health check</dt>
        <dd>{hc ? `${hc.ok ? 'ok' : `failed (TTS ${hc.tts ? 'ok' : 'down'}, video ${hc.video ? 'ok' : 'down'})`} at ${new Date(hc.at).toLocaleTimeString()}` : '—'}</dd>
      </dl>
      {g.telemetry_unavailable && <p className="muted small">Telemetry: {g.telemetry_unavailable}</p>}
    </article>
  );
}
