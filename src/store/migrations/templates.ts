/**
 * Templates and usage (docs/templates.md): every version of a template is a row (a task names
 * the version it used), which template each task came from (a side row, pruned with its task
 * like the library links), one usage row per finished attempt or backup render (kept when the
 * task is pruned: what a key used this month must not shrink with retention), and budgets per
 * key. `IF NOT EXISTS` everywhere: the stores also apply it to a file whose task store is not
 * SQLite (tests, the `keys budget` command).
 */
const ddl = (int: string, real: string) => `
CREATE TABLE IF NOT EXISTS templates (
  id         TEXT NOT NULL,
  version    INTEGER NOT NULL,
  owner      TEXT,
  shared     INTEGER NOT NULL DEFAULT 0,
  name       TEXT NOT NULL,
  script     TEXT NOT NULL,
  fields     TEXT NOT NULL DEFAULT '{}',
  created_at ${int} NOT NULL,
  PRIMARY KEY (id, version)
);
CREATE TABLE IF NOT EXISTS template_task_uses (
  task_id          TEXT PRIMARY KEY,
  template_id      TEXT NOT NULL,
  template_version INTEGER NOT NULL,
  created_at       ${int} NOT NULL
);
CREATE INDEX IF NOT EXISTS template_task_uses_template ON template_task_uses (template_id);
CREATE TABLE IF NOT EXISTS usage_records (
  task_id    TEXT NOT NULL,
  part       TEXT NOT NULL,
  owner      TEXT,
  at         ${int} NOT NULL,
  video_sec  ${real} NOT NULL DEFAULT 0,
  tts_sec    ${real} NOT NULL DEFAULT 0,
  render_sec ${real} NOT NULL DEFAULT 0,
  PRIMARY KEY (task_id, part)
);
CREATE INDEX IF NOT EXISTS usage_records_at ON usage_records (at);
CREATE TABLE IF NOT EXISTS usage_budgets (
  key_id        TEXT PRIMARY KEY,
  max_video_sec ${real},
  max_gpu_sec   ${real},
  updated_at    ${int} NOT NULL
);
`;

export const SQLITE_TEMPLATES = ddl('INTEGER', 'REAL');
export const POSTGRES_TEMPLATES = ddl('BIGINT', 'DOUBLE PRECISION');

/** Serializes this DDL across nodes that open a pool of their own (the `keys budget` command). */
export const TEMPLATES_MIGRATION_LOCK_KEY = 0x7e3b1a27;
