/**
 * One runner per GPU slot. It has two lanes: the *front* (prepare + TTS, on the slot's TTS
 * container) and the *video* lane (render on the slot's video container). With pipelining the
 * next task's TTS runs while the current task renders, so the video container never waits for
 * speech. Whatever way a task ends, its lanes are released in `finally` — the slot can't leak.
 *
 * Health: consecutive engine faults mark the slot unhealthy (it takes no work) until a probe
 * of both containers passes; logs only health *changes*.
 */
import { abortKind, AbortReason } from '../domain/abort.js';
import { toTaskError, type TaskError } from '../domain/errors.js';
import type { Task } from '../domain/task.js';
import type { SlotEngines } from '../engines/ports.js';
import type { Logger } from '../logger.js';
import { Lane } from './lane.js';
import type { TaskLifecycle } from './lifecycle.js';
import { TaskGone, type TaskPipeline } from './task-pipeline.js';

export interface SlotRunnerOptions {
  pipelining: boolean;
  unhealthyAfterFailures: number;
}

interface Running {
  task: Task;
  controller: AbortController;
  done: Promise<void>;
}

/** Faults that say something about the slot's containers rather than about the input. */
function isEngineFault(err: TaskError): boolean {
  return err.code !== 'input_invalid' && err.code !== 'canceled';
}

export class SlotRunner {
  healthy = true;
  consecutiveFailures = 0;
  lastHealth: { at: number; ok: boolean; tts: boolean; video: boolean } | null = null;
  private frontBusy = false;
  private readonly videoLane = new Lane();
  private readonly running = new Map<string, Running>();
  /** Tasks whose render is done (video lane released) that are only verifying/copying. */
  private readonly collecting = new Set<string>();
  private renderingId: string | null = null;
  /** Called whenever this slot may take more work (the scheduler pumps the queue). */
  onIdle: () => void = () => undefined;

  constructor(
    readonly engines: SlotEngines,
    private readonly pipeline: TaskPipeline,
    private readonly lifecycle: TaskLifecycle,
    private readonly opts: SlotRunnerOptions,
    private readonly log: Logger,
  ) {}

  get id(): number {
    return this.engines.id;
  }

  get load(): number {
    return this.running.size;
  }

  get busy(): boolean {
    return this.running.size > 0;
  }

  /** The task the GPU is working for: the one rendering, else the one in TTS. */
  get currentTaskId(): string | null {
    return this.renderingId ?? [...this.running.keys()][0] ?? null;
  }

  get taskIds(): string[] {
    return [...this.running.keys()];
  }

  canAccept(): boolean {
    if (!this.healthy || this.frontBusy) return false;
    // Pipelined: one task rendering plus one in prepare/TTS (the front is free, so the one
    // running task is past TTS). Otherwise one task at a time. A task only collecting its
    // result needs neither lane, so the next task's speech can start meanwhile.
    const active = this.running.size - this.collecting.size;
    return this.opts.pipelining ? active < 2 : active === 0;
  }

  /** Run a freshly claimed task (state `preparing`). */
  start(task: Task): void {
    this.launch(task, (t, signal) => this.runFromStart(t, signal));
  }

  /** Re-attach to a render submitted before a restart (state rendering/collecting). */
  resume(task: Task): void {
    this.launch(task, async (t, signal) => {
      const free = this.once(await this.videoLane.acquire(signal), t.id);
      try {
        this.renderingId = t.id;
        await this.pipeline.render(t, signal, true, free);
      } finally {
        free();
      }
    });
  }

  /**
   * Release the video lane once: early, when the engine reports done (collecting needs no GPU),
   * or at the latest when the task ends.
   */
  private once(release: () => void, taskId: string): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      if (this.running.has(taskId)) this.collecting.add(taskId);
      if (this.renderingId === taskId) this.renderingId = null;
      release();
      this.onIdle();
    };
  }

  private launch(task: Task, body: (t: Task, signal: AbortSignal) => Promise<void>): void {
    const controller = new AbortController();
    const entry: Running = { task, controller, done: Promise.resolve() };
    this.running.set(task.id, entry);
    entry.done = body(task, controller.signal)
      .then(() => this.succeeded())
      .catch((err: unknown) => this.handleFailure(task.id, err, controller.signal))
      .finally(() => {
        this.running.delete(task.id);
        this.collecting.delete(task.id);
        this.onIdle();
      });
  }

  private async runFromStart(task: Task, signal: AbortSignal): Promise<void> {
    let t: Task;
    this.frontBusy = true;
    try {
      t = await this.pipeline.prepare(task, signal);
      t = await this.pipeline.speak(t, signal);
    } finally {
      this.frontBusy = false;
    }
    const free = this.once(await this.videoLane.acquire(signal), t.id);
    this.onIdle(); // the front is free: with pipelining, the next task's TTS can start now
    try {
      this.renderingId = t.id;
      await this.pipeline.render(t, signal, false, free);
    } finally {
      free();
    }
  }

  private succeeded(): void {
    this.consecutiveFailures = 0;
  }

  private async handleFailure(taskId: string, raw: unknown, signal: AbortSignal): Promise<void> {
    if (raw instanceof TaskGone) return; // canceled meanwhile: the cancel already recorded it
    const kind = abortKind(signal);
    if (kind === 'shutdown') return; // stays durable; the next start resumes or re-queues it
    const task = await this.lifecycle.current(taskId);
    if (!task || task.state === 'canceled' || task.state === 'completed' || task.state === 'failed') return;
    const err = toTaskError(raw);
    if (kind === 'cancel') {
      await this.lifecycle.cancel(taskId);
      return;
    }
    this.log.warn({ taskId, slot: this.id, code: err.code, err: err.message }, 'task attempt failed');
    if (isEngineFault(err)) this.recordFault();
    await this.lifecycle.failed(task, err);
  }

  private recordFault(): void {
    this.consecutiveFailures += 1;
    if (this.healthy && this.consecutiveFailures >= this.opts.unhealthyAfterFailures) {
      this.healthy = false;
      this.log.error({ slot: this.id, failures: this.consecutiveFailures }, 'slot marked unhealthy');
    }
  }

  /** Probe both containers. The TTS health call blocks during synthesis, so skip it while busy. */
  async probe(now: number, signal?: AbortSignal): Promise<boolean> {
    if (this.healthy && this.busy) return true;
    const [tts, video] = await Promise.all([this.engines.speech.health(signal), this.engines.video.health(signal)]);
    const ok = tts && video;
    this.lastHealth = { at: now, ok, tts, video };
    if (ok !== this.healthy) {
      this.healthy = ok;
      if (ok) this.consecutiveFailures = 0;
      this.log[ok ? 'info' : 'error']({ slot: this.id, tts, video }, ok ? 'slot healthy again' : 'slot unhealthy (probe failed)');
      if (ok) this.onIdle();
    }
    return ok;
  }

  /** Abort one task (cancel): frees the front lane at once; the video lane drains (see adapter). */
  abort(taskId: string, kind: 'cancel' | 'shutdown'): boolean {
    const r = this.running.get(taskId);
    if (!r) return false;
    r.controller.abort(new AbortReason(kind));
    return true;
  }

  /** Wait for in-flight work up to `graceMs`, then abort the rest as a shutdown. */
  async drain(graceMs: number): Promise<void> {
    const all = () => Promise.all([...this.running.values()].map((r) => r.done));
    const timer = new Promise<'timeout'>((res) => setTimeout(res, graceMs, 'timeout').unref());
    if ((await Promise.race([all().then(() => 'done' as const), timer])) === 'timeout') {
      for (const id of this.running.keys()) this.abort(id, 'shutdown');
      await all();
    }
  }
}
