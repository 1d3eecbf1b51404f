/**
 * Embedded TaskStore on SQLite (WAL). One process owns the database; the queue order is
 * mirrored in memory (QueueIndex) for O(log n) positions. better-sqlite3 is synchronous,
 * which makes compare-and-set transitions trivially atomic inside this process.
 */
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ErrorCode } from '../domain/errors.js';
import { FINAL_STATES, type CheckFinding, type Fence, type Task, type TaskState } from '../domain/task.js';
import type { Logger } from '../logger.js';
import type { OutputOptions } from '../domain/output-options.js';
import type { CaptionStyle } from '../domain/caption-style.js';
import { avoidParams, fairClaimSql } from './fair-share.js';
import { avoidSlotsColumn, avoidSlotsOf } from './migrations/output-checks.js';
import { legalSources } from './legal-moves.js';
import { QueueIndex } from './queue-index.js';
import { batchDeletes, batchesOfSql, candidatesSql, childrenSql, deletableSql, deliveryDeletes, noPrunedRows, taskDeletes, tasklessDeliveriesSql, type PrunedRows, type PrunedTable } from './record-prune.js';
import { MIGRATIONS, PATCH_COLUMNS, SCHEMA_VERSION } from './sqlite.schema.js';
import type { ClaimRequest, HeartbeatResult, NewTask, SlotRecord, TaskEvent, TaskListFilter, TaskPatch, TaskStore, TransitionGuard } from './task-store.js';

/** 128 random bits: unguessable, so only the holder of an attempt can act for it. */
export const newLeaseToken = (): string => randomBytes(16).toString('hex');
const FINAL_LIST = [...FINAL_STATES];

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
    attempt: (r.attempt as number | undefined) ?? 0,
    leaseToken: (r.lease_token as string | null | undefined) ?? null,
    leaseHolder: (r.lease_holder as string | null | undefined) ?? null,
    leaseExpiresAt: (r.lease_expires_at as number | null | undefined) ?? null,
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
    parentId: (r.parent_id as string | null | undefined) ?? null,
    segmentIndex: (r.segment_index as number | null | undefined) ?? null,
    segmentCount: (r.segment_count as number | null | undefined) ?? null,
    captions: r.captions === 'burn' ? 'burn' : null,
    language: r.language === 'zh' ? 'zh' : 'en',
    languageRequested: r.language_requested === 'zh' || r.language_requested === 'en' ? r.language_requested : 'auto',
    title: (r.title as string | null | undefined) ?? null,
    outputOptions: r.output_options ? (JSON.parse(r.output_options as string) as OutputOptions) : null,
    captionStyle: r.caption_style ? (JSON.parse(r.caption_style as string) as CaptionStyle) : null,
    checks: typeof r.checks === 'string' ? (JSON.parse(r.checks) as CheckFinding[]) : ((r.checks as CheckFinding[] | undefined) ?? []),
    avoidSlots: avoidSlotsOf(r.avoid_slots),
  };
}

/** A task_events row → TaskEvent (same columns in every store). */
export function rowToEvent(r: Row): TaskEvent {
  return {
    taskId: r.task_id as string,
    attempt: r.attempt as number,
    at: r.at as number,
    state: r.state as TaskState,
    slotId: r.slot_id as number | null,
    errorCode: r.error_code as ErrorCode | null,
    message: r.message as string | null,
  };
}

function toColumnValue(key: string, value: unknown): unknown {
  if (key === 'engineData') return value == null ? null : JSON.stringify(value);
  if (key === 'checks') return JSON.stringify(value ?? []);
  if (key === 'avoidSlots') return avoidSlotsColumn(value as number[] | null);
  if (key === 'renderSubmitted') return value ? 1 : 0;
  return value ?? null;
}

/** Bring a database to SCHEMA_VERSION; refuse one written by a newer gateway. */
export function migrateSqlite(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    throw new Error(`database schema version ${version} is newer than this gateway understands (${SCHEMA_VERSION}): upgrade the gateway, or restore a backup made before the newer one ran`);
  }
  db.transaction(() => {
    for (let v = version; v < SCHEMA_VERSION; v++) db.exec(MIGRATIONS[v]);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  })();
}

export class SqliteTaskStore implements TaskStore {
  readonly shared = false;
  private readonly db: Database.Database;
  private readonly queue = new QueueIndex();
  private readonly stmts;

  /** `log` hears of refused illegal transitions (callers' bugs). */
  constructor(
    path: string,
    private readonly log?: Logger,
  ) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL'); // WAL + NORMAL: durable across process crashes
    this.db.pragma('busy_timeout = 5000');
    migrateSqlite(this.db);
    this.stmts = {
      insert: this.db.prepare(
        `INSERT INTO tasks (id, state, text, normalized_text, video_path, video_name, owner, created_at, updated_at, available_at, parent_id, segment_index, segment_count, captions, language, language_requested, output_options, caption_style)
         VALUES (@id, 'queued', @text, @normalizedText, @videoPath, @videoName, @owner, @createdAt, @createdAt, 0, @parentId, @segmentIndex, @segmentCount, @captions, @language, @languageRequested, @outputOptions, @captionStyle) RETURNING *`,
      ),
      get: this.db.prepare('SELECT * FROM tasks WHERE id = ?'),
      event: this.db.prepare('INSERT INTO task_events (task_id, attempt, at, state, slot_id, error_code, message) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      // Claim order: fair share between owners (store/fair-share.ts), FIFO within one owner; a
      // parent of segments is never claimed (its children are the work).
      nextQueued: this.db.prepare(`${fairClaimSql('sqlite', '@now', { pattern: '@avoidPattern', readyBy: '@readyBy' })} LIMIT 1`),
      nextAvailable: this.db.prepare(`SELECT MIN(available_at) AS t FROM tasks WHERE state = 'queued' AND segment_count IS NULL`),
      segments: this.db.prepare('SELECT * FROM tasks WHERE parent_id = ? ORDER BY segment_index'),
      queuedHead: this.db.prepare(`SELECT * FROM tasks WHERE state = 'queued' ORDER BY seq LIMIT ?`),
      queuedIds: this.db.prepare(`SELECT id, seq, parent_id FROM tasks WHERE state = 'queued' ORDER BY seq`),
      events: this.db.prepare('SELECT * FROM task_events WHERE task_id = ? ORDER BY id'),
    };
    // Rebuild the in-memory queue order from the durable rows (start-up is one index scan).
    for (const r of this.stmts.queuedIds.all() as Array<{ id: string; seq: number; parent_id: string | null }>) this.queue.add(r.id, r.seq, r.parent_id);
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
        parentId: t.parentId ?? null,
        segmentIndex: t.segmentIndex ?? null,
        segmentCount: t.segmentCount ?? null,
        captions: t.captions ?? null,
        language: t.language ?? 'en',
        languageRequested: t.languageRequested ?? 'auto',
        outputOptions: t.outputOptions ? JSON.stringify(t.outputOptions) : null,
        captionStyle: t.captionStyle ? JSON.stringify(t.captionStyle) : null,
      }) as Row;
      this.stmts.event.run(t.id, 0, t.createdAt, 'queued', null, null, 'accepted');
      return r;
    })();
    const task = rowToTask(row);
    this.queue.add(task.id, task.seq, task.parentId);
    return task;
  }

  async get(id: string): Promise<Task | undefined> {
    const r = this.stmts.get.get(id) as Row | undefined;
    return r ? rowToTask(r) : undefined;
  }

  async claimNext(req: ClaimRequest): Promise<Task | undefined> {
    const { slotId, holder, now, leaseMs } = req;
    const next = this.stmts.nextQueued.get({ now, ...avoidParams(req) }) as { id: string } | undefined;
    if (!next) return undefined;
    return this.transitionSync(next.id, { from: ['queued'] }, 'preparing', { slotId, startedAt: now }, now, undefined, {
      holder,
      token: newLeaseToken(),
      expiresAt: now + leaseMs,
    });
  }

  async transition(id: string, guard: TransitionGuard, to: TaskState, patch: TaskPatch, now: number, message?: string): Promise<Task | undefined> {
    return this.transitionSync(id, guard, to, patch, now, message);
  }

  /**
   * The one UPDATE every move goes through. A claim (`lease` given) opens attempt + 1; a move
   * to queued or a final state closes the lease; other moves keep it. The transition table is
   * part of its WHERE (legal-moves.ts), next to the fence.
   */
  private transitionSync(
    id: string,
    guard: TransitionGuard,
    to: TaskState,
    patch: TaskPatch,
    now: number,
    message: string | undefined,
    lease?: { holder: string; token: string; expiresAt: number },
  ): Task | undefined {
    const from = legalSources(id, guard, to, this.log);
    if (!from.length) return undefined;
    const { sets, values } = this.patchSql(patch);
    let leaseSql = '';
    const leaseValues: unknown[] = [];
    if (lease) {
      leaseSql = ', attempt = attempt + 1, lease_token = ?, lease_holder = ?, lease_expires_at = ?';
      leaseValues.push(lease.token, lease.holder, lease.expiresAt);
    } else if (to === 'queued' || FINAL_STATES.has(to)) {
      leaseSql = ', lease_token = NULL, lease_holder = NULL, lease_expires_at = NULL';
    }
    let where = `id = ? AND state IN (${from.map(() => '?').join(', ')})`;
    const whereValues: unknown[] = [id, ...from];
    if (guard.fence) {
      where += ' AND attempt = ? AND lease_token = ?';
      whereValues.push(guard.fence.attempt, guard.fence.token);
    }
    if (guard.leaseExpiredBy !== undefined) {
      where += ' AND lease_expires_at <= ?';
      whereValues.push(guard.leaseExpiredBy);
    }
    const sql = `UPDATE tasks SET state = ?, updated_at = ?${sets}${leaseSql} WHERE ${where} RETURNING *`;
    const row = this.db.transaction(() => {
      const r = this.db.prepare(sql).get(to, now, ...values, ...leaseValues, ...whereValues) as Row | undefined;
      if (r) this.stmts.event.run(id, r.attempt, now, to, r.slot_id ?? null, patch.errorCode ?? null, message ?? patch.errorMessage ?? null);
      return r;
    })();
    if (!row) return undefined;
    if (to === 'queued') this.queue.add(id, row.seq as number, (row.parent_id as string | null) ?? null);
    else this.queue.remove(id);
    return rowToTask(row);
  }

  async patch(id: string, fence: Fence, patch: TaskPatch, now: number): Promise<boolean> {
    const { sets, values } = this.patchSql(patch);
    const res = this.db
      .prepare(`UPDATE tasks SET updated_at = ?${sets} WHERE id = ? AND attempt = ? AND lease_token = ? AND state NOT IN (${FINAL_LIST.map(() => '?').join(', ')})`)
      .run(now, ...values, id, fence.attempt, fence.token, ...FINAL_LIST);
    return res.changes === 1;
  }

  async heartbeat(id: string, fence: Fence, now: number, leaseMs: number): Promise<HeartbeatResult> {
    const res = this.db
      .prepare('UPDATE tasks SET lease_expires_at = ? WHERE id = ? AND attempt = ? AND lease_token = ?')
      .run(now + leaseMs, id, fence.attempt, fence.token);
    return res.changes === 1 ? 'ok' : 'lost';
  }

  async reclaim(id: string, fence: Fence, holder: string, now: number, leaseMs: number): Promise<Task | undefined> {
    const r = this.db
      .prepare('UPDATE tasks SET lease_token = ?, lease_holder = ?, lease_expires_at = ?, updated_at = ? WHERE id = ? AND attempt = ? AND lease_token = ? AND lease_expires_at > ? RETURNING *')
      .get(newLeaseToken(), holder, now + leaseMs, now, id, fence.attempt, fence.token, now) as Row | undefined;
    return r ? rowToTask(r) : undefined;
  }

  async listExpired(now: number, limit: number): Promise<Task[]> {
    const rows = this.db.prepare('SELECT * FROM tasks WHERE lease_token IS NOT NULL AND lease_expires_at <= ? ORDER BY lease_expires_at LIMIT ?').all(now, limit) as Row[];
    return rows.map(rowToTask);
  }

  async listSegments(parentId: string): Promise<Task[]> {
    return (this.stmts.segments.all(parentId) as Row[]).map(rowToTask);
  }

  async listHeldBy(holder: string): Promise<Task[]> {
    return (this.db.prepare('SELECT * FROM tasks WHERE lease_token IS NOT NULL AND lease_holder = ? ORDER BY seq').all(holder) as Row[]).map(rowToTask);
  }

  async listForStats(from: number, to: number): Promise<Task[]> {
    return (this.db.prepare('SELECT * FROM tasks WHERE created_at < ? AND (finished_at IS NULL OR finished_at >= ?)').all(to, from) as Row[]).map(rowToTask);
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
    const where: string[] = ['parent_id IS NULL'];
    const args: unknown[] = [];
    if (f.states?.length) {
      where.push(`state IN (${f.states.map(() => '?').join(', ')})`);
      args.push(...f.states);
    }
    if (f.q) {
      where.push(`(instr(lower(text), lower(?)) > 0 OR instr(lower(coalesce(title, '')), lower(?)) > 0)`);
      args.push(f.q, f.q);
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
    return (this.stmts.events.all(id) as Row[]).map(rowToEvent);
  }

  async countByState(): Promise<Partial<Record<TaskState, number>>> {
    const rows = this.db.prepare('SELECT state, COUNT(*) AS n FROM tasks GROUP BY state').all() as Array<{ state: TaskState; n: number }>;
    return Object.fromEntries(rows.map((r) => [r.state, r.n]));
  }

  /** One batch of record retention (store/record-prune.ts): one transaction, ids passed as JSON. */
  async purgeFinished(before: number, limit = 500): Promise<PrunedRows> {
    const IDS = '(SELECT value FROM json_each(?))';
    const ids = (sql: string, ...args: unknown[]) => this.db.prepare(sql).pluck().all(...args) as string[];
    const run = (out: PrunedRows, deletes: Array<[PrunedTable, string]>, list: string[]) => {
      const json = JSON.stringify(list);
      for (const [table, sql] of deletes) out[table] += this.db.prepare(sql).run(json).changes;
    };
    return this.db.transaction(() => {
      const out = noPrunedRows();
      this.pruneTops(out, ids(candidatesSql('?', '?', 'INDEXED BY tasks_purgeable'), before, limit));
      const deliveries = ids(tasklessDeliveriesSql('?', '?'), before, limit);
      if (deliveries.length) run(out, deliveryDeletes(IDS), deliveries);
      return out;
    })();
  }

  /** Top-level tasks with their segments, and their batches once empty (inside a transaction). */
  private pruneTops(out: PrunedRows, tops: string[]): void {
    if (!tops.length) return;
    const IDS = '(SELECT value FROM json_each(?))';
    const ids = (sql: string, list: string[]) => this.db.prepare(sql).pluck().all(JSON.stringify(list)) as string[];
    const run = (deletes: Array<[PrunedTable, string]>, list: string[]) => {
      const json = JSON.stringify(list);
      for (const [table, sql] of deletes) out[table] += this.db.prepare(sql).run(json).changes;
    };
    const all = [...tops, ...ids(childrenSql(IDS), tops)];
    const batches = ids(batchesOfSql(IDS), all);
    run(taskDeletes(IDS), all);
    if (batches.length) run(batchDeletes(IDS), batches);
  }

  async deleteTasks(list: readonly string[]): Promise<PrunedRows> {
    return this.db.transaction(() => {
      const out = noPrunedRows();
      if (list.length) this.pruneTops(out, this.db.prepare(deletableSql('(SELECT value FROM json_each(?))')).pluck().all(JSON.stringify(list)) as string[]);
      return out;
    })();
  }

  async setTitle(id: string, title: string | null): Promise<boolean> {
    return this.db.prepare('UPDATE tasks SET title = ? WHERE id = ?').run(title, id).changes === 1;
  }

  async nextAvailableAt(): Promise<number | null> {
    return (this.stmts.nextAvailable.get() as { t: number | null }).t;
  }

  async registerSlots(nodeId: string, slotIds: readonly number[], now: number, staleMs: number): Promise<SlotRecord[]> {
    return this.db.transaction(() => {
      const conflicts: SlotRecord[] = [];
      const get = this.db.prepare('SELECT * FROM slots WHERE slot_id = ?');
      for (const id of slotIds) {
        const r = get.get(id) as Row | undefined;
        if (r && r.node_id !== nodeId && (r.heartbeat_at as number) > now - staleMs) conflicts.push(rowToSlot(r));
      }
      if (conflicts.length) return conflicts;
      const upsert = this.db.prepare(
        `INSERT INTO slots (slot_id, node_id, heartbeat_at, info) VALUES (?, ?, ?, '{}')
         ON CONFLICT (slot_id) DO UPDATE SET node_id = excluded.node_id, heartbeat_at = excluded.heartbeat_at, info = excluded.info`,
      );
      for (const id of slotIds) upsert.run(id, nodeId, now);
      return [];
    })();
  }

  async reportSlots(nodeId: string, slots: ReadonlyArray<{ slotId: number; info: Record<string, unknown> }>, now: number): Promise<void> {
    const upd = this.db.prepare('UPDATE slots SET heartbeat_at = ?, info = ? WHERE slot_id = ? AND node_id = ?');
    this.db.transaction(() => {
      for (const s of slots) upd.run(now, JSON.stringify(s.info), s.slotId, nodeId);
    })();
  }

  async listSlots(): Promise<SlotRecord[]> {
    return (this.db.prepare('SELECT * FROM slots ORDER BY slot_id').all() as Row[]).map(rowToSlot);
  }

  async unregisterSlots(nodeId: string): Promise<void> {
    this.db.prepare('DELETE FROM slots WHERE node_id = ?').run(nodeId);
  }

  /** Only this process writes an embedded database: there are never remote changes. */
  onRemoteChange(): () => void {
    return () => undefined;
  }

  /** Raw handle for read-only use by tools in this process (e.g. the API key table). */
  get database(): Database.Database {
    return this.db;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

function rowToSlot(r: Row): SlotRecord {
  return { slotId: r.slot_id as number, nodeId: r.node_id as string, heartbeatAt: r.heartbeat_at as number, info: JSON.parse(r.info as string) as Record<string, unknown> };
}
