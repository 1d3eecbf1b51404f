/**
 * Batches, idempotency keys and the fair-share index (docs/batches.md).
 *
 * - `batches` / `batch_rows`: one row per batch and one per input row; a row names its task
 *   (created in the same request) and keeps what the caller sent besides the text (avatar /
 *   voice ids, metadata echoed back), so the tasks table stays unchanged.
 * - `idempotency_keys`: the first answer per (owner, scope, key). The primary key is what makes
 *   two concurrent requests with one key — on one node or on two — create exactly one task:
 *   only one INSERT wins; the other waits for the winner's answer.
 * - `tasks_queued_owner`: the claim order prefers the owner with the fewest active tasks; this
 *   partial index lists the owners with queued work and each one's oldest task by index seeks
 *   (store/fair-share.ts).
 */
const BATCH_TABLES = (int: string) => `
CREATE TABLE IF NOT EXISTS batches (
  id           TEXT PRIMARY KEY,
  owner        TEXT,
  created_at   ${int} NOT NULL,
  row_count    INTEGER NOT NULL,
  canceled_at  ${int},
  completed_at ${int},
  defaults     TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS batches_owner ON batches (owner, created_at);
CREATE TABLE IF NOT EXISTS batch_rows (
  batch_id  TEXT NOT NULL,
  row_index INTEGER NOT NULL,
  task_id   TEXT NOT NULL UNIQUE,
  avatar_id TEXT,
  voice_id  TEXT,
  metadata  TEXT,
  PRIMARY KEY (batch_id, row_index)
);
CREATE TABLE IF NOT EXISTS idempotency_keys (
  owner       TEXT NOT NULL,
  scope       TEXT NOT NULL,
  key         TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  status_code INTEGER,
  response    TEXT,
  created_at  ${int} NOT NULL,
  expires_at  ${int} NOT NULL,
  PRIMARY KEY (owner, scope, key)
);
CREATE INDEX IF NOT EXISTS idempotency_expires ON idempotency_keys (expires_at);
CREATE INDEX IF NOT EXISTS tasks_queued_owner ON tasks (owner, seq) WHERE state = 'queued';
`;

export const SQLITE_BATCHES = BATCH_TABLES('INTEGER');
export const POSTGRES_BATCHES = BATCH_TABLES('BIGINT');
