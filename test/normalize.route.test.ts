/**
 * POST /api/normalize: accepts any text generate accepts (the configured limit, not a fixed
 * one), refuses longer text with a JSON error, and reports each rewrite with its class.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestGateway } from './helpers/gateway.js';
import { scriptedGateway } from './helpers/scripted.js';

let t: TestGateway;
const LIMIT = 100_000;

beforeAll(async () => {
  ({ t } = await scriptedGateway({ limits: { maxTextChars: LIMIT } }));
});
afterAll(async () => {
  await t?.close();
});

const normalize = (text: string) => t.app.inject({ method: 'POST', url: '/api/normalize', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ text }) });

describe('POST /api/normalize', () => {
  it('reports each rewrite with offsets and the class it was read as', async () => {
    const text = 'In 1492, gate C22 cost $5.';
    const r = await normalize(text);
    expect(r.statusCode).toBe(200);
    const body = r.json() as { normalized: string; changes: { start: number; end: number; original: string; spoken: string; class: string }[] };
    expect(body.normalized).toBe('In fourteen ninety-two, gate C twenty-two cost five dollars.');
    expect(body.changes.map((c) => [c.original, c.class])).toEqual([
      ['1492', 'year'],
      ['C22', 'code'],
      ['$5', 'money'],
    ]);
    for (const c of body.changes) expect(text.slice(c.start, c.end)).toBe(c.original);
  });

  it('normalizes a script as long as the configured limit, far past the old 5,000 characters', async () => {
    const text = 'Chapter 2 costs $3. '.repeat(LIMIT / 20);
    expect(text.length).toBe(LIMIT);
    const r = await normalize(text);
    expect(r.statusCode).toBe(200);
    expect(r.json().normalized).toContain('three dollars');
  });

  it('accepts a script at the limit even when the client escapes every character in JSON', async () => {
    // an emoji sent as \ud83d\ude00 is 12 bytes a character: the body limit must follow generate's, not 4 bytes a character
    const text = '😀'.repeat(LIMIT);
    const payload = JSON.stringify({ text }).replace(/😀/gu, '\\ud83d\\ude00');
    expect(payload.length).toBeGreaterThan(LIMIT * 12);
    const r = await t.app.inject({ method: 'POST', url: '/api/normalize', headers: { 'content-type': 'application/json' }, payload });
    expect(r.statusCode).toBe(200);
    expect(r.json().normalized).toBe(text);
  });

  it('refuses text over the limit with a JSON error', async () => {
    const r = await normalize('a'.repeat(LIMIT + 1));
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ code: 'text_too_long' });
  });
});
