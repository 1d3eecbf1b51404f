/**
 * Analytics over the persisted history (pure): throughput per bucket, outcomes and failure rates
 * by error code, p50/p95 of queue/TTS/render/total time, per-slot utilization (fraction of the
 * window a slot held a task).
 */
import type { Task } from '../domain/task.js';

/** `parentId` (optional for older callers): a segment of a long script counts in its parent's outcome, not as a task of its own. */
export type StatRow = Pick<Task, 'state' | 'slotId' | 'errorCode' | 'createdAt' | 'startedAt' | 'ttsStartedAt' | 'ttsEndedAt' | 'renderStartedAt' | 'renderEndedAt' | 'finishedAt'> & { parentId?: string | null };

export interface StatsWindow {
  from: number;
  to: number;
  bucketMs: number;
  now: number;
  slots: number[];
}

function percentile(sorted: number[], q: number): number | null {
  if (!sorted.length) return null;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return Math.round((sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo)) * 1000) / 1000;
}

function summary(values: number[]): { count: number; p50: number | null; p95: number | null } {
  const s = values.sort((a, b) => a - b);
  return { count: s.length, p50: percentile(s, 0.5), p95: percentile(s, 0.95) };
}

const secs = (a: number | null, b: number | null) => (a !== null && b !== null && b >= a ? (b - a) / 1000 : null);

export function computeStats(rows: StatRow[], w: StatsWindow) {
  const buckets = Math.max(1, Math.ceil((w.to - w.from) / w.bucketMs));
  const throughput = Array.from({ length: Math.min(buckets, 10_000) }, (_, i) => ({ start: new Date(w.from + i * w.bucketMs).toISOString(), completed: 0, failed: 0, canceled: 0 }));
  const totals = { completed: 0, failed: 0, canceled: 0 };
  const byCode: Record<string, number> = {};
  const d = { queue: [] as number[], tts: [] as number[], render: [] as number[], total: [] as number[] };
  const busyMs = new Map<number, number>(w.slots.map((s) => [s, 0]));
  for (const r of rows) {
    const ended = r.finishedAt !== null && r.finishedAt >= w.from && r.finishedAt < w.to && (r.state === 'completed' || r.state === 'failed' || r.state === 'canceled');
    // Outcomes count tasks as users see them: a long script's segments are its parts (their
    // phases and slot time still count below), the parent is the one task.
    const part = r.parentId != null;
    if (ended && part && r.state === 'completed') {
      for (const [k, v] of [['tts', secs(r.ttsStartedAt, r.ttsEndedAt)], ['render', secs(r.renderStartedAt, r.renderEndedAt)]] as const) if (v !== null) d[k].push(v);
    }
    if (ended && !part) {
      const b = throughput[Math.floor((r.finishedAt! - w.from) / w.bucketMs)];
      totals[r.state as 'completed' | 'failed' | 'canceled'] += 1;
      if (b) b[r.state as 'completed' | 'failed' | 'canceled'] += 1;
      if (r.state === 'failed') byCode[r.errorCode ?? 'unknown'] = (byCode[r.errorCode ?? 'unknown'] ?? 0) + 1;
      if (r.state === 'completed') {
        for (const [k, v] of [['queue', secs(r.createdAt, r.startedAt)], ['tts', secs(r.ttsStartedAt, r.ttsEndedAt)], ['render', secs(r.renderStartedAt, r.renderEndedAt)], ['total', secs(r.createdAt, r.finishedAt)]] as const)
          if (v !== null) d[k].push(v);
      }
    }
    // utilization: the part of [startedAt, finishedAt or now] inside the window
    if (r.slotId !== null && r.startedAt !== null && busyMs.has(r.slotId)) {
      const start = Math.max(r.startedAt, w.from);
      const end = Math.min(r.finishedAt ?? w.now, w.to);
      if (end > start) busyMs.set(r.slotId, busyMs.get(r.slotId)! + (end - start));
    }
  }
  const finished = totals.completed + totals.failed;
  const windowMs = w.to - w.from;
  return {
    from: new Date(w.from).toISOString(),
    to: new Date(w.to).toISOString(),
    bucket_seconds: w.bucketMs / 1000,
    totals: { ...totals, success_rate: finished ? Math.round((totals.completed / finished) * 10_000) / 10_000 : null },
    failures_by_code: Object.fromEntries(Object.entries(byCode).map(([code, n]) => [code, { count: n, rate: Math.round((n / finished) * 10_000) / 10_000 }])),
    durations_seconds: { queue: summary(d.queue), tts: summary(d.tts), render: summary(d.render), total: summary(d.total) },
    // Overlapping pipelined tasks can exceed the window; clamp to 1.
    slots: Object.fromEntries([...busyMs].map(([id, ms]) => [String(id), { busy_seconds: Math.round(ms / 100) / 10, utilization: Math.min(1, Math.round((ms / windowMs) * 10_000) / 10_000) }])),
    throughput,
  };
}

export function parseBucket(s: string | undefined): number | null {
  const m = /^(\d{1,4})(s|m|h|d)$/.exec(s ?? '1h');
  if (!m) return null;
  return Number(m[1]) * { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 's' | 'm' | 'h' | 'd'];
}
