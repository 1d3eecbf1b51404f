/**
 * Backup renders of segments (docs/segments.md, "Backup renders"): when a GPU of this node has
 * nothing to claim while segments still render elsewhere, it renders one of them again — the
 * same finished speech and the same face clip, so the result is interchangeable — and whichever
 * render finishes first is the segment's video. Render times vary on their own (the face, GPU
 * clocks, contention), and a long script waits for its slowest segment: a second draw on an
 * otherwise idle GPU cuts that tail.
 *
 * Ownership stays where it is: the segment's attempt (its lease, its state changes) belongs to
 * the slot that claimed it. A backup only offers a finished file; the owner takes it, moves the
 * task on, and cancels the render it no longer needs. HeyGem containers cannot stop a job, so a
 * canceled render keeps its slot's video lane until the container finishes it and its files are
 * removed (the video adapter's drain) — a backup never leaves work behind on a container.
 *
 * Backups only start on a slot with nothing else to do (no attempt, video lane free), so they
 * never delay queued work; a task claimed meanwhile speaks while the backup finishes and waits
 * for the lane at most one segment render.
 */
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AbortReason, abortKind } from '../domain/abort.js';
import { renderCode, type Task } from '../domain/task.js';
import type { RenderRequest, RenderResult, SlotEngines } from '../engines/ports.js';
import type { Logger } from '../logger.js';
import type { Clock } from '../tasks/clock.js';
import type { DataPaths } from '../runner/data-paths.js';
import type { BackupHost, Backups, LaneWait, RaceResult } from '../runner/ports.js';

/** The shapes are the runner's ports (runner/ports.ts); this class implements `Backups`. */
export type { BackupHost, LaneWait, RaceResult };

export interface BackupRendersOptions {
  /** Most backups of one segment render at a time (0 = off). */
  maxPerRender: number;
}

/** A segment render in flight on this node, open to backups. */
interface Watched {
  task: Task;
  slotId: number;
  startedAt: number;
  audioSec: number;
  audioPath: string;
  videoPath: string;
  /** Spoken and cut, but still waiting for its own slot's video lane (no own render yet). */
  waiting: boolean;
  /** No new backups: the own render reached its result, or the race is over. */
  closed: boolean;
  /** Backups running, by slot id. */
  backups: Map<number, { controller: AbortController; run: Promise<void> }>;
  /** Resolved by the first backup that produced a verified file. */
  won: Promise<RenderResult>;
  win: (r: RenderResult) => void;
  winner: RenderResult | null;
}

type First = { kind: 'own'; result: RenderResult } | { kind: 'own-failed'; err: unknown } | { kind: 'backup'; result: RenderResult };

/** Render ms per speech second of recent segment renders on this node (median of a window). */
class Pace {
  private readonly ratios: number[] = [];
  observe(ms: number, audioSec: number): void {
    if (audioSec <= 0 || ms <= 0) return;
    this.ratios.push(ms / audioSec);
    if (this.ratios.length > 30) this.ratios.shift();
  }
  expectedMs(audioSec: number): number | null {
    if (!this.ratios.length) return null;
    const s = [...this.ratios].sort((a, b) => a - b);
    return s[Math.floor(s.length / 2)] * audioSec;
  }
}

export class BackupRenders implements Backups {
  private readonly watched = new Map<string, Watched>();
  private readonly pace = new Pace();
  /** Called when a render opens for backups (the scheduler looks for idle slots). */
  onOpen: () => void = () => undefined;
  /** Backups started and won since start (metrics, the bench). */
  readonly counts = { started: 0, won: 0 };
  /** Told how long each backup held its GPU, won or not (usage per key: usage/usage.service.ts). */
  private readonly ended: Array<(task: Task, slotId: number, ms: number) => void> = [];

  onBackupEnded(fn: (task: Task, slotId: number, ms: number) => void): void {
    this.ended.push(fn);
  }

  constructor(
    private readonly paths: DataPaths,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly o: BackupRendersOptions,
  ) {}

  get enabled(): boolean {
    return this.o.maxPerRender > 0;
  }

  /**
   * Render segment `task` on its own slot (`render` with `req`), racing any backups started
   * meanwhile. A backup's file is moved to `req.outPath`; the own render is then canceled, and
   * `engineBusy` tells the slot when its container is free again.
   */
  /**
   * A segment that has spoken and cut its face clip waits for its own slot's video lane (the
   * slot still renders something else): it is open for backups already. `won` resolves with a
   * backup's file if one finishes before the lane is free; then `adopt` moves it into place and
   * the segment never renders on its own slot. Otherwise `race` takes the same entry over when
   * the own render starts. `close` (idempotent) ends it on any other way out.
   */
  waitForLane(task: Task, slotId: number, inputs: { audioPath: string; videoPath: string; audioSec: number }): LaneWait {
    const w = this.open(task, slotId, inputs, true);
    return {
      won: w.won,
      adopt: async (result, outPath) => {
        try {
          return await this.adopt(result, outPath, task);
        } finally {
          this.close(w, 'cancel');
        }
      },
      close: (kind) => this.close(w, kind),
    };
  }

  private open(task: Task, slotId: number, inputs: { audioPath: string; videoPath: string; audioSec: number }, waiting: boolean): Watched {
    const key = renderCode(task);
    const existing = this.watched.get(key);
    if (existing && existing.task.attempt === task.attempt) {
      existing.waiting = waiting;
      existing.startedAt = this.clock.now();
      return existing;
    }
    let win!: (r: RenderResult) => void;
    const won = new Promise<RenderResult>((res) => (win = res));
    const w: Watched = { task, slotId, startedAt: this.clock.now(), audioSec: inputs.audioSec, audioPath: inputs.audioPath, videoPath: inputs.videoPath, waiting, closed: false, backups: new Map(), won, win, winner: null };
    this.watched.set(key, w);
    this.onOpen();
    return w;
  }

  /** End an entry: no more backups; running ones drain (cancel) or are left (shutdown). */
  private close(w: Watched, kind: 'cancel' | 'shutdown'): void {
    w.closed = true;
    const key = renderCode(w.task);
    if (this.watched.get(key) === w) this.watched.delete(key);
    for (const b of w.backups.values()) if (!b.controller.signal.aborted) b.controller.abort(new AbortReason(kind));
  }

  async race(task: Task, slotId: number, req: RenderRequest, render: (r: RenderRequest) => Promise<RenderResult>): Promise<RaceResult> {
    const own = new AbortController();
    const forward = () => own.abort(req.signal.reason);
    if (req.signal.aborted) forward();
    else req.signal.addEventListener('abort', forward, { once: true });
    const w = this.open(task, slotId, { audioPath: req.audioPath, videoPath: req.videoPath, audioSec: req.audioDurationSec }, false);
    const won = w.won;
    let ownEngineDone = false;
    const mine = render({
      ...req,
      signal: own.signal,
      onCollecting: () => {
        ownEngineDone = true;
        w.closed = true;
        this.pace.observe(this.clock.now() - w.startedAt, w.audioSec);
        req.onCollecting?.();
      },
    });
    mine.catch(() => undefined); // awaited below or handed to the slot as engineBusy
    try {
      const first = await Promise.race<First>([
        mine.then(
          (result) => ({ kind: 'own', result }),
          (err: unknown) => ({ kind: 'own-failed', err }),
        ),
        won.then((result) => ({ kind: 'backup', result })),
      ]);
      if (first.kind === 'own') return { result: first.result };
      if (first.kind === 'backup') {
        // The own container answered done first after all: it is being collected, keep it.
        if (ownEngineDone) return { result: await mine };
        own.abort(new AbortReason('cancel'));
        return { result: await this.adopt(first.result, req.outPath, task), engineBusy: mine.then(() => undefined, () => undefined) };
      }
      // The own render failed: a backup still running may save the attempt.
      w.closed = true;
      if (req.signal.aborted || !w.backups.size) throw first.err;
      const saved = await Promise.race([won, Promise.allSettled([...w.backups.values()].map((b) => b.run)).then(() => w.winner)]);
      if (!saved) throw first.err;
      this.log.info({ taskId: task.id, slot: slotId }, 'segment render failed; a backup render had it');
      return { result: await this.adopt(saved, req.outPath, task) };
    } finally {
      req.signal.removeEventListener('abort', forward);
      // A shutdown leaves jobs to the next start; any other end drains the backups' containers.
      this.close(w, abortKind(req.signal) === 'shutdown' ? 'shutdown' : 'cancel');
    }
  }

  private async adopt(result: RenderResult, outPath: string, task: Task): Promise<RenderResult> {
    await rename(result.outPath, outPath);
    this.counts.won += 1;
    this.log.info({ taskId: task.id }, 'backup render finished first; its video is the segment\'s');
    return { ...result, outPath };
  }

  /**
   * A slot of this node has nothing to claim: start a backup on it when a segment render is
   * worth one. Fewest backups first, then the render expected to end last; a render about to
   * finish as expected is left alone. Returns whether a backup started.
   */
  offer(host: BackupHost): boolean {
    if (!this.enabled) return false;
    const now = this.clock.now();
    let best: Watched | undefined;
    let bestScore = -Infinity;
    for (const w of this.watched.values()) {
      if (w.closed || w.slotId === host.id || w.backups.has(host.id) || w.backups.size >= this.o.maxPerRender) continue;
      const expected = this.pace.expectedMs(w.audioSec);
      const elapsed = w.waiting ? 0 : now - w.startedAt;
      let remaining = expected === null ? elapsed : expected - elapsed;
      if (expected !== null && remaining > 0 && remaining < 0.2 * expected) continue;
      // Overdue: its end is unknown — count it as long as a fresh render.
      if (expected !== null && remaining <= 0) remaining = expected;
      // a segment still waiting for its own lane will take a whole render after that wait
      const score = remaining + (w.waiting ? 1e6 : 0) - w.backups.size * 1e9;
      if (score > bestScore) {
        bestScore = score;
        best = w;
      }
    }
    if (!best) return false;
    const w = best;
    const entry = { controller: new AbortController(), run: Promise.resolve() };
    // the slot calls back once its video lane is held (a moment later): `run` is set by then
    const started = host.runBackup((engines, signal) => (entry.run = this.runBackup(w, host.id, engines, signal)), entry.controller.signal);
    if (!started) return false;
    w.backups.set(host.id, entry);
    this.counts.started += 1;
    this.log.info({ taskId: w.task.id, slot: host.id, ownSlot: w.slotId }, 'backup render started');
    return true;
  }

  private async runBackup(w: Watched, slotId: number, engines: SlotEngines, signal: AbortSignal): Promise<void> {
    if (w.closed || signal.aborted) return;
    const outPath = join(this.paths.taskWork(w.task.id), `backup-${slotId}.mp4`);
    const startedAt = this.clock.now();
    try {
      const result = await engines.video.render({
        code: `${renderCode(w.task)}-b${slotId}`,
        audioPath: w.audioPath,
        videoPath: w.videoPath,
        audioDurationSec: w.audioSec,
        outPath,
        signal,
      });
      this.pace.observe(this.clock.now() - startedAt, w.audioSec);
      if (w.winner || signal.aborted || !this.watched.has(renderCode(w.task))) {
        await rm(outPath, { force: true });
        return;
      }
      w.winner = result;
      w.win(result);
    } catch (err) {
      // A backup is a second chance, never a failure of the task: its errors end only itself.
      if (!signal.aborted) this.log.warn({ err, taskId: w.task.id, slot: slotId }, 'backup render failed');
      await rm(outPath, { force: true }).catch(() => undefined);
    } finally {
      for (const fn of this.ended) fn(w.task, slotId, this.clock.now() - startedAt);
    }
  }
}
