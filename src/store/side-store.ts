/**
 * For stores that keep their own tables next to the task store's (publications, webhooks):
 * a SQLite connection set up like the task store's (WAL, so connections share the file), and a
 * PostgreSQL pool — borrowed from the task store, or opened from a URL — with the tables created
 * in one transaction under an advisory lock, so nodes starting together do not race on the DDL.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type pg from 'pg';
import type { Logger } from '../logger.js';
import { createPgPool } from './postgres.pool.js';

export function openSqliteSide(path: string, ddl: string): Database.Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.exec(ddl);
  return db;
}

export type PostgresSideOptions = { pool: pg.Pool } | { url: string; log?: Logger; applicationName?: string };

/** The pool and whether it was opened here (then its owner ends it on close). */
export async function openPostgresSide(o: PostgresSideOptions, lockKey: number, ddl: string): Promise<{ pool: pg.Pool; owns: boolean }> {
  const owns = !('pool' in o);
  const pool = 'pool' in o ? o.pool : createPgPool({ url: o.url, max: 4, applicationName: o.applicationName?.slice(0, 63), log: o.log });
  const c = await pool.connect().catch(async (err: unknown) => {
    if (owns) await pool.end().catch(() => undefined);
    throw err;
  });
  try {
    await c.query('BEGIN');
    await c.query('SELECT pg_advisory_xact_lock($1)', [lockKey]);
    await c.query(ddl);
    await c.query('COMMIT');
  } catch (err) {
    await c.query('ROLLBACK').catch(() => undefined);
    c.release();
    if (owns) await pool.end().catch(() => undefined);
    throw err;
  }
  c.release();
  return { pool, owns };
}
