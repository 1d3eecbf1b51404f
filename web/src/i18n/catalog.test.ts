/// <reference types="vite/client" />
/**
 * The catalogs against each other and against the code: every key in every language (with the
 * plural forms that language has), the same {{variables}} and <n> tags in each translation,
 * and every key the sources use — `t('…')`, `<Trans i18nKey="…">`, `'ns.key'` literals, the
 * namespaces of `t(`ns.${…}`)` and `tr(t, 'ns', …)` — present in the catalogs, and none unused.
 * (tr.ts, the one place keys are assembled, is the mechanism and not scanned.)
 */
import { describe, expect, it } from 'vitest';
import { CATALOGS } from './catalog';

type Tree = { [k: string]: string | Tree };
const PLURAL = /_(zero|one|two|few|many|other)$/;

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
  }
  return out;
}

/** Keys with their plural suffix removed: what code asks for (`t('x', { count })` reads `x_one`/`x_other`). */
const baseKeys = (keys: Iterable<string>) => new Set([...keys].map((k) => k.replace(PLURAL, '')));
const vars = (s: string) => [...s.matchAll(/\{\{\s*(\w+)[^}]*\}\}|<(\d+)>/g)].map((m) => m[1] ?? `<${m[2]}>`).sort();

const flat = Object.fromEntries(Object.entries(CATALOGS).map(([lng, c]) => [lng, flatten(c as unknown as Tree)]));
const reference = flat.en;

/** What the sources use: full keys, and prefixes under which keys are built at run time. */
export function usedKeys(sources: Record<string, string>, namespaces: Set<string>): { keys: Map<string, string>; prefixes: Map<string, string> } {
  const keys = new Map<string, string>();
  const prefixes = new Map<string, string>();
  for (const [file, src] of Object.entries(sources)) {
    for (const m of src.matchAll(/\bt\(\s*(['"])([^'"]+)\1/g)) keys.set(m[2], file);
    for (const m of src.matchAll(/i18nKey="([^"]+)"/g)) keys.set(m[1], file);
    for (const m of src.matchAll(/\bt\(\s*`([^`$]*)\$\{/g)) prefixes.set(m[1].replace(/\.$/, ''), file);
    for (const m of src.matchAll(/`([a-zA-Z]+(?:\.[a-zA-Z]+)*)\.\$\{/g)) if (namespaces.has(m[1].split('.')[0])) prefixes.set(m[1], file);
    for (const m of src.matchAll(/\btr\(\s*\w+,\s*'([^']+)'/g)) prefixes.set(m[1], file);
    // a quoted "namespace.key" anywhere (keys kept in tables or returned by pure functions)
    for (const m of src.matchAll(/'([a-zA-Z]+\.[\w.]+)'/g)) if (namespaces.has(m[1].split('.')[0])) keys.set(m[1], file);
  }
  for (const p of prefixes.keys()) keys.delete(p); // `tr(t, 'farm.states', …)` names a namespace, not a key
  return { keys, prefixes };
}

const sources = Object.fromEntries(
  Object.entries(import.meta.glob(['../**/*.ts', '../**/*.tsx', '!../**/*.test.ts', '!./en.ts', '!./zh-CN.ts', '!./tr.ts'], { query: '?raw', import: 'default', eager: true }) as Record<string, string>),
);
const namespaces = new Set([...reference.keys()].map((k) => k.split('.')[0]));
const isObject = (prefix: string) => [...reference.keys()].some((k) => k.startsWith(`${prefix}.`));

describe('catalogs', () => {
  it('have the same keys in every language', () => {
    const want = [...baseKeys(reference.keys())].sort();
    for (const [lng, keys] of Object.entries(flat)) expect([...baseKeys(keys.keys())].sort(), `keys of ${lng}`).toEqual(want);
  });

  it('have exactly the plural forms each language uses', () => {
    for (const [lng, keys] of Object.entries(flat)) {
      const forms = new Intl.PluralRules(lng).resolvedOptions().pluralCategories;
      const plural = new Set([...keys.keys()].filter((k) => PLURAL.test(k)).map((k) => k.replace(PLURAL, '')));
      for (const base of plural) {
        const have = [...keys.keys()].filter((k) => k.replace(PLURAL, '') === base && k !== base).map((k) => k.match(PLURAL)![1]).sort();
        expect(have, `${lng}: ${base}`).toEqual([...forms].sort());
      }
    }
  });

  it('say something, with the same variables and tags, in every language', () => {
    for (const [lng, keys] of Object.entries(flat)) {
      for (const [key, text] of keys) {
        expect(text.trim(), `${lng}: ${key}`).not.toBe('');
        const ref = reference.get(key) ?? reference.get(`${key.replace(PLURAL, '')}_other`)!;
        expect(vars(text).filter((v) => v !== 'count'), `${lng}: ${key}`).toEqual(vars(ref).filter((v) => v !== 'count'));
      }
    }
  });
});

describe('keys used in the sources', () => {
  const { keys, prefixes } = usedKeys(sources, namespaces);
  const known = baseKeys(reference.keys());

  it('finds the sources and their keys', () => {
    expect(Object.keys(sources).some((f) => f.endsWith('pages/CreatePage.tsx'))).toBe(true);
    expect(keys.has('create.title')).toBe(true);
    expect(prefixes.has('status')).toBe(true);
  });

  it('are all in the catalogs', () => {
    const missing = [...keys].filter(([k]) => !known.has(k)).map(([k, f]) => `${k} (${f})`);
    expect(missing).toEqual([]);
    const badPrefixes = [...prefixes].filter(([p]) => !isObject(p)).map(([p, f]) => `${p}.* (${f})`);
    expect(badPrefixes).toEqual([]);
  });

  it('leave no catalog key unused', () => {
    const unused = [...known].filter((k) => !keys.has(k) && ![...prefixes.keys()].some((p) => k.startsWith(`${p}.`)));
    expect(unused).toEqual([]);
  });

  it('would catch a key missing from the catalogs', () => {
    const fake = usedKeys({ 'x.tsx': "t('create.nope'); t(`nowhere.${x}`); tr(t, 'status', s); const k = 'phase.gone';" }, namespaces);
    expect([...fake.keys.keys()].filter((k) => !known.has(k)).sort()).toEqual(['create.nope', 'phase.gone']);
    expect([...fake.prefixes.keys()].filter((p) => !isObject(p))).toEqual(['nowhere']);
  });
});
