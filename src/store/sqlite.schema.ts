/** SQLite schema for the embedded store. Versioned with PRAGMA user_version. */
export const SCHEMA_VERSION = 1;

export const SCHEMA_SQL = `
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
};
