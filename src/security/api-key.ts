/**
 * One API key: its scopes, the token format (`hgw_<id>_<secret>`), how a stored row maps to a
 * key, and the repository port both backends implement (api-keys.ts: SQLite and the opener;
 * api-keys.postgres.ts). No I/O here.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

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
