/**
 * GET /api/queue — the compatible farm view: per-GPU busy/current task/telemetry/ports, the
 * queue in order. Reads only in-memory state and the last GPU sample: no process is spawned
 * inside the request (the replaced system ran nvidia-smi here). Old keys keep their old types
 * (`memory_used` "1234 MiB" or "N/A", `gpu_utilization` a number, 0 when unknown); the typed,
 * nullable values sit beside them (docs/compatibility.md).
 */
import type { FastifyInstance } from 'fastify';
import type { Task } from '../../domain/task.js';
import type { Gateway } from '../../gateway.js';
import type { ClusterSlot } from '../../runner/cluster.js';
import { ownerFilter } from '../access.js';
import { firstChars } from '../../domain/chars.js';
import { queueSchema } from '../schemas.js';
import { access } from '../security.js';
import { BodyCache } from '../body-cache.js';

const QUEUE_LIST_LIMIT = 100;
/** Rows read per listed entry: room for the parts of long scripts among the first 100. */
const ROWS_PER_ENTRY = 4;
/** A repeated poll within this many ms is answered from the serialized body (http/body-cache.ts). */
const QUEUE_TTL_MS = 100;
/** What the replaced app showed for an unknown telemetry value (nvidia-smi missing). */
const NOT_AVAILABLE = 'N/A';

/** The replaced app's queue preview: `text[:50] + "..."`, "..." appended even to short texts. */
export const queuePreview = (text: string): string => `${firstChars(text, 50)}...`;

/**
 * One slot of the deployment (this node's or another's, docs/lifecycle.md). `visible(id)`: may
 * the caller see this task id (own task, admin, or auth off)?
 */
export function presentSlot(gw: Gateway, slot: ClusterSlot, visible: (taskId: string) => boolean = () => true): Record<string, unknown> {
  const sample = slot.gpu;
  const mib = (v: number | null | undefined): string => (v != null ? `${v} MiB` : NOT_AVAILABLE);
  const current = slot.currentTask;
  const lastHealth = slot.lastHealth;
  return {
    busy: slot.busy,
    current_task: current !== null && visible(current) ? current : null,
    tasks: slot.tasks.filter(visible),
    // A slot whose node stopped reporting is not healthy, whatever it last said.
    healthy: slot.healthy && !slot.stale,
    consecutive_failures: slot.consecutiveFailures,
    degraded: slot.degraded
      ? { since: new Date(slot.degraded.since).toISOString(), code: slot.degraded.code, reason: slot.degraded.reason, next_probe: slot.degraded.nextProbeAt === null ? null : new Date(slot.degraded.nextProbeAt).toISOString() }
      : null,
    last_health_check: lastHealth ? { ...lastHealth, at: new Date(lastHealth.at).toISOString() } : null,
    memory_used: mib(sample?.memoryUsedMiB),
    memory_total: mib(sample?.memoryTotalMiB),
    gpu_utilization: sample?.utilizationPct ?? 0,
    memory_used_mb: sample?.memoryUsedMiB ?? null,
    memory_total_mb: sample?.memoryTotalMiB ?? null,
    gpu_utilization_pct: sample?.utilizationPct ?? null,
    temperature: sample?.temperatureC ?? null,
    telemetry_unavailable: sample ? null : slot.local ? gw.gpuStats.unavailableReason() : 'no sample reported by its node',
    video_port: slot.videoPort,
    tts_port: slot.ttsPort,
    video_url: slot.videoUrl,
    tts_url: slot.ttsUrl,
    engine: slot.engine,
    node: slot.nodeId,
    local: slot.local,
    last_heartbeat: new Date(slot.heartbeatAt).toISOString(),
    stale: slot.stale,
    remote: slot.remote ?? false,
    runner_host: slot.host ?? null,
    runner_version: slot.version ?? null,
  };
}

/**
 * The queue head changes only when a task changes state; dashboards poll far more often than
 * that. Keep the head until the next task change (or a second at most), so a poll costs no
 * database read. Presentation (owner filtering, wait times) stays per request. The head lists
 * submissions: a long script's parts are grouped under their parent (parts of a script already
 * under way are on the slots, not in this list).
 */
class QueueHeadCache {
  private head: { at: number; tasks: Task[]; parts: Map<string, Task[]>; size: number } | null = null;
  constructor(private readonly gw: Gateway) {
    gw.lifecycle.on('change', () => (this.head = null));
  }
  async get(now: number): Promise<{ tasks: Task[]; parts: Map<string, Task[]>; size: number }> {
    if (this.head && now - this.head.at < 1000) return this.head;
    // Rows, parts included: a few long scripts ahead must not push submissions off the page.
    const [rows, size] = await Promise.all([this.gw.store.listQueued(QUEUE_LIST_LIMIT * ROWS_PER_ENTRY), this.gw.store.queueSize()]);
    const tasks: Task[] = [];
    const parts = new Map<string, Task[]>();
    for (const t of rows) {
      if (t.parentId === null) {
        if (tasks.length < QUEUE_LIST_LIMIT) tasks.push(t);
      } else {
        const list = parts.get(t.parentId);
        if (list) list.push(t);
        else parts.set(t.parentId, [t]);
      }
    }
    for (const list of parts.values()) list.sort((a, b) => (a.segmentIndex ?? 0) - (b.segmentIndex ?? 0));
    this.head = { at: now, tasks, parts, size };
    return this.head;
  }
}

/**
 * Owners of the tasks on the slots, for scoping: an owner never changes, so a small cache
 * keeps a dashboard's polls free of database reads (entries go when the task leaves the slots).
 */
class SlotOwners {
  private readonly owners = new Map<string, string | null>();
  constructor(private readonly gw: Gateway) {}
  /** Owner of each id (ids no longer in the store are left out). */
  async load(ids: string[]): Promise<Map<string, string | null>> {
    const live = new Set(ids);
    for (const id of this.owners.keys()) if (!live.has(id)) this.owners.delete(id);
    const out = new Map<string, string | null>();
    await Promise.all(
      ids.map(async (id) => {
        let owner = this.owners.get(id);
        if (owner === undefined) {
          const t = await this.gw.store.get(id);
          if (!t) return;
          owner = t.owner;
          this.owners.set(id, owner);
        }
        out.set(id, owner);
      }),
    );
    return out;
  }
}

export function registerQueueRoute(app: FastifyInstance, gw: Gateway): void {
  const cache = new QueueHeadCache(gw);
  const slotOwners = new SlotOwners(gw);
  // Serialized answers per viewer (every key sees the same positions, its own ids and texts).
  const bodies = new BodyCache<string>(QUEUE_TTL_MS, 1000);
  gw.lifecycle.on('change', () => bodies.clear());
  app.get(
    '/api/queue',
    { config: access('read'), schema: { tags: ['farm'], summary: 'GPU slots and the queue (compatible shape)', response: { 200: queueSchema } } },
    async (req, reply) => {
      // Positions and counts are shared knowledge; other keys' task ids and texts are not
      // (admin keys, and everyone when auth is off, see all).
      const owner = ownerFilter(req);
      const key = owner === undefined ? '' : `k:${owner}`;
      let json = bodies.get(key);
      if (json === undefined) {
        json = reply.serialize(await presentQueue(gw, cache, slotOwners, owner)) as string;
        bodies.set(key, json);
      }
      return reply.type('application/json; charset=utf-8').send(json);
    },
  );
}

async function presentQueue(gw: Gateway, cache: QueueHeadCache, slotOwners: SlotOwners, owner: string | null | undefined): Promise<Record<string, unknown>> {
  const slots = await gw.cluster.slots();
  const owners = owner === undefined ? null : await slotOwners.load(slots.flatMap((s) => s.tasks));
  const visible = (id: string): boolean => owners === null || owners.get(id) === owner;
  const gpus: Record<string, unknown> = {};
  for (const s of slots) gpus[String(s.slotId)] = presentSlot(gw, s, visible);
  const now = gw.clock.now();
  const head = await cache.get(now);
  const queue = [];
  for (let i = 0; i < head.tasks.length; i++) {
    const t = head.tasks[i];
    const mine = owner === undefined || t.owner === owner;
    const parts = t.segmentCount === null ? null : (head.parts.get(t.id) ?? []).map((c) => ({ index: c.segmentIndex ?? 0, task_id: mine ? c.id : null }));
    queue.push({
      ...(await gw.eta.fields(t, i + 1)),
      task_id: mine ? t.id : null,
      position: i + 1,
      queued_time: new Date(t.createdAt).toISOString(),
      wait_seconds: Math.round((now - t.createdAt) / 100) / 10,
      text: mine ? queuePreview(t.text) : null,
      mine,
      attempts: t.attempts,
      segment_count: t.segmentCount,
      parts,
    });
  }
  return { gpus, queue, queue_size: head.size };
}
