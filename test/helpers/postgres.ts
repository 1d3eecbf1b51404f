/**
 * Throw-away PostgreSQL databases for tests, on the local server (127.0.0.1:5432, trust auth,
 * user postgres; override with HG_TEST_PG_URL). `createTestDatabase()` makes `hg_test_<random>`
 * through the `test` database and `drop()` removes it WITH (FORCE), so a test that left
 * connections open still cleans up. Creating a database costs ~0.2–1 s here (more when the
 * server is busy), so a test file makes one database and gives each store a fresh schema in it
 * (`freshSchemaUrl()`: a connection URL whose search_path is a new, empty schema).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const PG_ADMIN_URL = process.env.HG_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  name: string;
  url: string;
  /** A new empty schema in this database; the URL makes it the search_path. */
  freshSchemaUrl(): Promise<string>;
  /** Run one statement in this database (set-up and inspection in tests). */
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, values?: unknown[]): Promise<R[]>;
  drop(): Promise<void>;
}

const rnd = () => randomBytes(6).toString('hex');

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export function withSearchPath(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}

async function adminQuery(sql: string, url = PG_ADMIN_URL): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  c.on('error', () => undefined);
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `hg_test_${rnd()}`;
  // name is [a-z0-9_] only (built above), so it can be spliced into the DDL.
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = withDatabase(PG_ADMIN_URL, name);
  let dropped = false;
  const query = async <R extends pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<R[]> => {
    const c = new pg.Client({ connectionString: url });
    c.on('error', () => undefined);
    await c.connect();
    try {
      return (await c.query<R>(sql, values)).rows;
    } finally {
      await c.end();
    }
  };
  return {
    name,
    url,
    query,
    async freshSchemaUrl() {
      const schema = `s_${rnd()}`;
      await query(`CREATE SCHEMA ${schema}`);
      return withSearchPath(url, schema);
    },
    async drop() {
      if (dropped) return;
      dropped = true;
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/** Re-exported so store tests wait without loading the whole gateway (test/helpers/wait.ts). */
export { waitFor } from './wait.js';
