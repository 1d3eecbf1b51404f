/**
 * Every error `code` the gateway can answer or record on a task has a plain-language message in
 * each UI catalog (web/src/i18n), so the UI never shows a bare code. The codes are read from the
 * sources — `new ApiError(status, 'code'`, `DomainError('code'`, `TaskError('code'`,
 * `code: 'code'` — and the task error list (src/domain/errors.ts): a new code without a message
 * fails here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/domain/errors.js';

// The UI's catalogs are checked by the web project's typecheck; loaded here at run time only.
const CATALOG_MODULE = '../../web/src/i18n/catalog';
const { CATALOGS } = (await import(CATALOG_MODULE)) as { CATALOGS: Record<string, unknown> };

const PATTERNS = [/new ApiError\(\s*\d+,\s*'([a-z_0-9]+)'/g, /DomainError\(\s*'([a-z_0-9]+)'/g, /TaskError\(\s*'([a-z_0-9]+)'/g, /\bcode:\s*'([a-z_0-9]+)'/g];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return p.endsWith(join('src', 'config')) ? [] : sources(p); // config: zod's own issue codes
    return p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : [];
  });
}

function apiCodes(): Map<string, string> {
  const out = new Map<string, string>(ERROR_CODES.map((c) => [c, 'src/domain/errors.ts']));
  for (const file of sources('src')) {
    const text = readFileSync(file, 'utf8');
    for (const re of PATTERNS) for (const m of text.matchAll(re)) if (!out.has(m[1])) out.set(m[1], file);
  }
  return out;
}

describe('error messages in the UI', () => {
  const codes = apiCodes();
  it('finds the codes (the scan works)', () => {
    expect(codes.size).toBeGreaterThan(60);
    for (const c of ['queue_full', 'task_not_finished', 'title_too_long', 'render_timeout', 'batch_rows_invalid']) expect(codes.has(c), c).toBe(true);
  });
  for (const [lng, catalog] of Object.entries(CATALOGS)) {
    it(`has a message for every code in ${lng}`, () => {
      const errors = (catalog as unknown as { errors: Record<string, string> }).errors;
      const missing = [...codes].filter(([c]) => typeof errors[c] !== 'string' || !errors[c].trim()).map(([c, f]) => `${c} (${f})`);
      expect(missing).toEqual([]);
    });
  }
});
