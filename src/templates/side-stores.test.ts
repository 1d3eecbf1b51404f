/** The template and usage stores' conformance suite on SQLite and on PostgreSQL (tables from the task stores' migrations). */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/postgres.js';
import { sideStoresConformance } from '../../test/conformance/template-store.conformance.js';
import { PostgresTaskStore } from '../store/postgres.adapter.js';
import { postgresSql, sqliteSql, type SideSql } from '../store/side-sql.js';
import { SqliteTaskStore } from '../store/sqlite.adapter.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
}, 60_000);
afterAll(async () => db?.drop());

describe('template and usage stores (sqlite, migrated by the task store)', () => {
  sideStoresConformance(async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'hg-tpl-')), 'gateway.db');
    const tasks = new SqliteTaskStore(path);
    return withClose(sqliteSql(new Database(path)), () => tasks.close());
  });
});

describe('template and usage stores (postgres)', () => {
  sideStoresConformance(async () => {
    const tasks = await PostgresTaskStore.connect({ url: await db.freshSchemaUrl(), listen: false });
    return withClose(postgresSql(tasks.pool), () => tasks.close());
  });
});

function withClose(s: SideSql, after: () => Promise<void>): SideSql {
  return { ...s, close: async () => { await s.close(); await after(); } };
}
