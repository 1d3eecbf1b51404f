/**
 * Embedded TaskStore on SQLite (WAL). One process owns the database; the queue order is
 * mirrored in memory (QueueIndex) for O(log n) positions. better-sqlite3 is synchronous,
 * which makes compare-and-set transitions trivially atomic inside this process.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ErrorCode } from '../domain/errors.js';
import type { Task, TaskState } from '../domain/task.js';
import { QueueIndex } from './queue-index.js';
import { PATCH_COLUMNS, SCHEMA_SQL, SCHEMA_VERSION } from './sqlite.schema.js';
import type { NewTask, TaskEvent, TaskListFilter, TaskPatch, TaskStore } from './task-store.js';

export type Row = Record<string, unknown>;

/** A tasks row → Task (shared with analytics queries over the same table). */
export function rowToTask(r: Row): Task {
  return {
    id: r.id as string,
    seq: r.seq as number,
    state: r.state as TaskState,
    slotId: r.slot_id as number | null,
    text: r.text as string,
    normalizedText: r.normalized_text as string | null,
    videoPath: r.video_path as string | null,
    videoName: r.video_name as string | null,
    referenceAudio: r.reference_audio as string | null,
    audioPath: r.audio_path as string | null,
    audioDurationSec: r.audio_duration as number | null,
    outputPath: r.output_path as string | null,
    engineProgress: r.engine_progress as number,
    renderSubmitted: r.render_submitted === 1,
    engineData: r.engine_data ? (JSON.parse(r.engine_data as string) as Record<string, unknown>) : null,
    errorCode: r.error_code as ErrorCode | null,
    errorMessage: r.error_message as string | null,
    attempts: r.attempts as number,
    availableAt: r.available_at as number,
    owner: r.owner as string | null,
    createdAt: r.created_at as number,
    updatedAt: r.updated_at as number,
    startedAt: r.started_at as number | null,
    ttsStartedAt: r.tts_started_at as number | null,
    ttsEndedAt: r.tts_ended_at as number | null,
    renderStartedAt: r.render_started_at as number | null,
    renderEndedAt: r.render_ended_at as number | null,
    finishedAt: r.finished_at as number | null,
  };
}

function toColumnValue(key: string, value: unknown): unknown {
  if (key === 'engineData') return value == null ? null : JSON.stringify(value);
  if (key === 'renderSubmitted') return value ? 1 : 0;
  return value ?? null;
}

export class SqliteTaskStore implements TaskStore {
  private readonly db: Database.Database;
  private readonly queue = new QueueIndex();
  private readonly stmts;

  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL'); // WAL + NORMAL: durable across process crashes
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA_SQL);
    this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
    this.stmts = {
      insert: this.db.prepare(
        `INSERT INTO tasks (id, state, text, normalized_text, video_path, video_name, owner, created_at, updated_at, available_at)
         VALUES (@id, 'queued', @text, @normalizedText, @videoPath, @videoName, @owner, @createdAt, @createdAt, 0) RETURNING *`,
      ),
      get: this.db.prepare('SELECT * FROM tasks WHERE id = ?'),
      event: this.db.prepare('INSERT INTO task_events (task_id, at, state, slot_id, error_code, message) VALUES (?, ?, ?, ?, ?, ?)'),
      nextQueued: this.db.prepare(`SELECT id FROM tasks WHERE state = 'queued' AND available_at <= ? ORDER BY seq LIMIT 1`),
      nextAvailable: this.db.prepare(`SELECT MIN(available_at) AS t FROM tasks WHERE state = 'queued'`),
      queuedHead: this.db.prepare(`SELECT * FROM tasks WHERE state = 'queued' ORDER BY seq LIMIT ?`),
      queuedIds: this.db.prepare(`SELECT id, seq FROM tasks WHERE state = 'queued' ORDER BY seq`),
      events: this.db.prepare('SELECT * FROM task_events WHERE task_id = ? ORDER BY id'),
    };
    // Rebuild the in-memory queue order from the durable rows (start-up is one index scan).
    for (const r of this.stmts.queuedIds.all() as Array<{ id: string; seq: number }>) this.queue.add(r.id, r.seq);
  }

  async create(t: NewTask): Promise<Task> {
    const row = this.db.transaction(() => {
      const r = this.stmts.insert.get({
        id: t.id,
        text: t.text,
        normalizedText: t.normalizedText ?? null,
        videoPath: t.videoPath ?? null,
        videoName: t.videoName ?? null,
        owner: t.owner ?? null,
        createdAt: t.createdAt,
      }) as Row;
      this.stmts.event.run(t.id, t.createdAt, 'queued', null, null, 'accepted');
      return r;
    })();
    const task = rowToTask(row);
    this.queue.add(task.id, task.seq);
    return task;
  }

  async get(id: string): Promise<Task | undefined> {
    const r = this.stmts.get.get(id) as Row | undefined;
    return r ? rowToTask(r) : undefined;
  }

  async claimNext(slotId: number, now: number): Promise<Task | undefined> {
    const next = this.stmts.nextQueued.get(now) as { id: string } | undefined;
    if (!next) return undefined;
    return this.transitionSync(next.id, ['queued'], 'preparing', { slotId, startedAt: now }, now, undefined);
  }

  async transition(id: string, from: TaskState | readonly TaskState[], to: TaskState, patch: TaskPatch, now: number, message?: string): Promise<Task | undefined> {
    return this.transitionSync(id, typeof from === 'string' ? [from] : from, to, patch, now, message);
  }

  private transitionSync(id: string, from: readonly TaskState[], to: TaskState, patch: TaskPatch, now: number, message: string | undefined): Task | undefined {
    const { sets, values } = this.patchSql(patch);
    const placeholders = from.map(() => '?').join(', ');
    const sql = `UPDATE tasks SET state = ?, updated_at = ?${sets} WHERE id = ? AND state IN (${placeholders}) RETURNING *`;
    const row = this.db.transaction(() => {
      const r = this.db.prepare(sql).get(to, now, ...values, id, ...from) as Row | undefined;
      if (r) this.stmts.event.run(id, now, to, r.slot_id ?? null, patch.errorCode ?? null, message ?? patch.errorMessage ?? null);
      return r;
    })();
    if (!row) return undefined;
    if (to === 'queued') this.queue.add(id, row.seq as number);
    else this.queue.remove(id);
    return rowToTask(row);
  }

  async patch(id: string, state: TaskState, patch: TaskPatch, now: number): Promise<boolean> {
    const { sets, values } = this.patchSql(patch);
    const res = this.db.prepare(`UPDATE tasks SET updated_at = ?${sets} WHERE id = ? AND state = ?`).run(now, ...values, id, state);
    return res.changes === 1;
  }

  private patchSql(patch: TaskPatch): { sets: string; values: unknown[] } {
    let sets = '';
    const values: unknown[] = [];
    for (const [key, value] of Object.entries(patch)) {
      const col = PATCH_COLUMNS[key];
      if (!col || value === undefined) continue;
      sets += `, ${col} = ?`;
      values.push(toColumnValue(key, value));
    }
    return { sets, values };
  }

  async queuePosition(id: string): Promise<number | null> {
    return this.queue.position(id);
  }

  async queueSize(): Promise<number> {
    return this.queue.size;
  }

  async listQueued(limit: number): Promise<Task[]> {
    // one statement over the partial index of queued rows, not one lookup per task
    return (this.stmts.queuedHead.all(limit) as Row[]).map(rowToTask);
  }

  async listInStates(states: readonly TaskState[]): Promise<Task[]> {
    if (!states.length) return [];
    const rows = this.db.prepare(`SELECT * FROM tasks WHERE state IN (${states.map(() => '?').join(', ')}) ORDER BY seq`).all(...states) as Row[];
    return rows.map(rowToTask);
  }

  async list(f: TaskListFilter): Promise<{ items: Task[]; total: number }> {
    const where: string[] = [];
    const args: unknown[] = [];
    if (f.states?.length) {
      where.push(`state IN (${f.states.map(() => '?').join(', ')})`);
      args.push(...f.states);
    }
    if (f.q) {
      where.push(`instr(lower(text), lower(?)) > 0`);
      args.push(f.q);
    }
    if (f.from !== undefined) {
      where.push('created_at >= ?');
      args.push(f.from);
    }
    if (f.to !== undefined) {
      where.push('created_at < ?');
      args.push(f.to);
    }
    if (f.owner !== undefined) {
      where.push('owner = ?');
      args.push(f.owner);
    }
    const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = (this.db.prepare(`SELECT COUNT(*) AS n FROM tasks ${w}`).get(...args) as { n: number }).n;
    const rows = this.db
      .prepare(`SELECT * FROM tasks ${w} ORDER BY seq DESC LIMIT ? OFFSET ?`)
      .all(...args, Math.min(f.limit ?? 50, 500), f.offset ?? 0) as Row[];
    return { items: rows.map(rowToTask), total };
  }

  async events(id: string): Promise<TaskEvent[]> {
    return (this.stmts.events.all(id) as Row[]).map((r) => ({
      taskId: r.task_id as string,
      at: r.at as number,
      state: r.state as TaskState,
      slotId: r.slot_id as number | null,
      errorCode: r.error_code as ErrorCode | null,
      message: r.message as string | null,
    }));
  }

  async countByState(): Promise<Partial<Record<TaskState, number>>> {
    const rows = this.db.prepare('SELECT state, COUNT(*) AS n FROM tasks GROUP BY state').all() as Array<{ state: TaskState; n: number }>;
    return Object.fromEntries(rows.map((r) => [r.state, r.n]));
  }

  async purgeFinished(before: number, limit = 10_000): Promise<number> {
    return this.db.transaction(() => {
      const ids = (this.db.prepare(`SELECT id FROM tasks WHERE state IN ('completed', 'failed', 'canceled') AND COALESCE(finished_at, updated_at) < ? LIMIT ?`).all(before, limit) as Array<{ id: string }>).map((r) => r.id);
      const delTask = this.db.prepare('DELETE FROM tasks WHERE id = ?');
      const delEvents = this.db.prepare('DELETE FROM task_events WHERE task_id = ?');
      for (const id of ids) {
        delEvents.run(id);
        delTask.run(id);
      }
      return ids.length;
    })();
  }

  async nextAvailableAt(): Promise<number | null> {
    return (this.stmts.nextAvailable.get() as { t: number | null }).t;
  }

  /** Raw handle for analytics queries (read-only use). */
  get database(): Database.Database {
    return this.db;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
