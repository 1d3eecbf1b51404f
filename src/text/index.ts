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
 *
 * Languages are data: `NORMALIZERS` holds one normalizer per language (English here, Chinese in
 * zh/); `language: 'auto'` picks one with detectLanguage (language.ts).
 */
import { wordAfter, wordsBefore } from './cues.js';
import { RECOGNIZERS } from './recognizers.js';
import { CandidateTable, matchOf, resolve } from './resolve.js';
import type { Context, Recognizer, SpanClass } from './spans.js';
import { VERBALIZERS } from './verbalize.js';
import { detectLanguage, type LanguageOption, type SpeechLanguage } from './language.js';
import type { NormalizeChange } from './change.js';
import { normalizeChinese } from './zh/index.js';

export type { SpanClass } from './spans.js';
export type { LanguageOption, SpeechLanguage } from './language.js';
export { detectLanguage, isLanguageOption, SPEECH_LANGUAGES } from './language.js';
export { findUnsupported, stripUnsupported, type UnsupportedChar } from './scripts.js';

export type { NormalizeChange } from './change.js';
export interface NormalizeResult {
  text: string;
  changes: NormalizeChange[];
  /** The language the text was read in (the detected one when the option was 'auto'). */
  language: SpeechLanguage;
}
export interface NormalizeOptions {
  /** 'auto' detects the language from the text (detectLanguage). @defaultValue 'auto' */
  language?: LanguageOption;
  /** Inputs longer than this are cut first (characters). @defaultValue 1_000_000 */
  maxLength?: number;
}

const MAX_NESTING = 3;
/** A run of letters (apostrophes, hyphens inside) or spaces: recognizers are tried only at its start. */
const PLAIN_RUN = /[\p{L}\p{M}'’]+(?:-[\p{L}\p{M}'’]+)*|[ \t]+/uy;
const WORD_CHAR = /[\p{L}\p{N}_]/u;
/** ASCII fast paths for the per-character tests (most text is ASCII). */
const ASCII_WORD = new Uint8Array(128);
const ASCII_INERT = new Uint8Array(128);
for (let k = 0; k < 128; k++) {
  const c = String.fromCharCode(k);
  ASCII_WORD[k] = /[A-Za-z0-9_]/.test(c) ? 1 : 0;
  ASCII_INERT[k] = /[\s",;?]/.test(c) ? 1 : 0;
}
const isWordChar = (c: string) => {
  const k = c.charCodeAt(0);
  return k < 128 ? ASCII_WORD[k] === 1 : WORD_CHAR.test(c);
};
const isInert = (c: string) => {
  const k = c.charCodeAt(0);
  return k < 128 ? ASCII_INERT[k] === 1 : INERT.test(c) && c !== '’' && c !== '‘';
};
/** Only a letter, an apostrophe, a space or a tab can start a plain run. */
const mayStartRun = (c: string) => {
  const k = c.charCodeAt(0);
  return k >= 128 || k === 32 || k === 9 || k === 39 || (k >= 65 && k <= 90) || (k >= 97 && k <= 122);
};
/** Characters at which no recognizer can start: skipped without trying any. */
const INERT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\s"'“”‘’,;?]/u;

/**
 * A span's surroundings, each part worked out only if a recognizer or verbalizer asks. While
 * classifying, one instance is reused for every candidate (no allocation per regex match).
 */
class SpanContext implements Context {
  text = '';
  start = 0;
  end = 0;
  private words?: string[];
  private afterWord?: string;
  at(text: string, start: number, end: number, keepBefore: boolean): this {
    this.text = text;
    if (!keepBefore || start !== this.start) this.words = undefined;
    this.start = start;
    this.end = end;
    this.afterWord = undefined;
    return this;
  }
  get before(): string[] {
    return (this.words ??= wordsBefore(this.text, this.start));
  }
  get after(): string {
    return (this.afterWord ??= wordAfter(this.text, this.end));
  }
  get next(): string {
    return this.text.slice(this.end, this.end + 3);
  }
}

/** The recognizers that can start at a character (at a word start or inside a word), worked out once per distinct character. */
const byFirstChar = new Map<string, [Recognizer[], Recognizer[]]>();
function recognizersFor(ch: string, wordStart: boolean): Recognizer[] {
  let lists = byFirstChar.get(ch);
  if (!lists) {
    const all = RECOGNIZERS.filter((r) => r.first.test(ch));
    lists = [all.filter((r) => !r.wordStart), all];
    if (byFirstChar.size < 10_000) byFirstChar.set(ch, lists);
  }
  return lists[wordStart ? 1 : 0];
}

/**
 * The recognizers left after the shape checks for one ASCII situation (first character, length
 * of the leading digit or letter run, the character after the run, word start or not), worked
 * out once: on number-heavy text most positions repeat a few situations, and a lookup is far
 * cheaper than forty shape tests (docs/text-normalization.md, "Speed").
 */
const byShape = new Map<number, Recognizer[]>();
const MAX_SHAPES = 50_000;

/** Shapes that accept any character after the digits also accept the end of the text. */
const ANY_AFTER_SOURCE = '[\\s\\S]';
const isAsciiLetter = (c: string | undefined) => c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

/** Classify: every recognizer at every position where a token may start. */
function classify(text: string): CandidateTable {
  const table = new CandidateTable(text.length);
  const ctx = new SpanContext();
  // recognizers whose required character is absent from this text are not tried anywhere
  const absent = new Set(RECOGNIZERS.filter((r) => r.requires && !text.includes(r.requires)));
  const local = new Map<number, Recognizer[]>();
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (isInert(ch)) {
      i += 1;
      continue;
    }
    const wordStart = i === 0 || !isWordChar(text[i - 1]);
    let digitRun = 0;
    let letterRun = 0;
    if (isDigit(ch)) while (isDigit(text[i + digitRun]) && digitRun < 100) digitRun++;
    else if (isAsciiLetter(ch)) while (isAsciiLetter(text[i + letterRun]) && letterRun < 100) letterRun++;
    const afterRun = text[i + digitRun + letterRun] ?? '';
    const chCode = ch.charCodeAt(0);
    const afterCode = afterRun === '' ? 128 : afterRun.charCodeAt(0);
    const key = chCode < 128 && afterCode <= 128 ? (((chCode * 101 + digitRun + letterRun) * 129 + afterCode) << 1) | (wordStart ? 1 : 0) : -1;
    let candidates = key >= 0 ? local.get(key) : undefined;
    if (!candidates) {
      candidates = key >= 0 ? byShape.get(key) : undefined;
    }
    if (!candidates) {
      candidates = recognizersFor(ch, wordStart).filter((rec) => {
        const shape = digitRun > 0 ? rec.digitShape : letterRun > 0 ? rec.letterShape : undefined;
        if (!shape) return true;
        const [min, max, after] = shape;
        const runLength = digitRun + letterRun;
        return !(runLength < min || runLength > max || (afterRun === '' ? after.source !== ANY_AFTER_SOURCE : !after.test(afterRun)));
      });
      if (key >= 0 && byShape.size < MAX_SHAPES) byShape.set(key, candidates);
    }
    if (key >= 0 && !local.has(key)) {
      // this text's copy of the list leaves out the recognizers whose required character it lacks
      candidates = absent.size > 0 ? candidates.filter((rec) => !absent.has(rec)) : candidates;
      local.set(key, candidates);
    }
    let lead: string | undefined;
    for (const rec of candidates) {
      if (key < 0 && absent.has(rec)) continue;
      if (rec.leadWords && letterRun > 0 && !rec.leadWords.has((lead ??= text.slice(i, i + letterRun).toLowerCase()))) continue;
      if (rec.gate && !rec.gate(ctx.at(text, i, i, true))) continue;
      rec.re.lastIndex = i;
      if (typeof rec.score === 'number') {
        // a fixed score needs no groups: test() finds the span without allocating a match
        if (!rec.re.test(text) || rec.re.lastIndex <= i) continue;
        table.add(i, rec.re.lastIndex, rec.score, rec, null);
        continue;
      }
      const m = rec.re.exec(text);
      if (!m || m[0].length === 0) continue;
      const end = i + m[0].length;
      const score = rec.score(m, ctx.at(text, i, end, true));
      if (!(score > 0)) continue;
      table.add(i, end, score, rec, m);
    }
    if (mayStartRun(ch)) {
      PLAIN_RUN.lastIndex = i;
      i = PLAIN_RUN.test(text) && PLAIN_RUN.lastIndex > i ? PLAIN_RUN.lastIndex : i + 1;
    } else i += 1;
  }
  return table;
}


const TEX_LEFTOVER = /[\\${}^_]/;
const TEX_LEFTOVERS = /[\\${}^_]/g;

function scan(text: string, depth: number, changes: NormalizeChange[] | null, offset: number): string {
  const recurse = (s: string) => (depth >= MAX_NESTING ? s.replace(/[\\$]/g, ' ') : scan(s, depth + 1, null, 0));
  const table = classify(text);
  const kept = resolve(text.length, table);
  // a rope built with += is cheaper than joining an array of many short pieces
  let out = '';
  // one context for every verbalizer call: verbalizers read it and keep nothing
  const spanCtx = new SpanContext();
  let i = 0;
  const copy = (to: number) => {
    // text no span covers is kept, except TeX leftovers that must never be read
    if (to > i) {
      const plain = text.slice(i, to);
      out += TEX_LEFTOVER.test(plain) ? plain.replace(TEX_LEFTOVERS, ' ') : plain;
    }
    i = Math.max(i, to);
  };
  for (const k of kept) {
    const start = table.start[k];
    const end = table.end[k];
    const rec = table.recognizer[k];
    copy(start);
    const original = text.slice(start, end);
    let spoken: string;
    try {
      spoken = VERBALIZERS[rec.cls](rec.fields(matchOf(table, k, text)), spanCtx.at(text, start, end, false), recurse);
      if (spoken.includes('\\') || spoken.includes('$')) spoken = spoken.replace(/[\\$]/g, ' ');
    } catch {
      spoken = original.replace(/[\\${}^_]/g, ' '); // defence in depth: a verbalizer that fails reads the text as written
    }
    // no space between a spoken span and a possessive or hyphenated word after it ("29th's", "4-kilogram")
    const after = text[end];
    out += spoken === '' ? ' ' : (after === "'" || after === '’' || after === '-') && /^(?:['’]s\b|-\p{L})/u.test(text.slice(end, end + 3)) ? ` ${spoken}` : ` ${spoken} `;
    if (changes) {
      const said = spoken.trim();
      if (said !== original.trim()) changes.push({ start: offset + start, end: offset + end, original, spoken: said, class: rec.cls });
    }
    i = end;
  }
  copy(text.length);
  return out;
}

/**
 * Each pass runs only if its pattern occurs: on a long text every pass copies the whole string,
 * and skipping the ones with nothing to do saves both the copy and the garbage collection.
 */
const TIDY: [RegExp, RegExp, string][] = [
  [/[ \t]{2}|\t/, /[ \t]+/g, ' '],
  [/ \n|\n /, / *\n */g, '\n'],
  [/\n{3}/, /\n{3,}/g, '\n\n'],
  [/ [,.;:!?]/, / ([,.;:!?])/g, '$1'],
  [/[,;:][^\s\d]/, /([,;:])(?=[^\s\d])/g, '$1 '],
  [/,\s*,/, /,\s*,/g, ','],
  [/(?<!\.)\.\.(?!\.)/, /(?<!\.)\.\.(?!\.)/g, '.'],
];

function tidy(s: string): string {
  for (const [present, all, by] of TIDY) if (present.test(s)) s = s.replace(all, by);
  return s.trim();
}

/** English: the text as read and the changed spans. */
export function normalizeEnglish(text: string): Omit<NormalizeResult, 'language'> {
  try {
    const changes: NormalizeChange[] = [];
    return { text: tidy(scan(text, 0, changes, 0)), changes };
  } catch {
    // Defence in depth: total even if a recognizer misbehaves. Strip what must never be spoken.
    const s = text.replace(/[\\${}^_]/g, ' ');
    return { text: tidy(s), changes: [] };
  }
}

/** One normalizer per language; each is total and pure. */
const NORMALIZERS: Record<SpeechLanguage, (text: string) => Omit<NormalizeResult, 'language'>> = {
  en: normalizeEnglish,
  zh: (text) => normalizeChinese(text, normalizeEnglish),
};

export function normalizeForSpeech(input: string, options: NormalizeOptions = {}): NormalizeResult {
  const text = typeof input === 'string' ? input.slice(0, options.maxLength ?? 1_000_000) : String(input ?? '');
  const language = options.language === 'zh' || options.language === 'en' ? options.language : detectLanguage(text);
  return { ...NORMALIZERS[language](text), language };
}
