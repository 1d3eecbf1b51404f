/**
 * The TaskStore for a deployment, by `store.driver`: the embedded SQLite file in the data dir
 * (one process), or the shared PostgreSQL database (several nodes; docs/postgres.md). The
 * PostgreSQL adapter is loaded only when used.
 */
import type { Logger } from '../logger.js';
import { SqliteTaskStore } from './sqlite.adapter.js';
import type { TaskStore } from './task-store.js';

export interface StoreConfig {
  driver: string;
  /** postgres://… (driver postgres). */
  url?: string;
  /** Connections in this node's pool (driver postgres). @defaultValue 10 */
  poolSize?: number;
  /** Connection and statement bounds (driver postgres; src/store/postgres.pool.ts). */
  connectTimeoutMs?: number;
  statementTimeoutMs?: number;
}

export async function openTaskStore(store: StoreConfig, o: { sqlitePath: string; nodeId?: string; log?: Logger }): Promise<TaskStore> {
  if (store.driver === 'postgres') {
    if (!store.url) throw new Error('store.url is required with store.driver: postgres');
    const { PostgresTaskStore } = await import('./postgres.adapter.js');
    return PostgresTaskStore.connect({ url: store.url, nodeId: o.nodeId, poolSize: store.poolSize, connectTimeoutMs: store.connectTimeoutMs, statementTimeoutMs: store.statementTimeoutMs, log: o.log });
  }
  if (store.driver !== 'sqlite') throw new Error(`unknown store.driver "${store.driver}" (expected sqlite or postgres)`);
  return new SqliteTaskStore(o.sqlitePath, o.log);
}
