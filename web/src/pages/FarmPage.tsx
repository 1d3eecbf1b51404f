/** GPUs & queue: one card per slot, the queue in order with wait times. Polled every 2 s. */
import { useEffect, useState } from 'react';
import { api } from '../lib/api';
import { formatSeconds } from '../lib/format';
import type { QueueView } from '../lib/types';

export function FarmPage() {
  const [q, setQ] = useState<QueueView | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const load = () => api<QueueView>('/api/queue').then((r) => { setQ(r); setError(null); }, (e: Error) => setError(e.message));
    load();
    const t = setInterval(load, 2000);
    return () => clearInterval(t);
  }, []);
  if (!q) return <section className="card">{error ? <p className="error">{error}</p> : <p className="muted">Loading…</p>}</section>;
  return (
    <>
      <section className="card">
        <h1>GPUs</h1>
        <div className="slots">
          {Object.entries(q.gpus).map(([id, g]) => (
            <article key={id} className={`slot ${!g.healthy ? 'unhealthy' : g.busy ? 'busy' : 'idle'}`} data-testid="slot-card">
              <h2>GPU {id} <span className="badge">{!g.healthy ? 'unhealthy' : g.busy ? 'busy' : 'idle'}</span></h2>
              <p>{g.current_task ? <a href={`#/tasks/${g.current_task}`}>Task {g.current_task.slice(-8)}</a> : <span className="muted">No task</span>}</p>
              <dl className="facts">
                <dt>Utilization</dt><dd>{g.gpu_utilization !== null ? `${g.gpu_utilization}%` : '—'}</dd>
                <dt>Memory</dt><dd>{g.memory_used ? `${g.memory_used}${g.memory_total ? ` / ${g.memory_total}` : ''}` : '—'}</dd>
                <dt>Engine</dt><dd>{g.engine}</dd>
                {g.video_url && <><dt>Video</dt><dd><code>{g.video_url}</code></dd></>}
                {g.tts_url && <><dt>TTS</dt><dd><code>{g.tts_url}</code></dd></>}
                <dt>Health check</dt><dd>{g.last_health_check ? `${g.last_health_check.ok ? 'ok' : 'failed'} at ${new Date(g.last_health_check.at).toLocaleTimeString()}` : '—'}</dd>
              </dl>
              {g.telemetry_unavailable && <p className="muted small">{g.telemetry_unavailable}</p>}
            </article>
          ))}
        </div>
      </section>
      <section className="card">
        <h1>Queue <span className="muted">({q.queue_size})</span></h1>
        <ol className="queue">
          {q.queue.map((t) => (
            <li key={t.task_id}>
              <a href={`#/tasks/${t.task_id}`}>{t.text || t.task_id}</a> <span className="muted">waiting {formatSeconds(t.wait_seconds)}</span>
            </li>
          ))}
          {!q.queue.length && <li className="muted">The queue is empty.</li>}
        </ol>
      </section>
    </>
  );
}
