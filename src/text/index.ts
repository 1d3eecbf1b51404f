/**
 * Speech normalization: the text a TTS engine should read. `normalizeForSpeech` scans the input
 * once; at each position the first matching rule (rules.ts) speaks its span, everything else is
 * copied. The result keeps the changed spans (offsets into the original) for the UI preview.
 *
 * Properties: pure, deterministic, total (never throws), linear time (bounded patterns, one
 * pass, bounded recursion for nested markup), no backslash or `$` left behind from maths.
 * CJK and other scripts pass through untouched.
 */
import { RULES } from './rules.js';

export interface NormalizeChange {
  /** Offsets into the original input. */
  start: number;
  end: number;
  original: string;
  spoken: string;
}
export interface NormalizeResult {
  text: string;
  changes: NormalizeChange[];
}
export interface NormalizeOptions {
  language?: 'en' | 'auto';
  /** Inputs longer than this are cut first (characters). @defaultValue 1_000_000 */
  maxLength?: number;
}

const MAX_NESTING = 3;
/** A run that no rule can start: letters of a word (apostrophes, hyphens inside), CJK, spaces. */
const PLAIN_RUN = /[\p{L}\p{M}'’]+(?:-[\p{L}\p{M}'’]+)*|[ \t]+/uy;
/** Names like R2-D2, MP3, COVID-19 stay as written: digits inside a word are not arithmetic. */
const ALNUM_WORD = /[A-Za-z]+\d+[A-Za-z\d]*(?:-[A-Za-z\d]+)*|[A-Za-z]+(?:-\d+)+(?![\d.])/y;

function isWordStart(text: string, i: number): boolean {
  if (i === 0) return true;
  return !/[\p{L}\p{N}_]/u.test(text[i - 1]);
}

function scan(text: string, depth: number, changes: NormalizeChange[] | null, offset: number): string {
  const out: string[] = [];
  const recurse = (s: string) => (depth >= MAX_NESTING ? s : scan(s, depth + 1, null, 0));
  let i = 0;
  while (i < text.length) {
    const wordStart = isWordStart(text, i);
    let matched = false;
    if (wordStart) {
      ALNUM_WORD.lastIndex = i;
      const w = ALNUM_WORD.exec(text);
      if (w && !/^(?:[a-z]\d|\d)/.test(w[0])) {
        out.push(w[0]);
        i += w[0].length;
        continue;
      }
    }
    for (const rule of RULES) {
      if (rule.wordStart && !wordStart) continue;
      rule.re.lastIndex = i;
      const m = rule.re.exec(text);
      if (!m || m[0].length === 0) continue;
      let spoken: string;
      try {
        spoken = rule.speak(m, recurse);
      } catch {
        continue; // a rule that cannot speak this match gives way to the next one
      }
      out.push(spoken === '' ? '' : ` ${spoken} `);
      if (changes && spoken.trim() !== m[0].trim()) changes.push({ start: offset + i, end: offset + i + m[0].length, original: m[0], spoken: spoken.trim() });
      i += m[0].length;
      matched = true;
      break;
    }
    if (matched) continue;
    PLAIN_RUN.lastIndex = i;
    const run = PLAIN_RUN.exec(text);
    if (run && run[0].length > 0) {
      out.push(run[0]);
      i += run[0].length;
    } else {
      // a lone character no rule wants: keep it, except TeX leftovers that must never be read
      const c = text[i];
      out.push(c === '\\' || c === '$' || c === '{' || c === '}' || c === '^' || c === '_' ? ' ' : c);
      i += 1;
    }
  }
  return out.join('');
}

function tidy(s: string): string {
  return s
    .replace(/[ \t]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/ ([,.;:!?])/g, '$1')
    .replace(/([,;:])(?=[^\s\d])/g, '$1 ')
    .replace(/,\s*,/g, ',')
    .trim();
}

export function normalizeForSpeech(input: string, options: NormalizeOptions = {}): NormalizeResult {
  try {
    const text = typeof input === 'string' ? input.slice(0, options.maxLength ?? 1_000_000) : String(input ?? '');
    const changes: NormalizeChange[] = [];
    return { text: tidy(scan(text, 0, changes, 0)), changes };
  } catch {
    // Defence in depth: total even if a rule misbehaves. Strip what must never be spoken.
    const s = String(input ?? '').replace(/[\\${}^_]/g, ' ');
    return { text: tidy(s), changes: [] };
  }
}
