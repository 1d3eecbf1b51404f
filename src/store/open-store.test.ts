import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/postgres.js';
import { openTaskStore } from './open-store.js';
import { PostgresTaskStore } from './postgres.adapter.js';
import { SqliteTaskStore } from './sqlite.adapter.js';

let db: TestDatabase | undefined;
afterAll(async () => db?.drop(), 60_000);

describe('openTaskStore', () => {
  it('opens SQLite in the data dir, PostgreSQL by URL, and refuses what it cannot open', async () => {
    const sqlitePath = join(mkdtempSync(join(tmpdir(), 'hg-open-')), 'gateway.db');
    const local = await openTaskStore({ driver: 'sqlite' }, { sqlitePath });
    expect(local).toBeInstanceOf(SqliteTaskStore);
    expect(local.shared).toBe(false);
    await local.close();
    await expect(openTaskStore({ driver: 'postgres' }, { sqlitePath })).rejects.toThrow(/store.url is required/);
    await expect(openTaskStore({ driver: 'redis' }, { sqlitePath })).rejects.toThrow(/unknown store.driver "redis"/);
    db = await createTestDatabase();
    const shared = await openTaskStore({ driver: 'postgres', url: await db.freshSchemaUrl(), poolSize: 2 }, { sqlitePath, nodeId: 'node-x' });
    expect(shared).toBeInstanceOf(PostgresTaskStore);
    expect(shared.shared).toBe(true);
    expect((shared as PostgresTaskStore).nodeId).toBe('node-x');
    await shared.close();
  }, 60_000);
});
