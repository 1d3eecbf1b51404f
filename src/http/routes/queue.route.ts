/**
 * GET /api/queue — the compatible farm view: per-GPU busy/current task/telemetry/ports, the
 * queue in order. Reads only in-memory state and the last GPU sample: no process is spawned
 * inside the request (the replaced system ran nvidia-smi here).
 */
import type { FastifyInstance } from 'fastify';
import type { Task } from '../../domain/task.js';
import type { Gateway } from '../../gateway.js';
import type { SlotRunner } from '../../runner/slot-runner.js';
import { ownerFilter } from '../access.js';

const QUEUE_LIST_LIMIT = 100;

export function presentSlot(gw: Gateway, r: SlotRunner): Record<string, unknown> {
  const sample = gw.gpuStats.latest(r.id);
  return {
    busy: r.busy,
    current_task: r.currentTaskId,
    tasks: r.taskIds,
    healthy: r.healthy,
    consecutive_failures: r.consecutiveFailures,
    last_health_check: r.lastHealth ? { ...r.lastHealth, at: new Date(r.lastHealth.at).toISOString() } : null,
    memory_used: sample?.memoryUsedMiB != null ? `${sample.memoryUsedMiB} MiB` : null,
    memory_total: sample?.memoryTotalMiB != null ? `${sample.memoryTotalMiB} MiB` : null,
    gpu_utilization: sample?.utilizationPct ?? null,
    temperature: sample?.temperatureC ?? null,
    telemetry_unavailable: sample ? null : gw.gpuStats.unavailableReason(),
    video_port: r.engines.videoPort,
    tts_port: r.engines.ttsPort,
    video_url: r.engines.videoUrl,
    tts_url: r.engines.ttsUrl,
    engine: r.engines.video.kind,
  };
}

/**
 * The queue head changes only when a task changes state; dashboards poll far more often than
 * that. Keep the head until the next task change (or a second at most), so a poll costs no
 * database read. Presentation (owner filtering, wait times) stays per request.
 */
class QueueHeadCache {
  private head: { at: number; tasks: Task[]; size: number } | null = null;
  constructor(private readonly gw: Gateway) {
    gw.lifecycle.on('change', () => (this.head = null));
  }
  async get(now: number): Promise<{ tasks: Task[]; size: number }> {
    if (this.head && now - this.head.at < 1000) return this.head;
    const [tasks, size] = await Promise.all([this.gw.store.listQueued(QUEUE_LIST_LIMIT), this.gw.store.queueSize()]);
    this.head = { at: now, tasks, size };
    return this.head;
  }
}

export function registerQueueRoute(app: FastifyInstance, gw: Gateway): void {
  const cache = new QueueHeadCache(gw);
  app.get('/api/queue', { schema: { tags: ['farm'], summary: 'GPU slots and the queue (compatible shape)' } }, async (req) => {
    // Positions are shared knowledge; other keys' texts are not.
    const owner = ownerFilter(req);
    const gpus: Record<string, unknown> = {};
    for (const r of gw.scheduler.runners) gpus[String(r.id)] = presentSlot(gw, r);
    const now = gw.clock.now();
    const head = await cache.get(now);
    return {
      gpus,
      queue: head.tasks.map((t, i) => ({
        task_id: t.id,
        position: i + 1,
        queued_time: new Date(t.createdAt).toISOString(),
        wait_seconds: Math.round((now - t.createdAt) / 100) / 10,
        text: owner === undefined || t.owner === owner ? t.text.slice(0, 50) : null,
        attempts: t.attempts,
      })),
      queue_size: head.size,
    };
  });
}
