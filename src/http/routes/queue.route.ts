/**
 * GET /api/queue — the compatible farm view: per-GPU busy/current task/telemetry/ports, the
 * queue in order. Reads only in-memory state and the last GPU sample: no process is spawned
 * inside the request (the replaced system ran nvidia-smi here).
 */
import type { FastifyInstance } from 'fastify';
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

export function registerQueueRoute(app: FastifyInstance, gw: Gateway): void {
  app.get('/api/queue', { schema: { tags: ['farm'], summary: 'GPU slots and the queue (compatible shape)' } }, async (req) => {
    // Positions are shared knowledge; other keys' texts are not.
    const owner = ownerFilter(req);
    const gpus: Record<string, unknown> = {};
    for (const r of gw.scheduler.runners) gpus[String(r.id)] = presentSlot(gw, r);
    const queued = await gw.store.listQueued(QUEUE_LIST_LIMIT);
    const now = gw.clock.now();
    return {
      gpus,
      queue: queued.map((t, i) => ({
        task_id: t.id,
        position: i + 1,
        queued_time: new Date(t.createdAt).toISOString(),
        wait_seconds: Math.round((now - t.createdAt) / 100) / 10,
        text: owner === undefined || t.owner === owner ? t.text.slice(0, 50) : null,
        attempts: t.attempts,
      })),
      queue_size: await gw.store.queueSize(),
    };
  });
}
