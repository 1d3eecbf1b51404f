/**
 * Speech normalization: the text a TTS engine should read (docs/text-normalization.md).
 * Classify → resolve → verbalize: recognizers (recognizers.ts) propose candidate spans with a
 * class and a score in context; the resolver (resolve.ts) keeps the best non-overlapping set;
 * one verbalizer per class (verbalize.ts) speaks each kept span; everything else is copied.
 * The result keeps the changed spans (offsets into the original, and their class) for the UI.
 *
 * Properties: pure, deterministic, total (never throws), linear time (bounded patterns, each
 * tried once per position where a token can start, bounded recursion for nested markup), no
 * backslash or `$` left behind. CJK and other scripts pass through untouched.
 */
import { wordAfter, wordsBefore } from './cues.js';
import { RECOGNIZERS } from './recognizers.js';
import { resolve } from './resolve.js';
import type { Candidate, Context, Recognizer, SpanClass } from './spans.js';
import { VERBALIZERS } from './verbalize.js';

export type { SpanClass } from './spans.js';

export interface NormalizeChange {
  /** Offsets into the original input. */
  start: number;
  end: number;
  original: string;
  spoken: string;
  /** What the span was read as: year, code, url, money, … */
  class: SpanClass;
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
/** A run of letters (apostrophes, hyphens inside) or spaces: recognizers are tried only at its start. */
const PLAIN_RUN = /[\p{L}\p{M}'’]+(?:-[\p{L}\p{M}'’]+)*|[ \t]+/uy;
const WORD_CHAR = /[\p{L}\p{N}_]/u;
/** Characters at which no recognizer can start: skipped without trying any. */
const INERT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\s"'“”‘’,;!?]/u;

/** A span's surroundings, each part worked out only if a recognizer or verbalizer asks. */
class SpanContext implements Context {
  private words?: string[];
  private afterWord?: string;
  constructor(
    readonly text: string,
    readonly start: number,
    readonly end: number,
    private readonly shared?: { before?: string[] },
  ) {}
  get before(): string[] {
    if (this.shared) return (this.shared.before ??= wordsBefore(this.text, this.start));
    return (this.words ??= wordsBefore(this.text, this.start));
  }
  get after(): string {
    return (this.afterWord ??= wordAfter(this.text, this.end));
  }
  get next(): string {
    return this.text.slice(this.end, this.end + 3);
  }
}

/** The recognizers that can start at a character, worked out once per distinct character. */
const byFirstChar = new Map<string, Recognizer[]>();
function recognizersFor(ch: string): Recognizer[] {
  let list = byFirstChar.get(ch);
  if (!list) {
    list = RECOGNIZERS.filter((r) => r.first.test(ch));
    if (byFirstChar.size < 10_000) byFirstChar.set(ch, list);
  }
  return list;
}

/** Classify: every recognizer at every position where a token may start. */
function classify(text: string): (Candidate[] | undefined)[] {
  const byStart: (Candidate[] | undefined)[] = new Array(text.length + 1);
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (INERT.test(ch) && ch !== "'") {
      i += 1;
      continue;
    }
    const wordStart = i === 0 || !WORD_CHAR.test(text[i - 1]);
    const shared: { before?: string[] } = {};
    for (const rec of recognizersFor(ch)) {
      if (rec.wordStart && !wordStart) continue;
      rec.re.lastIndex = i;
      const m = rec.re.exec(text);
      if (!m || m[0].length === 0) continue;
      const end = i + m[0].length;
      const score = typeof rec.score === 'number' ? rec.score : rec.score(m, new SpanContext(text, i, end, shared));
      if (!(score > 0)) continue;
      let fields;
      try {
        fields = rec.fields(m);
      } catch {
        continue; // a recognizer that cannot parse this match proposes nothing
      }
      (byStart[i] ??= []).push({ start: i, end, cls: rec.cls, score, fields });
    }
    PLAIN_RUN.lastIndex = i;
    const run = PLAIN_RUN.exec(text);
    i += run && run[0].length > 0 ? run[0].length : 1;
  }
  return byStart;
}

function scan(text: string, depth: number, changes: NormalizeChange[] | null, offset: number): string {
  const recurse = (s: string) => (depth >= MAX_NESTING ? s.replace(/[\\$]/g, ' ') : scan(s, depth + 1, null, 0));
  const kept = resolve(text.length, classify(text));
  const out: string[] = [];
  let i = 0;
  const copy = (to: number) => {
    for (; i < to; i++) {
      // a lone character no span covers: kept, except TeX leftovers that must never be read
      const c = text[i];
      out.push(c === '\\' || c === '$' || c === '{' || c === '}' || c === '^' || c === '_' ? ' ' : c);
    }
  };
  for (const c of kept) {
    copy(c.start);
    const original = text.slice(c.start, c.end);
    let spoken: string;
    try {
      spoken = VERBALIZERS[c.cls](c.fields, new SpanContext(text, c.start, c.end), recurse).replace(/[\\$]/g, ' ');
    } catch {
      spoken = original.replace(/[\\${}^_]/g, ' '); // defence in depth: a verbalizer that fails reads the text as written
    }
    // no space between a spoken span and a possessive that follows it ("29th's" → "twenty-ninth's")
    out.push(spoken === '' ? ' ' : /^['’]s\b/.test(text.slice(c.end, c.end + 3)) ? ` ${spoken}` : ` ${spoken} `);
    if (changes && spoken.trim() !== original.trim()) changes.push({ start: offset + c.start, end: offset + c.end, original, spoken: spoken.trim(), class: c.cls });
    i = c.end;
  }
  copy(text.length);
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
    .replace(/\.\.(?!\.)/g, '.')
    .trim();
}

export function normalizeForSpeech(input: string, options: NormalizeOptions = {}): NormalizeResult {
  try {
    const text = typeof input === 'string' ? input.slice(0, options.maxLength ?? 1_000_000) : String(input ?? '');
    const changes: NormalizeChange[] = [];
    return { text: tidy(scan(text, 0, changes, 0)), changes };
  } catch {
    // Defence in depth: total even if a recognizer misbehaves. Strip what must never be spoken.
    const s = String(input ?? '').replace(/[\\${}^_]/g, ' ');
    return { text: tidy(s), changes: [] };
  }
}
