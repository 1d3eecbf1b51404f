/** The LibraryStore conformance suite on SQLite and on PostgreSQL (a fresh schema per test, migrated by the task store). */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/postgres.js';
import { PostgresTaskStore } from '../store/postgres.adapter.js';
import { SqliteTaskStore } from '../store/sqlite.adapter.js';
import { libraryStoreConformance } from '../../test/conformance/library-store.conformance.js';
import type { LibraryStore } from './library-store.js';
import { PostgresLibraryStore } from './library-store.postgres.js';
import { SqliteLibraryStore } from './library-store.sqlite.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
}, 60_000);
afterAll(async () => db?.drop());

describe('LibraryStore (sqlite, migrated by the task store)', () => {
  libraryStoreConformance(async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'hg-lib-')), 'gateway.db');
    const tasks = new SqliteTaskStore(path);
    const lib = new SqliteLibraryStore(path);
    return withClose(lib, () => tasks.close());
  });
});

describe('LibraryStore (postgres)', () => {
  libraryStoreConformance(async () => {
    const tasks = await PostgresTaskStore.connect({ url: await db.freshSchemaUrl(), listen: false });
    return withClose(new PostgresLibraryStore(tasks.pool), () => tasks.close());
  });
});

function withClose(s: LibraryStore, after: () => Promise<void>): LibraryStore {
  const close = s.close.bind(s);
  s.close = async () => {
    await close();
    await after();
  };
  return s;
}
