/**
 * PostgreSQL schema for the shared store (several gateway nodes on one database), versioned in
 * a `schema_version` table. MIGRATIONS[i] takes a database from version i to i + 1. They run at
 * start, in one transaction under an advisory lock, so two nodes starting together apply each
 * migration once; a database written by a newer gateway is refused. Layout and rationale:
 * docs/postgres.md.
 *
 * Times are BIGINT milliseconds (as in SQLite), so both adapters share one Task shape.
 */
import { POSTGRES_WEBHOOKS } from './migrations/webhooks.js';
import type pg from 'pg';
import { POSTGRES_LIBRARY } from './migrations/library.js';
import { POSTGRES_TEMPLATES } from './migrations/templates.js';
import { POSTGRES_BATCHES } from './migrations/batches.js';
import { POSTGRES_SEGMENTS } from './migrations/segments.js';
import { POSTGRES_FILES_BY_KEY } from './migrations/files-by-key.js';
import { POSTGRES_LANGUAGE } from './migrations/language.js';
import { POSTGRES_OUTPUT_CHECKS } from './migrations/output-checks.js';
import { POSTGRES_RETENTION } from './migrations/retention.js';
import { POSTGRES_TITLE } from './migrations/title.js';
import { POSTGRES_OUTPUT_OPTIONS } from './migrations/output-options.js';

/** Arbitrary, fixed: the advisory lock every node takes while it migrates. */
export const MIGRATION_LOCK_KEY = 0x68_67_77_01; // "hgw" 1

const V1 = `
CREATE TABLE tasks (
  seq               BIGSERIAL PRIMARY KEY,
  id                TEXT NOT NULL UNIQUE,
  state             TEXT NOT NULL,
  slot_id           INTEGER,
  text              TEXT NOT NULL,
  normalized_text   TEXT,
  video_path        TEXT,
  video_name        TEXT,
  reference_audio   TEXT,
  audio_path        TEXT,
  audio_duration    DOUBLE PRECISION,
  output_path       TEXT,
  engine_progress   INTEGER NOT NULL DEFAULT 0,
  render_submitted  BOOLEAN NOT NULL DEFAULT FALSE,
  engine_data       JSONB,
  error_code        TEXT,
  error_message     TEXT,
  attempts          INTEGER NOT NULL DEFAULT 0,
  attempt           INTEGER NOT NULL DEFAULT 0,
  lease_token       TEXT,
  lease_holder      TEXT,
  lease_expires_at  BIGINT,
  available_at      BIGINT NOT NULL DEFAULT 0,
  owner             TEXT,
  created_at        BIGINT NOT NULL,
  updated_at        BIGINT NOT NULL,
  started_at        BIGINT,
  tts_started_at    BIGINT,
  tts_ended_at      BIGINT,
  render_started_at BIGINT,
  render_ended_at   BIGINT,
  finished_at       BIGINT
);
-- The queue: only queued rows, in order. Claims walk it with SKIP LOCKED; a queue position is
-- a count over it (an index-only scan: the partial index holds nothing but queued seqs).
CREATE INDEX tasks_queued ON tasks (seq) WHERE state = 'queued';
-- Retries waiting out a backoff (available_at > 0), for the scheduler's next wake-up. Partial
-- on purpose: a claim's "available_at <= now" cannot use it, so the planner never trades the
-- queue order for an available_at scan plus a sort of the whole queue (it did, with stale
-- statistics, on an index over every queued row's available_at).
CREATE INDEX tasks_delayed ON tasks (available_at) WHERE state = 'queued' AND available_at > 0;
CREATE INDEX tasks_state ON tasks (state);
CREATE INDEX tasks_created ON tasks (created_at);
CREATE INDEX tasks_finished ON tasks (finished_at);
CREATE INDEX tasks_owner ON tasks (owner, state) WHERE owner IS NOT NULL;
-- Every transition and progress patch is an UPDATE, so the table churns: vacuum and analyze it
-- sooner than the defaults (20% / 10% of the rows), which keeps the queue index free of dead
-- entries and the planner's picture of the queue current (docs/postgres.md, "Sizing").
ALTER TABLE tasks SET (autovacuum_vacuum_scale_factor = 0.05, autovacuum_analyze_scale_factor = 0.02);
-- Leases: the reaper looks for expired ones, a restarted node for its own.
CREATE INDEX tasks_lease ON tasks (lease_expires_at) WHERE lease_token IS NOT NULL;
CREATE INDEX tasks_holder ON tasks (lease_holder) WHERE lease_token IS NOT NULL;

CREATE TABLE task_events (
  id         BIGSERIAL PRIMARY KEY,
  task_id    TEXT NOT NULL,
  attempt    INTEGER NOT NULL DEFAULT 0,
  at         BIGINT NOT NULL,
  state      TEXT NOT NULL,
  slot_id    INTEGER,
  error_code TEXT,
  message    TEXT
);
CREATE INDEX task_events_task ON task_events (task_id, id);
CREATE INDEX task_events_at ON task_events (at);

CREATE TABLE slots (
  slot_id      INTEGER PRIMARY KEY,
  node_id      TEXT NOT NULL,
  heartbeat_at BIGINT NOT NULL,
  info         JSONB NOT NULL DEFAULT '{}'
);

CREATE TABLE api_keys (
  id           TEXT PRIMARY KEY,
  name         TEXT NOT NULL,
  scopes       TEXT NOT NULL,
  token_hash   TEXT NOT NULL,
  created_at   BIGINT NOT NULL,
  last_used_at BIGINT,
  revoked_at   BIGINT
);
`;

export const MIGRATIONS: readonly string[] = [V1, POSTGRES_LIBRARY, POSTGRES_BATCHES, POSTGRES_WEBHOOKS, POSTGRES_SEGMENTS, POSTGRES_FILES_BY_KEY, POSTGRES_LANGUAGE, POSTGRES_RETENTION, POSTGRES_TITLE, POSTGRES_OUTPUT_OPTIONS, POSTGRES_TEMPLATES, POSTGRES_OUTPUT_CHECKS];
export const SCHEMA_VERSION = MIGRATIONS.length;

export class SchemaTooNewError extends Error {
  constructor(
    readonly found: number,
    readonly supported: number,
  ) {
    super(
      `PostgreSQL schema version ${found} is newer than this gateway understands (${supported}): upgrade this gateway to the version the other nodes run, or restore a backup made before the newer one ran`,
    );
  }
}

/**
 * Bring the database to SCHEMA_VERSION, or refuse one written by a newer gateway. One
 * transaction: the advisory lock makes a second node wait, then find the work done.
 */
export async function migratePostgres(pool: pg.Pool, now = Date.now()): Promise<number> {
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    // A migration may rewrite a big table: the pool's statement timeout is for requests.
    await c.query('SET LOCAL statement_timeout = 0');
    await c.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await c.query('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)');
    const { rows } = await c.query<{ v: number | null }>('SELECT MAX(version) AS v FROM schema_version');
    const version = rows[0].v ?? 0;
    if (version > SCHEMA_VERSION) throw new SchemaTooNewError(version, SCHEMA_VERSION);
    for (let v = version; v < SCHEMA_VERSION; v++) {
      await c.query(MIGRATIONS[v]);
      await c.query('INSERT INTO schema_version (version, applied_at) VALUES ($1, $2)', [v + 1, now]);
    }
    await c.query('COMMIT');
    return SCHEMA_VERSION;
  } catch (err) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    c.release();
  }
}
