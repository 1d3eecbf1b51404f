import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/helpers/postgres.js';
import { openApiKeys, hasScope, parseScopes, SqliteApiKeys, type ApiKeyRepository } from './api-keys.js';
import { PostgresApiKeys } from './api-keys.postgres.js';
import { authEnabled, authStartupProblem, isLoopbackHost } from './auth-mode.js';

const dbPath = () => join(mkdtempSync(join(tmpdir(), 'hg-keys-')), 'gateway.db');

interface Backend {
  open(): Promise<ApiKeyRepository>;
  /** Every stored column of every key, as the database holds them. */
  raw(): Promise<unknown[]>;
}

function describeApiKeys(name: string, makeBackend: () => Promise<Backend>): void {
  describe(`ApiKeyRepository: ${name}`, () => {
    it('creates, verifies, lists and revokes; stores only a hash', async () => {
      const b = await makeBackend();
      const ks = await b.open();
      const { key, token } = await ks.create('ci bot', ['submit', 'read'], 1000);
      expect(token).toMatch(/^hgw_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
      expect(await ks.verify(token, 2000)).toMatchObject({ id: key.id, name: 'ci bot', scopes: ['submit', 'read'] });
      expect(await ks.verify(token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A'))).toBeNull();
      expect(await ks.verify(`hgw_000000000000_${'a'.repeat(43)}`)).toBeNull();
      expect(await ks.verify('Bearer nonsense')).toBeNull();
      expect(await ks.list()).toHaveLength(1);
      expect((await ks.list())[0].lastUsedAt).toBe(2000);
      // the secret part is base64url, which may itself hold '_': take everything after the id
      expect(JSON.stringify(await b.raw())).not.toContain(token.split('_').slice(2).join('_'));
      expect(await ks.activeCount()).toBe(1);
      expect(await ks.revoke(key.id)).toBe(true);
      expect(await ks.revoke(key.id)).toBe(false);
      expect(await ks.verify(token)).toBeNull();
      expect(await ks.activeCount()).toBe(0);
      await expect(ks.create('bad/name', ['read'])).rejects.toThrow(/key name/);
      await ks.close();
    });

    it('writes last-used at most once a minute, and a second connection sees keys and revokes at once', async () => {
      const b = await makeBackend();
      const [one, two] = [await b.open(), await b.open()];
      const { key, token } = await one.create('web', ['read'], 0);
      expect((await two.verify(token, 1000))?.id).toBe(key.id);
      expect(await two.verify(token, 30_000)).toMatchObject({ lastUsedAt: 1000 });
      expect((await one.list())[0].lastUsedAt).toBe(1000);
      await two.verify(token, 62_000);
      expect((await one.list())[0].lastUsedAt).toBe(62_000);
      await one.revoke(key.id, 70_000);
      expect(await two.verify(token, 70_001)).toBeNull();
      await one.close();
      await two.close();
    });
  });
}

describeApiKeys('sqlite', async () => {
  const path = dbPath();
  return {
    open: async () => new SqliteApiKeys(path),
    raw: async () => new Database(path).prepare('SELECT * FROM api_keys').all(),
  };
});

let pgdb: TestDatabase | undefined;
afterAll(async () => pgdb?.drop(), 60_000);

describeApiKeys('postgres', async () => {
  pgdb ??= await createTestDatabase();
  const url = await pgdb.freshSchemaUrl();
  const schema = new URL(url).searchParams.get('options')!.split('=')[1];
  return {
    open: () => PostgresApiKeys.open(url),
    raw: () => pgdb!.query(`SELECT * FROM ${schema}.api_keys`),
  };
});

describe('openApiKeys', () => {
  it('picks gateway.db in the data dir, or the shared database for the postgres driver', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hg-keys-'));
    const local = await openApiKeys({ dataDir, store: { driver: 'sqlite' } });
    expect(local).toBeInstanceOf(SqliteApiKeys);
    await local.create('x', ['read']);
    await local.close();
    expect(new Database(join(dataDir, 'gateway.db')).prepare('SELECT count(*) AS n FROM api_keys').get()).toEqual({ n: 1 });
    await expect(openApiKeys({ dataDir, store: { driver: 'postgres' } })).rejects.toThrow(/store.url is required/);
    pgdb ??= await createTestDatabase();
    const shared = await openApiKeys({ dataDir, store: { driver: 'postgres', url: await pgdb.freshSchemaUrl() } });
    expect(shared).toBeInstanceOf(PostgresApiKeys);
    expect(await shared.activeCount()).toBe(0);
    await shared.close();
  }, 60_000);

  it('parses scopes strictly; admin implies all', () => {
    expect(parseScopes('submit, read')).toEqual(['submit', 'read']);
    expect(() => parseScopes('root')).toThrow(/unknown scope/);
    expect(() => parseScopes('')).toThrow(/at least one/);
    expect(hasScope({ scopes: ['admin'] }, 'submit')).toBe(true);
    expect(hasScope({ scopes: ['read'] }, 'submit')).toBe(false);
  });
});

describe('auth mode', () => {
  it('auto is on exactly when listening beyond loopback', () => {
    for (const h of ['127.0.0.1', 'localhost', '::1', '[::1]', '127.0.0.2']) expect(isLoopbackHost(h)).toBe(true);
    for (const h of ['0.0.0.0', '::', '192.168.1.4', 'example.com']) expect(isLoopbackHost(h)).toBe(false);
    expect(authEnabled({ server: { host: '127.0.0.1' }, auth: { enabled: 'auto' } })).toBe(false);
    expect(authEnabled({ server: { host: '0.0.0.0' }, auth: { enabled: 'auto' } })).toBe(true);
    expect(authEnabled({ server: { host: '0.0.0.0' }, auth: { enabled: false } })).toBe(false);
    expect(authStartupProblem({ server: { host: '0.0.0.0' }, auth: { enabled: 'auto' } }, 0)).toMatch(/keys create/);
    expect(authStartupProblem({ server: { host: '0.0.0.0' }, auth: { enabled: 'auto' } }, 1)).toBeNull();
  });
});
