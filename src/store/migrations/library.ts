/**
 * Avatar and voice library (docs/avatars.md): one table for both kinds (their specifics are a
 * JSON document; the content hash is a column because container copies are named by it), and
 * which library items each task uses (tasks stay untouched, so other features' migrations of
 * `tasks` never conflict with this one). File references are keys relative to the data dir.
 * `IF NOT EXISTS` everywhere: the SQLite library store also applies it to a file whose task
 * store is not SQLite (tests with another store).
 */
export const SQLITE_LIBRARY = `
CREATE TABLE IF NOT EXISTS library_items (
  id           TEXT PRIMARY KEY,
  kind         TEXT NOT NULL,
  owner        TEXT,
  shared       INTEGER NOT NULL DEFAULT 0,
  name         TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  data         TEXT NOT NULL DEFAULT '{}',
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS library_items_kind ON library_items (kind, created_at);
CREATE TABLE IF NOT EXISTS library_task_inputs (
  task_id    TEXT PRIMARY KEY,
  avatar_id  TEXT,
  voice_id   TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS library_task_inputs_avatar ON library_task_inputs (avatar_id) WHERE avatar_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS library_task_inputs_voice ON library_task_inputs (voice_id) WHERE voice_id IS NOT NULL;
`;

export const POSTGRES_LIBRARY = `
CREATE TABLE IF NOT EXISTS library_items (
  id           TEXT PRIMARY KEY,
  kind         TEXT NOT NULL,
  owner        TEXT,
  shared       INTEGER NOT NULL DEFAULT 0,
  name         TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  data         TEXT NOT NULL DEFAULT '{}',
  created_at   BIGINT NOT NULL,
  updated_at   BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS library_items_kind ON library_items (kind, created_at);
CREATE TABLE IF NOT EXISTS library_task_inputs (
  task_id    TEXT PRIMARY KEY,
  avatar_id  TEXT,
  voice_id   TEXT,
  created_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS library_task_inputs_avatar ON library_task_inputs (avatar_id) WHERE avatar_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS library_task_inputs_voice ON library_task_inputs (voice_id) WHERE voice_id IS NOT NULL;
`;
