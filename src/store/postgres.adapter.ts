/**
 * Shared TaskStore on PostgreSQL: several gateway nodes, one database (docs/postgres.md).
 * Same semantics as the SQLite adapter (the conformance suite in task-store.conformance.ts):
 *
 * - a claim takes the oldest ready queued row with FOR UPDATE SKIP LOCKED, so concurrent claims
 *   from any number of processes never take the same task and never wait on each other;
 * - every move is ONE statement — UPDATE … WHERE (state, fence, lease expiry) … RETURNING, the
 *   event row and the NOTIFY in CTEs of the same statement — so it is atomic without an
 *   explicit transaction and costs one round trip;
 * - every create / transition / patch notifies `heygem_tasks` with `<nodeId>|<taskId>`; one
 *   LISTEN connection per store turns other nodes' notifications into onRemoteChange calls.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { FINAL_STATES, type Fence, type Task, type TaskState } from '../domain/task.js';
import type { ErrorCode } from '../domain/errors.js';
import type { Logger } from '../logger.js';
import { avoidParams, fairClaimSql } from './fair-share.js';
import { legalSources } from './legal-moves.js';
import { PgListener } from './postgres.listener.js';
import { batchDeletes, batchesOfSql, candidatesSql, childrenSql, deletableSql, deliveryDeletes, noPrunedRows, taskDeletes, tasklessDeliveriesSql, type PrunedRows, type PrunedTable } from './record-prune.js';
import { createPgPool, inTransaction } from './postgres.pool.js';
import { PostgresSlotRegistry } from './postgres.slots.js';
import { migratePostgres } from './postgres.schema.js';
import { avoidSlotsColumn } from './migrations/output-checks.js';
import { newLeaseToken, rowToEvent, rowToTask, type Row } from './sqlite.adapter.js';
// Same column names in both schemas, so one patch map serves both adapters.
import { PATCH_COLUMNS } from './sqlite.schema.js';
import type { ClaimRequest, HeartbeatResult, NewTask, SlotRecord, TaskEvent, TaskListFilter, TaskPatch, TaskStore, TransitionGuard } from './task-store.js';

export const NOTIFY_CHANNEL = 'heygem_tasks';
const FINAL_LIST = [...FINAL_STATES];
/** Arbitrary, fixed: the advisory lock of the node pruning old records this round. */
const RETENTION_LOCK_KEY = 0x68677274;

export interface PostgresStoreOptions {
  /** postgres://user@host:port/database — see docs/postgres.md for permissions. */
  url: string;
  /** This process in notifications and pg_stat_activity; default `<hostname>-<pid>-<random>`. */
  nodeId?: string;
  /** Pooled connections (the LISTEN connection is extra). @defaultValue 10 */
  poolSize?: number;
  /** Connection and statement bounds (src/store/postgres.pool.ts). */
  connectTimeoutMs?: number;
  statementTimeoutMs?: number;
  log?: Logger;
  /** Keep a LISTEN connection for onRemoteChange. false for one-shot tools. @defaultValue true */
  listen?: boolean;
}

export const defaultNodeId = (): string => `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;

/** pg returns BOOLEAN and JSONB already parsed; the shared mapper expects SQLite's encoding. */
/** Top-level tasks with their segments, and their batches once empty (inside a transaction on `c`). */
async function pruneTops(c: pg.PoolClient, out: PrunedRows, tops: string[]): Promise<void> {
  if (!tops.length) return;
  const IDS = '(SELECT unnest($1::text[]))';
  const ids = async (sql: string, list: string[]) => (await c.query(sql, [list])).rows.map((r: Row) => String(Object.values(r)[0]));
  const run = async (deletes: Array<[PrunedTable, string]>, list: string[]) => {
    for (const [table, sql] of deletes) out[table] += (await c.query(sql, [list])).rowCount ?? 0;
  };
  const all = [...tops, ...(await ids(childrenSql(IDS), tops))];
  const batches = await ids(batchesOfSql(IDS), all);
  await run(taskDeletes(IDS), all);
  if (batches.length) await run(batchDeletes(IDS), batches);
}

function pgRowToTask(r: Row): Task {
  const task = rowToTask({ ...r, render_submitted: r.render_submitted ? 1 : 0, engine_data: null });
  task.engineData = (r.engine_data as Record<string, unknown> | null) ?? null;
  return task;
}

/** Positional parameters ($1, $2, …) built up alongside the SQL text. */
class Params {
  readonly values: unknown[] = [];
  add(v: unknown): string {
    this.values.push(v);
    return `$${this.values.length}`;
  }
}

export class PostgresTaskStore implements TaskStore {
  readonly shared = true;
  private readonly listeners = new Set<(taskId: string) => void>();
  private readonly resyncListeners = new Set<() => void>();
  private listener: PgListener | undefined;
  private closed = false;
  private claims: Promise<unknown> = Promise.resolve();
  private readonly slots: PostgresSlotRegistry;

  private constructor(
    /** The pool, for other repositories in the same database (API keys). */
    readonly pool: pg.Pool,
    readonly nodeId: string,
    private readonly log: Logger | undefined,
  ) {
    this.slots = new PostgresSlotRegistry(pool);
  }

  /** Connect, migrate (refusing a newer schema) and start listening for other nodes' changes. */
  static async connect(o: PostgresStoreOptions): Promise<PostgresTaskStore> {
    const nodeId = o.nodeId ?? defaultNodeId();
    if (nodeId.includes('|')) throw new Error(`node id must not contain "|": ${nodeId}`);
    const pool = createPgPool({ url: o.url, max: o.poolSize ?? 10, applicationName: `heygem:${nodeId}`.slice(0, 63), connectTimeoutMs: o.connectTimeoutMs, statementTimeoutMs: o.statementTimeoutMs, log: o.log });
    const store = new PostgresTaskStore(pool, nodeId, o.log);
    try {
      await migratePostgres(pool);
      if (o.listen !== false) {
        store.listener = new PgListener({
          url: o.url,
          channel: NOTIFY_CHANNEL,
          applicationName: `heygem-listen:${nodeId}`.slice(0, 63),
          log: o.log,
          onNotify: (payload) => store.onNotify(payload),
          onReconnect: () => store.emit(store.resyncListeners, undefined),
        });
        await store.listener.start();
      }
    } catch (err) {
      await store.close();
      throw err;
    }
    return store;
  }

  /** Whether the LISTEN connection is up right now (health checks). */
  get listening(): boolean {
    return this.listener?.connected ?? false;
  }

  get listenerReconnects(): number {
    return this.listener?.reconnectCount ?? 0;
  }

  private onNotify(payload: string): void {
    const bar = payload.indexOf('|');
    if (bar < 0) return;
    if (payload.slice(0, bar) === this.nodeId) return; // our own change: already handled locally
    this.emit(this.listeners, payload.slice(bar + 1));
  }

  /** One failing listener must not starve the others (nor reach the pg connection's events). */
  private emit<T>(listeners: Set<(arg: T) => void>, arg: T): void {
    for (const l of listeners) {
      try {
        l(arg);
      } catch (err) {
        this.log?.error({ err: (err as Error).message, arg }, 'postgres: change listener failed');
      }
    }
  }

  onRemoteChange(listener: (taskId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Called after the LISTEN connection came back: other nodes' changes made while it was down
   * were not notified, so a view kept up to date by onRemoteChange should re-read (e.g. the
   * SSE stream sends a full refresh). Not part of the TaskStore port (yet).
   */
  onResync(listener: () => void): () => void {
    this.resyncListeners.add(listener);
    return () => this.resyncListeners.delete(listener);
  }

  private async one(sql: string, values: unknown[]): Promise<Row | undefined> {
    const { rows } = await this.pool.query(sql, values);
    return rows[0] as Row | undefined;
  }

  private async all(sql: string, values: unknown[] = []): Promise<Row[]> {
    return (await this.pool.query(sql, values)).rows as Row[];
  }

  /** `SELECT …, pg_notify(…) FROM u`: runs once per changed row, inside the statement. */
  private notifySql(p: Params, from = 'u'): string {
    return `pg_notify(${p.add(NOTIFY_CHANNEL)}::text, ${p.add(`${this.nodeId}|`)}::text || ${from}.id) AS _notified`;
  }

  async create(t: NewTask): Promise<Task> {
    const p = new Params();
    const sql = `
      WITH u AS (
        INSERT INTO tasks (id, state, text, normalized_text, video_path, video_name, owner, created_at, updated_at, available_at, parent_id, segment_index, segment_count, captions, language, language_requested, output_options, caption_style)
        VALUES (${p.add(t.id)}, 'queued', ${p.add(t.text)}, ${p.add(t.normalizedText ?? null)}, ${p.add(t.videoPath ?? null)},
                ${p.add(t.videoName ?? null)}, ${p.add(t.owner ?? null)}, ${p.add(t.createdAt)}, ${p.add(t.createdAt)}, 0,
                ${p.add(t.parentId ?? null)}, ${p.add(t.segmentIndex ?? null)}, ${p.add(t.segmentCount ?? null)}, ${p.add(t.captions ?? null)},
                ${p.add(t.language ?? 'en')}, ${p.add(t.languageRequested ?? 'auto')},
                ${p.add(t.outputOptions ? JSON.stringify(t.outputOptions) : null)}, ${p.add(t.captionStyle ? JSON.stringify(t.captionStyle) : null)})
        RETURNING *
      ), e AS (
        INSERT INTO task_events (task_id, attempt, at, state, slot_id, error_code, message)
        SELECT id, 0, created_at, 'queued', NULL, NULL, 'accepted' FROM u
      )
      SELECT u.*, ${this.notifySql(p)} FROM u`;
    const row = await this.one(sql, p.values);
    return pgRowToTask(row!);
  }

  async get(id: string): Promise<Task | undefined> {
    const r = await this.one('SELECT * FROM tasks WHERE id = $1', [id]);
    return r ? pgRowToTask(r) : undefined;
  }

  /**
   * Claims issued by this process run one at a time, in call order: concurrent claims of one
   * node would only race for the same head-of-queue rows, and with SKIP LOCKED the first caller
   * could lose the oldest task to a later one and come back empty-handed while a task was
   * still free. Serialized, the first caller gets the oldest task (as with SQLite); claims
   * from different nodes still run in parallel, kept apart by SKIP LOCKED.
   */
  claimNext(req: ClaimRequest): Promise<Task | undefined> {
    const run = this.claims.then(() => this.claimOnce(req));
    this.claims = run.catch(() => undefined);
    return run;
  }

  private async claimOnce(req: ClaimRequest): Promise<Task | undefined> {
    const { slotId, holder, now, leaseMs } = req;
    const avoid = avoidParams(req);
    const p = new Params();
    const sql = `
      WITH next AS (
        -- Claim order: fair share between owners (store/fair-share.ts), FIFO within one owner.
        ${fairClaimSql('postgres', p.add(now), { pattern: p.add(avoid.avoidPattern), readyBy: p.add(avoid.readyBy) })}
        LIMIT 1 FOR UPDATE OF t SKIP LOCKED
      ), u AS (
        UPDATE tasks t SET state = 'preparing', updated_at = $1, slot_id = ${p.add(slotId)}, started_at = $1,
          attempt = t.attempt + 1, lease_token = ${p.add(newLeaseToken())}, lease_holder = ${p.add(holder)},
          lease_expires_at = ${p.add(now + leaseMs)}
        FROM next WHERE t.id = next.id AND t.state = 'queued'
        RETURNING t.*
      ), e AS (
        INSERT INTO task_events (task_id, attempt, at, state, slot_id, error_code, message)
        SELECT id, attempt, $1, state, slot_id, NULL, NULL FROM u
      )
      SELECT u.*, ${this.notifySql(p)} FROM u`;
    const r = await this.one(sql, p.values);
    return r ? pgRowToTask(r) : undefined;
  }

  /**
   * The one UPDATE every move goes through; a move to queued or a final state ends the lease
   * (claims, which open one, are claimNext). The transition table is part of its WHERE
   * (legal-moves.ts), next to the fence.
   */
  async transition(id: string, guard: TransitionGuard, to: TaskState, patch: TaskPatch, now: number, message?: string): Promise<Task | undefined> {
    const from = legalSources(id, guard, to, this.log);
    if (!from.length) return undefined;
    const p = new Params();
    let sets = `state = ${p.add(to)}, updated_at = ${p.add(now)}${this.patchSql(patch, p)}`;
    if (to === 'queued' || FINAL_STATES.has(to)) sets += ', lease_token = NULL, lease_holder = NULL, lease_expires_at = NULL';
    let where = `id = ${p.add(id)} AND state = ANY(${p.add(from)}::text[])`;
    if (guard.fence) where += ` AND attempt = ${p.add(guard.fence.attempt)} AND lease_token = ${p.add(guard.fence.token)}`;
    if (guard.leaseExpiredBy !== undefined) where += ` AND lease_expires_at <= ${p.add(guard.leaseExpiredBy)}`;
    const sql = `
      WITH u AS (UPDATE tasks SET ${sets} WHERE ${where} RETURNING *),
      e AS (
        INSERT INTO task_events (task_id, attempt, at, state, slot_id, error_code, message)
        SELECT id, attempt, $2, state, slot_id, ${p.add(patch.errorCode ?? null)}::text, ${p.add(message ?? patch.errorMessage ?? null)}::text FROM u
      )
      SELECT u.*, ${this.notifySql(p)} FROM u`;
    const r = await this.one(sql, p.values);
    return r ? pgRowToTask(r) : undefined;
  }

  private patchSql(patch: TaskPatch, p: Params): string {
    let sets = '';
    for (const [key, value] of Object.entries(patch)) {
      const col = PATCH_COLUMNS[key];
      if (!col || value === undefined) continue;
      if (key === 'engineData') sets += `, ${col} = ${p.add(value === null ? null : JSON.stringify(value))}::jsonb`;
      else if (key === 'checks') sets += `, ${col} = ${p.add(JSON.stringify(value ?? []))}::jsonb`;
      else if (key === 'avoidSlots') sets += `, ${col} = ${p.add(avoidSlotsColumn(value as number[] | null))}`;
      else if (key === 'renderSubmitted') sets += `, ${col} = ${p.add(Boolean(value))}`;
      else sets += `, ${col} = ${p.add(value ?? null)}`;
    }
    return sets;
  }

  async patch(id: string, fence: Fence, patch: TaskPatch, now: number): Promise<boolean> {
    const p = new Params();
    const sql = `
      WITH u AS (
        UPDATE tasks SET updated_at = ${p.add(now)}${this.patchSql(patch, p)}
        WHERE id = ${p.add(id)} AND attempt = ${p.add(fence.attempt)} AND lease_token = ${p.add(fence.token)}
          AND state <> ALL(${p.add(FINAL_LIST)}::text[])
        RETURNING id
      )
      SELECT ${this.notifySql(p)} FROM u`;
    return (await this.pool.query(sql, p.values)).rowCount === 1;
  }

  /** Not notified: a lease extension changes nothing another node shows. */
  async heartbeat(id: string, fence: Fence, now: number, leaseMs: number): Promise<HeartbeatResult> {
    const res = await this.pool.query('UPDATE tasks SET lease_expires_at = $1 WHERE id = $2 AND attempt = $3 AND lease_token = $4', [now + leaseMs, id, fence.attempt, fence.token]);
    return res.rowCount === 1 ? 'ok' : 'lost';
  }

  async reclaim(id: string, fence: Fence, holder: string, now: number, leaseMs: number): Promise<Task | undefined> {
    const p = new Params();
    const sql = `
      WITH u AS (
        UPDATE tasks SET lease_token = ${p.add(newLeaseToken())}, lease_holder = ${p.add(holder)}, lease_expires_at = ${p.add(now + leaseMs)},
          updated_at = ${p.add(now)}
        WHERE id = ${p.add(id)} AND attempt = ${p.add(fence.attempt)} AND lease_token = ${p.add(fence.token)} AND lease_expires_at > $4
        RETURNING *
      )
      SELECT u.*, ${this.notifySql(p)} FROM u`;
    const r = await this.one(sql, p.values);
    return r ? pgRowToTask(r) : undefined;
  }

  async listExpired(now: number, limit: number): Promise<Task[]> {
    const rows = await this.all('SELECT * FROM tasks WHERE lease_token IS NOT NULL AND lease_expires_at <= $1 ORDER BY lease_expires_at LIMIT $2', [now, limit]);
    return rows.map(pgRowToTask);
  }

  async listSegments(parentId: string): Promise<Task[]> {
    return (await this.all('SELECT * FROM tasks WHERE parent_id = $1 ORDER BY segment_index', [parentId])).map(pgRowToTask);
  }

  async listHeldBy(holder: string): Promise<Task[]> {
    return (await this.all('SELECT * FROM tasks WHERE lease_token IS NOT NULL AND lease_holder = $1 ORDER BY seq', [holder])).map(pgRowToTask);
  }

  /**
   * Count of queued submissions up to this one's seq (a queued part answers its queued parent's
   * position): an index scan of the partial queue index, O(position) on a structure that holds
   * only the queue — never a scan of the tasks table. Parts (parent_id set) are not counted.
   */
  async queuePosition(id: string): Promise<number | null> {
    const r = await this.one(
      `SELECT CASE WHEN t.state = 'queued' AND t.parent_id IS NULL
         THEN (SELECT count(*) FROM tasks q WHERE q.state = 'queued' AND q.parent_id IS NULL AND q.seq <= t.seq) END AS pos
       FROM tasks t WHERE t.id = COALESCE((SELECT p.parent_id FROM tasks p WHERE p.id = $1), $1)`,
      [id],
    );
    return (r?.pos as number | null | undefined) ?? null;
  }

  /** Queued submissions: a long script's parent once, its parts not at all. */
  async queueSize(): Promise<number> {
    return (await this.one(`SELECT count(*) AS n FROM tasks WHERE state = 'queued' AND parent_id IS NULL`, []))!.n as number;
  }

  async listQueued(limit: number): Promise<Task[]> {
    return (await this.all(`SELECT * FROM tasks WHERE state = 'queued' ORDER BY seq LIMIT $1`, [limit])).map(pgRowToTask);
  }

  async listInStates(states: readonly TaskState[]): Promise<Task[]> {
    if (!states.length) return [];
    return (await this.all('SELECT * FROM tasks WHERE state = ANY($1::text[]) ORDER BY seq', [[...states]])).map(pgRowToTask);
  }

  async list(f: TaskListFilter): Promise<{ items: Task[]; total: number }> {
    const p = new Params();
    const where: string[] = ['parent_id IS NULL'];
    if (f.states?.length) where.push(`state = ANY(${p.add([...f.states])}::text[])`);
    if (f.q) {
      const q = p.add(f.q);
      where.push(`(strpos(lower(text), lower(${q})) > 0 OR strpos(lower(coalesce(title, '')), lower(${q})) > 0)`);
    }
    if (f.from !== undefined) where.push(`created_at >= ${p.add(f.from)}`);
    if (f.to !== undefined) where.push(`created_at < ${p.add(f.to)}`);
    if (f.owner !== undefined) where.push(`owner = ${p.add(f.owner)}`);
    const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const filterValues = [...p.values];
    const page = `SELECT * FROM tasks ${w} ORDER BY seq DESC LIMIT ${p.add(Math.min(f.limit ?? 50, 500))} OFFSET ${p.add(f.offset ?? 0)}`;
    const [count, rows] = await Promise.all([this.one(`SELECT count(*) AS n FROM tasks ${w}`, filterValues), this.all(page, p.values)]);
    return { items: rows.map(pgRowToTask), total: count!.n as number };
  }

  async listForStats(from: number, to: number): Promise<Task[]> {
    return (await this.all('SELECT * FROM tasks WHERE created_at < $1 AND (finished_at IS NULL OR finished_at >= $2)', [to, from])).map(pgRowToTask);
  }

  async events(id: string): Promise<TaskEvent[]> {
    return (await this.all('SELECT * FROM task_events WHERE task_id = $1 ORDER BY id', [id])).map(rowToEvent);
  }

  async countByState(): Promise<Partial<Record<TaskState, number>>> {
    const rows = await this.all('SELECT state, count(*) AS n FROM tasks GROUP BY state');
    return Object.fromEntries(rows.map((r) => [r.state as TaskState, r.n as number]));
  }

  /**
   * One batch of record retention (store/record-prune.ts) in one transaction. One node prunes at
   * a time (a try-lock: another node's pass skips the round instead of queueing behind it).
   */
  async purgeFinished(before: number, limit = 500): Promise<PrunedRows> {
    const IDS = '(SELECT unnest($1::text[]))';
    const out = noPrunedRows();
    return inTransaction(this.pool, async (c) => {
      const ids = async (sql: string, args: unknown[]) => (await c.query(sql, args)).rows.map((r: Row) => String(Object.values(r)[0]));
      const run = async (deletes: Array<[PrunedTable, string]>, list: string[]) => {
        for (const [table, sql] of deletes) out[table] += (await c.query(sql, [list])).rowCount ?? 0;
      };
      const locked = await c.query('SELECT pg_try_advisory_xact_lock($1) AS ok', [RETENTION_LOCK_KEY]);
      if (locked.rows[0]?.ok) {
        await pruneTops(c, out, await ids(candidatesSql('$1', '$2'), [before, limit]));
        const deliveries = await ids(tasklessDeliveriesSql('$1', '$2'), [before, limit]);
        if (deliveries.length) await run(deliveryDeletes(IDS), deliveries);
      }
      return out;
    });
  }

  async deleteTasks(list: readonly string[]): Promise<PrunedRows> {
    const out = noPrunedRows();
    if (!list.length) return out;
    return inTransaction(this.pool, async (c) => {
      const tops = (await c.query(deletableSql('(SELECT unnest($1::text[]))'), [[...list]])).rows.map((r: Row) => String(r.id));
      await pruneTops(c, out, tops);
      return out;
    });
  }

  async setTitle(id: string, title: string | null): Promise<boolean> {
    return (await this.pool.query('UPDATE tasks SET title = $1 WHERE id = $2', [title, id])).rowCount === 1;
  }

  async nextAvailableAt(): Promise<number | null> {
    // 0 when a fresh task (available_at = 0) waits — found at the head of the queue index —
    // else the earliest backoff, from the partial index of delayed retries.
    const r = await this.one(
      `SELECT CASE WHEN EXISTS (SELECT 1 FROM tasks WHERE state = 'queued' AND available_at <= 0 AND segment_count IS NULL) THEN 0
              ELSE (SELECT MIN(available_at) FROM tasks WHERE state = 'queued' AND available_at > 0 AND segment_count IS NULL) END AS t`,
      [],
    );
    return (r!.t as number | null) ?? null;
  }

  registerSlots(nodeId: string, slotIds: readonly number[], now: number, staleMs: number): Promise<SlotRecord[]> {
    return this.slots.register(nodeId, slotIds, now, staleMs);
  }

  reportSlots(nodeId: string, slots: ReadonlyArray<{ slotId: number; info: Record<string, unknown> }>, now: number): Promise<void> {
    return this.slots.report(nodeId, slots, now);
  }

  listSlots(): Promise<SlotRecord[]> {
    return this.slots.list();
  }

  unregisterSlots(nodeId: string): Promise<void> {
    return this.slots.unregister(nodeId);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.listeners.clear();
    this.resyncListeners.clear();
    await this.listener?.stop();
    await this.pool.end();
  }
}
