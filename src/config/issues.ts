/**
 * Turning schema problems into lines an operator can act on: each names the bad field by its
 * full path (`slots[0].video.url`), says what was expected, and all of them are reported at
 * once. Unknown keys are found by walking the raw input against the schema, at every depth, so
 * a typo in a nested section (`scheduler.maxAttemps`) is an error with a suggestion instead of
 * a silently ignored setting — and a key added to the schema is known here without more code.
 */
import type { z } from 'zod';

type Path = ReadonlyArray<PropertyKey>;

/** `slots[0].video.url`; `(root)` for the top level. */
export function formatPath(path: Path): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `${out ? '.' : ''}${String(p)}`;
  return out || '(root)';
}

/** Damerau-free Levenshtein distance; config keys are short, so the quadratic cost is nothing. */
function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length];
}

/** The closest known key, when it is close enough to be a plausible typo. */
export function suggest(key: string, known: readonly string[]): string | undefined {
  let best: { k: string; d: number } | undefined;
  for (const k of known) {
    const d = distance(key, k);
    if (!best || d < best.d) best = { k, d };
  }
  return best && best.d <= Math.max(2, Math.floor(key.length / 4)) ? best.k : undefined;
}

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  in?: z.ZodType;
  options?: z.ZodType[];
  element?: z.ZodType;
}

const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** Strip defaults, optionality and pipes down to the schema that describes the value's shape. */
function unwrap(s: z.ZodType): z.ZodType {
  for (;;) {
    const d = defOf(s);
    if (d.innerType && ['default', 'prefault', 'optional', 'nullable', 'readonly', 'catch', 'nonoptional'].includes(d.type)) s = d.innerType;
    else if (d.type === 'pipe' && d.in) s = d.in;
    else return s;
  }
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Every key in `value` that `schema` does not declare, as "path: unknown key[, did you mean x?]".
 * Unions are walked through the branch that fits the value's kind (a list of slots vs a preset).
 */
export function unknownKeys(schema: z.ZodType, value: unknown, path: PropertyKey[] = []): string[] {
  const s = unwrap(schema);
  const d = defOf(s);
  if (d.type === 'object' && d.shape && isPlainObject(value)) {
    const known = Object.keys(d.shape);
    const out: string[] = [];
    for (const [k, v] of Object.entries(value)) {
      if (!(k in d.shape)) {
        const hint = suggest(k, known);
        out.push(`${formatPath([...path, k])}: unknown key${hint ? `, did you mean ${hint}?` : ''}`);
      } else out.push(...unknownKeys(d.shape[k], v, [...path, k]));
    }
    return out;
  }
  if (d.type === 'array' && d.element && Array.isArray(value)) return value.flatMap((v, i) => unknownKeys(d.element!, v, [...path, i]));
  if (d.type === 'union' && d.options) {
    const kind = Array.isArray(value) ? 'array' : isPlainObject(value) ? 'object' : null;
    // Of the branches of the value's kind (several for a tagged union such as publish
    // targets), report against the one it fits best.
    const reports = d.options.filter((o) => kind && defOf(unwrap(o)).type === kind).map((o) => unknownKeys(o, value, path));
    return reports.sort((a, b) => a.length - b.length)[0] ?? [];
  }
  return [];
}

/** One line per issue; unions report the branch that matches the value's kind. */
export function formatIssues(issues: readonly z.core.$ZodIssue[], base: Path = []): string[] {
  const out: string[] = [];
  for (const issue of issues) {
    const path = [...base, ...issue.path];
    if (issue.code === 'unrecognized_keys') continue; // reported by unknownKeys, with suggestions
    if (issue.code === 'invalid_union') {
      // A branch whose only complaint is the value's type at the union itself did not apply.
      const applicable = issue.errors.filter((errs) => !errs.every((e) => e.code === 'invalid_type' && e.path.length === 0));
      if (applicable.length) {
        out.push(...formatIssues(applicable[0], path));
        continue;
      }
    }
    const message = issue.code === 'invalid_type' && /received undefined$/.test(issue.message) ? 'required' : issue.message.replace(/^Invalid input: /, '');
    out.push(`${formatPath(path)}: ${message}`);
  }
  return out;
}
