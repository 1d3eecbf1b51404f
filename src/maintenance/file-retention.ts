/**
 * File retention: removes old per-task files on a schedule — uploads, scratch work dirs, the
 * per-task files left in the containers' data dirs, interrupted temp copies, and (opt-in) old
 * outputs. Task *records* are not touched here.
 *
 * Safety rules, in order:
 * - only names that start with a task id (26 chars, domain/ids.ts) are ever considered, so the
 *   containers' own files (HeyGem caches template frames in its data dir) are never touched;
 * - a file of a task that is not final (queued or running — it may still need it) is kept,
 *   whatever its age; the live set is read *after* listing, so a task that started meanwhile
 *   is protected too;
 * - age is the file's mtime; 0 disables a category.
 */
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isTaskId } from '../domain/ids.js';
import { FINAL_STATES, TASK_STATES } from '../domain/task.js';
import type { Logger } from '../logger.js';
import type { TaskStore } from '../store/task-store.js';

export interface FileRetentionOptions {
  /** 0 disables the schedule (runOnce still works). */
  intervalMs: number;
  uploadsMaxAgeMs: number;
  workMaxAgeMs: number;
  containerFilesMaxAgeMs: number;
  outputsMaxAgeMs: number;
}

export interface RetentionDirs {
  uploads: string;
  work: string;
  outputs: string;
  /** Host `temp/` dirs of the video containers. */
  videoTemp: string[];
  /** Host `reference/` dirs of the TTS containers. */
  ttsReference: string[];
}

interface Candidate {
  path: string;
  taskId: string;
  maxAgeMs: number;
}

/** Interrupted atomic writes (`<final>.tmp-<hex>`) are scratch, whatever folder they are in. */
const TEMP_COPY = /\.tmp-[0-9a-f]+$/;

export class FileRetention {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<string[]> | null = null;

  constructor(
    private readonly store: Pick<TaskStore, 'listInStates'>,
    private readonly dirs: RetentionDirs,
    private readonly opts: FileRetentionOptions,
    private readonly log: Logger,
    private readonly now: () => number = () => Date.now(),
  ) {}

  start(): void {
    if (this.opts.intervalMs <= 0 || this.timer) return;
    this.timer = setInterval(() => void this.runOnce().catch((err: unknown) => this.log.warn({ err }, 'file retention failed')), this.opts.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  /** One sweep; returns the removed paths. Overlapping calls share one sweep. */
  runOnce(): Promise<string[]> {
    this.running ??= this.sweep().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /**
   * After a restart: a reference-voice copy in a TTS data dir lives for one synthesis only, so
   * every task-named copy written before this process started belongs to a synthesis that died
   * with the previous one (a later attempt copies the voice again under a new name). Remove
   * them now instead of a day later. Only this node's TTS dirs are given here.
   */
  async clearInterruptedReferences(startedAt: number): Promise<string[]> {
    // only task-named copies: a prepared voice (content-hash named) outlives any one synthesis
    const found = (await Promise.all(this.dirs.ttsReference.map((d) => list(d, 1)))).flat().filter((c) => c.taskId !== '');
    const removed: string[] = [];
    for (const c of found) {
      const st = await stat(c.path).catch(() => null);
      if (!st || st.mtimeMs >= startedAt) continue;
      await rm(c.path, { force: true }).then(
        () => removed.push(c.path),
        (err: unknown) => this.log.warn({ err, path: c.path }, 'could not remove an interrupted reference copy'),
      );
    }
    if (removed.length) this.log.info({ removed: removed.length }, 'removed reference-voice copies left by an interrupted run');
    return removed;
  }

  private async sweep(): Promise<string[]> {
    const o = this.opts;
    const found = (
      await Promise.all([
        list(this.dirs.uploads, o.uploadsMaxAgeMs),
        list(this.dirs.work, o.workMaxAgeMs),
        list(this.dirs.outputs, o.outputsMaxAgeMs, o.workMaxAgeMs),
        ...this.dirs.videoTemp.map((d) => list(d, o.containerFilesMaxAgeMs)),
        ...this.dirs.ttsReference.map((d) => list(d, o.containerFilesMaxAgeMs)),
      ])
    ).flat();
    if (!found.length) return [];
    const live = new Set((await this.store.listInStates(TASK_STATES.filter((s) => !FINAL_STATES.has(s)))).map((t) => t.id));
    const now = this.now();
    const removed: string[] = [];
    for (const c of found) {
      if (live.has(c.taskId)) continue;
      const st = await stat(c.path).catch(() => null);
      if (!st || now - st.mtimeMs < c.maxAgeMs) continue;
      await rm(c.path, { recursive: true, force: true }).then(
        () => removed.push(c.path),
        (err: unknown) => this.log.warn({ err, path: c.path }, 'retention: could not remove'),
      );
    }
    if (removed.length) this.log.info({ removed: removed.length }, 'file retention removed old files');
    return removed;
  }
}

/** Voices prepared and faces transcoded for the containers (voice-prep.ts, video.adapter.ts). */
const PREPARED_COPY = /^(prep|face)-[0-9a-f]{64}\.(wav|txt|mp4)$/;

/** Entries of `dir` named after a task; temp copies get `tempMaxAgeMs` (scratch) when given. */
async function list(dir: string, maxAgeMs: number, tempMaxAgeMs?: number): Promise<Candidate[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const out: Candidate[] = [];
  for (const name of names) {
    // a prepared voice or transcoded face (content-hash named, shared by tasks): kept while used
    if (PREPARED_COPY.test(name)) {
      if (maxAgeMs > 0) out.push({ path: join(dir, name), taskId: '', maxAgeMs });
      continue;
    }
    const taskId = name.slice(0, 26);
    if (!isTaskId(taskId)) continue;
    const rest = name.slice(26);
    // `<id>`, `<id>.<ext>`, `<id>-r.mp4`, `<id>-<hex>.wav` — nothing that merely starts alike.
    if (rest !== '' && !/^[.-]/.test(rest)) continue;
    const age = TEMP_COPY.test(name) && tempMaxAgeMs !== undefined && tempMaxAgeMs > 0 ? tempMaxAgeMs : maxAgeMs;
    if (age > 0) out.push({ path: join(dir, name), taskId, maxAgeMs: age });
  }
  return out;
}
