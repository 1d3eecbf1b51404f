/**
 * One way to run SQL for the small stores that keep rows next to the task store (templates,
 * usage): the statements are written once with `?` placeholders, and this port runs them on
 * SQLite (a connection to the gateway's file) or PostgreSQL (the task store's pool, `$n`
 * placeholders). Each store is then one class, and its conformance suite runs on both.
 */
import type Database from 'better-sqlite3';
import type pg from 'pg';
import { openPostgresSide, openSqliteSide } from './side-store.js';

export interface SideSql {
  all<R>(sql: string, params?: unknown[]): Promise<R[]>;
  /** Rows changed. */
  run(sql: string, params?: unknown[]): Promise<number>;
  close(): Promise<void>;
}

/** `?` → `$1, $2, …` */
export function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

export function sqliteSql(db: Database.Database, owns = true): SideSql {
  return {
    async all<R>(sql: string, params: unknown[] = []) {
      return db.prepare(sql).all(...params) as R[];
    },
    async run(sql, params = []) {
      return db.prepare(sql).run(...params).changes;
    },
    async close() {
      if (owns && db.open) db.close();
    },
  };
}

/** `end`: the pool was opened for this store (the CLI), so closing the store ends it. */
export function postgresSql(pool: pg.Pool, end = false): SideSql {
  return {
    async all<R>(sql: string, params: unknown[] = []) {
      return (await pool.query(numbered(sql), params)).rows as R[];
    },
    async run(sql, params = []) {
      return (await pool.query(numbered(sql), params)).rowCount ?? 0;
    },
    async close() {
      if (end) await pool.end();
    },
  };
}

/**
 * The SideSql of a deployment: the task store's PostgreSQL pool when there is one, a pool of
 * its own from `store.url` (the CLI), else a connection to the SQLite file; `ddl` (idempotent)
 * is applied to the SQLite file and to a pool opened here.
 */
export async function openSideSql(o: { sqlitePath: string; pgPool?: pg.Pool; pgUrl?: string; ddl: { sqlite: string; postgres: string }; lockKey: number }): Promise<SideSql> {
  if (o.pgPool) return postgresSql(o.pgPool);
  if (o.pgUrl) {
    const { pool, owns } = await openPostgresSide({ url: o.pgUrl }, o.lockKey, o.ddl.postgres);
    return postgresSql(pool, owns);
  }
  return sqliteSql(openSqliteSide(o.sqlitePath, o.ddl.sqlite));
}
