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
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** `runner`: a remote runner's token (docs/runners.md) — only the runner API, never combined. */
export const SCOPES = ['submit', 'read', 'admin', 'runner'] as const;
export type Scope = (typeof SCOPES)[number];

export interface ApiKey {
  id: string;
  name: string;
  scopes: Scope[];
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

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

const TOKEN = /^hgw_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;
/** last_used_at is a hint for operators, not an audit log: write it at most once a minute. */
const LAST_USED_RESOLUTION_MS = 60_000;

const sha256 = (s: string): Buffer => createHash('sha256').update(s).digest();

export function parseScopes(list: string): Scope[] {
  const out = new Set<Scope>();
  for (const raw of list.split(',')) {
    const s = raw.trim();
    if (!s) continue;
    if (!(SCOPES as readonly string[]).includes(s)) throw new Error(`unknown scope "${s}" (expected ${SCOPES.join(', ')})`);
    out.add(s as Scope);
  }
  if (!out.size) throw new Error(`at least one scope is required (${SCOPES.join(', ')})`);
  if (out.has('runner') && out.size > 1) throw new Error('the runner scope cannot be combined with others (create runner tokens with `heygem-gateway runners create`)');
  return [...out];
}

/** admin implies every scope; others are granted one by one. */
export function hasScope(key: Pick<ApiKey, 'scopes'>, scope: Scope): boolean {
  if (scope === 'runner') return key.scopes.includes('runner'); // an admin key is no runner
  return key.scopes.includes('admin') || key.scopes.includes(scope);
}

export type ApiKeyRow = { id: string; name: string; scopes: string; token_hash: string; created_at: number; last_used_at: number | null; revoked_at: number | null };

export const toKey = (r: ApiKeyRow): ApiKey => ({
  id: r.id,
  name: r.name,
  scopes: r.scopes.split(',').filter(Boolean) as Scope[],
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
});

/** The port: where keys live. Every method may do I/O (a network database), hence async. */
export interface ApiKeyRepository {
  create(name: string, scopes: Scope[], now?: number): Promise<{ key: ApiKey; token: string }>;
  list(): Promise<ApiKey[]>;
  activeCount(): Promise<number>;
  /** true when the key existed and was active. */
  revoke(id: string, now?: number): Promise<boolean>;
  /** The active key a token belongs to, or null. Constant-time on the hash comparison. */
  verify(token: string, now?: number): Promise<ApiKey | null>;
  close(): Promise<void>;
}

/** A new key's id, token and stored hash (the same for every backend). */
export function mintKey(name: string): { id: string; name: string; token: string; tokenHash: string } {
  const clean = name.trim();
  if (!/^[\w .@-]{1,64}$/.test(clean)) throw new Error('key name: 1–64 letters, digits, spaces, . _ @ -');
  const id = randomBytes(6).toString('hex');
  const token = `hgw_${id}_${randomBytes(32).toString('base64url')}`;
  return { id, name: clean, token, tokenHash: sha256(token).toString('hex') };
}

/** The key id a well-formed token names, or null (then there is nothing to look up). */
export function tokenKeyId(token: string): string | null {
  return TOKEN.exec(token)?.[1] ?? null;
}

/**
 * Whether `token` matches the stored row and the row is active. Compares even when the row is
 * missing, so timing does not reveal which ids exist.
 */
export function tokenMatches(token: string, row: Pick<ApiKeyRow, 'token_hash' | 'revoked_at'> | undefined): boolean {
  const presented = sha256(token);
  const stored = row ? Buffer.from(row.token_hash, 'hex') : Buffer.alloc(32);
  const match = stored.length === 32 && timingSafeEqual(presented, stored);
  return Boolean(row) && match && row!.revoked_at === null;
}

/**
 * last_used_at is a hint for operators, not an audit log: write it at most once a minute per
 * key and process (so verifying a busy key does not turn every request into a write).
 */
export class LastUsedThrottle {
  private readonly lastWritten = new Map<string, number>();
  due(id: string, now: number): boolean {
    const last = this.lastWritten.get(id);
    if (last !== undefined && now - last <= LAST_USED_RESOLUTION_MS) return false;
    this.lastWritten.set(id, now);
    return true;
  }
}

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
