/**
 * API keys in the shared PostgreSQL database (table `api_keys`, created by the store's
 * migrations in src/store/postgres.schema.ts). Same tokens, hashing and constant-time check as
 * the SQLite repository (api-keys.ts); a revoke on any node is seen by every node's next
 * request, since nothing is cached but the last-used write throttle.
 */
import type pg from 'pg';
import { createPgPool } from '../store/postgres.pool.js';
import { migratePostgres } from '../store/postgres.schema.js';
import { LastUsedThrottle, mintKey, tokenKeyId, tokenMatches, toKey, type ApiKey, type ApiKeyRepository, type ApiKeyRow, type Scope } from './api-key.js';

export class PostgresApiKeys implements ApiKeyRepository {
  private readonly throttle = new LastUsedThrottle();
  private closed = false;

  /** `ownsPool`: close() ends the pool (true when open() made it; false when shared with the task store). */
  constructor(
    private readonly pool: pg.Pool,
    private readonly ownsPool = false,
  ) {}

  /** Its own small pool; migrates the database first (so `keys create` works before any `serve`). */
  static async open(url: string): Promise<PostgresApiKeys> {
    const pool = createPgPool({ url, max: 2, applicationName: 'heygem:api-keys' });
    try {
      await migratePostgres(pool);
    } catch (err) {
      await pool.end();
      throw err;
    }
    return new PostgresApiKeys(pool, true);
  }

  async create(name: string, scopes: Scope[], now = Date.now()): Promise<{ key: ApiKey; token: string }> {
    const k = mintKey(name);
    await this.pool.query('INSERT INTO api_keys (id, name, scopes, token_hash, created_at) VALUES ($1, $2, $3, $4, $5)', [k.id, k.name, scopes.join(','), k.tokenHash, now]);
    return { key: { id: k.id, name: k.name, scopes, createdAt: now, lastUsedAt: null, revokedAt: null }, token: k.token };
  }

  async list(): Promise<ApiKey[]> {
    return (await this.pool.query<ApiKeyRow>('SELECT * FROM api_keys ORDER BY created_at, id')).rows.map(toKey);
  }

  async activeCount(): Promise<number> {
    return (await this.pool.query<{ n: number }>('SELECT count(*) AS n FROM api_keys WHERE revoked_at IS NULL')).rows[0].n;
  }

  async revoke(id: string, now = Date.now()): Promise<boolean> {
    return (await this.pool.query('UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [now, id])).rowCount === 1;
  }

  async verify(token: string, now = Date.now()): Promise<ApiKey | null> {
    const id = tokenKeyId(token);
    if (!id) return null;
    const row = (await this.pool.query<ApiKeyRow>('SELECT * FROM api_keys WHERE id = $1', [id])).rows[0];
    if (!tokenMatches(token, row)) return null;
    if (this.throttle.due(row.id, now)) {
      await this.pool.query('UPDATE api_keys SET last_used_at = $1 WHERE id = $2', [now, row.id]);
      row.last_used_at = now;
    }
    return toKey(row);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.ownsPool) await this.pool.end();
  }
}
