/**
 * One runner per GPU slot. It has two lanes: the *front* (prepare + TTS, on the slot's TTS
 * container) and the *video* lane (render on the slot's video container). With pipelining the
 * next task's TTS runs while the current task renders, so the video container never waits for
 * speech. Whatever way an attempt ends, its lanes are released in `finally` — the slot can't
 * leak.
 *
 * Work is keyed by *attempt* (task id + attempt number), never by task id alone: a canceled
 * attempt still draining its container and a newer attempt of the same task are two entries.
 * While an attempt runs, its lease is renewed every heartbeat; when the store says the lease
 * is lost (canceled elsewhere, reaped, superseded) the attempt is aborted and records nothing.
 *
 * Health: consecutive engine faults mark the slot unhealthy (it takes no work) until a probe
 * of both containers passes; logs only health *changes*. Results that fail the output check
 * twice in a row mark it degraded (its containers answer but render badly): no work until a
 * probe render passes or an operator clears it (docs/checks.md, "Known-bad containers").
 */
import { abortKind, AbortReason, type AbortKind } from '../domain/abort.js';
import { OUTPUT_CHECK_CODES, TaskError, toTaskError } from '../domain/errors.js';
import { fenceOf, type Task } from '../domain/task.js';
import type { SlotEngines } from '../engines/ports.js';
import type { Logger } from '../logger.js';
import { isStoreUnavailable } from '../store/unavailable.js';
import type { Clock } from '../tasks/clock.js';
import { Lane } from './lane.js';
import type { AttemptPort } from './attempt.js';
import type { LaneWait } from './ports.js';
import { TaskGone, type TaskPipeline } from './task-pipeline.js';

export interface SlotRunnerOptions {
  pipelining: boolean;
  unhealthyAfterFailures: number;
  /** Lease length; renewed every heartbeatMs while an attempt runs. */
  leaseMs: number;
  heartbeatMs: number;
  /** Bad results (output check) in a row after which the slot is degraded. @defaultValue 2 */
  degradeAfter?: number;
  /** First probe render of a degraded slot after this long; doubled after each failed probe. */
  probeAfterMs?: number;
}

/** Why a slot takes no work although its containers answer (docs/checks.md, "Known-bad containers"). */
export interface Degraded {
  since: number;
  /** The code of the last bad result. */
  code: string;
  reason: string;
  /** When the next probe render may run. */
  nextProbeAt: number;
  probesFailed: number;
}

/** A short render through the slot's own engines, checked like a result: null = it passed. */
export type ProbeRender = (engines: SlotEngines, signal?: AbortSignal) => Promise<{ code: string; detail: string } | null>;

const MAX_PROBE_BACKOFF_MS = 30 * 60_000;

/** What a runner needs besides its engines: its attempts' port (heartbeats, failures) and time. */
export interface SlotRunnerDeps {
  pipeline: TaskPipeline;
  attempts: AttemptPort;
  clock: Clock;
  log: Logger;
  /** The probe render of a degraded slot; absent = only an operator clears it. */
  probeRender?: ProbeRender;
}

interface Running {
  task: Task;
  controller: AbortController;
  /** The attempt's work is over (its end is being recorded): heartbeats stop mattering. */
  ended: boolean;
  heartbeat?: NodeJS.Timeout;
  /** The last heartbeat write failed (store away): the next success is logged. */
  beatFailing?: boolean;
  done: Promise<void>;
}

const isOutputCheckCode = (code: string): boolean => (OUTPUT_CHECK_CODES as readonly string[]).includes(code);

/** Faults that say something about the slot's containers rather than about the input. */
function isEngineFault(err: TaskError): boolean {
  // (a result the output check refused counts apart: badResults, degraded)
  return err.code !== 'input_invalid' && err.code !== 'canceled' && err.code !== 'store_unavailable' && !isOutputCheckCode(err.code);
}

export const attemptKey = (t: Pick<Task, 'id' | 'attempt'>): string => `${t.id}#${t.attempt}`;

export class SlotRunner {
  healthy = true;
  consecutiveFailures = 0;
  lastHealth: { at: number; ok: boolean; tts: boolean; video: boolean } | null = null;
  /** Bad results in a row (output check); a result that passes resets it. */
  badResults = 0;
  /** Set after `degradeAfter` bad results in a row: no new work until a probe render passes or an operator clears it. */
  degraded: Degraded | null = null;
  private probing = false;
  private frontBusy = false;
  private readonly videoLane = new Lane();
  private readonly running = new Map<string, Running>();
  /** Attempts whose render is done (video lane released) that are only verifying/copying. */
  private readonly collecting = new Set<string>();
  /**
   * Segments waiting for the speech of an earlier segment that is back in the queue (a retry
   * after a TTS fault). They need neither lane while they wait, so they take no seat: with
   * every seat held by such waiters, nobody could claim that earlier segment and nothing would
   * move. (Waiting on a segment that another slot is speaking keeps its seat, so one slot does
   * not hoard segments it must then render alone.)
   */
  private readonly waiting = new Set<string>();
  private renderingKey: string | null = null;
  /** A backup render of another slot's segment running here (docs/segments.md). */
  private backup: Promise<void> | null = null;
  /** Called whenever this slot may take more work (the scheduler pumps the queue). */
  onIdle: () => void = () => undefined;

  constructor(
    readonly engines: SlotEngines,
    private readonly deps: SlotRunnerDeps,
    private readonly opts: SlotRunnerOptions,
  ) {}

  get id(): number {
    return this.engines.id;
  }

  get load(): number {
    return this.running.size + (this.backup ? 1 : 0);
  }

  /** Working on something: an attempt, a backup, or a container job nobody needs any more. */
  get busy(): boolean {
    return this.running.size > 0 || this.backup !== null || this.videoLane.busy;
  }

  /** Nothing to do at all: no attempt, no backup, the video container free. */
  get idle(): boolean {
    return this.healthy && !this.degraded && this.running.size === 0 && !this.backup && !this.videoLane.busy;
  }

  /**
   * Run a backup render of another slot's segment (src/segments/backup-renders.ts) on this
   * slot's engines, holding its video lane; only when the slot is idle. A task claimed
   * meanwhile speaks, then waits for the lane.
   */
  runBackup(work: (engines: SlotEngines, signal: AbortSignal) => Promise<void>, signal: AbortSignal): boolean {
    if (!this.idle) return false;
    this.backup = this.videoLane
      .acquire() // free (checked above): granted at once
      .then(async (release) => {
        try {
          await work(this.engines, signal);
        } finally {
          release();
        }
      })
      .catch((err: unknown) => this.deps.log.warn({ err, slot: this.id }, 'backup render ended with an error'))
      .finally(() => {
        this.backup = null;
        this.onIdle();
      });
    return true;
  }

  /** The task the GPU is working for: the one rendering, else the one in TTS. */
  get currentTaskId(): string | null {
    // (the rendering key may outlive its attempt while the container finishes a job nobody needs)
    const rendering = this.renderingKey !== null && this.running.has(this.renderingKey) ? this.renderingKey : null;
    const key = rendering ?? [...this.running.keys()][0];
    return key ? (this.running.get(key)?.task.id ?? null) : null;
  }

  get taskIds(): string[] {
    return [...this.running.values()].map((r) => r.task.id);
  }

  /** The attempts this slot is working on (task id → attempt number). */
  get attempts(): Array<{ id: string; attempt: number }> {
    return [...this.running.values()].map((r) => ({ id: r.task.id, attempt: r.task.attempt }));
  }

  canAccept(): boolean {
    if (!this.healthy || this.degraded || this.frontBusy) return false;
    // Pipelined: one task rendering plus one in prepare/TTS (the front is free, so the one
    // running task is past TTS). Otherwise one task at a time. A task only collecting its
    // result needs neither lane, so the next task's speech can start meanwhile.
    const active = this.running.size - this.collecting.size - this.waiting.size;
    return this.opts.pipelining ? active < 2 : active === 0;
  }

  /** Run a freshly claimed attempt (state `preparing`). */
  start(task: Task): void {
    this.launch(task, (t, signal) => this.runFromStart(t, signal));
  }

  /** Re-attach to a render submitted before a restart (state rendering/collecting). */
  resume(task: Task): void {
    this.launch(task, async (t, signal) => {
      const key = attemptKey(t);
      const free = this.once(await this.videoLane.acquire(signal), key);
      try {
        this.renderingKey = key;
        await this.deps.pipeline.render(t, signal, true, free);
      } finally {
        free();
      }
    });
  }

  /**
   * Release the video lane once: early, when the engine reports done (collecting needs no GPU),
   * or at the latest when the attempt ends.
   */
  private once(release: () => void, key: string): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      if (this.running.has(key)) this.collecting.add(key);
      if (this.renderingKey === key) this.renderingKey = null;
      release();
      this.onIdle();
    };
  }

  private launch(task: Task, body: (t: Task, signal: AbortSignal) => Promise<void>): void {
    const key = attemptKey(task);
    const controller = new AbortController();
    const entry: Running = { task, controller, ended: false, done: Promise.resolve() };
    entry.heartbeat = this.startHeartbeat(entry);
    this.running.set(key, entry);
    entry.done = body(task, controller.signal)
      .finally(() => (entry.ended = true))
      .then(() => this.succeeded())
      .catch((err: unknown) => this.handleFailure(task, err, controller.signal))
      .catch((err: unknown) => this.deps.log.error({ err, taskId: task.id, attempt: task.attempt, slot: this.id }, 'could not record the end of an attempt; its lease will expire and the reaper retries it'))
      .finally(() => {
        clearInterval(entry.heartbeat);
        this.running.delete(key);
        this.collecting.delete(key);
        this.waiting.delete(key);
        this.onIdle();
      });
  }

  /**
   * Renew the attempt's lease while it works — also while it only waits on a container. A
   * lost lease aborts the attempt; a storage fault is logged and tried again next beat (the
   * lease runs several beats, so one failed write does not lose it).
   */
  private startHeartbeat(entry: Running): NodeJS.Timeout {
    const { task, controller } = entry;
    const fenced = fenceOf(task) !== null;
    const timer = setInterval(() => {
      if (!fenced || controller.signal.aborted || entry.ended) return;
      this.deps.attempts
        .renew(task, this.opts.leaseMs)
        .then((r) => {
          if (entry.beatFailing) this.deps.log.info({ taskId: task.id, attempt: task.attempt, slot: this.id, result: r }, 'lease heartbeat stored again');
          entry.beatFailing = false;
          if (r === 'lost' && !controller.signal.aborted && !entry.ended) {
            this.deps.log.warn({ taskId: task.id, attempt: task.attempt, slot: this.id }, 'attempt lost its lease; stopping it');
            controller.abort(new AbortReason('lost'));
          }
        })
        .catch((err: unknown) => {
          // Logged once per run of failures: an outage would otherwise log every beat.
          if (!entry.beatFailing) this.deps.log.warn({ err, taskId: task.id, slot: this.id }, 'lease heartbeat failed; trying again every beat');
          entry.beatFailing = true;
        });
    }, this.opts.heartbeatMs);
    timer.unref();
    return timer;
  }

  private async runFromStart(task: Task, signal: AbortSignal): Promise<void> {
    let t: Task;
    this.frontBusy = true;
    try {
      t = await this.deps.pipeline.prepare(task, signal);
      t = await this.deps.pipeline.speak(t, signal);
    } finally {
      this.frontBusy = false;
    }
    this.onIdle(); // a segment may wait for its face offset next: the front can take more work
    const key = attemptKey(t);
    const onQueuedWait = (queued: boolean) => {
      if (queued) this.waiting.add(key);
      else this.waiting.delete(key);
      if (queued) this.onIdle();
    };
    try {
      t = await this.deps.pipeline.beforeRender(t, signal, onQueuedWait);
    } finally {
      this.waiting.delete(key);
    }
    const lane = await this.acquireOrBackup(t, signal);
    if (lane === 'done') return;
    const free = this.once(lane.release, key);
    this.onIdle(); // the front is free: with pipelining, the next task's TTS can start now
    // A backup's video can end the attempt while this slot's container still renders its own
    // job (it cannot be stopped): the lane stays held until that job is over.
    const hold: { until?: Promise<unknown> } = {};
    try {
      this.renderingKey = key;
      await this.deps.pipeline.render(t, signal, false, free, (p) => (hold.until = p));
    } finally {
      if (hold.until) void hold.until.finally(free);
      else free();
      lane.backups?.close(abortKind(signal) === 'shutdown' ? 'shutdown' : 'cancel'); // no-op once the render's race closed it
    }
  }

  /**
   * Wait for the video lane. A segment waiting here (its slot still renders something else) is
   * open for backup renders on idle slots meanwhile; when one of them finishes first, its video
   * completes the segment and this slot never renders it ('done').
   */
  private async acquireOrBackup(t: Task, signal: AbortSignal): Promise<{ release: () => void; backups?: LaneWait } | 'done'> {
    const wait = this.videoLane.busy ? this.deps.pipeline.openForBackups(t) : null;
    if (!wait) return { release: await this.videoLane.acquire(signal) };
    const laneWait = new AbortController();
    const forward = () => laneWait.abort(signal.reason);
    signal.addEventListener('abort', forward, { once: true });
    const lane = this.videoLane.acquire(laneWait.signal);
    try {
      const first = await Promise.race([lane.then((release) => ({ release })), wait.won.then((result) => ({ result }))]);
      if ('release' in first) return { release: first.release, backups: wait }; // the entry goes on into the own render's race
      laneWait.abort(new AbortReason('cancel'));
      lane.then((release) => release(), () => undefined); // granted at the same moment: give it back
      await this.deps.pipeline.completeWithBackup(t, signal, wait, first.result);
      return 'done';
    } catch (err) {
      wait.close(abortKind(signal) === 'shutdown' ? 'shutdown' : 'cancel');
      throw err;
    } finally {
      signal.removeEventListener('abort', forward);
    }
  }

  private succeeded(): void {
    this.consecutiveFailures = 0;
    this.badResults = 0;
  }

  /** A result of this slot failed the output check: twice in a row degrades the slot. */
  private recordBadResult(err: TaskError): void {
    this.badResults += 1;
    if (this.degraded || this.badResults < (this.opts.degradeAfter ?? 2)) return;
    const now = this.deps.clock.now();
    this.degraded = { since: now, code: err.code, reason: `${this.badResults} results in a row failed the output check (last: ${err.code})`, nextProbeAt: now + (this.opts.probeAfterMs ?? 60_000), probesFailed: 0 };
    this.deps.log.error({ slot: this.id, code: err.code, badResults: this.badResults }, 'slot degraded: its results keep failing the output check; it takes no work until a probe render passes or an operator clears it');
  }

  /** An operator (`heygem-gateway slots clear`) or a passed probe render brings a degraded slot back. */
  clearDegraded(by: 'operator' | 'probe'): boolean {
    if (!this.degraded) return false;
    this.degraded = null;
    this.badResults = 0;
    this.deps.log.warn({ slot: this.id, by }, 'degraded slot cleared: it takes work again');
    this.onIdle();
    return true;
  }

  /**
   * A degraded slot, once idle and past its back-off: one short render through its engines,
   * checked like a result. Pass: the slot takes work again; fail: the next probe waits twice as long.
   */
  private async probeDegraded(now: number, signal?: AbortSignal): Promise<void> {
    const d = this.degraded;
    if (!d || !this.deps.probeRender || this.probing || now < d.nextProbeAt || this.busy) return;
    this.probing = true;
    const release = await this.videoLane.acquire(signal);
    try {
      const bad = await this.deps.probeRender(this.engines, signal).catch((err: unknown) => ({ code: 'probe_failed', detail: (err as Error).message }));
      if (this.degraded !== d) return; // cleared meanwhile
      if (!bad) {
        this.clearDegraded('probe');
        return;
      }
      d.probesFailed += 1;
      d.nextProbeAt = this.deps.clock.now() + Math.min(MAX_PROBE_BACKOFF_MS, (this.opts.probeAfterMs ?? 60_000) * 2 ** d.probesFailed);
      this.deps.log.warn({ slot: this.id, code: bad.code, detail: bad.detail, nextProbeAt: new Date(d.nextProbeAt).toISOString() }, 'probe render of a degraded slot failed');
    } finally {
      this.probing = false;
      release();
    }
  }

  /**
   * The attempt ended with an error. Everything is recorded against *this* attempt (fenced),
   * so an old attempt finishing late can never touch a newer one.
   */
  private async handleFailure(task: Task, raw: unknown, signal: AbortSignal): Promise<void> {
    if (raw instanceof TaskGone) return; // canceled or superseded meanwhile: already recorded
    const kind = abortKind(signal);
    // shutdown: stays durable, the next start re-attaches or re-queues it; cancel: the cancel
    // already ended the task; lost: someone else owns the task now.
    if (kind) return;
    // A step that read the store during an outage (library inputs, segment steps): the attempt
    // ends once the store is back and the task goes back to the queue — not a fault of the input
    // or of this slot's containers, and not counted against its attempts.
    const err = isStoreUnavailable(raw) ? new TaskError('store_unavailable', `The task store was unreachable during ${task.state}: ${(raw as Error).message}`, { retryable: true }) : toTaskError(raw);
    this.deps.log.warn({ taskId: task.id, attempt: task.attempt, slot: this.id, code: err.code, err: err.message }, 'task attempt failed');
    if (isEngineFault(err)) this.recordFault();
    if (isOutputCheckCode(err.code)) this.recordBadResult(err);
    await this.deps.attempts.fail(task, err, signal);
  }

  private recordFault(): void {
    this.consecutiveFailures += 1;
    if (this.healthy && this.consecutiveFailures >= this.opts.unhealthyAfterFailures) {
      this.healthy = false;
      this.deps.log.error({ slot: this.id, failures: this.consecutiveFailures }, 'slot marked unhealthy');
    }
  }

  /** Probe both containers. The TTS health call blocks during synthesis, so skip it while busy. */
  async probe(now: number, signal?: AbortSignal): Promise<boolean> {
    if (this.degraded) void this.probeDegraded(now, signal).catch((err: unknown) => this.deps.log.warn({ err, slot: this.id }, 'probe render could not run'));
    if (this.healthy && this.busy) return true;
    const [tts, video] = await Promise.all([this.engines.speech.health(signal), this.engines.video.health(signal)]);
    const ok = tts && video;
    this.lastHealth = { at: now, ok, tts, video };
    if (ok !== this.healthy) {
      this.healthy = ok;
      if (ok) this.consecutiveFailures = 0;
      this.deps.log[ok ? 'info' : 'error']({ slot: this.id, tts, video }, ok ? 'slot healthy again' : 'slot unhealthy (probe failed)');
      if (ok) this.onIdle();
    }
    return ok;
  }

  /**
   * Abort this slot's attempts of a task, except `keepAttempt` (the current one, when it is
   * still ours): frees the front lane at once; the video lane drains (see the video adapter).
   */
  abort(taskId: string, kind: AbortKind, keepAttempt?: number): boolean {
    let any = false;
    for (const r of this.running.values()) {
      if (r.task.id !== taskId || r.task.attempt === keepAttempt || r.controller.signal.aborted) continue;
      r.controller.abort(new AbortReason(kind));
      any = true;
    }
    return any;
  }

  /** Wait for in-flight work up to `graceMs`, then abort the rest as a shutdown. */
  async drain(graceMs: number): Promise<void> {
    const all = () => Promise.all([...this.running.values()].map((r) => r.done));
    const timer = new Promise<'timeout'>((res) => setTimeout(res, graceMs, 'timeout').unref());
    if ((await Promise.race([all().then(() => 'done' as const), timer])) === 'timeout') {
      for (const r of this.running.values()) r.controller.abort(new AbortReason('shutdown'));
      await all();
    }
  }
}
