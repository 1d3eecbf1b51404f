import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ApiKeyStore, hasScope, parseScopes } from './api-keys.js';
import { authEnabled, authStartupProblem, isLoopbackHost } from './auth-mode.js';

const dbPath = () => join(mkdtempSync(join(tmpdir(), 'hg-keys-')), 'gateway.db');

describe('ApiKeyStore', () => {
  it('creates, verifies, lists and revokes; stores only a hash', () => {
    const path = dbPath();
    const ks = new ApiKeyStore(path);
    const { key, token } = ks.create('ci bot', ['submit', 'read'], 1000);
    expect(token).toMatch(/^hgw_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    expect(ks.verify(token, 2000)).toMatchObject({ id: key.id, name: 'ci bot', scopes: ['submit', 'read'] });
    expect(ks.verify(token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A'))).toBeNull();
    expect(ks.verify(`hgw_000000000000_${'a'.repeat(43)}`)).toBeNull();
    expect(ks.verify('Bearer nonsense')).toBeNull();
    expect(ks.list()).toHaveLength(1);
    expect(ks.list()[0].lastUsedAt).toBe(2000);
    const raw = new Database(path).prepare('SELECT * FROM api_keys').all() as Array<Record<string, unknown>>;
    expect(JSON.stringify(raw)).not.toContain(token.split('_')[2]);
    expect(ks.revoke(key.id)).toBe(true);
    expect(ks.revoke(key.id)).toBe(false);
    expect(ks.verify(token)).toBeNull();
    expect(ks.activeCount()).toBe(0);
    ks.close();
  });

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
