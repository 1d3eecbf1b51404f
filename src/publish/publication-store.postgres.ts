/**
 * PublicationStore on PostgreSQL, for several gateway nodes on one database (store.driver:
 * postgres). Same tables and statements as the SQLite adapter (publication-store.rows.ts). It
 * uses the task store's pool when given one (closing it is then the task store's job), or
 * opens its own from a URL.
 *
 * Tables are created at open with CREATE … IF NOT EXISTS inside one transaction holding an
 * advisory lock, so nodes starting together neither race on the DDL nor fail on each other's
 * half-made tables. Concurrency between nodes is left to row locks: plan() inserts with ON
 * CONFLICT DO NOTHING (a second node planning the same completion waits, then adds nothing) and
 * claim() is one conditional UPDATE (of two racers, the second re-reads the row after the
 * first commits and finds it taken).
 */
import type pg from 'pg';
import type { Logger } from '../logger.js';
import { createPgPool, inTransaction } from '../store/postgres.pool.js';
import type { Publication, PublicationState, TargetType } from './publication.js';
import type { PublicationPatch, PublicationStore, PublishRequest } from './publication-store.js';
import { patchEntries, PUBLICATION_SCHEMA_SQL, sortedTargets, toPublication, toRequest } from './publication-store.rows.js';

/** Fixed, and different from the task store's migration lock (src/store/postgres.schema.ts). */
export const PUBLICATION_MIGRATION_LOCK_KEY = 0x68_67_77_50; // "hgwP"

export type PostgresPublicationStoreOptions = { pool: pg.Pool } | { url: string; log?: Logger; applicationName?: string };

export class PostgresPublicationStore implements PublicationStore {
  private constructor(
    private readonly pool: pg.Pool,
    /** True when this store opened the pool (and so ends it on close). */
    private readonly ownsPool: boolean,
  ) {}

  /** Connect (or borrow the given pool) and create the tables if they are missing. */
  static async open(o: PostgresPublicationStoreOptions): Promise<PostgresPublicationStore> {
    const own = !('pool' in o);
    const pool = 'pool' in o ? o.pool : createPgPool({ url: o.url, max: 4, applicationName: o.applicationName?.slice(0, 63), log: o.log });
    const store = new PostgresPublicationStore(pool, own);
    try {
      await store.migrate();
    } catch (err) {
      if (own) await pool.end().catch(() => undefined);
      throw err;
    }
    return store;
  }

  private async migrate(): Promise<void> {
    await this.transaction(async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1)', [PUBLICATION_MIGRATION_LOCK_KEY]);
      await c.query(PUBLICATION_SCHEMA_SQL);
    });
  }

  private transaction(work: (c: pg.PoolClient) => Promise<void>): Promise<void> {
    return inTransaction(this.pool, work);
  }

  async saveRequest(taskId: string, targets: readonly string[], now: number): Promise<void> {
    await this.pool.query('INSERT INTO publish_requests (task_id, targets, created_at, planned) VALUES ($1, $2, $3, 0) ON CONFLICT (task_id) DO NOTHING', [
      taskId,
      targets.join(','),
      now,
    ]);
  }

  async getRequest(taskId: string): Promise<PublishRequest | undefined> {
    const { rows } = await this.pool.query('SELECT * FROM publish_requests WHERE task_id = $1', [taskId]);
    return rows[0] && toRequest(rows[0]);
  }

  async unplannedRequests(limit: number): Promise<PublishRequest[]> {
    const { rows } = await this.pool.query('SELECT * FROM publish_requests WHERE planned = 0 ORDER BY created_at LIMIT $1', [limit]);
    return rows.map(toRequest);
  }

  async plan(taskId: string, targets: ReadonlyArray<{ target: string; type: TargetType }>, now: number): Promise<void> {
    await this.transaction(async (c) => {
      for (const t of sortedTargets(targets)) {
        await c.query(
          `INSERT INTO publications (task_id, target, type, state, attempts, next_attempt_at, created_at, updated_at)
           VALUES ($1, $2, $3, 'pending', 0, 0, $4, $4) ON CONFLICT (task_id, target) DO NOTHING`,
          [taskId, t.target, t.type, now],
        );
      }
      // A task submitted before this request record existed (older gateway) still gets one.
      await c.query('INSERT INTO publish_requests (task_id, targets, created_at, planned) VALUES ($1, $2, $3, 1) ON CONFLICT (task_id) DO NOTHING', [
        taskId,
        targets.map((t) => t.target).join(','),
        now,
      ]);
      await c.query('UPDATE publish_requests SET planned = 1 WHERE task_id = $1 AND planned = 0', [taskId]);
    });
  }

  async hasAny(): Promise<boolean> {
    const { rows } = await this.pool.query('SELECT EXISTS (SELECT 1 FROM publish_requests) OR EXISTS (SELECT 1 FROM publications) AS any');
    return rows[0].any === true;
  }

  async list(taskId: string): Promise<Publication[]> {
    const { rows } = await this.pool.query('SELECT * FROM publications WHERE task_id = $1 ORDER BY created_at, target', [taskId]);
    return rows.map(toPublication);
  }

  async listByState(states: readonly PublicationState[], limit: number): Promise<Publication[]> {
    if (!states.length) return [];
    const { rows } = await this.pool.query('SELECT * FROM publications WHERE state = ANY($1::text[]) ORDER BY next_attempt_at, created_at LIMIT $2', [[...states], limit]);
    return rows.map(toPublication);
  }

  async update(taskId: string, target: string, patch: PublicationPatch, now: number): Promise<boolean> {
    const entries = patchEntries(patch);
    const sets = entries.map(([c], i) => `${c} = $${i + 1}`);
    const n = entries.length;
    const res = await this.pool.query(`UPDATE publications SET ${[...sets, `updated_at = $${n + 1}`].join(', ')} WHERE task_id = $${n + 2} AND target = $${n + 3}`, [
      ...entries.map(([, v]) => v),
      now,
      taskId,
      target,
    ]);
    return (res.rowCount ?? 0) > 0;
  }

  async claim(taskId: string, target: string, holder: string, now: number, leaseMs: number): Promise<boolean> {
    const res = await this.pool.query(
      `UPDATE publications SET claimed_by = $1, claimed_until = $2
       WHERE task_id = $3 AND target = $4 AND (claimed_by IS NULL OR claimed_until <= $5 OR claimed_by = $1)`,
      [holder, now + leaseMs, taskId, target, now],
    );
    return res.rowCount === 1;
  }

  async release(taskId: string, target: string, holder: string): Promise<void> {
    await this.pool.query('UPDATE publications SET claimed_by = NULL, claimed_until = NULL WHERE task_id = $1 AND target = $2 AND claimed_by = $3', [taskId, target, holder]);
  }

  async forget(taskIds: readonly string[]): Promise<void> {
    if (!taskIds.length) return;
    await this.transaction(async (c) => {
      await c.query('DELETE FROM publish_requests WHERE task_id = ANY($1::text[])', [[...taskIds]]);
      await c.query('DELETE FROM publications WHERE task_id = ANY($1::text[])', [[...taskIds]]);
    });
  }

  async close(): Promise<void> {
    if (this.ownsPool) await this.pool.end();
  }
}
