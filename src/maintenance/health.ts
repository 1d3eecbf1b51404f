/**
 * What the health routes report (docs/operations.md, "Health"):
 * - live: the process answers;
 * - ready: the store answers, the disk has room for new work and at least one slot is healthy;
 * - the compatible /api/health summary: `starting` until the first probe of every slot has
 *   finished (never "healthy" on the strength of nobody having looked), then `healthy`,
 *   `degraded` (some slots down, or the disk too full for new work) or `unhealthy`.
 */
import type { TaskStore } from '../store/task-store.js';
import type { DiskCheck, DiskSpaceGuard } from './disk-space.js';

export type HealthStatus = 'starting' | 'healthy' | 'degraded' | 'unhealthy';

/** The parts of a slot runner health needs (kept narrow so the runner can change freely). */
export interface SlotHealthView {
  id: number;
  healthy: boolean;
  busy: boolean;
}

export interface HealthReport {
  status: HealthStatus;
  ready: boolean;
  /** Why not healthy / not ready; empty when all is well. */
  reasons: string[];
  slots: Array<SlotHealthView & { state: 'unknown' | 'healthy' | 'unhealthy' }>;
  store: { ok: boolean; error?: string; queueSize?: number };
  disk: DiskCheck;
}

export interface HealthDeps {
  store: Pick<TaskStore, 'queueSize'>;
  slots: () => SlotHealthView[];
  disk: DiskSpaceGuard;
  /** Probe every slot once (the scheduler's probe). */
  probeAll: () => Promise<void>;
  storeTimeoutMs?: number;
}

export class HealthMonitor {
  private probed = false;
  private firstProbe: Promise<void> | null = null;

  constructor(private readonly deps: HealthDeps) {}

  get disk(): DiskSpaceGuard {
    return this.deps.disk;
  }

  /** Probe all slots now; until it settles the summary says `starting`. */
  startProbe(): Promise<void> {
    this.firstProbe ??= this.deps
      .probeAll()
      .catch(() => undefined)
      .finally(() => {
        this.probed = true;
      });
    return this.firstProbe;
  }

  /** Resolves once the first probe has settled (tests, and `serve` before it reports listening). */
  async settled(): Promise<void> {
    await (this.firstProbe ?? this.startProbe());
  }

  private async storeCheck(): Promise<HealthReport['store']> {
    const ms = this.deps.storeTimeoutMs ?? 2000;
    let timer: NodeJS.Timeout | undefined;
    try {
      const n = await Promise.race([
        this.deps.store.queueSize(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
        }),
      ]);
      return { ok: true, queueSize: n };
    } catch (err) {
      return { ok: false, error: (err as Error).message };
    } finally {
      clearTimeout(timer);
    }
  }

  async report(): Promise<HealthReport> {
    const [store, disk] = await Promise.all([this.storeCheck(), this.deps.disk.check()]);
    const slots = this.deps.slots().map((s) => ({
      id: s.id,
      healthy: s.healthy,
      busy: s.busy,
      state: !s.healthy ? ('unhealthy' as const) : this.probed || s.busy ? ('healthy' as const) : ('unknown' as const),
    }));
    // A gateway with no local slots serves remote runners only (docs/runners.md): their slots
    // are not this process's to probe, so readiness rests on the store and the disk.
    const up = slots.length ? slots.filter((s) => s.state === 'healthy').length : 1;
    const down = slots.filter((s) => s.state === 'unhealthy');
    const reasons: string[] = [];
    if (!store.ok) reasons.push(`store unreachable: ${store.error}`);
    if (!disk.ok) reasons.push(`disk: ${Math.max(0, Math.round(disk.freeBytes))} bytes free, at least ${disk.minFreeBytes} required for new work`);
    if (!this.probed && up === 0) reasons.push('starting: the first health probe of the slots has not finished');
    for (const s of down) reasons.push(`slot ${s.id} unhealthy`);
    if (this.probed && up === 0) reasons.push('no healthy slot');
    let status: HealthStatus;
    if (!store.ok || (this.probed && up === 0)) status = 'unhealthy';
    else if (!this.probed && up === 0) status = 'starting';
    else status = down.length || !disk.ok ? 'degraded' : 'healthy';
    return { status, ready: store.ok && disk.ok && up > 0, reasons, slots, store, disk };
  }
}
