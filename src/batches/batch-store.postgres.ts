/**
 * BatchStore on the shared PostgreSQL database (the task store's pool). Idempotency keys rely
 * on the primary key: of two nodes inserting one key at once, exactly one INSERT wins.
 */
import type pg from 'pg';
import { inTransaction } from '../store/postgres.pool.js';
import { FINAL_SQL, rowToBatch, rowToBatchRow, rowToKey, type BatchRecord, type BatchRowRecord, type BatchStore, type IdempotencyRecord, type IdempotencyScope } from './batch-store.js';

type Row = Record<string, unknown>;
const KEY = 'owner = $1 AND scope = $2 AND key = $3';
const keyArgs = (s: IdempotencyScope) => [s.owner, s.scope, s.key];

export class PostgresBatchStore implements BatchStore {
  constructor(private readonly pool: pg.Pool) {}

  private async all(sql: string, values: unknown[]): Promise<Row[]> {
    return (await this.pool.query(sql, values)).rows as Row[];
  }

  async createBatch(b: BatchRecord, rows: readonly BatchRowRecord[]): Promise<void> {
    await inTransaction(this.pool, async (c) => {
      await c.query('INSERT INTO batches (id, owner, created_at, row_count, defaults) VALUES ($1, $2, $3, $4, $5)', [b.id, b.owner, b.createdAt, b.rowCount, JSON.stringify(b.defaults)]);
      // one statement for all rows (arrays unnested), not one round trip per row
      await c.query(
        `INSERT INTO batch_rows (batch_id, row_index, task_id, avatar_id, voice_id, metadata)
         SELECT $1, * FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::text[])`,
        [b.id, rows.map((r) => r.rowIndex), rows.map((r) => r.taskId), rows.map((r) => r.avatarId), rows.map((r) => r.voiceId), rows.map((r) => (r.metadata === null ? null : JSON.stringify(r.metadata)))],
      );
    });
  }

  async deleteBatch(id: string): Promise<void> {
    await this.pool.query('WITH r AS (DELETE FROM batch_rows WHERE batch_id = $1) DELETE FROM batches WHERE id = $1', [id]);
  }

  async getBatch(id: string): Promise<BatchRecord | undefined> {
    const [r] = await this.all('SELECT * FROM batches WHERE id = $1', [id]);
    return r ? rowToBatch(r) : undefined;
  }

  async listBatches(owner: string | undefined, limit: number): Promise<BatchRecord[]> {
    const rows = owner === undefined
      ? await this.all('SELECT * FROM batches ORDER BY created_at DESC LIMIT $1', [limit])
      : await this.all('SELECT * FROM batches WHERE owner = $1 ORDER BY created_at DESC LIMIT $2', [owner, limit]);
    return rows.map(rowToBatch);
  }

  async rows(batchId: string): Promise<BatchRowRecord[]> {
    return (await this.all('SELECT * FROM batch_rows WHERE batch_id = $1 ORDER BY row_index', [batchId])).map(rowToBatchRow);
  }

  async batchOfTask(taskId: string): Promise<string | undefined> {
    const [r] = await this.all('SELECT batch_id FROM batch_rows WHERE task_id = $1', [taskId]);
    return r?.batch_id as string | undefined;
  }

  async markCanceled(id: string, now: number): Promise<void> {
    await this.pool.query('UPDATE batches SET canceled_at = $1 WHERE id = $2 AND canceled_at IS NULL', [now, id]);
  }

  async markCompleted(id: string, now: number): Promise<boolean> {
    return (await this.pool.query('UPDATE batches SET completed_at = $1 WHERE id = $2 AND completed_at IS NULL', [now, id])).rowCount === 1;
  }

  async unfinishedCount(batchId: string): Promise<number> {
    const [r] = await this.all(`SELECT COUNT(*)::int AS n FROM batch_rows b JOIN tasks t ON t.id = b.task_id WHERE b.batch_id = $1 AND t.state NOT IN ${FINAL_SQL}`, [batchId]);
    return Number(r.n);
  }

  async claimKey(s: IdempotencyScope, fingerprint: string, now: number, ttlMs: number): Promise<true | IdempotencyRecord | undefined> {
    await this.pool.query(`DELETE FROM idempotency_keys WHERE ${KEY} AND expires_at <= $4`, [...keyArgs(s), now]);
    const ins = await this.pool.query(
      'INSERT INTO idempotency_keys (owner, scope, key, fingerprint, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING',
      [s.owner, s.scope, s.key, fingerprint, now, now + ttlMs],
    );
    if (ins.rowCount === 1) return true;
    return this.readKey(s);
  }

  async readKey(s: IdempotencyScope): Promise<IdempotencyRecord | undefined> {
    const [r] = await this.all(`SELECT * FROM idempotency_keys WHERE ${KEY}`, keyArgs(s));
    return r ? rowToKey(r) : undefined;
  }

  async saveAnswer(s: IdempotencyScope, statusCode: number, body: string): Promise<void> {
    await this.pool.query(`UPDATE idempotency_keys SET status_code = $4, response = $5 WHERE ${KEY}`, [...keyArgs(s), statusCode, body]);
  }

  async releaseKey(s: IdempotencyScope): Promise<void> {
    await this.pool.query(`DELETE FROM idempotency_keys WHERE ${KEY} AND status_code IS NULL`, keyArgs(s));
  }

  async purgeExpiredKeys(now: number): Promise<number> {
    return (await this.pool.query('DELETE FROM idempotency_keys WHERE expires_at <= $1', [now])).rowCount ?? 0;
  }

  async claimsSince(since: number): Promise<number> {
    const [r] = await this.all(`SELECT COUNT(*)::int AS n FROM task_events WHERE at >= $1 AND state = 'preparing'`, [since]);
    return Number(r.n);
  }
}
