import { describe, expect, it } from 'vitest';
import { DomainError, TaskError } from '../domain/errors.js';
import { createPgPool } from './postgres.pool.js';
import { isStoreUnavailable, storeUnavailable } from './unavailable.js';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('isStoreUnavailable', () => {
  it('recognizes a lost or refused connection, a server going down or starting, and a busy SQLite file', () => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03', '08006', '08001', '08P01', '53300', '40001', 'SQLITE_BUSY', 'SQLITE_LOCKED'])
      expect(isStoreUnavailable(withCode(code)), code).toBe(true);
    expect(isStoreUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isStoreUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isStoreUnavailable(new AggregateError([withCode('ECONNREFUSED')]))).toBe(true);
    expect(isStoreUnavailable(new Error('wrapped', { cause: withCode('57P01') }))).toBe(true);
    expect(isStoreUnavailable(storeUnavailable())).toBe(true);
    expect(isStoreUnavailable(Object.assign(new Error('gateway unreachable'), { storeUnavailable: true }))).toBe(true); // a runner's remote store
  });

  it('leaves bugs and bad data alone: they are not worth waiting for', () => {
    for (const code of ['23505', '42P01', '22P02', 'SQLITE_CONSTRAINT', 'ENOENT', 'ENOSPC']) expect(isStoreUnavailable(withCode(code)), code).toBe(false);
    expect(isStoreUnavailable(new TypeError('x is undefined'))).toBe(false);
    expect(isStoreUnavailable(new DomainError('queue_full', 'unavailable', 'full'))).toBe(false);
    expect(isStoreUnavailable(undefined)).toBe(false);
    expect(isStoreUnavailable('ECONNREFUSED')).toBe(false);
    // a container that refused the connection is the engine's fault, not the store's
    expect(isStoreUnavailable(new TaskError('engine_unreachable', 'cannot reach the container', { retryable: true, cause: withCode('ECONNREFUSED') }))).toBe(false);
  });

  it('classifies what a real pg pool throws for a server that is not there, within the connect bound', async () => {
    const srv = await import('node:net').then((net) => net.createServer());
    const port = await new Promise<number>((r) => srv.listen(0, '127.0.0.1', () => r((srv.address() as { port: number }).port)));
    await new Promise((r) => srv.close(r)); // the port is free again: nothing listens
    const pool = createPgPool({ url: `postgres://nobody@127.0.0.1:${port}/none` });
    const err = await pool.query('SELECT 1').catch((e: unknown) => e);
    await pool.end();
    expect(isStoreUnavailable(err)).toBe(true);
  });
});

describe('storeUnavailable', () => {
  it('is a 503-kind refusal with a stable code and a Retry-After', () => {
    const e = storeUnavailable(withCode('ECONNREFUSED'));
    expect(e.code).toBe('store_unavailable');
    expect(e.kind).toBe('unavailable');
    expect(e.retryAfterSeconds).toBeGreaterThan(0);
  });
});
