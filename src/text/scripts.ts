/**
 * Letters of writing systems the TTS cannot speak (docs/text-normalization.md, "Scripts the TTS
 * cannot speak"). HeyGem's fish-speech reads Chinese and English and silently drops or turns
 * into commas everything else, so such characters are found before a task is accepted.
 *
 * Only letters and combining marks that belong to a script are judged: digits, punctuation,
 * symbols, emoji, whitespace, CJK punctuation and full-width forms are fine in every language.
 * Latin letters with diacritics (é, ü, ñ) are Latin. A lone Greek letter is maths (α, π, Σ) and
 * is read by the normalizer; two or more Greek letters in a row are Greek words.
 */
import type { SpeechLanguage } from './language.js';

export interface UnsupportedChar {
  /** The character (a whole code point: two UTF-16 units outside the BMP). */
  char: string;
  /** UTF-16 offset in the input. */
  index: number;
  /** A readable script name: 'Devanagari', 'Hangul', 'Hiragana', … */
  script: string;
}

/** The scripts each language's voice reads. */
const READS: Record<SpeechLanguage, string> = { zh: 'Han', en: 'Latin' };

/** Scripts named in reports, tried in this order for a letter that is neither Latin nor Han. */
const NAMED = [
  'Latin', 'Han', 'Hangul', 'Hiragana', 'Katakana', 'Bopomofo', 'Cyrillic', 'Greek', 'Arabic', 'Hebrew', 'Devanagari', 'Bengali', 'Gurmukhi',
  'Gujarati', 'Oriya', 'Tamil', 'Telugu', 'Kannada', 'Malayalam', 'Sinhala', 'Thai', 'Lao', 'Tibetan', 'Myanmar', 'Khmer', 'Armenian',
  'Georgian', 'Ethiopic', 'Mongolian', 'Syriac', 'Thaana', 'Yi', 'Cherokee', 'Tifinagh', 'Javanese', 'Balinese', 'Canadian_Aboriginal',
].map((name) => [name.replace(/_/g, ' '), new RegExp(`^\\p{Script=${name}}$`, 'u')] as const);
const LETTER_OR_MARK = /^[\p{L}\p{M}]$/u;
const COMMON_OR_INHERITED = /^[\p{Script=Common}\p{Script=Inherited}]$/u;

function scriptOf(ch: string): string | null {
  const k = ch.codePointAt(0)!;
  if (k < 0x80) return /[A-Za-z]/.test(ch) ? 'Latin' : null;
  if ((k >= 0x4e00 && k <= 0x9fff) || (k >= 0x3400 && k <= 0x4dbf)) return 'Han';
  if (!LETTER_OR_MARK.test(ch) || COMMON_OR_INHERITED.test(ch)) return null;
  for (const [name, re] of NAMED) if (re.test(ch)) return name;
  return 'other';
}

const isGreek = (ch: string | undefined) => ch !== undefined && scriptOf(ch) === 'Greek';

/** Every character of a script none of the `supported` languages reads, in text order. */
export function findUnsupported(text: string, supported: readonly SpeechLanguage[] = ['zh', 'en']): UnsupportedChar[] {
  const ok = new Set(supported.map((l) => READS[l]));
  const found: UnsupportedChar[] = [];
  let prevGreek = false;
  for (let i = 0; i < text.length; ) {
    const k = text.charCodeAt(i);
    const width = k >= 0xd800 && k <= 0xdbff && i + 1 < text.length ? 2 : 1;
    // ASCII other than letters, and CJK ideographs when Chinese is read: the common case, decided without a regex
    if ((k < 0x80 && !((k >= 65 && k <= 90) || (k >= 97 && k <= 122))) || (ok.has('Han') && k >= 0x4e00 && k <= 0x9fff)) {
      prevGreek = false;
      i += width;
      continue;
    }
    const ch = text.slice(i, i + width);
    const script = scriptOf(ch);
    if (script === 'Greek') {
      // a lone Greek letter is a maths symbol; a run of them is a word
      const nextGreek = isGreek(text.slice(i + 1, i + 2) || undefined);
      if (prevGreek || nextGreek) found.push({ char: ch, index: i, script });
      prevGreek = true;
      i += width;
      continue;
    }
    prevGreek = false;
    if (script !== null && !ok.has(script)) found.push({ char: ch, index: i, script });
    i += width;
  }
  return found;
}

/**
 * The text without the found characters. Where removing a word leaves two spaces, one goes, so
 * "Hello नमस्ते world" becomes "Hello world".
 */
export function stripUnsupported(text: string, found: UnsupportedChar[]): string {
  if (found.length === 0) return text;
  const drop = new Set<number>();
  for (const f of found) for (let k = 0; k < f.char.length; k++) drop.add(f.index + k);
  let out = '';
  let i = 0;
  while (i < text.length) {
    if (!drop.has(i)) {
      out += text[i++];
      continue;
    }
    while (i < text.length && drop.has(i)) i++;
    if (/[ \t]$/.test(out) && /^[ \t]/.test(text[i] ?? '')) while (/[ \t]/.test(text[i] ?? '')) i++;
  }
  return out;
}
