/**
 * Chinese speech text (docs/text-normalization.md, "Chinese"). Same design as the English side:
 * classify (recognizers.ts) → resolve (../resolve.ts) → verbalize (verbalize.ts), on a copy of
 * the text with full-width forms folded (fold.ts: offsets are unchanged). A paragraph written in
 * English inside a Chinese script is read by the English normalizer, so its numbers are read in
 * English; English words and names inside Chinese sentences stay as written.
 */
import type { NormalizeChange } from '../change.js';
import { languageCounts } from '../language.js';
import { CandidateTable, matchOf, resolve } from '../resolve.js';
import { foldWidth, isFullWidthAlnum } from './fold.js';
import { RECOGNIZERS_ZH, type ZhContext, type ZhRecognizer } from './recognizers.js';
import { VERBALIZERS_ZH } from './verbalize.js';

type Normalized = { text: string; changes: NormalizeChange[] };

/** The recognizers that can start at a character, worked out once per distinct character. */
const byFirstChar = new Map<string, ZhRecognizer[]>();
function recognizersFor(ch: string): ZhRecognizer[] {
  let list = byFirstChar.get(ch);
  if (!list) {
    list = RECOGNIZERS_ZH.filter((r) => r.first.test(ch));
    if (byFirstChar.size < 10_000) byFirstChar.set(ch, list);
  }
  return list;
}
const FORMULA = RECOGNIZERS_ZH.find((r) => r.name === 'formula');
const CARDINAL = RECOGNIZERS_ZH.find((r) => r.name === 'cardinal');
const CARDINAL_ONLY = RECOGNIZERS_ZH.filter((r) => r.name === 'cardinal');

/**
 * At a digit, the recognizers whose shape check passes depend only on the digit, the length of
 * its run, the character after the run and the one after the whole number: worked out once per
 * such situation (number-heavy text repeats a few), so a position costs one map lookup.
 */
const shapes = new Map<number, ZhRecognizer[]>();
function byShape(digit: number, run: number, nextCode: number, afterCode: number): ZhRecognizer[] {
  // NaN (the end of the text) becomes 0
  const key = (((digit - 48) * 81 + run) * 65537 + (nextCode || 0)) * 65537 + (afterCode || 0);
  let list = shapes.get(key);
  if (!list) {
    const next = nextCode ? String.fromCharCode(nextCode) : '';
    const after = afterCode ? String.fromCharCode(afterCode) : '';
    list = recognizersFor(String.fromCharCode(digit)).filter((r) => !r.shape || r.shape(run, next, after));
    if (shapes.size < 50_000) shapes.set(key, list);
  }
  return list;
}
const isAlnum = (k: number) => (k >= 48 && k <= 57) || (k >= 65 && k <= 90) || (k >= 97 && k <= 122);
const isDigitCode = (k: number) => k >= 48 && k <= 57;

function classify(text: string): CandidateTable<ZhRecognizer> {
  const table = new CandidateTable<ZhRecognizer>(text.length);
  const ctx: ZhContext = { text, start: 0, end: 0 };
  let formulaEnd = 0;
  // recognizers whose required character this text lacks are not tried anywhere
  const absent = new Set(RECOGNIZERS_ZH.filter((r) => r.requires && !text.includes(r.requires)));
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    // Han characters and Chinese punctuation start nothing: most of a Chinese script is skipped here
    if (k >= 0x3000 && k !== 0x33a1 && !(k >= 0x3380 && k <= 0x33df) && k !== 0xffe5) continue;
    if (k === 32 || k === 10 || k === 9 || k === 13) continue;
    // a token starts only where the previous character is not part of the same run of digits or letters
    const prev = i > 0 ? text.charCodeAt(i - 1) : 0;
    if (isAlnum(k) && isAlnum(prev)) continue;
    // at a digit: the run of digits, the character after it, and the character after the whole number
    let candidates: ZhRecognizer[];
    if (isDigitCode(k)) {
      let run = 0;
      while (run < 80 && isDigitCode(text.charCodeAt(i + run))) run++;
      let j = i + run;
      while (j < text.length && j - i < 80 && (isDigitCode(text.charCodeAt(j)) || text.charCodeAt(j) === 44 || text.charCodeAt(j) === 46)) j++;
      if (text.charCodeAt(j) === 32) j++;
      candidates = byShape(k, run, text.charCodeAt(i + run), text.charCodeAt(j));
      // right after "3." only a plain number may start (the decimal's own reading covers it otherwise)
      if (prev === 46 && isDigitCode(text.charCodeAt(i - 2) || 0)) candidates = CARDINAL_ONLY;
    } else candidates = recognizersFor(text[i]);
    for (const rec of candidates) {
      // a formula that starts inside a formula already found is a part of it: not tried again
      if (rec === FORMULA && i < formulaEnd) continue;
      if (absent.size > 0 && absent.has(rec)) continue;
      if (rec.gate) {
        ctx.start = ctx.end = i;
        if (!rec.gate(ctx)) continue;
      }
      rec.re.lastIndex = i;
      if (typeof rec.score === 'number') {
        // a fixed score needs no groups: test() finds the span without allocating a match
        if (rec.re.test(text) && rec.re.lastIndex > i) table.add(i, rec.re.lastIndex, rec.score, rec, null);
        continue;
      }
      const m = rec.re.exec(text);
      if (!m || m[0].length === 0) continue;
      ctx.start = i;
      ctx.end = i + m[0].length;
      const score = rec.score(m, ctx);
      if (score > 0) table.add(i, ctx.end, score, rec, m);
      if (rec === FORMULA) formulaEnd = ctx.end;
    }
  }
  return table;
}

const TEX_LEFTOVERS = /[\\${}^_]/g;

/** Characters that uncovered text cannot keep as written: full-width letters and digits (folded) and TeX leftovers. */
const NOT_AS_WRITTEN = /[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\\${}^_]/;

/** Uncovered text is copied as written, except full-width letters and digits (folded) and TeX leftovers (spaces). */
function copy(input: string, folded: string, from: number, to: number): string {
  const plain = input.slice(from, to);
  if (!NOT_AS_WRITTEN.test(plain)) return plain;
  let out = '';
  for (let i = from; i < to; i++) {
    const c = input[i];
    out += isFullWidthAlnum(input.charCodeAt(i)) ? folded[i] : c === '\\' || c === '$' || c === '{' || c === '}' || c === '^' || c === '_' ? ' ' : c;
  }
  return out;
}


function scanChinese(input: string, offset: number, changes: NormalizeChange[]): string {
  const text = foldWidth(input);
  const table = classify(text);
  const kept = resolve(text.length, table);
  const ctx: ZhContext = { text, start: 0, end: 0 };
  let out = '';
  let i = 0;
  for (const k of kept) {
    const start = table.start[k];
    const end = table.end[k];
    out += copy(input, text, i, start);
    const original = input.slice(start, end);
    const rec = table.recognizer[k];
    ctx.start = start;
    ctx.end = end;
    let spoken: string;
    try {
      spoken = VERBALIZERS_ZH[rec.cls]?.(rec.fields(matchOf(table, k, text)), ctx) ?? original;
    } catch {
      spoken = original.replace(TEX_LEFTOVERS, ' '); // defence in depth: a verbalizer that fails reads the text as written
    }
    out += spoken;
    if (spoken !== original) changes.push({ start: offset + start, end: offset + end, original, spoken, class: rec.cls });
    i = end;
  }
  return out + copy(input, text, i, text.length);
}

/** A sentence with no Han character and a few English words is English. */
function isEnglishSentence(p: string): boolean {
  const { han, latinWords } = languageCounts(p);
  return han === 0 && latinWords >= 3;
}

/** Sentences: up to and including 。！？； or a line break, or . ! ? followed by a space. */
const SENTENCE = /(?:[^。！？；\n.!?]|[.!?](?=[^\s.!?]))*(?:[。！？；\n]|[.!?]+(?:\s|$)|$)/gy;

function tidy(s: string): string {
  if (/[ \t]{2}/.test(s)) s = s.replace(/[ \t]{2,}/g, ' ');
  if (/ \n|\n /.test(s)) s = s.replace(/ *\n */g, '\n');
  return s.trim();
}

export function normalizeChinese(input: string, english?: (text: string) => Normalized): Normalized {
  const changes: NormalizeChange[] = [];
  try {
    if (!english) return { text: tidy(scanChinese(input, 0, changes)), changes };
    let out = '';
    // runs of Chinese sentences are read together (context crosses sentence ends); an English sentence alone
    let from = 0;
    SENTENCE.lastIndex = 0;
    for (let m = SENTENCE.exec(input); m && m[0] !== ''; m = SENTENCE.exec(input)) {
      if (!isEnglishSentence(m[0])) continue;
      out += scanChinese(input.slice(from, m.index), from, changes);
      const core = m[0].trim();
      const lead = m[0].slice(0, m[0].indexOf(core));
      const r = english(core);
      out += lead + r.text + m[0].slice(lead.length + core.length);
      const at = m.index + lead.length;
      for (const c of r.changes) changes.push({ ...c, start: c.start + at, end: c.end + at });
      from = m.index + m[0].length;
    }
    out += scanChinese(input.slice(from), from, changes);
    return { text: tidy(out), changes };
  } catch {
    // total even if a recognizer misbehaves: strip what must never be spoken
    return { text: tidy(input.replace(TEX_LEFTOVERS, ' ')), changes: [] };
  }
}
