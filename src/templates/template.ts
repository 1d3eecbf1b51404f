/**
 * A script template (docs/templates.md): text with `{{variables}}` plus the fields a task takes
 * (avatar, voice, language, captions, output options). Pure: finding the variables of a script
 * and filling them. Values go in as plain text, before speech normalization, so `{{price}}` =
 * `2999` is read as a number in the script's language like any number typed in a script.
 */

/** `{{name}}`: a letter or `_` first (any script, so `{{价格}}` works), then letters, digits, `_`; spaces inside the braces are allowed. */
const VARIABLE = /\{\{\s*([\p{L}_][\p{L}\p{N}_]{0,63})\s*\}\}/gu;

/** The request fields a template stores besides its script, as the generate route takes them. */
export interface TemplateFields {
  avatar_id: string | null;
  voice_id: string | null;
  /** `auto`, `zh` or `en` as given. */
  language: string;
  /** `burn` or null. */
  captions: string | null;
  /** Output and caption options (aspect, resolution, fit, background, format, watermark_*, caption_style), as given strings. */
  options: Record<string, string>;
}

export interface Template extends TemplateFields {
  id: string;
  /** 1 for the first version; every update stores a new one. */
  version: number;
  owner: string | null;
  /** Other keys may read and render it (never change it), like a shared avatar. */
  shared: boolean;
  name: string;
  script: string;
  createdAt: number;
}

/** The task a render made from a template: which template and which of its versions. */
export interface TemplateRef {
  templateId: string;
  version: number;
}

/** Variable names of a script, in first-use order, each once. */
export function variablesOf(script: string): string[] {
  return [...new Set([...script.matchAll(VARIABLE)].map((m) => m[1]))];
}

export type FillOutcome = { ok: true; text: string } | { ok: false; missing: string[]; extra: string[] };

/**
 * The script with every variable replaced by its value. A variable with no value (absent, or
 * empty once trimmed) is missing; a value for a name the script does not use is extra. Values
 * are inserted in one pass, so a value holding `{{x}}` stays as written.
 */
export function fill(script: string, values: Readonly<Record<string, string>>): FillOutcome {
  const names = variablesOf(script);
  const given = (n: string) => Object.hasOwn(values, n) && values[n].trim() !== '';
  const missing = names.filter((n) => !given(n));
  const extra = Object.keys(values).filter((n) => !names.includes(n));
  if (missing.length || extra.length) return { ok: false, missing, extra };
  return { ok: true, text: script.replace(VARIABLE, (_m, n: string) => values[n].trim()) };
}

/** `{"price": 2999}` → `{"price": "2999"}`; null when a value is not a string or a finite number. */
export function valuesOf(raw: unknown): Record<string, string> | null {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) return null;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof v === 'string') out[k] = v;
    else if (typeof v === 'number' && Number.isFinite(v)) out[k] = String(v);
    else return null;
  }
  return out;
}

/** Option names a template stores (the output-format and caption-style fields of generate). */
export const OPTION_NAMES = /^(aspect|resolution|fit|background|format|caption_style|watermark(_[a-z]+)?)$/;
