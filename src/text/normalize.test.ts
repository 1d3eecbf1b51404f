import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CORPUS } from './corpus.js';
import { normalizeForSpeech } from './index.js';

/** Compare as speech: case, commas and final punctuation do not change what is heard. */
const canon = (s: string) => s.toLowerCase().replace(/,/g, ' ').replace(/[.!?;:]+(\s|$)/g, '$1').replace(/\s+/g, ' ').trim();

describe('normalizeForSpeech corpus', () => {
  const results = CORPUS.map((c) => {
    const got = normalizeForSpeech(c.input).text;
    const ok = (Array.isArray(c.expected) ? c.expected : [c.expected]).some((e) => canon(e) === canon(got));
    return { ...c, got, ok };
  });
  const passed = results.filter((r) => r.ok).length;

  it(`has at least 300 cases and passes at least 95% (${passed}/${results.length})`, () => {
    const failures = results.filter((r) => !r.ok).map((r) => `[${r.category}] ${JSON.stringify(r.input)} → ${JSON.stringify(r.got)} (want ${JSON.stringify(r.expected)})`);
    const byCat = new Map<string, [number, number]>();
    for (const r of results) {
      const [p, n] = byCat.get(r.category) ?? [0, 0];
      byCat.set(r.category, [p + (r.ok ? 1 : 0), n + 1]);
    }
    console.log(`normalization corpus: ${passed}/${results.length} = ${((100 * passed) / results.length).toFixed(1)}%\n` + [...byCat].map(([k, [p, n]]) => `  ${k}: ${p}/${n}`).join('\n') + (failures.length ? `\nfailures:\n  ${failures.join('\n  ')}` : ''));
    expect(results.length).toBeGreaterThanOrEqual(300);
    expect(passed / results.length).toBeGreaterThanOrEqual(0.95);
  });
});

describe('normalizeForSpeech properties', () => {
  it('is total: never throws, never leaves TeX syntax, stays bounded', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: fc.constantFrom('$', '\\', '{', '}', '^', '_', 'x', '1', ' ', 'frac', 'sqrt', '[', ']', '(', ')', '-', '.', ',', '%', '/') })), (s) => {
        const r = normalizeForSpeech(s);
        expect(r.text).not.toMatch(/[\\$]/);
        expect(r.text.length).toBeLessThanOrEqual(s.length * 40 + 100);
      }),
      { numRuns: 800 },
    );
  });

  it('is deterministic and reports changed spans against the original', () => {
    const input = 'Pay $5 for 2/3 of $x^2$ by 2024-03-15.';
    const a = normalizeForSpeech(input);
    expect(normalizeForSpeech(input)).toEqual(a);
    for (const c of a.changes) expect(input.slice(c.start, c.end)).toBe(c.original);
    expect(a.changes.map((c) => c.original)).toEqual(['$5', '2/3', '$x^2$', '2024-03-15']);
  });

  it('handles adversarial 100 KB inputs', () => {
    for (const s of ['{'.repeat(100_000), '$'.repeat(100_000), '\\frac{'.repeat(16_000), 'x^'.repeat(50_000), '1,'.repeat(50_000), '$a'.repeat(50_000)]) {
      const r = normalizeForSpeech(s);
      expect(typeof r.text).toBe('string');
      expect(r.text).not.toMatch(/[\\$]/);
    }
  });

  it('leaves CJK untouched', () => {
    expect(normalizeForSpeech('中文测试，没有变化。').text).toBe('中文测试，没有变化。');
  });
});
