/**
 * Webhook tables (docs/webhooks.md): registered endpoints, per-task callback URLs, the delivery
 * outbox (one row per event × receiver, with a claim so that of several nodes only one sends
 * an attempt) and the attempt log. One DDL text both databases accept; every statement is
 * idempotent (IF NOT EXISTS), so the webhook store can also apply it to a database it opens
 * on its own (tests, a SQLite file written before this migration).
 */
export const WEBHOOK_SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS webhook_endpoints (
  id                    TEXT PRIMARY KEY,
  owner                 TEXT,
  url                   TEXT NOT NULL,
  events                TEXT NOT NULL,
  description           TEXT,
  secret                TEXT NOT NULL,
  previous_secret       TEXT,
  previous_secret_until BIGINT,
  enabled               INTEGER NOT NULL DEFAULT 1,
  created_at            BIGINT NOT NULL,
  updated_at            BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS webhook_endpoints_owner ON webhook_endpoints (owner);
CREATE TABLE IF NOT EXISTS webhook_callbacks (
  task_id    TEXT PRIMARY KEY,
  url        TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS webhook_deliveries (
  id              TEXT PRIMARY KEY,
  event_id        TEXT NOT NULL,
  event_type      TEXT NOT NULL,
  task_id         TEXT,
  owner           TEXT,
  endpoint_id     TEXT,
  url             TEXT NOT NULL,
  body            TEXT NOT NULL,
  state           TEXT NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  created_at      BIGINT NOT NULL,
  updated_at      BIGINT NOT NULL,
  delivered_at    BIGINT,
  last_status     INTEGER,
  last_error      TEXT,
  claimed_by      TEXT,
  claimed_until   BIGINT
);
CREATE INDEX IF NOT EXISTS webhook_deliveries_due ON webhook_deliveries (state, next_attempt_at);
CREATE INDEX IF NOT EXISTS webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, created_at);
CREATE INDEX IF NOT EXISTS webhook_deliveries_task ON webhook_deliveries (task_id);
CREATE TABLE IF NOT EXISTS webhook_attempts (
  delivery_id TEXT NOT NULL,
  attempt     INTEGER NOT NULL,
  started_at  BIGINT NOT NULL,
  duration_ms INTEGER NOT NULL,
  status      INTEGER,
  error       TEXT,
  node        TEXT,
  PRIMARY KEY (delivery_id, attempt)
);
`;

export const SQLITE_WEBHOOKS = WEBHOOK_SCHEMA_SQL;
export const POSTGRES_WEBHOOKS = WEBHOOK_SCHEMA_SQL;
