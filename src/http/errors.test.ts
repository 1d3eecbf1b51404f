import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { DOMAIN_ERROR_KINDS, DomainError } from '../domain/errors.js';
import { installErrorHandler, STATUS_OF_KIND } from './errors.js';

describe('a DomainError over HTTP', () => {
  it('answers the status of its kind with the usual body: error, code and its details', async () => {
    const app = Fastify();
    installErrorHandler(app);
    app.get('/full', async () => {
      throw new DomainError('queue_full', 'unavailable', 'The queue is full', { queued: 3, limit: 2 }, { retryAfterSeconds: 7 });
    });
    app.get('/rows', async () => {
      throw new DomainError('batch_invalid', 'invalid', 'Row 2: text is empty', { errors: [{ row: 2 }] });
    });
    const full = await app.inject({ url: '/full' });
    expect(full.statusCode).toBe(503);
    expect(full.headers['retry-after']).toBe('7');
    expect(full.json()).toEqual({ error: 'The queue is full', code: 'queue_full', queued: 3, limit: 2 });
    const rows = await app.inject({ url: '/rows' });
    expect(rows.statusCode).toBe(400);
    expect(rows.headers['retry-after']).toBeUndefined();
    expect(rows.json()).toEqual({ error: 'Row 2: text is empty', code: 'batch_invalid', errors: [{ row: 2 }] });
    await app.close();
  });

  it('a store that is away (a pg connection refused) answers a fast 503 store_unavailable with Retry-After, not a 500', async () => {
    const app = Fastify();
    installErrorHandler(app);
    app.get('/status', async () => {
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED', errno: -111 });
    });
    const res = await app.inject({ url: '/status' });
    expect(res.statusCode).toBe(503);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(res.json()).toMatchObject({ code: 'store_unavailable' });
    expect(res.body).not.toContain('5432'); // no internals in the answer
    await app.close();
  });

  it('maps every kind to a distinct client or upstream status', () => {
    const statuses = DOMAIN_ERROR_KINDS.map((k) => STATUS_OF_KIND[k]);
    expect(new Set(statuses).size).toBe(DOMAIN_ERROR_KINDS.length);
    for (const s of statuses) expect(s === 502 || s === 503 || (s >= 400 && s < 500)).toBe(true);
  });
});
