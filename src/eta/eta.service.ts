/**
 * ETA for tasks: `eta_seconds` with `eta_low`/`eta_high` in status, queue and generate answers.
 * Learns from every completed task it hears of (also other nodes', via the lifecycle's remote
 * changes) and seeds itself from recent history at start; the farm's state (which slot holds
 * which tasks) is read at most every SNAPSHOT_MS, so a burst of status polls costs one read.
 */
import { isFinal, type Task } from '../domain/task.js';
import type { Clock } from '../tasks/clock.js';
import type { ClusterView } from '../runner/cluster.js';
import type { TaskChange } from '../tasks/lifecycle.js';
import type { TaskStore } from '../store/task-store.js';
import { EtaModel, type EtaDefaults, type Estimate, type QueueTimeline } from './eta-model.js';
import { RangeCalibration } from './range-calibration.js';

const SNAPSHOT_MS = 250;

export interface EtaFields {
  eta_seconds: number | null;
  eta_low: number | null;
  eta_high: number | null;
}

const NONE: EtaFields = { eta_seconds: null, eta_low: null, eta_high: null };

interface Snapshot {
  at: number;
  ends: Map<string, number>;
  free: Array<{ slotId: number; freeAt: number }>;
  /** The queue's list schedule from this snapshot, built on the first queued estimate. */
  queue: QueueTimeline | null;
}

export class EtaService {
  readonly model: EtaModel;
  /** How far handed-out estimates were off: the range (and the point) follow it. */
  readonly calibration = new RangeCalibration();
  private snap: Snapshot | null = null;
  private loading: Promise<Snapshot> | null = null;

  constructor(
    private readonly store: Pick<TaskStore, 'get' | 'list' | 'queuePosition'>,
    private readonly cluster: Pick<ClusterView, 'slots'>,
    private readonly clock: Clock,
    defaults: EtaDefaults,
  ) {
    this.model = new EtaModel(defaults);
  }

  /** When tasks entered collecting (the container finished): the render/collect split. */
  private readonly collectingAt = new Map<string, number>();

  onTaskChange = ({ task }: TaskChange): void => {
    if (task.state === 'collecting' && !this.collectingAt.has(task.id)) {
      this.collectingAt.set(task.id, this.clock.now());
      if (this.collectingAt.size > 10_000) this.collectingAt.delete(this.collectingAt.keys().next().value!);
    }
    if (task.state === 'completed') {
      this.model.observe(task, this.collectingAt.get(task.id) ?? null);
      this.calibration.ended(task.id, task.finishedAt ?? this.clock.now());
    } else if (isFinal(task.state)) this.calibration.forget(task.id);
    if (isFinal(task.state)) this.collectingAt.delete(task.id);
    this.snap = null; // the farm changed
  };

  /** Learn from the last finished tasks (a restarted node estimates like a warm one). */
  async seed(limit = 50): Promise<void> {
    const { items } = await this.store.list({ states: ['completed'], limit });
    for (const t of items.reverse()) this.model.observe(t);
  }

  private async snapshot(now: number): Promise<Snapshot> {
    if (this.snap && now - this.snap.at < SNAPSHOT_MS) return this.snap;
    this.loading ??= (async () => {
      const slots = (await this.cluster.slots()).filter((s) => !s.stale);
      const ends = new Map<string, number>();
      const free: Snapshot['free'] = [];
      for (const s of slots) {
        const held = (await Promise.all(s.tasks.map((id) => this.store.get(id)))).filter((t): t is Task => !!t && !isFinal(t.state) && t.state !== 'queued');
        const line = this.model.slotTimeline(s.slotId, held, now);
        for (const [id, end] of line.ends) ends.set(id, end);
        if (s.healthy || s.busy) free.push({ slotId: s.slotId, freeAt: line.freeAt });
      }
      return { at: now, ends, free, queue: null };
    })().finally(() => (this.loading = null));
    this.snap = await this.loading;
    return this.snap;
  }

  /** The estimate for one task; null when it is final or no slot could take it. */
  async estimate(task: Task, position?: number | null): Promise<Estimate | null> {
    if (isFinal(task.state)) return null;
    const now = this.clock.now();
    const snap = await this.snapshot(now);
    let end = snap.ends.get(task.id);
    // Claimed after the snapshot was taken: its own work from now.
    if (end === undefined && task.state !== 'queued') end = now + this.model.work(task, task.slotId).total * 1000;
    if (end === undefined) {
      const pos = position ?? (await this.store.queuePosition(task.id));
      if (pos === null) return null;
      snap.queue ??= this.model.queueTimeline(snap.free, snap.at);
      const at = snap.queue.end(this.model, task, pos, Math.max(now, task.availableAt));
      if (at === null) return null;
      end = at;
    }
    const kind = task.state === 'queued' ? 'queued' : 'held';
    this.calibration.remember(task.id, kind, now, end);
    return this.model.range(end, now, this.calibration.bounds(kind));
  }

  /** The three answer fields (nulls when there is no estimate). Never throws: an ETA is a nicety. */
  async fields(task: Task, position?: number | null): Promise<EtaFields> {
    try {
      const e = await this.estimate(task, position);
      return e ? { eta_seconds: e.seconds, eta_low: e.low, eta_high: e.high } : NONE;
    } catch {
      return NONE;
    }
  }
}
