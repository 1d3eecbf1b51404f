/** BatchStore on the embedded SQLite database (the task store's connection; synchronous). */
import type Database from 'better-sqlite3';
import { FINAL_SQL, rowToBatch, rowToBatchRow, rowToKey, type BatchRecord, type BatchRowRecord, type BatchStore, type IdempotencyRecord, type IdempotencyScope } from './batch-store.js';

type Row = Record<string, unknown>;
const KEY = 'owner = ? AND scope = ? AND key = ?';
const keyArgs = (s: IdempotencyScope) => [s.owner, s.scope, s.key];

export class SqliteBatchStore implements BatchStore {
  constructor(private readonly db: Database.Database) {}

  async createBatch(b: BatchRecord, rows: readonly BatchRowRecord[]): Promise<void> {
    const insBatch = this.db.prepare('INSERT INTO batches (id, owner, created_at, row_count, defaults) VALUES (?, ?, ?, ?, ?)');
    const insRow = this.db.prepare('INSERT INTO batch_rows (batch_id, row_index, task_id, avatar_id, voice_id, metadata) VALUES (?, ?, ?, ?, ?, ?)');
    this.db.transaction(() => {
      insBatch.run(b.id, b.owner, b.createdAt, b.rowCount, JSON.stringify(b.defaults));
      for (const r of rows) insRow.run(r.batchId, r.rowIndex, r.taskId, r.avatarId, r.voiceId, r.metadata === null ? null : JSON.stringify(r.metadata));
    })();
  }

  async deleteBatch(id: string): Promise<void> {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM batch_rows WHERE batch_id = ?').run(id);
      this.db.prepare('DELETE FROM batches WHERE id = ?').run(id);
    })();
  }

  async getBatch(id: string): Promise<BatchRecord | undefined> {
    const r = this.db.prepare('SELECT * FROM batches WHERE id = ?').get(id) as Row | undefined;
    return r ? rowToBatch(r) : undefined;
  }

  async listBatches(owner: string | undefined, limit: number): Promise<BatchRecord[]> {
    const rows = owner === undefined
      ? this.db.prepare('SELECT * FROM batches ORDER BY created_at DESC LIMIT ?').all(limit)
      : this.db.prepare('SELECT * FROM batches WHERE owner = ? ORDER BY created_at DESC LIMIT ?').all(owner, limit);
    return (rows as Row[]).map(rowToBatch);
  }

  async rows(batchId: string): Promise<BatchRowRecord[]> {
    return (this.db.prepare('SELECT * FROM batch_rows WHERE batch_id = ? ORDER BY row_index').all(batchId) as Row[]).map(rowToBatchRow);
  }

  async batchOfTask(taskId: string): Promise<string | undefined> {
    return (this.db.prepare('SELECT batch_id FROM batch_rows WHERE task_id = ?').get(taskId) as { batch_id: string } | undefined)?.batch_id;
  }

  async markCanceled(id: string, now: number): Promise<void> {
    this.db.prepare('UPDATE batches SET canceled_at = ? WHERE id = ? AND canceled_at IS NULL').run(now, id);
  }

  async markCompleted(id: string, now: number): Promise<boolean> {
    return this.db.prepare('UPDATE batches SET completed_at = ? WHERE id = ? AND completed_at IS NULL').run(now, id).changes === 1;
  }

  async unfinishedCount(batchId: string): Promise<number> {
    const r = this.db
      .prepare(`SELECT COUNT(*) AS n FROM batch_rows b JOIN tasks t ON t.id = b.task_id WHERE b.batch_id = ? AND t.state NOT IN ${FINAL_SQL}`)
      .get(batchId) as { n: number };
    return r.n;
  }

  async claimKey(s: IdempotencyScope, fingerprint: string, now: number, ttlMs: number): Promise<true | IdempotencyRecord | undefined> {
    return this.db.transaction(() => {
      this.db.prepare(`DELETE FROM idempotency_keys WHERE ${KEY} AND expires_at <= ?`).run(...keyArgs(s), now);
      const ins = this.db
        .prepare('INSERT INTO idempotency_keys (owner, scope, key, fingerprint, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING')
        .run(s.owner, s.scope, s.key, fingerprint, now, now + ttlMs);
      if (ins.changes === 1) return true as const;
      const r = this.db.prepare(`SELECT * FROM idempotency_keys WHERE ${KEY}`).get(...keyArgs(s)) as Row | undefined;
      return r ? rowToKey(r) : undefined;
    })();
  }

  async readKey(s: IdempotencyScope): Promise<IdempotencyRecord | undefined> {
    const r = this.db.prepare(`SELECT * FROM idempotency_keys WHERE ${KEY}`).get(...keyArgs(s)) as Row | undefined;
    return r ? rowToKey(r) : undefined;
  }

  async saveAnswer(s: IdempotencyScope, statusCode: number, body: string): Promise<void> {
    this.db.prepare(`UPDATE idempotency_keys SET status_code = ?, response = ? WHERE ${KEY}`).run(statusCode, body, ...keyArgs(s));
  }

  async releaseKey(s: IdempotencyScope): Promise<void> {
    this.db.prepare(`DELETE FROM idempotency_keys WHERE ${KEY} AND status_code IS NULL`).run(...keyArgs(s));
  }

  async purgeExpiredKeys(now: number): Promise<number> {
    return this.db.prepare('DELETE FROM idempotency_keys WHERE expires_at <= ?').run(now).changes;
  }

  async claimsSince(since: number): Promise<number> {
    return (this.db.prepare(`SELECT COUNT(*) AS n FROM task_events WHERE at >= ? AND state = 'preparing'`).get(since) as { n: number }).n;
  }
}
