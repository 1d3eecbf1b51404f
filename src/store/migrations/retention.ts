/**
 * Record retention (docs/operations.md, "Retention"): the tables it prunes exist in the task
 * store's database (publications were created only by the publication store until now), and
 * the finished tasks it looks for are found by an index seek on the age it compares — the
 * partial index holds final tasks only, so the queue's rows never weigh on it. The expression
 * is the one record-prune.ts queries with, so both databases use the index.
 */
import { FINAL_SQL } from '../record-prune.js';
import { PUBLICATION_SCHEMA_SQL } from './publications.js';

const PURGEABLE_INDEX = `
CREATE INDEX IF NOT EXISTS tasks_purgeable ON tasks (COALESCE(finished_at, updated_at)) WHERE state IN ${FINAL_SQL};
CREATE INDEX IF NOT EXISTS webhook_deliveries_taskless ON webhook_deliveries (created_at) WHERE task_id IS NULL;
`;

export const SQLITE_RETENTION = PUBLICATION_SCHEMA_SQL + PURGEABLE_INDEX;
export const POSTGRES_RETENTION = PUBLICATION_SCHEMA_SQL + PURGEABLE_INDEX;
