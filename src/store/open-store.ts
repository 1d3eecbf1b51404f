/**
 * Opens the configured TaskStore: the embedded SQLite file in the data dir, or a PostgreSQL
 * database shared by several gateway nodes (docs/postgres.md).
 */
import type { GatewayConfig } from '../config/load.js';
import type { DataPaths } from '../runner/data-paths.js';
import { SqliteTaskStore } from './sqlite.adapter.js';
import type { TaskStore } from './task-store.js';

export async function openTaskStore(config: GatewayConfig, paths: DataPaths, nodeId: string): Promise<TaskStore> {
  if (config.store.driver === 'sqlite') return new SqliteTaskStore(paths.database);
  if (!config.store.url) throw new Error('store.url: required when store.driver is "postgres" (e.g. postgres://gateway@127.0.0.1:5432/heygem)');
  const { PostgresTaskStore } = await import('./postgres.adapter.js');
  return PostgresTaskStore.connect({ url: config.store.url, nodeId, poolSize: config.store.poolSize });
}
