/**
 * Durable state of batches, idempotency keys and the drain rate, in the task store's own
 * database (SQLite connection or PostgreSQL pool; tables in store/migrations/batches.ts).
 * Adapters: batch-store.sqlite.ts, batch-store.postgres.ts; open-batch-store.ts picks one.
 */

export interface BatchRecord {
  id: string;
  owner: string | null;
  createdAt: number;
  rowCount: number;
  canceledAt: number | null;
  /** When the last task reached a final state (set once: the batch.completed moment). */
  completedAt: number | null;
  /** Batch-wide values the caller sent (avatar_id / voice_id for all rows). */
  defaults: Record<string, unknown>;
}

export interface BatchRowRecord {
  batchId: string;
  /** 1-based row number, as the caller counts (JSON index + 1, CSV data row). */
  rowIndex: number;
  taskId: string;
  avatarId: string | null;
  voiceId: string | null;
  /** Caller's metadata, echoed back unchanged. */
  metadata: unknown;
}

export interface IdempotencyRecord {
  fingerprint: string;
  /** null while the first request is still being answered. */
  statusCode: number | null;
  response: string | null;
  expiresAt: number;
}

export interface IdempotencyScope {
  /** API key id, or '' with auth off. */
  owner: string;
  /** Which route the key was used on (`generate`, `batches`). */
  scope: string;
  key: string;
}

export interface BatchStore {
  /** The batch and all its rows, in one transaction. */
  createBatch(batch: BatchRecord, rows: readonly BatchRowRecord[]): Promise<void>;
  deleteBatch(id: string): Promise<void>;
  getBatch(id: string): Promise<BatchRecord | undefined>;
  listBatches(owner: string | undefined, limit: number): Promise<BatchRecord[]>;
  rows(batchId: string): Promise<BatchRowRecord[]>;
  batchOfTask(taskId: string): Promise<string | undefined>;
  markCanceled(id: string, now: number): Promise<void>;
  /** Set completed_at once; true only for the one caller that set it (across nodes). */
  markCompleted(id: string, now: number): Promise<boolean>;
  /** Rows whose task exists and is not final. */
  unfinishedCount(batchId: string): Promise<number>;

  /**
   * Take the key for a new request: true when this caller inserted it (it then answers and
   * saves the answer, or releases the key), else the stored record. Expired keys are replaced.
   */
  claimKey(s: IdempotencyScope, fingerprint: string, now: number, ttlMs: number): Promise<true | IdempotencyRecord | undefined>;
  readKey(s: IdempotencyScope): Promise<IdempotencyRecord | undefined>;
  saveAnswer(s: IdempotencyScope, statusCode: number, body: string): Promise<void>;
  releaseKey(s: IdempotencyScope): Promise<void>;
  purgeExpiredKeys(now: number): Promise<number>;

  /** Claims (tasks leaving the queue) since `since`, from every node: the drain rate. */
  claimsSince(since: number): Promise<number>;
}

type Row = Record<string, unknown>;

export function rowToBatch(r: Row): BatchRecord {
  return {
    id: r.id as string,
    owner: (r.owner as string | null) ?? null,
    createdAt: Number(r.created_at),
    rowCount: Number(r.row_count),
    canceledAt: r.canceled_at == null ? null : Number(r.canceled_at),
    completedAt: r.completed_at == null ? null : Number(r.completed_at),
    defaults: JSON.parse((r.defaults as string) || '{}') as Record<string, unknown>,
  };
}

export function rowToBatchRow(r: Row): BatchRowRecord {
  return {
    batchId: r.batch_id as string,
    rowIndex: Number(r.row_index),
    taskId: r.task_id as string,
    avatarId: (r.avatar_id as string | null) ?? null,
    voiceId: (r.voice_id as string | null) ?? null,
    metadata: r.metadata == null ? null : (JSON.parse(r.metadata as string) as unknown),
  };
}

export function rowToKey(r: Row): IdempotencyRecord {
  return {
    fingerprint: r.fingerprint as string,
    statusCode: r.status_code == null ? null : Number(r.status_code),
    response: (r.response as string | null) ?? null,
    expiresAt: Number(r.expires_at),
  };
}

export const FINAL_SQL = `('completed', 'failed', 'canceled')`;
