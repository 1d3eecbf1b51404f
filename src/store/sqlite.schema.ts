/**
 * SQLite schema for the embedded store, versioned with PRAGMA user_version. MIGRATIONS[i]
 * takes a database from version i to i + 1; they run in one transaction at start, and a
 * database written by a newer gateway (user_version above the last migration) is refused.
 */
import { SQLITE_LIBRARY } from './migrations/library.js';
import { SQLITE_TEMPLATES } from './migrations/templates.js';
import { SQLITE_BATCHES } from './migrations/batches.js';
import { SQLITE_WEBHOOKS } from './migrations/webhooks.js';
import { SQLITE_SEGMENTS } from './migrations/segments.js';
import { SQLITE_FILES_BY_KEY } from './migrations/files-by-key.js';
import { SQLITE_LANGUAGE } from './migrations/language.js';
import { SQLITE_RETENTION } from './migrations/retention.js';
import { SQLITE_TITLE } from './migrations/title.js';
import { SQLITE_OUTPUT_OPTIONS } from './migrations/output-options.js';
import { SQLITE_OUTPUT_CHECKS } from './migrations/output-checks.js';

const V1 = `
CREATE TABLE IF NOT EXISTS tasks (
  seq               INTEGER PRIMARY KEY AUTOINCREMENT,
  id                TEXT NOT NULL UNIQUE,
  state             TEXT NOT NULL,
  slot_id           INTEGER,
  text              TEXT NOT NULL,
  normalized_text   TEXT,
  video_path        TEXT,
  video_name        TEXT,
  reference_audio   TEXT,
  audio_path        TEXT,
  audio_duration    REAL,
  output_path       TEXT,
  engine_progress   INTEGER NOT NULL DEFAULT 0,
  render_submitted  INTEGER NOT NULL DEFAULT 0,
  engine_data       TEXT,
  error_code        TEXT,
  error_message     TEXT,
  attempts          INTEGER NOT NULL DEFAULT 0,
  available_at      INTEGER NOT NULL DEFAULT 0,
  owner             TEXT,
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL,
  started_at        INTEGER,
  tts_started_at    INTEGER,
  tts_ended_at      INTEGER,
  render_started_at INTEGER,
  render_ended_at   INTEGER,
  finished_at       INTEGER
);
-- the queue: only queued rows, in order (partial index keeps it small)
CREATE INDEX IF NOT EXISTS tasks_queued ON tasks (seq) WHERE state = 'queued';
CREATE INDEX IF NOT EXISTS tasks_state ON tasks (state);
CREATE INDEX IF NOT EXISTS tasks_created ON tasks (created_at);
CREATE TABLE IF NOT EXISTS task_events (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  task_id    TEXT NOT NULL,
  at         INTEGER NOT NULL,
  state      TEXT NOT NULL,
  slot_id    INTEGER,
  error_code TEXT,
  message    TEXT
);
CREATE INDEX IF NOT EXISTS task_events_task ON task_events (task_id, id);
CREATE INDEX IF NOT EXISTS task_events_at ON task_events (at);
`;

/** v2: attempts with leases (docs/lifecycle.md) and the registry of slots across nodes. */
const V2 = `
ALTER TABLE tasks ADD COLUMN attempt INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tasks ADD COLUMN lease_token TEXT;
ALTER TABLE tasks ADD COLUMN lease_holder TEXT;
ALTER TABLE tasks ADD COLUMN lease_expires_at INTEGER;
CREATE INDEX IF NOT EXISTS tasks_lease ON tasks (lease_expires_at) WHERE lease_token IS NOT NULL;
CREATE INDEX IF NOT EXISTS tasks_finished ON tasks (finished_at);
ALTER TABLE task_events ADD COLUMN attempt INTEGER NOT NULL DEFAULT 0;
CREATE TABLE IF NOT EXISTS slots (
  slot_id      INTEGER PRIMARY KEY,
  node_id      TEXT NOT NULL,
  heartbeat_at INTEGER NOT NULL,
  info         TEXT NOT NULL DEFAULT '{}'
);
`;

export const MIGRATIONS: readonly string[] = [V1, V2, SQLITE_LIBRARY, SQLITE_BATCHES, SQLITE_WEBHOOKS, SQLITE_SEGMENTS, SQLITE_FILES_BY_KEY, SQLITE_LANGUAGE, SQLITE_RETENTION, SQLITE_TITLE, SQLITE_OUTPUT_OPTIONS, SQLITE_TEMPLATES, SQLITE_OUTPUT_CHECKS];
export const SCHEMA_VERSION = MIGRATIONS.length;

/** Task field → column, for patches. */
export const PATCH_COLUMNS: Record<string, string> = {
  slotId: 'slot_id',
  normalizedText: 'normalized_text',
  referenceAudio: 'reference_audio',
  audioPath: 'audio_path',
  audioDurationSec: 'audio_duration',
  outputPath: 'output_path',
  engineProgress: 'engine_progress',
  renderSubmitted: 'render_submitted',
  engineData: 'engine_data',
  errorCode: 'error_code',
  errorMessage: 'error_message',
  attempts: 'attempts',
  startedAt: 'started_at',
  ttsStartedAt: 'tts_started_at',
  ttsEndedAt: 'tts_ended_at',
  renderStartedAt: 'render_started_at',
  renderEndedAt: 'render_ended_at',
  finishedAt: 'finished_at',
  availableAt: 'available_at',
  checks: 'checks',
  avoidSlots: 'avoid_slots',
};
