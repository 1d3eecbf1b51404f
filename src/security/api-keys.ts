/**
 * API keys: bearer tokens with scopes, stored hashed in the gateway's SQLite database (own
 * table, own connection — src/store is untouched). A token is `hgw_<id>_<secret>`: the id
 * finds the row, the sha256 of the whole token is compared in constant time. The secret has
 * 256 random bits, so a plain (unsalted) sha256 is enough — nothing to brute-force — and the
 * database never holds a usable token. The token is shown once, at creation.
 */
import Database from 'better-sqlite3';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export const SCOPES = ['submit', 'read', 'admin'] as const;
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
  return [...out];
}

/** admin implies every scope; others are granted one by one. */
export function hasScope(key: Pick<ApiKey, 'scopes'>, scope: Scope): boolean {
  return key.scopes.includes('admin') || key.scopes.includes(scope);
}

type Row = { id: string; name: string; scopes: string; token_hash: string; created_at: number; last_used_at: number | null; revoked_at: number | null };

const toKey = (r: Row): ApiKey => ({
  id: r.id,
  name: r.name,
  scopes: r.scopes.split(',').filter(Boolean) as Scope[],
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
});

export class ApiKeyStore {
  private readonly db: Database.Database;
  private readonly lastWritten = new Map<string, number>();

  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
  }

  create(name: string, scopes: Scope[], now = Date.now()): { key: ApiKey; token: string } {
    const clean = name.trim();
    if (!/^[\w .@-]{1,64}$/.test(clean)) throw new Error('key name: 1–64 letters, digits, spaces, . _ @ -');
    const id = randomBytes(6).toString('hex');
    const token = `hgw_${id}_${randomBytes(32).toString('base64url')}`;
    this.db
      .prepare('INSERT INTO api_keys (id, name, scopes, token_hash, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(id, clean, scopes.join(','), sha256(token).toString('hex'), now);
    return { key: { id, name: clean, scopes, createdAt: now, lastUsedAt: null, revokedAt: null }, token };
  }

  list(): ApiKey[] {
    return (this.db.prepare('SELECT * FROM api_keys ORDER BY created_at, id').all() as Row[]).map(toKey);
  }

  activeCount(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM api_keys WHERE revoked_at IS NULL').get() as { n: number }).n;
  }

  /** true when the key existed and was active. */
  revoke(id: string, now = Date.now()): boolean {
    return this.db.prepare('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(now, id).changes === 1;
  }

  /** The active key a token belongs to, or null. Constant-time on the hash comparison. */
  verify(token: string, now = Date.now()): ApiKey | null {
    const m = TOKEN.exec(token);
    if (!m) return null;
    const row = this.db.prepare('SELECT * FROM api_keys WHERE id = ?').get(m[1]) as Row | undefined;
    const presented = sha256(token);
    // Compare even when the row is missing, so timing does not reveal which ids exist.
    const stored = row ? Buffer.from(row.token_hash, 'hex') : Buffer.alloc(32);
    const match = stored.length === 32 && timingSafeEqual(presented, stored);
    if (!row || !match || row.revoked_at !== null) return null;
    const last = this.lastWritten.get(row.id);
    if (last === undefined || now - last > LAST_USED_RESOLUTION_MS) {
      this.lastWritten.set(row.id, now);
      this.db.prepare('UPDATE api_keys SET last_used_at = ? WHERE id = ?').run(now, row.id);
      row.last_used_at = now;
    }
    return toKey(row);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
