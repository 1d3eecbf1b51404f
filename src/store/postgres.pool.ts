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
}

export function createPgPool(o: PgPoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: o.url,
    max: o.max ?? 10,
    application_name: o.applicationName,
    types,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle connection that dies (server restart, pg_terminate_backend) is reported here; the
  // pool drops it and opens a new one on demand. Unhandled, it would crash the process.
  pool.on('error', (err) => o.log?.warn({ err: err.message }, 'postgres: idle connection lost'));
  return pool;
}

/** Client config (for dedicated connections such as LISTEN) with the same type parsing. */
export function pgClientConfig(url: string, applicationName?: string): pg.ClientConfig {
  return { connectionString: url, application_name: applicationName, types, connectionTimeoutMillis: 10_000 };
}
