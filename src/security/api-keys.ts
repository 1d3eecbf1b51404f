/**
 * API keys: bearer tokens with scopes, stored hashed next to the tasks — in the gateway's
 * SQLite file (own table, own connection) or, with `store.driver: postgres`, in the shared
 * PostgreSQL database (api-keys.postgres.ts), so every node accepts the same keys and a revoke
 * on one node holds on all of them at once. A token is `hgw_<id>_<secret>`: the id finds the
 * row, the sha256 of the whole token is compared in constant time. The secret has 256 random
 * bits, so a plain (unsalted) sha256 is enough — nothing to brute-force — and the database
 * never holds a usable token. The token is shown once, at creation.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { LastUsedThrottle, mintKey, tokenKeyId, tokenMatches, toKey, type ApiKey, type ApiKeyRepository, type ApiKeyRow, type Scope } from './api-key.js';

// The key model lives in api-key.ts (shared with the PostgreSQL backend); these are the names
// callers of the key store use.
export { SCOPES, hasScope, parseScopes, type ApiKey, type ApiKeyRepository, type Scope } from './api-key.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS api_keys (
  id           TEXT PRIMARY KEY,
  name         TEXT NOT NULL,
  scopes       TEXT NOT NULL,
  token_hash   TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  last_used_at INTEGER,
  revoked_at   INTEGER
);`;

/** Keys in the gateway's SQLite file (one process per data dir, like the SQLite task store). */
export class SqliteApiKeys implements ApiKeyRepository {
  private readonly db: Database.Database;
  private readonly throttle = new LastUsedThrottle();

  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
  }

  async create(name: string, scopes: Scope[], now = Date.now()): Promise<{ key: ApiKey; token: string }> {
    const k = mintKey(name);
    this.db.prepare('INSERT INTO api_keys (id, name, scopes, token_hash, created_at) VALUES (?, ?, ?, ?, ?)').run(k.id, k.name, scopes.join(','), k.tokenHash, now);
    return { key: { id: k.id, name: k.name, scopes, createdAt: now, lastUsedAt: null, revokedAt: null }, token: k.token };
  }

  async list(): Promise<ApiKey[]> {
    return (this.db.prepare('SELECT * FROM api_keys ORDER BY created_at, id').all() as ApiKeyRow[]).map(toKey);
  }

  async activeCount(): Promise<number> {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM api_keys WHERE revoked_at IS NULL').get() as { n: number }).n;
  }

  async revoke(id: string, now = Date.now()): Promise<boolean> {
    return this.db.prepare('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(now, id).changes === 1;
  }

  async verify(token: string, now = Date.now()): Promise<ApiKey | null> {
    const id = tokenKeyId(token);
    if (!id) return null;
    const row = this.db.prepare('SELECT * FROM api_keys WHERE id = ?').get(id) as ApiKeyRow | undefined;
    if (!tokenMatches(token, row)) return null;
    if (this.throttle.due(row!.id, now)) {
      this.db.prepare('UPDATE api_keys SET last_used_at = ? WHERE id = ?').run(now, row!.id);
      row!.last_used_at = now;
    }
    return toKey(row!);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

/** What openApiKeys needs of the gateway config (GatewayConfig fits). */
export interface ApiKeysConfig {
  dataDir: string;
  store: { driver: string; url?: string };
}

/**
 * The key repository for this deployment: the shared PostgreSQL database when the task store
 * is there (every node must see the same keys), else gateway.db in the data dir.
 */
export async function openApiKeys(config: ApiKeysConfig): Promise<ApiKeyRepository> {
  if (config.store.driver === 'postgres') {
    if (!config.store.url) throw new Error('store.url is required with store.driver: postgres');
    const { PostgresApiKeys } = await import('./api-keys.postgres.js');
    return PostgresApiKeys.open(config.store.url);
  }
  return new SqliteApiKeys(join(resolve(config.dataDir), 'gateway.db'));
}
