/**
 * A pg connection pool configured the way the gateway's tables need it: BIGINT (int8) columns
 * hold millisecond times and sequence numbers well below 2^53, so they come back as numbers
 * (pg returns int8 as strings by default). The parser is set on this pool only, not on pg's
 * global type registry, so other pg users in the process keep their defaults.
 */
import pg from 'pg';
import type { Logger } from '../logger.js';

const INT8_OID = 20;

const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format);
  },
} as unknown as pg.CustomTypesConfig;

export interface PgPoolOptions {
  url: string;
  max?: number;
  /** Shown in pg_stat_activity, so an operator can tell which node holds which connection. */
  applicationName?: string;
  log?: Logger;
  /** Give up on a connection (new, or a free one of the pool) after this long. @defaultValue 2000 */
  connectTimeoutMs?: number;
  /** The server cancels a statement running longer than this (0 = never). @defaultValue 15000 */
  statementTimeoutMs?: number;
}

/**
 * Bounds that keep a request from hanging on a database that is away (docs/operations.md, "When
 * the database goes away"): a refused or unanswered connection fails within `connectTimeoutMs`
 * (and the request answers 503), a statement stuck behind a lock within `statementTimeoutMs`, and
 * TCP keep-alive notices a server that vanished without closing the socket.
 */
export const PG_CONNECT_TIMEOUT_MS = 2000;
export const PG_STATEMENT_TIMEOUT_MS = 15_000;

export function createPgPool(o: PgPoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: o.url,
    max: o.max ?? 10,
    application_name: o.applicationName,
    types,
    connectionTimeoutMillis: o.connectTimeoutMs ?? PG_CONNECT_TIMEOUT_MS,
    statement_timeout: o.statementTimeoutMs ?? PG_STATEMENT_TIMEOUT_MS,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle connection that dies (server restart, pg_terminate_backend) is reported here; the
  // pool drops it and opens a new one on demand. Unhandled, it would crash the process.
  pool.on('error', (err) => o.log?.warn({ err: err.message }, 'postgres: idle connection lost'));
  return pool;
}

/** Client config (for dedicated connections such as LISTEN) with the same type parsing. */
export function pgClientConfig(url: string, applicationName?: string): pg.ClientConfig {
  return { connectionString: url, application_name: applicationName, types, connectionTimeoutMillis: PG_CONNECT_TIMEOUT_MS, keepAlive: true, keepAliveInitialDelayMillis: 10_000 };
}

/** `work` on one pooled connection inside BEGIN … COMMIT; ROLLBACK (and the error again) if it throws. */
export async function inTransaction<T>(pool: pg.Pool, work: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    const out = await work(c);
    await c.query('COMMIT');
    return out;
  } catch (err) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    c.release();
  }
}
