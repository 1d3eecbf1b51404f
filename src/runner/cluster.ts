/**
 * Every GPU slot of the deployment, as any node sees it: this node's slots from its live
 * runners, other nodes' slots from the rows they refresh in the store every heartbeat. A row
 * not refreshed within the lease is shown as `stale` (its node is down or partitioned).
 * Reads are cached briefly so dashboards polling /api/queue cost no database round trip each.
 */
import type { TaskStore } from '../store/task-store.js';
import { isRemoteHolder } from '../domain/holder.js';
import type { Clock } from '../tasks/clock.js';
import type { SlotRunner } from './slot-runner.js';

/** One GPU's latest reading (telemetry/ samples it: nvidia-smi, or none). */
export interface GpuSample {
  index: number;
  utilizationPct: number | null;
  memoryUsedMiB: number | null;
  memoryTotalMiB: number | null;
  temperatureC: number | null;
  powerW: number | null;
  at: number;
}

/** The port the cluster view reads GPU telemetry through (telemetry/gpu-stats.ts implements it). */
export interface GpuReadings {
  latest(index: number): GpuSample | null;
}

export interface ClusterSlot {
  slotId: number;
  nodeId: string;
  /** Driven by this process. */
  local: boolean;
  /** Last report of its node (ms); now for local slots. */
  heartbeatAt: number;
  /** Its node has not reported within the lease: down, or cut off from the store. */
  stale: boolean;
  busy: boolean;
  currentTask: string | null;
  tasks: string[];
  healthy: boolean;
  consecutiveFailures: number;
  /** Its results failed the output check in a row (SlotRunner.degraded); null otherwise. */
  degraded?: { since: number; code: string; reason: string; nextProbeAt: number | null } | null;
  lastHealth: { at: number; ok: boolean; tts: boolean; video: boolean } | null;
  videoPort: number | null;
  ttsPort: number | null;
  videoUrl: string | null;
  ttsUrl: string | null;
  engine: string;
  gpu: GpuSample | null;
  /** Remote runners' slots (docs/runners.md): what the runner reported about itself. */
  remote?: boolean;
  host?: string | null;
  version?: string | null;
}

/** The facts a node reports about one of its slots (JSON-safe). */
export function describeSlot(r: SlotRunner, gpuStats: GpuReadings): Omit<ClusterSlot, 'slotId' | 'nodeId' | 'local' | 'heartbeatAt' | 'stale'> {
  return {
    busy: r.busy,
    currentTask: r.currentTaskId,
    tasks: r.taskIds,
    healthy: r.healthy,
    consecutiveFailures: r.consecutiveFailures,
    degraded: r.degraded ? { since: r.degraded.since, code: r.degraded.code, reason: r.degraded.reason, nextProbeAt: r.degraded.nextProbeAt } : null,
    lastHealth: r.lastHealth,
    videoPort: r.engines.videoPort,
    ttsPort: r.engines.ttsPort,
    videoUrl: r.engines.videoUrl,
    ttsUrl: r.engines.ttsUrl,
    engine: r.engines.video.kind,
    gpu: gpuStats.latest(r.id),
  };
}

const CACHE_MS = 1000;

export class ClusterView {
  private cache: { at: number; rows: Awaited<ReturnType<TaskStore['listSlots']>> } | null = null;

  constructor(
    private readonly store: TaskStore,
    private readonly runners: readonly SlotRunner[],
    private readonly gpuStats: GpuReadings,
    private readonly clock: Clock,
    readonly nodeId: string,
    private readonly leaseMs: number,
  ) {}

  /** All slots, by id: local ones live, remote ones as last reported. */
  async slots(): Promise<ClusterSlot[]> {
    const now = this.clock.now();
    const local = this.runners.map((r) => ({ slotId: r.id, nodeId: this.nodeId, local: true, heartbeatAt: now, stale: false, ...describeSlot(r, this.gpuStats) }));
    if (!this.cache || now - this.cache.at > CACHE_MS) this.cache = { at: now, rows: await this.store.listSlots() };
    const mine = new Set(local.map((s) => s.slotId));
    // With the embedded store the only other nodes are remote runners (docs/runners.md).
    const remote = this.cache.rows
      .filter((row) => !mine.has(row.slotId) && (this.store.shared || isRemoteHolder(row.nodeId)))
      .map((row) => {
        const info = row.info as Partial<ClusterSlot>;
        return {
          busy: false,
          currentTask: null,
          tasks: [],
          healthy: false,
          consecutiveFailures: 0,
          lastHealth: null,
          videoPort: null,
          ttsPort: null,
          videoUrl: null,
          ttsUrl: null,
          engine: 'unknown',
          gpu: null,
          ...info,
          slotId: row.slotId,
          nodeId: row.nodeId,
          local: false,
          heartbeatAt: row.heartbeatAt,
          stale: now - row.heartbeatAt > this.leaseMs,
        };
      });
    return [...local, ...remote].sort((a, b) => a.slotId - b.slotId);
  }
}
