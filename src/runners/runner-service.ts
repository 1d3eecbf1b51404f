/**
 * The gateway side of the remote-runner protocol (docs/runners.md): every call of a runner is
 * mapped onto the same TaskStore + TaskLifecycle the local slots use, so a runner's accepted job
 * IS an attempt with its lease, fenced by attempt number + lease token, and the ordinary reaper
 * ends the attempts of a runner that stopped renewing them. Nothing here knows about HTTP.
 */
import type { SegmentSteps } from '../segments/segment-steps.js';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { ERROR_CODES, TaskError, type ErrorCode } from '../domain/errors.js';
import { isFinal, type Fence, type Task, type TaskState } from '../domain/task.js';
import type { GatewayConfig } from '../config/load.js';
import type { LibraryService } from '../library/library.service.js';
import type { Media } from '../media/media.js';
import type { Clock } from '../tasks/clock.js';
import type { DataPaths } from '../runner/data-paths.js';
import type { TaskLifecycle } from '../tasks/lifecycle.js';
import type { TaskPatch, TaskStore } from '../store/task-store.js';
import type { GatewayMetrics } from '../telemetry/metrics.js';
import { RunnerMetrics } from './runner-metrics.js';
import type { OutputGate } from '../checks/output-gate.js';

/** What the runner protocol uses of the gateway (the composition root's Gateway has all of it). */
export interface RunnerServiceDeps {
  config: Pick<GatewayConfig, 'scheduler'> & { checks?: Pick<GatewayConfig['checks'], 'output'> };
  store: TaskStore;
  lifecycle: TaskLifecycle;
  clock: Clock;
  metrics: Pick<GatewayMetrics, 'registry'>;
  library: Pick<LibraryService, 'inputsForTask'>;
  media: Pick<Media, 'verifyMp4'>;
  paths: DataPaths;
  /** The output check of uploaded results (docs/checks.md); absent = not checked. */
  outputGate?: Pick<OutputGate, 'pass'>;
  /** Finishes an uploaded render that has output options (docs/output.md); absent in tests without it. */
  segments?: { steps: Pick<SegmentSteps, 'finishOutput'> };
}

/** Why a runner's call about a job was refused (the route turns these into 409/410). */
export class JobRefused extends Error {
  constructor(
    readonly status: 404 | 409 | 410,
    readonly code: 'job_not_found' | 'state_conflict' | 'lease_lost' | 'slot_not_registered' | 'slot_conflict',
    message: string,
  ) {
    super(message);
  }
}

/** A task as a runner sees it: no gateway paths, its inputs named by what they are. */
export interface WireJob extends Omit<Task, 'videoPath' | 'referenceAudio' | 'audioPath' | 'outputPath'> {
  videoPath: null;
  referenceAudio: null;
  audioPath: null;
  outputPath: null;
  /** Inputs to download (GET .../jobs/:id/inputs/:name with the lease token); sha256 for the runner's cache. */
  inputs: {
    /** The face: the task's upload, else its library avatar (docs/avatars.md). */
    video: { sha256: string; size: number } | null;
    /** The library voice of the task (with its transcript), if it names one. */
    voice: { sha256: string; size: number; text: string } | null;
  };
}

/** What a segment's runner needs of its siblings to find its face offset (docs/segments.md). */
export interface WireSegments {
  parent: { id: string; segmentCount: number | null; state: TaskState };
  segments: Array<Pick<Task, 'id' | 'parentId' | 'segmentIndex' | 'state' | 'audioDurationSec' | 'ttsEndedAt'>>;
}

/** Fields a runner may set on its attempt; paths are the gateway's own business. */
const RUNNER_PATCH_KEYS = ['normalizedText', 'audioDurationSec', 'engineProgress', 'renderSubmitted', 'engineData', 'ttsStartedAt', 'ttsEndedAt', 'renderStartedAt', 'renderEndedAt', 'finishedAt'] as const;
const FORWARD_TARGETS: ReadonlySet<TaskState> = new Set(['reserved', 'tts', 'rendering', 'collecting']);

export function cleanPatch(raw: unknown): TaskPatch {
  const out: Record<string, unknown> = {};
  if (!raw || typeof raw !== 'object') return out;
  for (const k of RUNNER_PATCH_KEYS) if (k in raw) out[k] = (raw as Record<string, unknown>)[k];
  return out as TaskPatch;
}

/** Per-runner facts for /api/queue and /metrics, kept in memory (a restart starts them over). */
export interface RunnerStats {
  name: string;
  host: string | null;
  version: string | null;
  lastSeenAt: number;
  accepted: number;
  completed: number;
  failed: number;
}

export interface RunnerIdentity {
  /** Lease holder and slot-registry node id: `runner:<name>`. */
  nodeId: string;
  name: string;
}

export class RunnerService {
  private readonly waiters = new Set<() => void>();
  private readonly hashes = new Map<string, { mtimeMs: number; size: number; sha256: string }>();
  readonly stats = new Map<string, RunnerStats>();
  private closed = false;

  readonly metrics: RunnerMetrics;

  constructor(private readonly gw: RunnerServiceDeps) {
    this.metrics = new RunnerMetrics(gw.metrics.registry, gw.store, gw.clock, () => new Map([...this.stats].map(([k, v]) => [k, v.lastSeenAt])));
    // A long-polling runner wakes as soon as work is queued (new, retried or handed back).
    gw.lifecycle.on('change', ({ task }) => {
      if (task.state === 'queued') this.wake();
    });
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }

  private get leaseMs(): number {
    return this.gw.config.scheduler.leaseMs;
  }

  seen(r: RunnerIdentity, facts: { host?: string; version?: string } = {}): RunnerStats {
    const now = this.gw.clock.now();
    const s = this.stats.get(r.nodeId) ?? { name: r.name, host: null, version: null, lastSeenAt: now, accepted: 0, completed: 0, failed: 0 };
    s.lastSeenAt = now;
    if (facts.host) s.host = facts.host.slice(0, 200);
    if (facts.version) s.version = facts.version.slice(0, 50);
    this.stats.set(r.nodeId, s);
    return s;
  }

  /** The runner announces its slots (ids unique across the deployment) and learns the lease terms. */
  async register(r: RunnerIdentity, body: { slots: number[]; host?: string; version?: string }) {
    this.seen(r, body);
    const now = this.gw.clock.now();
    const conflicts = await this.gw.store.registerSlots(r.nodeId, body.slots, now, this.leaseMs);
    if (conflicts.length) {
      throw new JobRefused(409, 'slot_conflict', `slot id${conflicts.length > 1 ? 's' : ''} ${conflicts.map((c) => `${c.slotId} (node "${c.nodeId}")`).join(', ')} already driven by another live node: give this runner other slot ids`);
    }
    const s = this.gw.config.scheduler;
    return { nodeId: r.nodeId, leaseMs: s.leaseMs, heartbeatMs: s.heartbeatMs, protocol: 1 };
  }

  async reportSlots(r: RunnerIdentity, slots: Array<{ slotId: number; info: Record<string, unknown> }>): Promise<void> {
    const st = this.seen(r);
    const mine = new Set((await this.gw.store.listSlots()).filter((x) => x.nodeId === r.nodeId).map((x) => x.slotId));
    const now = this.gw.clock.now();
    // A slot row another node took meanwhile is not overwritten; a gateway restart keeps the rows.
    const own = slots.filter((x) => mine.has(x.slotId));
    await this.gw.store.reportSlots(r.nodeId, own.map((x) => ({ slotId: x.slotId, info: { ...x.info, runner: st.name, host: st.host, version: st.version, remote: true } })), now);
  }

  async unregister(r: RunnerIdentity): Promise<void> {
    await this.gw.store.unregisterSlots(r.nodeId);
    this.stats.delete(r.nodeId);
  }

  /**
   * Request + accept in one atomic step: the store's claim hands the oldest available task to
   * exactly one caller, so two runners can never accept the same attempt. Waits up to `waitMs`
   * for work (long poll), so a free GPU behind a runner starts as soon as a local one would.
   */
  async request(r: RunnerIdentity, slotId: number, waitMs: number, signal?: AbortSignal): Promise<WireJob | null> {
    const st = this.seen(r);
    const slot = (await this.gw.store.listSlots()).find((x) => x.slotId === slotId);
    if (!slot || slot.nodeId !== r.nodeId) throw new JobRefused(409, 'slot_not_registered', `slot ${slotId} is not registered to this runner (register first)`);
    const deadline = this.gw.clock.now() + Math.max(0, Math.min(waitMs, 30_000));
    for (;;) {
      // The wake-up is armed before the claim, so work queued during the claim is not missed.
      let wake!: () => void;
      const woken = new Promise<void>((res) => (wake = res));
      this.waiters.add(wake);
      try {
        // a retry that avoids this runner's slot waits for another GPU first (docs/lifecycle.md)
        const task = await this.gw.lifecycle.claim({ slotId, holder: r.nodeId, now: this.gw.clock.now(), leaseMs: this.leaseMs, preferOthersMs: this.gw.config.checks?.output.preferOtherSlotMs });
        if (task) {
          st.accepted++;
          this.metrics.jobs.inc({ runner: r.name, outcome: 'accepted' });
          return await this.toWire(task);
        }
        const left = deadline - this.gw.clock.now();
        if (left <= 0 || this.closed || signal?.aborted) return null;
        const next = await this.gw.store.nextAvailableAt();
        const until = next === null ? left : Math.min(left, Math.max(5, next - this.gw.clock.now()));
        await new Promise<void>((res) => {
          const t = setTimeout(res, until);
          const done = () => {
            clearTimeout(t);
            res();
          };
          void woken.then(done);
          signal?.addEventListener('abort', done, { once: true });
        });
      } finally {
        this.waiters.delete(wake);
      }
    }
  }

  /** Jobs this runner holds under a live lease (a restarted runner takes them back). */
  async held(r: RunnerIdentity): Promise<WireJob[]> {
    this.seen(r);
    const now = this.gw.clock.now();
    const tasks = (await this.gw.store.listHeldBy(r.nodeId)).filter((t) => t.leaseExpiresAt === null || t.leaseExpiresAt > now);
    return Promise.all(tasks.map((t) => this.toWire(t)));
  }

  /**
   * The task, provided `fence` is its current, live attempt held by this runner. A job that
   * moved on (reaped, canceled, taken over) answers 410 lease_lost; an unknown id 404.
   */
  async held1(r: RunnerIdentity, id: string, fence: Fence): Promise<Task> {
    const task = await this.gw.store.get(id);
    if (!task) throw new JobRefused(404, 'job_not_found', `No task ${id}`);
    const live = task.leaseExpiresAt === null || task.leaseExpiresAt > this.gw.clock.now();
    if (task.attempt !== fence.attempt || task.leaseToken !== fence.token || task.leaseHolder !== r.nodeId || isFinal(task.state) || !live) {
      throw new JobRefused(410, 'lease_lost', `Attempt ${fence.attempt} of task ${id} is no longer yours (${isFinal(task.state) ? task.state : 'lease ended'})`);
    }
    return task;
  }

  /** The refusal for a move that lost: the lease (410) or only the expected state (409). */
  private async refusal(r: RunnerIdentity, id: string, fence: Fence, to: TaskState): Promise<JobRefused> {
    const task = await this.held1(r, id, fence).catch((e: unknown) => e);
    if (task instanceof JobRefused) return task;
    return new JobRefused(409, 'state_conflict', `Task ${id} is ${(task as Task).state}; cannot move to ${to}`);
  }

  /** A forward move of the runner's attempt (reserved, tts, rendering, collecting). Idempotent. */
  async transition(r: RunnerIdentity, id: string, fence: Fence, from: TaskState, to: TaskState, patch: unknown): Promise<WireJob> {
    this.seen(r);
    if (!FORWARD_TARGETS.has(to)) throw new JobRefused(409, 'state_conflict', `A runner moves a task to ${to} through its own call (success, error, abort)`);
    const task = await this.held1(r, id, fence);
    if (task.state === to) return this.toWire(task); // a retried call whose answer was lost
    const next = await this.gw.lifecycle.move({ ...task, state: from }, to, cleanPatch(patch));
    if (!next) throw await this.refusal(r, id, fence, to);
    return this.toWire(next);
  }

  async update(r: RunnerIdentity, id: string, fence: Fence, patch: unknown): Promise<void> {
    this.seen(r);
    const task = await this.held1(r, id, fence);
    if (!(await this.gw.lifecycle.progress(task, cleanPatch(patch)))) throw await this.refusal(r, id, fence, task.state);
  }

  /** Renew the lease. `lost` tells the runner to stop (and why: canceled, or someone else's now). */
  async heartbeat(r: RunnerIdentity, id: string, fence: Fence): Promise<{ result: 'ok' | 'lost'; canceled: boolean }> {
    this.seen(r);
    // The holder is checked like on every other job call: a runner that learned another's fence
    // must not keep that runner's lease alive (the fence itself is checked by the store below).
    const held = await this.gw.store.get(id);
    if (held && held.attempt === fence.attempt && held.leaseToken === fence.token && held.leaseHolder !== r.nodeId) {
      throw new JobRefused(410, 'lease_lost', `Attempt ${fence.attempt} of task ${id} is not yours`);
    }
    const result = await this.gw.lifecycle.renew(id, fence, this.leaseMs);
    if (result === 'ok') return { result, canceled: false };
    const task = await this.gw.store.get(id);
    return { result, canceled: task?.state === 'canceled' };
  }

  /** A restarted runner takes its own live attempt back (fresh token; counts against maxAttempts). */
  async reclaim(r: RunnerIdentity, id: string, fence: Fence): Promise<WireJob> {
    this.seen(r);
    const task = await this.held1(r, id, fence);
    const back = await this.gw.lifecycle.reclaim(task, r.nodeId, this.leaseMs);
    if (!back) throw new JobRefused(410, 'lease_lost', `Attempt ${fence.attempt} of task ${id} could not be taken back`);
    return this.toWire(back);
  }

  /** The attempt failed on the runner: the gateway's own policy decides retry or fail. */
  async error(r: RunnerIdentity, id: string, fence: Fence, body: { code?: string; message?: string; retryable?: boolean }): Promise<WireJob> {
    const st = this.seen(r);
    const task = await this.held1(r, id, fence);
    const code: ErrorCode = (ERROR_CODES as readonly string[]).includes(String(body.code)) ? (body.code as ErrorCode) : 'internal';
    const message = `${String(body.message ?? 'failed on the runner').slice(0, 2000)} (runner ${st.name})`;
    const next = await this.gw.lifecycle.failed(task, new TaskError(code, message, { retryable: Boolean(body.retryable) }));
    if (!next) throw await this.refusal(r, id, fence, 'failed');
    st.failed++;
    this.metrics.jobs.inc({ runner: r.name, outcome: 'failed' });
    return this.toWire(next);
  }

  /** Hand the job back (runner shutting down before the render): queued again at once. */
  async abort(r: RunnerIdentity, id: string, fence: Fence): Promise<WireJob> {
    this.seen(r);
    const task = await this.held1(r, id, fence);
    const next = await this.gw.lifecycle.interrupted(task);
    if (!next) throw await this.refusal(r, id, fence, 'queued');
    return this.toWire(next);
  }

  /** Path of an input the runner may read: only of a job it holds a live lease for. */
  async inputPath(r: RunnerIdentity, id: string, fence: Fence, name: string): Promise<string> {
    this.seen(r);
    const task = await this.held1(r, id, fence);
    if (name === 'video' && task.videoPath) return task.videoPath;
    const lib = await this.libraryOf(task);
    if (name === 'video' && lib?.face) return lib.face.path;
    if (name === 'voice' && lib?.voice) return lib.voice.path;
    throw new JobRefused(404, 'job_not_found', `Task ${id} has no input "${name}"`);
  }

  /** The siblings of a segment this runner holds (their speech lengths give its face offset). */
  async segments(r: RunnerIdentity, id: string, fence: Fence): Promise<WireSegments> {
    this.seen(r);
    const task = await this.held1(r, id, fence);
    const parent = task.parentId ? await this.gw.store.get(task.parentId) : undefined;
    if (!parent) throw new JobRefused(404, 'job_not_found', `Task ${id} is not a segment`);
    const all = await this.gw.store.listSegments(parent.id);
    return {
      parent: { id: parent.id, segmentCount: parent.segmentCount, state: parent.state },
      segments: all.map((s) => ({ id: s.id, parentId: s.parentId, segmentIndex: s.segmentIndex, state: s.state, audioDurationSec: s.audioDurationSec, ttsEndedAt: s.ttsEndedAt })),
    };
  }

  /** Library avatar/voice of a task; a segment uses its parent's. */
  private libraryOf(task: Task) {
    return this.gw.library.inputsForTask(task.parentId ?? task.id).catch(() => null);
  }

  /** sha256 of an input, cached by size + mtime (uploads never change in place). */
  private async sha256Of(path: string): Promise<{ sha256: string; size: number }> {
    const st = await stat(path);
    const hit = this.hashes.get(path);
    if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit;
    const h = createHash('sha256');
    for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
    const v = { mtimeMs: st.mtimeMs, size: st.size, sha256: h.digest('hex') };
    if (this.hashes.size > 1000) this.hashes.clear();
    this.hashes.set(path, v);
    return v;
  }

  async toWire(task: Task): Promise<WireJob> {
    const hashOf = (path: string) => this.sha256Of(path).then(({ sha256, size }) => ({ sha256, size })).catch(() => null);
    const lib = await this.libraryOf(task);
    const face = task.videoPath ?? lib?.face?.path ?? null;
    const video = face ? await hashOf(face) : null;
    const voiceFile = lib?.voice ? await hashOf(lib.voice.path) : null;
    const voice = voiceFile && lib?.voice ? { ...voiceFile, text: lib.voice.text } : null;
    return { ...task, videoPath: null, referenceAudio: null, audioPath: null, outputPath: null, inputs: { video, voice } };
  }

  completed(r: RunnerIdentity): void {
    const st = this.stats.get(r.nodeId);
    if (st) st.completed++;
    this.metrics.jobs.inc({ runner: r.name, outcome: 'completed' });
  }

  close(): void {
    this.closed = true;
    this.wake();
  }
}
