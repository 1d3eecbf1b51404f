/**
 * Long scripts (docs/segments.md): a task split into segments is a *parent* row
 * (`segment_count` = number of segments, never claimed by a slot) with one *child* row per
 * segment (`parent_id`, `segment_index`), each leased and run like any task. `captions` holds
 * the caption option of the request (`burn` or null).
 */
export const SQLITE_SEGMENTS = `
ALTER TABLE tasks ADD COLUMN parent_id TEXT;
ALTER TABLE tasks ADD COLUMN segment_index INTEGER;
ALTER TABLE tasks ADD COLUMN segment_count INTEGER;
ALTER TABLE tasks ADD COLUMN captions TEXT;
CREATE INDEX IF NOT EXISTS tasks_parent ON tasks (parent_id, segment_index) WHERE parent_id IS NOT NULL;
`;

export const POSTGRES_SEGMENTS = `
ALTER TABLE tasks ADD COLUMN parent_id TEXT;
ALTER TABLE tasks ADD COLUMN segment_index INTEGER;
ALTER TABLE tasks ADD COLUMN segment_count INTEGER;
ALTER TABLE tasks ADD COLUMN captions TEXT;
CREATE INDEX tasks_parent ON tasks (parent_id, segment_index) WHERE parent_id IS NOT NULL;
`;
