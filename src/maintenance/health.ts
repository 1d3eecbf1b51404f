/**
 * What the health routes report (docs/operations.md, "Health"):
 * - live: the process answers;
 * - ready: the store answers, the disk has room for new work and at least one slot is healthy —
 *   this node's own slots, or, on a node that drives none (API-only, or remote runners only),
 *   any live slot of the deployment (other nodes', runners');
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
  /** Its results failed the output check in a row: it takes no work (docs/checks.md). */
  degraded?: unknown;
}

export interface HealthReport {
  status: HealthStatus;
  ready: boolean;
  /** Why not healthy / not ready; empty when all is well. */
  reasons: string[];
  slots: Array<Omit<SlotHealthView, 'degraded'> & { degraded: boolean; state: 'unknown' | 'healthy' | 'unhealthy' | 'degraded' }>;
  store: { ok: boolean; error?: string; queueSize?: number };
  disk: DiskCheck;
}

export interface HealthDeps {
  store: Pick<TaskStore, 'queueSize'>;
  slots: () => SlotHealthView[];
  disk: DiskSpaceGuard;
  /** Every slot of the deployment (other nodes, remote runners): readiness of a node that drives none. */
  deploymentSlots?: () => Promise<Array<{ healthy: boolean; stale: boolean }>>;
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

  private async deploymentUp(): Promise<number> {
    const all = await this.deps.deploymentSlots!().catch(() => []);
    return all.filter((s) => s.healthy && !s.stale).length;
  }

  async report(): Promise<HealthReport> {
    const [store, disk] = await Promise.all([this.storeCheck(), this.deps.disk.check()]);
    const slots = this.deps.slots().map((s) => ({
      id: s.id,
      healthy: s.healthy,
      busy: s.busy,
      degraded: Boolean(s.degraded),
      state: !s.healthy ? ('unhealthy' as const) : s.degraded ? ('degraded' as const) : this.probed || s.busy ? ('healthy' as const) : ('unknown' as const),
    }));
    // A node with no slots of its own (API-only, or serving remote runners: docs/runners.md) is
    // ready when the deployment can render: some other node's or runner's slot is healthy and live.
    const elsewhere = slots.length || !this.deps.deploymentSlots ? null : await this.deploymentUp();
    const up = elsewhere ?? slots.filter((s) => s.state === 'healthy').length;
    const down = slots.filter((s) => s.state === 'unhealthy' || s.state === 'degraded');
    const reasons: string[] = [];
    if (!store.ok) reasons.push(`store unreachable: ${store.error}`);
    if (!disk.ok) reasons.push(`disk: ${Math.max(0, Math.round(disk.freeBytes))} bytes free, at least ${disk.minFreeBytes} required for new work`);
    if (!this.probed && up === 0 && elsewhere === null) reasons.push('starting: the first health probe of the slots has not finished');
    for (const s of down) reasons.push(s.state === 'degraded' ? `slot ${s.id} degraded: its results failed the output check in a row` : `slot ${s.id} unhealthy`);
    if (elsewhere === 0) reasons.push('no healthy slot in the deployment (this node drives none)');
    else if (this.probed && up === 0) reasons.push('no healthy slot');
    let status: HealthStatus;
    if (!store.ok || (this.probed && up === 0)) status = 'unhealthy';
    else if (!this.probed && up === 0) status = 'starting';
    else status = down.length || !disk.ok ? 'degraded' : 'healthy';
    return { status, ready: store.ok && disk.ok && up > 0, reasons, slots, store, disk };
  }
}
