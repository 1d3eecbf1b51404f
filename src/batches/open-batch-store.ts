/** The BatchStore adapter that shares the task store's database. */
import { PostgresTaskStore } from '../store/postgres.adapter.js';
import { SqliteTaskStore } from '../store/sqlite.adapter.js';
import type { TaskStore } from '../store/task-store.js';
import type { BatchStore } from './batch-store.js';
import { PostgresBatchStore } from './batch-store.postgres.js';
import { SqliteBatchStore } from './batch-store.sqlite.js';

export function openBatchStore(store: TaskStore): BatchStore {
  if (store instanceof SqliteTaskStore) return new SqliteBatchStore(store.database);
  if (store instanceof PostgresTaskStore) return new PostgresBatchStore(store.pool);
  throw new Error('batches need the SQLite or PostgreSQL task store');
}
