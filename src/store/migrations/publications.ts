/**
 * Publication tables (docs/publishing.md). One DDL text both databases accept, every statement
 * idempotent: the publication stores apply it when they open, and the task stores' migrations
 * apply it too, so record retention (store/record-prune.ts) always finds the tables it prunes.
 * `claimed_by`/`claimed_until`: which node uploads the publication, until when (the claim).
 */
export const PUBLICATION_SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS publish_requests (
  task_id TEXT PRIMARY KEY,
  targets TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  planned INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS publish_requests_unplanned ON publish_requests (planned, created_at);
CREATE TABLE IF NOT EXISTS publications (
  task_id TEXT NOT NULL,
  target TEXT NOT NULL,
  type TEXT NOT NULL,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  url TEXT,
  remote_id TEXT,
  error TEXT,
  resume TEXT,
  next_attempt_at BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  done_at BIGINT,
  claimed_by TEXT,
  claimed_until BIGINT,
  PRIMARY KEY (task_id, target)
);
CREATE INDEX IF NOT EXISTS publications_state ON publications (state, next_attempt_at);
`;
