/**
 * Classify: every recognizer proposes a span with a class, a score and parsed fields. Nothing
 * here decides between them (resolve.ts does), so the order of this list does not matter.
 * Every pattern is bounded (no nested unbounded quantifiers), so trying them all stays linear.
 */
import { ABBREVIATIONS, BEFORE_NUMBER, DOTTED_PLACES, LATIN, US_STATES } from './abbreviations.js';
import { AFTER_YEAR_OK, DIGIT_CUES, hasCue, NAME_CUES, QUANTITY_CUES, REGNAL, YEAR_CUES } from './cues.js';
import type { Context, Fields, Recognizer, SpanClass } from './spans.js';
import { CURRENCY_CODE_WORDS, CURRENCY_CODES, UNIT_PATTERN } from './units.js';
import { monthIndex } from './verbalize.js';
import { FILE_EXTENSIONS, TLDS } from './web.js';

const NUM = String.raw`\d{1,3}(?:,\d{3})+|\d+`;
const MONTH = String.raw`January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec`;
const VULGAR = '½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞';
/** A quantity before a unit: 1,200 / 3.5 / 1 1/2 / 3/4 / 1½ / ½. */
const QTY = String.raw`(?:\d+[ -])?\d{1,4}\/\d{1,4}|(?:\d+ ?)?[${VULGAR}]|-?(?:${NUM})(?:\.\d+)?|\.\d+`;

const words = (c: Context) => c.before;
/** Words before "3/20" that make it a date rather than a fraction. */
const DATE_CUES = new Set(['on', 'for', 'beginning', 'starting', 'from', 'until', 'till', 'by', 'due', 'dated', 'report', 'since', 'before', 'after', 'through', 'thru', 'deadline', 'date', 'tomorrow', 'today', 'meeting', 'reminder']);
/** A maths operand right before an operator: a digit, a closing bracket or a one-letter variable. */
const MATH_OPERAND_BEFORE = /(?:(?:^|[^\p{L}])[\p{L}]|[\d)²³])\s?$/u;
const tld = TLDS.join('|');
const ext = FILE_EXTENSIONS.join('|');
/** Nouns after "13B", "10K": the letter is a scale (billion, thousand), not a unit. */
const COUNTED = new Set(['model', 'models', 'parameter', 'parameters', 'params', 'token', 'tokens', 'users', 'views', 'downloads', 'subscribers', 'followers', 'people', 'visits', 'streams', 'rows', 'records', 'requests', 'run', 'race', 'steps', 'words', 'lines', 'stars', 'likes', 'members', 'customers', 'employees', 'images', 'samples', 'examples', 'llm']);

/** Abbreviations written with a slash. */
const SLASH_ABBR: Record<string, string> = { 'w/o': 'without', 'c/o': 'care of', 'n/a': 'not applicable', 'a/c': 'account' };

/** Words in capitals that are not names: a number next to them is an amount. */
const CAPS_NOT_NAMES = new Set(['USD', 'EUR', 'GBP', 'JPY', 'INR', 'CAD', 'AUD', 'CHF', 'CNY', 'AD', 'BC', 'BCE', 'CE', 'AM', 'PM', 'GMT', 'UTC', 'EST', 'PST', 'CST', 'MST', 'EDT', 'PDT', 'OK', 'ID', 'PIN', 'ZIP', 'ISBN', 'SSN', 'OTP', 'VIN', 'AND', 'OR', 'THE', 'IN', 'ON', 'AT', 'TO', 'OF', 'FOR', 'BY', 'IS', 'IT', 'A', 'I', 'TV', 'FY', 'Q']);
function capsNameAround(digits: string, c: Context): boolean {
  if (digits.length === 4 && c.before[0] === undefined) return false;
  const before = /(?:^|[^\p{L}\d])(\p{Lu}{2,5}|\p{Lu}\d)[ \t]$/u.exec(c.text.slice(Math.max(0, c.start - 8), c.start))?.[1];
  return !!before && !CAPS_NOT_NAMES.has(before);
}

/** Degrees after a name or as a noun: a capital word after one starts a new sentence. */
const DEGREES = /^(?:Ph\.D\.?|M\.D\.|M\.A\.|B\.A\.|B\.S\.|M\.S\.|M\.B\.A\.|J\.D\.|LL\.[BMD]\.|D\.D\.S\.|R\.N\.|B\.Sc\.|M\.Sc\.|Ed\.D\.|D\.Phil\.|M\.Phil\.)$/;

/** Nouns after "4K", "8K": a display resolution, said "four K". */
const SCREENS = new Set(['tv', 'tvs', 'video', 'videos', 'display', 'displays', 'monitor', 'monitors', 'screen', 'screens', 'resolution', 'hdr', 'streaming', 'camera', 'cameras', 'content', 'footage', 'blu', 'uhd', 'television']);

/** Before a service number (311, 999): it is dialled, so said digit by digit. */
const CALL_WORDS = new Set(['call', 'dial', 'dialed', 'dialled', 'dialing', 'calling', 'called', 'phone', 'ring', 'text', 'try']);

const ROMAN: Record<string, number> = { I: 1, V: 5, X: 10, L: 50, C: 100 };
function romanValue(s: string): number {
  let total = 0;
  for (let i = 0; i < s.length; i++) {
    const v = ROMAN[s[i]];
    total += i + 1 < s.length && ROMAN[s[i + 1]] > v ? -v : v;
  }
  return total;
}
/** Words before a Roman numeral that is a number ("Chapter IV"); a name before one makes it regnal ("Henry III"). */
const ROMAN_CUES = new Set(['song', 'canto', 'psalm', 'hymn', 'letter', 'lecture', 'lesson', 'poem', 'sonnet', 'vol', 'no', 'number', 'plate', 'chapter', 'part', 'book', 'volume', 'vol', 'act', 'scene', 'section', 'war', 'phase', 'stage', 'level', 'type', 'class', 'grade', 'appendix', 'article', 'title', 'super', 'episode', 'season', 'figure', 'table', 'step', 'unit', 'round', 'world']);
function romanScore(s: string, ctx: Context): number {
  const v = romanValue(s);
  if (v <= 0 || v > 399 || !/^(C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$/.test(s)) return 0;
  if (ROMAN_CUES.has(ctx.before[0] ?? '')) return 0.9;
  const prev = /([A-Za-z]+)\s$/.exec(ctx.text.slice(Math.max(0, ctx.start - 20), ctx.start))?.[1] ?? '';
  // "Henry III", "Sam II"; a lone "I" is the pronoun unless it ends the sentence after a name
  // a Roman numeral alone on its line is a heading number ("XXVI.")
  if (s.length >= 2 && ctx.before.length === 0 && /^\.?\s*$/.test(ctx.text.slice(ctx.end, ctx.end + 3).replace(/\n[\s\S]*$/, ''))) return 0.9;
  if (!/^(?:[A-Z][a-z]+|[A-Z]{2,})$/.test(prev)) return 0;
  // one letter after a name is mostly an initial ("Richard C."), except after a ruler's name
  if (s.length === 1 && (!/[IVX]/.test(s) || !REGNAL.has(prev.toLowerCase()) || /^\.\s?\p{L}/u.test(ctx.next))) return 0;
  if (s === 'I' && !/^(?:[\s.,;:!?]*$|\s(?:of|and)\b)/.test(ctx.text.slice(ctx.end, ctx.end + 5))) return 0;
  return 0.9;
}

function yearScore(y: string, ctx: Context): number {
  const n = Number(y);
  if (n < 1000 || n > 2099) return 0;
  if (hasCue(ctx, DIGIT_CUES) || hasCue(ctx, NAME_CUES, 1)) return 0;
  if (YEAR_CUES.has(words(ctx)[0] ?? '')) return 0.9;
  if (words(ctx)[0] === 'the' && n >= 1800) return 0.8;
  if (/^[ \t]{0,2}(?:[–—-][ \t]{0,2}\d{2,4}\b|(?:AD|BC|BCE|CE|A\.D\.|B\.C\.)\b)/.test(ctx.next + ctx.text.slice(ctx.end + 3, ctx.end + 8))) return 0.9;
  if (QUANTITY_CUES.has(words(ctx)[0] ?? '')) return 0.3;
  // "1500 people": a lower-case word after it that could not follow a year makes it a count
  if (/^[ \t]{1,2}[a-z]/.test(ctx.next) && !AFTER_YEAR_OK.has(ctx.after)) return 0.3;
  return n >= 1100 ? 0.62 : 0.3;
}

const D = /\d/;
const L = /[A-Za-z]/;
const AN = /[A-Za-z0-9]/;
/** The characters a recognizer's match can start with: the scanner tries only those that can. */
const FIRST: Record<string, RegExp> = {
  'html-tag': /</, 'html-entity': /&/, 'md-image': /!/, 'md-link': /\[/, 'md-code': /`/, 'md-heading': /[#>*+\-\d]/, 'md-emphasis': /[*_~]/, 'md-em': /\*/,
  'tex-display': /\$/, 'tex-bracket': /\\/, 'tex-paren': /\\/, 'tex-inline': /\$/, 'tex-env': /\\/, 'tex-command': /\\/,
  url: /[hHwW]/, domain: AN, 'host-port': /[l\d]/, email: /[A-Za-z0-9._%+-]/, file: /[A-Za-z0-9_]/, ip: D, 'iso-date': D, 'month-date': L, 'day-month': D, 'month-year': L, 'slash-date': D,
  'time-ampm': D, time: D, phone: /[+(\d]/, 'phone-1800': D, ssn: D, 'cue-digits': D, zip: D, 'leading-zero': D, 'cue-name-number': D, code: /[A-Z]/, 'code-401k': D, 'house-number': D, serial: /[a-z]/, word: L,
  currency: /[U$€£¥₹₩₽₺₦₱]/, 'currency-cents': /[U$€£]/, 'currency-code': /[A-Z]/, 'amount-code': D, percent: /[-−+\d]/, temperature: /[-−\d]/, degrees: D, unit: /[-\d.½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞]/, 'per-unit': /[-\d.½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞]/,
  dimension: D, 'scale-suffix': D, ordinal: D, decade: /['\dmeplMEPL]/, version: /[vV\d]/, fraction: D, vulgar: /[\d½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞]/, range: D, year: D, number: /[\d.]/, 'signed-number': /[-−]/, 'number-plain': D,
  scientific: D, power: AN, sqrt: /s/, 'root-sign': /√/, 'function-call': /[fghFGH]/, coefficient: D, factorial: /[a-z\d]/, congruence: /[\w ^+-]/, equals: /=/, plus: /\+/, minus: /-/, times: /[*x]/,
  compare: /[<>]/, 'math-char': /[×÷±∓≤≥≠≈≡→⇒⇔←∞∑∏∫∂∇∈∉⊂∪∩∀∃∅·²³‰−∝∴]/, greek: /[α-ωΓΔΘΛΠΣΦΨΩ]/, 'prose-symbol': /[<>=\-≤≥~≈→⇒←±≠§¶©№&/+®™†‡]/, 'time-to': /[–—-]/, 'plus-after': D, ampersand: /&/,
  resolution: D, alnum: AN, 'ymd-slash': D, 'dmy-dot': D, 'month-dash': L, 'era-year': D, 'range-unit': D, roman: /[IVXLC]/, 'tex-quotes': /[`']/,
  'bare-title': /[dmspDMP]/, weekday: /[MTWFS]/, 'bare-label': /[vVNnpcCfFsS]/, 'bare-suffix': /[jsilJS]/, 'bare-vs': /v/, 'short-year': /['’]/, 'cue-digit-groups': D, 'md-slash': D,
  'phone-local': D, 'slash-per': /\//, 'slash-words': /\//, 'music-key': /[A-G]/, ratio: D, 'feet-inches': D, inches: /[\d½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞]/, 'phone-zero': /0/, 'phone-trunk': /\(/, 'caps-number': D, multiplier: D, path: /[~./]/, 'signed-plus': /\+/, emergency: /[2-9]/, 'slash-abbr': /[wcanWCAN]/, 'formula-chain': /[A-Za-z\d]/,
  'at-sign': /@/, 'at-handle': /@/, 'hash-number': /#/, hashtag: /#/, latin: /[eEiIaAnNpPvVcC]/, circa: /c/, initials: /[A-Z]/, 'saint-street': /S/, abbr: L, 'address-abbr': /[SABRLHhEPCDsabd]/, compass: /[NSEW]/, state: /[A-Z]/,
};

/**
 * At a digit, what a recognizer needs right after the run of digits it starts with: the run's
 * length and the next character. Checked before the pattern runs, so a digit does not cost
 * forty regular-expression calls (docs/text-normalization.md, "Speed").
 */
const ANY = /[\s\S]/;
const DIGIT_SHAPE: Record<string, [number, number, RegExp]> = {
  ip: [1, 3, /\./], 'iso-date': [4, 4, /-/], 'day-month': [1, 2, /[ snrtSNRT]/], 'ymd-slash': [4, 4, /[/.]/], 'dmy-dot': [1, 2, /\./], 'slash-date': [1, 2, /[/-]/],
  'md-slash': [1, 2, /\//], 'time-ampm': [1, 2, /[:. aApP]/], time: [1, 2, /:/], phone: [3, 3, /[ .-]/], 'phone-1800': [1, 1, /[ -]/], ssn: [3, 3, /-/],
  'leading-zero': [2, 99, ANY], 'code-401k': [3, 3, /\(/], 'house-number': [1, 5, / /], resolution: [3, 4, /[pi]/], alnum: [1, 99, /[A-Za-z-]/],
  'amount-code': [1, 99, /[\s,.a-zA-Z]/], percent: [1, 99, /[%.,\s]/], temperature: [1, 99, /[.°º\s]/], degrees: [1, 99, /[.°º\s]/],
  unit: [1, 99, /[\s.,/a-zA-Zµμ½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞Ω°º-]/], 'range-unit': [1, 99, /[.\s–—-]/], 'per-unit': [1, 99, /[.,/\s]/], dimension: [1, 99, /[.\sx×]/],
  'scale-suffix': [1, 99, /[.\sKMBTbmk]/], ordinal: [1, 99, /[,snrtSNRT]/], decade: [1, 4, /[s\s'’]/], version: [1, 99, /\./], fraction: [1, 99, /[/ ]/],
  vulgar: [1, 4, /[ ½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞]/], range: [1, 99, /[.\s–—-]/], year: [4, 4, ANY], 'era-year': [1, 3, /[\sABC]/], scientific: [1, 99, /[.eE]/],
  power: [1, 99, /[.^]/], coefficient: [1, 99, /[a-z]/], factorial: [1, 3, /!/], 'plus-after': [1, 99, /\+/], 'md-heading': [1, 2, /\./], 'host-port': [1, 3, /\./],
  domain: [1, 99, /[.A-Za-z-]/], email: [1, 99, /[A-Za-z._%+@-]/], file: [1, 99, /[A-Za-z_.-]/], 'cue-digit-groups': [1, 6, /-/], 'cue-digits': [3, 12, ANY], zip: [5, 5, ANY],
  'cue-name-number': [1, 4, ANY], 'caps-number': [2, 4, ANY], multiplier: [1, 99, /[.x×]/], 'phone-local': [3, 3, /-/], emergency: [1, 3, /[-\s.,;:!?)]/], 'formula-chain': [1, 4, /\*/],
};
/** The same at an ASCII letter: the length of the leading run of letters and the character after it. */
const LETTER_SHAPE: Record<string, [number, number, RegExp]> = {
  domain: [1, 63, /[.\d-]/], email: [1, 64, /[._%+@\d-]/], file: [1, 99, /[._\d-]/], url: [3, 5, /[:.]/], 'month-date': [3, 9, /[ .,-]/], 'month-year': [3, 9, /[ .,]/],
  'month-dash': [3, 9, /-/], 'currency-code': [3, 3, /[\s\d]/], abbr: [1, 9, /\./], latin: [1, 6, /[. ]/], circa: [1, 1, /\./], initials: [1, 3, /\./], 'saint-street': [2, 2, /\./],
  'bare-title': [2, 4, / /], 'bare-label': [2, 3, / /], 'bare-vs': [1, 2, / /], compass: [1, 1, /[. ]/], alnum: [1, 40, /[\d-]/], power: [1, 1, /\^/], sqrt: [4, 4, /\(/],
  'function-call': [1, 1, /\(/], factorial: [1, 1, /!/], 'slash-abbr': [1, 1, /\//], 'formula-chain': [1, 1, /\*/], 'host-port': [9, 9, /:/], decade: [3, 5, /-/], version: [1, 7, /[\d ]/],
};

/**
 * Keyword recognizers: the lower-cased run of letters they can start with. At a letter the run
 * is looked up in a set before the pattern runs, so prose does not run a dozen keyword patterns
 * at every word.
 */
const lower = (xs: string[]) => new Set(xs.map((x) => x.toLowerCase()));
const MONTH_WORDS = lower(MONTH.split('|'));
const LEAD_WORDS: Record<string, Set<string>> = {
  'month-date': MONTH_WORDS, 'month-year': MONTH_WORDS, 'month-dash': MONTH_WORDS,
  'currency-code': lower(['USD', 'EUR', 'GBP', 'JPY', 'INR', 'KRW', 'RUB', 'CAD', 'AUD', 'CHF', 'CNY']),
  latin: lower(['e', 'i', 'a', 'et', 'n', 'p', 'viz', 'cf', 'approx', 'vs']),
  'bare-title': lower(['dr', 'mr', 'mrs', 'ms', 'st', 'prof']), 'bare-label': lower(['vol', 'no', 'nos', 'pp', 'ch', 'fig', 'sec']), 'bare-vs': lower(['vs', 'v']),
  'bare-suffix': lower(['jr', 'sr', 'inc', 'ltd']), 'address-abbr': lower(['st', 'ave', 'blvd', 'rd', 'ln', 'hwy', 'expy', 'pkwy', 'ct', 'dr']),
  abbr: lower(Object.keys(ABBREVIATIONS)), circa: lower(['c']), 'saint-street': lower(['st']), url: lower(['http', 'https', 'www']), 'host-port': lower(['localhost']),
  sqrt: lower(['sqrt']), 'slash-abbr': lower(['w', 'c', 'a', 'n']),
  weekday: lower(['mon', 'tues', 'tue', 'tu', 'wed', 'thurs', 'thur', 'thu', 'fri', 'sat', 'sun', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday']),
};

/** Characters a recognizer's match must contain somewhere: without them in the text it is not tried at all. */
const REQUIRES: Record<string, string> = { 'slash-per': '/', 'slash-words': '/', 'music-key': '#', ratio: ':', inches: '"', 'signed-plus': '+', percent: '%', 'per-unit': '/', 'md-slash': '/', 'slash-abbr': '/', 'formula-chain': '*', fraction: '/', 'plus-after': '+', factorial: '!', 'power': '^', 'hash-number': '#', hashtag: '#', congruence: '≡', email: '@', 'at-handle': '@', 'at-sign': '@', domain: '.', file: '.', ip: '.', 'host-port': ':', time: ':', 'tex-env': '\\' };

/** A word (letters, then at most a space, '.', ':' or '#') right before a position: cue words need one. */
function wordJustBefore(c: Context): boolean {
  for (let i = c.start - 1, n = 0; i >= 0 && n < 3; i--, n++) {
    const k = c.text.charCodeAt(i);
    if ((k >= 65 && k <= 90) || (k >= 97 && k <= 122) || k >= 128) return true;
    if (k !== 32 && k !== 9 && k !== 46 && k !== 58 && k !== 35) return false;
  }
  return false;
}

/** Cheap conditions on the words before a position, checked before a recognizer's pattern runs. */
const GATES: Record<string, (ctx: Context) => boolean> = {
  'cue-digits': (c) => hasCue(c, DIGIT_CUES, 3),
  'cue-digit-groups': (c) => hasCue(c, DIGIT_CUES, 2),
  'cue-name-number': (c) => wordJustBefore(c) && (hasCue(c, NAME_CUES, 1) || c.before[1] === 'flight'),
  'caps-number': (c) => (c.text[c.start - 1] === ' ' || c.text[c.start - 1] === '\t') && /[A-Z\d]/.test(c.text[c.start - 2] ?? ''),
  'md-slash': (c) => DATE_CUES.has(c.before[0] ?? '') || c.text[c.start - 1] === '(',
  zip: (c) => /[A-Z]{2},? $/.test(c.text.slice(Math.max(0, c.start - 5), c.start)),
  state: (c) => c.text[c.start - 2] === ',',
  // its lookbehind needs a letter right before: checked here without running the pattern
  'number-plain': (c) => {
    const k = c.text.charCodeAt(c.start - 1);
    return k < 128 ? (k >= 65 && k <= 90) || (k >= 97 && k <= 122) : /\p{L}/u.test(c.text[c.start - 1] ?? '');
  },
};

function r(name: string, cls: SpanClass, re: RegExp, score: Recognizer['score'], fields: (m: RegExpExecArray) => Fields, wordStart = true): Recognizer {
  const first = FIRST[name];
  if (!first) throw new Error(`recognizer ${name} has no first-character class`); // caught at load by the tests
  return { name, cls, re, score, fields, wordStart, first, gate: GATES[name], digitShape: DIGIT_SHAPE[name], letterShape: LETTER_SHAPE[name], leadWords: LEAD_WORDS[name], requires: REQUIRES[name] };
}

export const RECOGNIZERS: Recognizer[] = [
  // --- markup: stripped, not read out
  r('html-tag', 'markup', /<\/?[A-Za-z][A-Za-z0-9-]{0,20}(?:\s[^<>]{0,300})?\/?>/y, 1, () => ({ kind: 'drop' }), false),
  r('html-entity', 'markup', /&(amp|lt|gt|quot|nbsp|#39|apos);/y, 1, (m) => ({ kind: 'entity', word: ({ amp: 'and', lt: 'less than', gt: 'greater than', quot: '"', nbsp: ' ', '#39': "'", apos: "'" } as Record<string, string>)[m[1]] }), false),
  r('md-image', 'markup', /!\[([^\]\n]{0,300})\]\([^()\s]{1,500}\)/y, 1, (m) => ({ kind: 'inner', text: m[1] }), false),
  r('md-link', 'markup', /\[([^\]\n]{1,300})\]\([^()\s]{1,500}\)/y, 1, (m) => ({ kind: 'inner', text: m[1] }), false),
  r('md-code', 'markup', /(?<!`)`(?!`)([^`\n]{1,300})`(?!`)/y, 1, (m) => ({ kind: 'inner', text: m[1] }), false),
  r('md-heading', 'markup', /(?<=(?:^|\n)[ \t]{0,3})(?:#{1,6}|>|[-*+]|\d{1,2}\.)[ \t]+/y, 1, () => ({ kind: 'drop' }), false),
  r('tex-quotes', 'markup', /``|''/y, 1, () => ({ kind: 'entity', word: '"' }), false),
  r('md-emphasis', 'markup', /\*\*|__|~~/y, 1, () => ({ kind: 'drop' }), false),
  r('md-em', 'markup', /(?<![\w*])\*(?=\S)([^*\n]{1,300}?)(?<=\S)\*(?![\w*])/y, 1, (m) => ({ kind: 'inner', text: m[1] }), false),
  // --- TeX: whole formulas first; a formula outweighs anything inside it
  r('tex-display', 'math', /\$\$([^$]{1,5000}?)\$\$/y, 1, (m) => ({ kind: 'tex', tex: m[1] }), false),
  r('tex-bracket', 'math', /\\\[([\s\S]{1,5000}?)\\\]/y, 1, (m) => ({ kind: 'tex', tex: m[1] }), false),
  r('tex-paren', 'math', /\\\(([\s\S]{1,2000}?)\\\)/y, 1, (m) => ({ kind: 'tex', tex: m[1] }), false),
  // $…$ is maths when it holds TeX-ish content; "$5 and $6" stays money.
  r('tex-inline', 'math', /\$(?!\s)(?=[^$\n]{0,300}[\\^_{}=a-zA-Z])(?!\d+(?:[.,]\d+)?\s?[KMBkmb]?\b[^$\n]{0,300}\$\d)([^$\n]{1,300}?)(?<!\s)\$(?!\d)/y, 1, (m) => ({ kind: 'tex', tex: m[1] }), false),
  r('tex-env', 'math', /\\begin\{([a-zA-Z*]{1,20})\}([\s\S]{0,3000}?)\\end\{\1\}/y, 1, (m) => ({ kind: 'tex', tex: m[0] }), false),
  r('tex-command', 'math', /\\([a-zA-Z]{1,30})(?:\[[^\]\n]{0,50}\])?(?:\{[^{}\n]{0,200}\}){0,3}/y, 0.95, (m) => ({ kind: 'tex', tex: m[0] }), false),
  // --- the web
  r('url', 'url', /(?:https?:\/\/|www\.)[^\s<>"')\]]{1,500}?(?=[.,;:!?]?(?:\s|$|[<>"')\]]))/iy, 0.95, (m) => ({ url: m[0] })),
  r('domain', 'url', new RegExp(String.raw`(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.){1,6}(?:${tld})(?::\d{1,5})?(?:\/[^\s<>"')\]]{0,300}?)?(?=[.,;:!?]?(?:\s|$|[<>"')\]]))`, 'iy'), 0.85, (m) => ({ url: m[0] })),
  r('host-port', 'url', /(?:localhost|\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}(?:\/[^\s<>"')\]]{0,300}?)?(?=[.,;:!?]?(?:\s|$))/y, 0.95, (m) => ({ url: m[0] })),
  r('email', 'email', /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}\b/y, 0.95, (m) => ({ addr: m[0] })),
  r('file', 'file', new RegExp(String.raw`([A-Za-z0-9_][A-Za-z0-9_.-]{0,100})\.(${ext})(?![\p{L}\p{N}_])`, 'iuy'), (m) => (/^\d+$/.test(m[1]) || (m[2].length === 1 && (m[2] !== m[2].toLowerCase() || m[1].length < 2)) ? 0 : 0.9), (m) => ({ name: m[1], ext: m[2] })),
  r('path', 'file', /(?:~|\.{1,2})?\/[\w.-]{1,100}(?:\/[\w.-]{1,100}){0,20}\/?(?=[.,;:!?]?(?:\s|$))|\.[A-Za-z][\w-]{1,30}(?=[,;:!?)]?(?:\s|$))/y, (m, c) => (/^\.[A-Za-z]/.test(m[0]) ? (/(?:^|\s)$/.test(c.text.slice(Math.max(0, c.start - 1), c.start)) ? 0.9 : 0) : /^[~.]/.test(m[0]) || (/\/.+\//.test(m[0]) && /(?:^|\s)$/.test(c.text.slice(Math.max(0, c.start - 1), c.start))) ? 0.93 : 0), (m) => ({ path: m[0] }), false),
  r('ip', 'digits', /\d{1,3}(?:\.\d{1,3}){3}(?![\d.]\d)/y, 0.97, (m) => ({ kind: 'ip', d: m[0] })),
  // --- dates and times
  r('iso-date', 'date', /(\d{4})-(0?[1-9]|1[0-2])-(0?[1-9]|[12]\d|3[01])(?![\d:])/y, 0.95, (m) => ({ y: m[1], mo: m[2], d: m[3], style: 'mdy' })),
  r('month-date', 'date', new RegExp(String.raw`(${MONTH})\.? (0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?\b(?:,? (\d{4})\b)?`, 'iy'), 0.95, (m) => ({ mo: String(monthIndex(m[1]) + 1), d: m[2], y: m[3], style: 'mdy' })),
  r('day-month', 'date', new RegExp(String.raw`(\d{1,2})(?:st|nd|rd|th)? (?:of )?(${MONTH})\b\.?(?:,? (\d{4})\b)?`, 'iy'), 0.95, (m) => ({ mo: String(monthIndex(m[2]) + 1), d: m[1], y: m[3], style: 'dmy' })),
  r('month-year', 'date', new RegExp(String.raw`(${MONTH})\.?,? (\d{4})\b`, 'iy'), 0.95, (m) => ({ mo: String(monthIndex(m[1]) + 1), y: m[2] })),
  r('slash-date', 'date', /(0?[1-9]|1[0-2])([/-])(0?[1-9]|[12]\d|3[01])\2(\d{4}|\d{2})(?![\d/])/y, 0.95, (m) => ({ mo: m[1], d: m[3], y: m[4], style: 'mdy' })),
  r('ymd-slash', 'date', /(\d{4})([/.])(0?[1-9]|1[0-2])\2(0?[1-9]|[12]\d|3[01])(?![\d/.]\d)/y, 0.95, (m) => ({ y: m[1], mo: m[3], d: m[4], style: 'mdy' })),
  r('dmy-dot', 'date', /(0?[1-9]|[12]\d|3[01])\.(0?[1-9]|1[0-2])\.(\d{4})(?![\d.]\d)/y, 0.95, (m) => ({ y: m[3], mo: m[2], d: m[1], style: 'dmy' })),
  r('month-dash', 'date', new RegExp(String.raw`(${MONTH})-(\d{1,2})(?:-(\d{4}))?(?![\d])`, 'iy'), 0.95, (m) => ({ mo: String(monthIndex(m[1]) + 1), d: m[2], y: m[3], style: 'mdy' })),
  r('md-slash', 'date', /(0?[1-9]|1[0-2])\/(0?[1-9]|[12]\d|3[01])(?![\d/])/y, (_m, c) => c.after !== 'of' && (DATE_CUES.has(c.before[0] ?? '') || /\b(?:Mon|Tue|Tu|Wed|Thu|Fri|Sat|Sun)\w*\s?\($/.test(c.text.slice(Math.max(0, c.start - 12), c.start))) ? 0.95 : 0, (m) => ({ mo: m[1], d: m[2], style: 'mdy' })),
  r('weekday', 'abbreviation', /(Mon|Tues|Tue|Tu|Wed|Thurs|Thur|Thu|Fri|Sat|Sun)\.?(?= ?\(?\d{1,2}[/.-]\d)/y, 0.9, (m) => ({ spoken: ({ Mon: 'Monday', Tues: 'Tuesday', Tue: 'Tuesday', Tu: 'Tuesday', Wed: 'Wednesday', Thurs: 'Thursday', Thur: 'Thursday', Thu: 'Thursday', Fri: 'Friday', Sat: 'Saturday', Sun: 'Sunday' } as Record<string, string>)[m[1]] })),
  r('time-ampm', 'time', /(1[0-2]|0?[1-9])(?:[:.]([0-5]\d))?(?::([0-5]\d))?\s?([ap]\.?m\b\.?)(?:\s?([ECMP][SD]T|GMT|UTC|[ecmp]\.?[sd]\.?t\b\.?))?/iy, 0.95, (m) => ({ h: m[1], mi: m[2], s: m[3], ap: m[4], zone: m[5], stopDot: m[4].endsWith('.') || m[5]?.endsWith('.') ? '1' : undefined })),
  // "1:2 ratio", "16:9 screen", "2:8": a colon between numbers that cannot be a time is "to"
  r('ratio', 'range', /(\d{1,3}):(\d{1,3})(?![\d:])/y, (m, c) => (/^(?:ratio|aspect|odds|scale|split|mix|margin|win|lead|vote)s?$/.test(c.after) ? 0.97 : m[2].length === 2 && Number(m[2]) < 60 ? 0 : 0.85), (m) => ({ a: m[1], b: m[2] })),
  r('time', 'time', /([01]?\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?(?!:?\d)(?:\s?(GMT|UTC|[ECMP][SD]T|gmt|utc|[ecmp]st)\b)?/y, 0.9, (m) => ({ h: m[1], mi: m[2], s: m[3], zone: m[4] })),
  // --- digit strings that are names: phone numbers, codes, PINs
  r('phone', 'phone', /(?:\+\d{1,3}[ .-]?)?(?:\(\d{3}\)[ -]?|\d{3}[ .-])\d{3}[ .-]\d{4}(?:[ -]\d{1,4})?\b/y, 0.95, (m) => ({ raw: m[0] })),
  // numbers with a bracketed trunk code, as written outside North America: "(020) 7946 0958"
  r('phone-trunk', 'phone', /\(0\d{1,4}\)[ -]?\d{3,4}[ -]?\d{3,4}(?![\d-])/y, 0.95, (m) => ({ raw: m[0] }), false),
  r('phone-1800', 'phone', /1[ -](?:800|888|877|866)[ -][A-Z0-9]{1,4}(?:-[A-Z0-9]{1,5}){1,3}\b/y, 0.95, (m) => ({ raw: m[0] })),
  // a local number without its area code ("555-1234"); a range of a 3- and a 4-digit number is not read as one
  // a number with a leading zero and more groups after it is a phone number ("07700 900123", "020 7946 0958")
  r('phone-zero', 'phone', /0\d{2,4}(?:[ -]\d{3,8}){1,2}(?![\d-])/y, (m) => (m[0].replace(/\D/g, '').length >= 9 ? 0.95 : 0), (m) => ({ raw: m[0] })),
  r('phone-local', 'phone', /\d{3}-\d{4}(?![\d-])/y, 0.9, (m) => ({ raw: m[0] })),
  // emergency and service numbers (911, 311, 999) are said digit by digit ("nine one one")
  r('emergency', 'phone', /(?:[2-9]11|999|9-1-1)(?![\d-])/y, (m, c) => (c.text[c.start - 1] === '$' ? 0 : m[0] === '911' || m[0] === '9-1-1' || CALL_WORDS.has(c.before[0] ?? '') ? 0.95 : 0), (m) => ({ raw: m[0].replace(/-/g, '') })),
  r('ssn', 'phone', /\d{3}-\d{2}-\d{4}\b/y, 0.9, (m) => ({ raw: m[0] })),
  r('cue-digits', 'digits', /\d{3,12}(?![\d.,]\d)/y, (_m, c) => (hasCue(c, DIGIT_CUES, 3) ? 1 : 0), (m) => ({ kind: 'digits', d: m[0] })),
  r('cue-digit-groups', 'digits', /\d{1,6}(?:-\d{1,7}){1,4}(?:-[\dX])?(?![\d-])/y, (_m, c) => (hasCue(c, DIGIT_CUES, 2) ? 1 : 0), (m) => ({ kind: 'digits', d: m[0] })),
  r('zip', 'digits', /\d{5}(?:-\d{4})?(?![\d.,]\d)/y, (_m, c) => (/[A-Z]{2},? $/.test(c.text.slice(Math.max(0, c.start - 5), c.start)) ? 1 : 0), (m) => ({ kind: 'digits', d: m[0] })),
  r('leading-zero', 'digits', /0\d{1,}(?![\d.,:]\d)/y, 0.9, (m) => ({ kind: 'digits', d: m[0] })),
  r('cue-name-number', 'code', /\d{1,4}(?![\d.,]\d)/y, (_m, c) => (hasCue(c, NAME_CUES, 1) || (c.before[1] === 'flight' && /^[a-z\d]{2}$/.test(c.before[0] ?? '')) ? 1 : 0), (m) => ({ parts: m[0], name: '1' })),
  // a number right after a word in capitals is part of a name ("RTX 4090", "flight AA 100")
  r('caps-number', 'code', /\d{2,4}(?![\d.,]\d)/y, (m, c) => (capsNameAround(m[0], c) ? 0.8 : 0), (m) => ({ parts: m[0], name: '1' })),
  r('code-401k', 'code', /(\d{3})\(([a-z])\)/y, 0.95, (m) => ({ parts: `${m[1]} ${m[2]}`, name: '1' })),
  r('house-number', 'code', /\d{1,5}(?= (?:[NSEW]\.? )?(?:(?:[A-Z][a-z]+|\d{1,3}(?:st|nd|rd|th)) ){1,3}(?:St|Street|Ave|Avenue|Rd|Road|Blvd|Boulevard|Ln|Lane|Dr|Drive|Ct|Court|Expy|Expressway|Hwy|hwy|Highway|Pkwy|Parkway|Way|Pl|Place|Ter|Terrace)\b)/y, 0.95, (m) => ({ parts: m[0], name: '1' })),
  r('resolution', 'code', /(\d{3,4})([pi])(?![\p{L}\d])/uy, 0.9, (m) => ({ parts: `${m[1]} ${m[2]}` })),
  // names with letters and digits (A380, WD-40, R2-D2, B2A23C, covid-19): letters spelled or kept, digits said as in names
  r('alnum', 'code', /(?=[A-Za-z-]{0,40}\d)(?=[\d-]{0,40}[A-Za-z])[A-Za-z0-9]{1,20}(?:-[A-Za-z0-9]{1,20}){0,8}(?![\p{L}\d]|\.\d)/uy, (m, c) => (!/\d/.test(m[0]) || !/[A-Za-z]/.test(m[0]) || /^\d+-[a-z]{3,}$/.test(m[0]) || /\d\.$/.test(c.text.slice(Math.max(0, c.start - 2), c.start)) ? 0 : hasCue(c, DIGIT_CUES, 3) || hasCue(c, NAME_CUES, 1) ? 1 : /^[A-Za-z]/.test(m[0]) ? 0.85 : 0.75), (m) => ({ parts: m[0] })),
  // --- money, percentages, measures
  r('currency', 'money', new RegExp(String.raw`(US\$|[$€£¥₹₩₽₺₦₱])\s?(${NUM})(\.\d+)?(?:\s?([Tt]housand|[Mm]illion|[Bb]illion|[Tt]rillion|bn|mn|tn|[kKmMbBtT](?![a-zA-Z])))?(?:\s?\/\s?([A-Za-z]{1,12}))?`, 'y'), 0.95, (m) => ({ cur: m[1], int: m[2], frac: m[3], scale: m[4], per: m[5] }), false),
  r('currency-cents', 'money', /(US\$|[$€£])(\.\d+)\b/y, 0.95, (m) => ({ cur: m[1], int: m[2].length > 3 ? '' : '0', frac: m[2] }), false),
  r('currency-code', 'money', new RegExp(String.raw`(USD|EUR|GBP|JPY|INR|KRW|RUB|CAD|AUD|CHF|CNY)\s?(${NUM})(\.\d{1,2})?(?:\s?(thousand|million|billion|trillion|bn|[kKmMbB](?![a-zA-Z])))?\b`, 'y'), 0.95, (m) => ({ cur: CURRENCY_CODES[m[1]], code: CURRENCY_CODE_WORDS[m[1]] ? m[1] : undefined, int: m[2], frac: m[3], scale: m[4] })),
  r('amount-code', 'money', new RegExp(String.raw`(${NUM})(\.\d{1,2})?\s?(thousand|million|billion|bn|[kKmMbB](?![a-zA-Z]))?\s(USD|EUR|GBP|JPY|INR|CAD|AUD|CHF)\b`, 'y'), 0.95, (m) => ({ cur: CURRENCY_CODES[m[4]], code: CURRENCY_CODE_WORDS[m[4]] ? m[4] : undefined, int: m[1], frac: m[2], scale: m[3] })),
  r('percent', 'percent', /([-−+]?\d+(?:[.,]\d+)?)\s?%/y, 0.95, (m) => ({ n: m[1].replace(',', '.').replace('+', '') })),
  r('feet-inches', 'measure', /(\d{1,2})['′]\s?(\d{1,2}(?:\.\d)?)(?:["″]|''|\s?in\b\.?)/y, 0.95, (m) => ({ kind: 'feet-inches', from: m[1], value: m[2] })),
  // a number then a double quote is inches unless the quote closes a quotation that opened before it
  r('inches', 'measure', new RegExp(String.raw`(${QTY})["″](?=[\s,.;:)]|$)`, 'y'), (_m, c) => ((c.text.slice(Math.max(0, c.start - 80), c.start).split('"').length - 1) % 2 === 0 ? 0.9 : 0), (m) => ({ value: m[1], unit: 'in.' })),
  r('temperature', 'measure', /([-−]?\d+(?:\.\d+)?)\s?[°º]\s?([CFK])\b/y, 0.95, (m) => ({ kind: 'temp', value: m[1], unit: m[2] })),
  r('degrees', 'measure', /(\d+(?:\.\d+)?)\s?[°º]/y, 0.9, (m) => ({ kind: 'deg', value: m[1] })),
  r('unit', 'measure', new RegExp(String.raw`((?:${QTY})(?: (?:thousand|million|billion))?)(\s?|-(?=[a-zA-Z]))(${UNIT_PATTERN})(?:\s?\/\s?(${UNIT_PATTERN}|[a-z]{2,12}))?(?:\.(?= [a-z]))?(?![\p{L}\d])`, 'uy'), (m, c) => (m[3].length === 1 && /^[ \t]/.test(c.text.slice(c.start + m[1].length)) && c.after !== 'of' && (/^[a-z]$/.test(m[3]) ? /^[a-z]/.test(c.after) : /^\.?\s[A-Za-z0-9]/.test(c.next)) ? 0.3 : 0.9), (m) => ({ value: m[1], unit: m[3], per: m[4], hyphen: m[2] === '-' ? '1' : undefined })),
  r('range-unit', 'measure', new RegExp(String.raw`(\d+(?:\.\d+)?)\s?[-–—]\s?(\d+(?:\.\d+)?)\s?(${UNIT_PATTERN})(?![\p{L}\d])`, 'uy'), 0.92, (m) => ({ kind: 'range', from: m[1], value: m[2], unit: m[3] })),
  r('per-unit', 'measure', new RegExp(String.raw`(${QTY})\s?\/\s?(${UNIT_PATTERN})(?![\p{L}\d])`, 'uy'), 0.9, (m) => ({ value: m[1], unit: '', per: m[2] })),
  r('dimension', 'dimension', new RegExp(String.raw`(\d+(?:\.\d+)?)\s?[x×]\s?(\d+(?:\.\d+)?)(?:\s?[x×]\s?(\d+(?:\.\d+)?))?\s?(${UNIT_PATTERN})?(?![\p{L}\d])`, 'uy'), (m) => (/\d[x×]\d/.test(m[0]) || m[3] || m[4] ? 0.92 : 0), (m) => ({ a: m[1], b: m[2], c: m[3], unit: m[4] })),
  // "a 10x speedup", "2.5× faster": a factor, said "times"
  r('multiplier', 'cardinal', /(\d+(?:\.\d+)?)[x×](?![\p{L}\d])/uy, (_m, c) => (/^[ \t][a-z]/.test(c.next) && !/[=+*/^-]/.test(c.text.slice(Math.max(0, c.start - 4), c.end + 4)) ? 0.93 : 0), (m) => ({ n: m[1], times: '1' })),
  r('scale-suffix', 'cardinal', /(\d+(?:\.\d+)?)\s?(K|M|B|T|bn|mn|k)(?![\p{L}\d])/uy, (m, c) => (m[2] === 'K' && SCREENS.has(c.after) ? 0 : !/\s/.test(m[0]) && COUNTED.has(c.after) ? 0.97 : 0.85), (m) => ({ n: m[1], scale: m[2] })),
  // --- numbers in their many shapes
  r('ordinal', 'ordinal', /(\d{1,3}(?:,\d{3})+|\d+)(?:st|nd|rd|th)\b/y, 0.95, (m) => ({ n: m[1].replace(/,/g, '') })),
  r('decade', 'decade', /(?:(mid|early|late|pre|post)-)?'?((?:1[0-9]|20)?\d0)\s?['’]?s\b/iy, (m) => (/\s/.test(m[0]) && m[2].length < 4 ? 0 : 0.95), (m) => ({ prefix: m[1], d: m[2] })),
  r('version', 'version', /([vV]|version )?(\d+\.\d+(?:\.\d+){1,4})(?![\d])/y, (m) => (m[1] || m[2].split('.').length >= 3 ? 0.95 : 0), (m) => ({ prefix: m[1], v: m[2] })),
  r('fraction', 'fraction', /(?:(\d{1,4}) )?(\d{1,6})\/(\d{1,6})(?:st|nd|rd|th|ST|ND|RD|TH)?(?![\d/\p{L}])/uy, (m) => (m[3] === '0' ? 0 : 0.85), (m) => ({ whole: m[1], n: m[2], d: m[3] })),
  r('vulgar', 'fraction', new RegExp(String.raw`(?:(\d{1,4}) ?)?([${VULGAR}])`, 'y'), 0.9, (m) => ({ whole: m[1], n: ({ '½': '1', '⅓': '1', '⅔': '2', '¼': '1', '¾': '3', '⅕': '1', '⅖': '2', '⅗': '3', '⅘': '4', '⅙': '1', '⅚': '5', '⅛': '1', '⅜': '3', '⅝': '5', '⅞': '7' } as Record<string, string>)[m[2]], d: ({ '½': '2', '⅓': '3', '⅔': '3', '¼': '4', '¾': '4', '⅕': '5', '⅖': '5', '⅗': '5', '⅘': '5', '⅙': '6', '⅚': '6', '⅛': '8', '⅜': '8', '⅝': '8', '⅞': '8' } as Record<string, string>)[m[2]] }), false),
  r('range', 'range', /(\d+(?:\.\d+)?)(?:\s?[–—]\s?| - )(\d+(?:\.\d+)?)(?![\d.]?\d)|(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)(?![\d-])/y, (m, c) => ((m[3] ?? '').length === 3 && (m[4] ?? '').length === 4 ? 0 : /^\s?[=+*/×÷]/.test(c.next) || (m[0].includes(' - ') && /[=+*/×÷^]\s?$/.test(c.text.slice(Math.max(0, c.start - 3), c.start))) ? 0 : 0.85), (m) => ({ a: m[1] ?? m[3], b: m[2] ?? m[4], year: /^\d{4}$/.test(m[1] ?? m[3] ?? '') ? '1' : undefined })),
  r('year', 'year', /(\d{4})(?:\s?(AD|BC|BCE|CE|A\.D\.?|B\.C\.?(?:E\.?)?)(?![\p{L}]))?(?![\d.,]\d|\d)/uy, (m, c) => (m[2] ? 0.95 : yearScore(m[1], c)), (m) => ({ y: m[1], era: m[2] })),
  r('short-year', 'year', /['’](\d{2})(?![\d'’]|s\b)/y, 0.9, (m) => ({ y: m[1], short: '1' }), false),
  r('era-year', 'year', /(\d{1,3})\s?(AD|BC|BCE|CE|A\.D\.?|B\.C\.?(?:E\.?)?)(?![\p{L}])/uy, 0.95, (m) => ({ y: m[1], era: m[2] })),
  r('number', 'cardinal', /(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?!\d)|(?<![.\d])(\.\d+)/y, 0.6, (m) => ({ n: `${m[1] ?? ''}${m[2] ?? m[3] ?? ''}` })),
  // a sign is "minus" unless it is the operator between two operands ("5 -3" in a formula is read by the maths rules)
  r('signed-number', 'cardinal', /[-−](\d{1,3}(?:,\d{3})+|\d+|(?=\.\d))(\.\d+)?(?!\d)/y, (_m, c) => (MATH_OPERAND_BEFORE.test(c.text.slice(Math.max(0, c.start - 3), c.start)) ? 0 : 0.6), (m) => ({ n: `-${m[1]}${m[2] ?? ''}` })),
  r('signed-plus', 'cardinal', /\+(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?![\d%])/y, (_m, c) => (MATH_OPERAND_BEFORE.test(c.text.slice(Math.max(0, c.start - 3), c.start)) ? 0 : 0.6), (m) => ({ n: `${m[1]}${m[2] ?? ''}`, plus: '1' }), false),
  r('number-plain', 'cardinal', /(?<=\p{L})(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?/uy, 0.55, (m) => ({ n: m[1] + (m[2] ?? '') }), false),
  r('roman', 'cardinal', /([IVXLC]{1,7})(?:\.(?=[,;:'’]))?(?![\p{L}\d])/uy, (m, c) => romanScore(m[1], c), (m) => ({ kind: 'roman', n: String(romanValue(m[1])) })),
  // --- maths in plain text
  r('scientific', 'math', /(\d+(?:\.\d+)?)[eE]([-+]?\d{1,3})\b/y, 0.95, (m) => ({ kind: 'sci', mant: m[1], exp: m[2] })),
  r('power', 'math', /(\d+(?:\.\d+)?|\b[a-zA-Z])\^\{?(-?\d{1,4}|[a-zA-Z])\}?/y, 0.95, (m) => ({ kind: 'power', base: m[1], exp: m[2] }), false),
  r('sqrt', 'math', /sqrt\(([^()\n]{1,100})\)/y, 0.95, (m) => ({ kind: 'sqrt', arg: m[1] })),
  r('root-sign', 'math', /√\(?(\d+(?:\.\d+)?|[a-zA-Z])\)?/y, 0.95, (m) => ({ kind: 'root', arg: m[1] }), false),
  r('function-call', 'math', /([fghFGH])\(([a-z0-9])\)/y, 0.9, (m) => ({ kind: 'call', f: m[1], x: m[2] })),
  r('coefficient', 'math', /(\d+)([a-z])(?![\p{L}\d])/uy, (m, c) => (m[2] === 's' || m[2] === 'x' || m[2] === 'k' || m[2] === 'm' ? (/[=+]/.test(c.text.slice(Math.max(0, c.start - 4), c.end + 4)) ? 0.9 : 0) : 0.9), (m) => ({ kind: 'coef', n: m[1], v: m[2] })),
  r('factorial', 'math', /(\d{1,3}|[a-z])!(?=\s?[=+*×-]|\s?$)/y, 0.9, (m) => ({ kind: 'factorial', n: m[1] })),
  r('congruence', 'math', /([\w ^+-]{1,20}?)\s?≡\s?([\w ^+-]{1,20}?)\s?\(mod\s?(\w{1,10})\)/uy, 0.95, (m) => ({ kind: 'mod', a: m[1], b: m[2], n: m[3] })),
  r('equals', 'math', /(?<=[\p{L}\d)²³°] ?)=(?= ?[-\p{L}\d(√])/uy, 0.9, () => ({ c: '=' }), false),
  r('plus', 'math', /(?<=[\p{L}\d)²³] ?)\+(?= ?[\p{L}\d(√])/uy, 0.9, () => ({ c: '+' }), false),
  r('minus', 'math', /(?<=(?:^|[^\p{L}])(?:\d+|[a-z]|\d+[a-z]|[)²³]) ?)-(?= ?(?:\d|[a-z](?![\p{L}])|\())/uy, (_m, c) => (/\d-\d/.test(c.text.slice(c.start - 1, c.end + 1)) && !/=/.test(c.text.slice(c.end, c.end + 8)) ? 0 : 0.9), () => ({ c: '-' }), false),
  r('times', 'math', /(?<=\d ?)[*x](?= ?\d)/y, 0.9, () => ({ c: '*' }), false),
  r('compare', 'math', /(?<=(?:^|[^\p{L}])\p{L} ?|[\d)] ?)[<>](?= ?[-\p{L}\d(])/uy, 0.9, (m) => ({ c: m[0] }), false),
  r('math-char', 'math', /[×÷±∓≤≥≠≈≡→⇒⇔←∞∑∏∫∂∇∈∉⊂∪∩∀∃∅·²³‰−∝∴]/y, 0.8, (m) => ({ c: m[0] }), false),
  r('greek', 'math', /[α-ωΓΔΘΛΠΣΦΨΩ]/y, 0.8, (m) => ({ kind: 'greek', c: m[0] }), false),
  // --- symbols read in prose
  r('prose-symbol', 'symbol', /(?:<=|>=|->|=>|<-|[≤≥<>~≈→⇒←±≠§¶©№])(?=\s?[\d$€£(])|(?<=\s)(?:->|=>|→|⇒|&|\+|=|§§|§|¶)(?=\s)|[®™†‡]/y, (m, c) => (m[0] === '/' && !/[\p{L}]/u.test(c.after) ? 0 : /[<>≤≥≈≠±]/.test(m[0]) && MATH_OPERAND_BEFORE.test(c.text.slice(Math.max(0, c.start - 3), c.start)) ? 0 : 0.85), (m) => ({ c: m[0] }), false),
  r('time-to', 'symbol', /(?<=(?:[ap]\.?m\.?|\d)\s?)[–—]\s?(?=\d)|(?<=%\s?)[-–—]\s?(?=\d+(?:\.\d+)?\s?%)|(?<=(?:[ap]\.?m\.?|\d0s|\d)\s?)-\s?(?=[$€£]\d|\d{1,2}(?::\d\d)?\s?[ap]\.?m\b|(?:\d0|\d{3}0)s\b)/iy, 0.95, () => ({ c: '→' }), false),
  r('plus-after', 'symbol', /(\d+)\+(?![\d\p{L}])/uy, 0.9, (m) => ({ kind: 'plus-after', arg: m[1] })),
  r('ampersand', 'symbol', /&/y, 0.7, () => ({ c: '&' }), false),
  r('at-sign', 'symbol', /@(?=\s)/y, 0.8, () => ({ c: '@' }), false),
  r('at-handle', 'symbol', /@(\w{1,40})/y, 0.9, (m) => ({ kind: 'handle', arg: m[1] })),
  r('hash-number', 'symbol', /#\s?(\d+)/y, 0.9, (m) => ({ kind: 'number', arg: m[1] })),
  r('hashtag', 'symbol', /#([A-Za-z]\w{0,40})/y, 0.9, (m) => ({ kind: 'hashtag', arg: m[1] })),
  // --- abbreviations: expanded or spelled, their period never read as a sentence end
  r('slash-abbr', 'abbreviation', /([wcanWCAN])\/([ocaOCA])(?![\p{L}\d/])/uy, (m) => (SLASH_ABBR[`${m[1]}/${m[2]}`.toLowerCase()] ? 0.95 : 0), (m) => ({ spoken: SLASH_ABBR[`${m[1]}/${m[2]}`.toLowerCase()] })),
  // a formula written with * for times ("n*x/T"): one-character operands joined by * and /
  r('formula-chain', 'math', /[A-Za-z\d](?:[*/][A-Za-z\d]){1,12}(?![\p{L}\d*/])/uy, (m) => (m[0].includes('*') ? 0.95 : 0), (m) => ({ kind: 'chain', arg: m[0] })),
  // "tablets/day", "bits/byte": a slash before a unit of time or count is "per"
  r('slash-per', 'symbol', /(?<=\p{L})\/(?=(?:day|week|month|year|hour|minute|second|night|person|user|serving|dose|head|unit|page|game|byte|item|seat)s?\b)/uy, 0.9, () => ({ c: 'per' }), false),
  r('slash-words', 'symbol', /\/(?=(?:or|she|he|her|his|him|they|them)\b)/y, (_m, c) => (/(?:^|[^\p{L}])(?:and|he|she|his|her|him|s)$/iu.test(c.text.slice(Math.max(0, c.start - 4), c.start)) ? 0.9 : 0), () => ({ c: 'or-slash' }), false),
  r('music-key', 'symbol', /([A-G])#(?![\w#])/y, 0.9, (m) => ({ kind: 'sharp', arg: m[1] })),
  r('latin', 'abbreviation', /(?:e\.g\.|i\.e\.|a\.k\.a\.|et al\.|[nN]\.[bB]\.|[pP]\.[sS]\.|viz\.|cf\.|approx\.|vs\.)(?=[\s,;:)]|$)/iy, 0.95, (m) => ({ abbr: m[0].replace(/\.$/, ''), spoken: LATIN[m[0]] ?? LATIN[m[0].toLowerCase()] ?? m[0] })),
  r('circa', 'abbreviation', /c\.(?= ?\d{3,4}\b)/y, 0.95, () => ({ spoken: 'circa' })),
  r('initials', 'abbreviation', /(?:[A-Z]\.){2,5}(?:[A-Z](?![\p{L}]))?|(?:[A-Z]\.){1,4}[A-Z](?![\p{L}.])|Ph\.D\.?|M\.Sc\.|B\.Sc\.|M\.Phil\.|D\.Phil\.|LL\.[BMD]\.|Ed\.D\./uy, 0.9, (m) => ({ abbr: /^(?:U\.S\.|U\.K\.|U\.N\.|E\.U\.|D\.C\.|U\.S\.A\.|U\.A\.E\.|N\.Y\.|N\.J\.)$/.test(m[0]) ? 'country' : DEGREES.test(m[0]) ? 'degree' : 'initials', dot: m[0].endsWith('.') ? '1' : undefined, spoken: DOTTED_PLACES[m[0]] ?? m[0].replace(/\./g, '').toUpperCase().split('').join(' ') })),
  r('saint-street', 'abbreviation', /[Ss]t\.(?=[\s,;:)]|$)/y, 0.92, () => ({ abbr: 'St' })),
  r('abbr', 'abbreviation', new RegExp(String.raw`(${Object.keys(ABBREVIATIONS).sort((a, b) => b.length - a.length).join('|')})\.(?=[\s,;:)]|$)`, 'y'), (m, c) => (BEFORE_NUMBER.has(m[1]) && !/^\s?[\dIVXivx([]/.test(c.next) && !(/^no$/i.test(m[1]) && c.after === 'of') ? 0 : 0.9), (m) => ({ abbr: m[1], dot: '1', spoken: ABBREVIATIONS[m[1]] })),
  r('bare-title', 'abbreviation', /(dr|mr|mrs|ms|st|prof|Dr|Mr|Mrs|Ms|Prof)(?= [A-Z][a-z.])/y, (m, c) => (/^(?:dr|st)$/i.test(m[1]) && /\d+ (?:[A-Z][a-z]+ ){1,3}$/.test(c.text.slice(Math.max(0, c.start - 40), c.start)) ? 0 : 0.9), (m) => ({ spoken: ({ dr: 'doctor', mr: 'mister', mrs: 'missus', ms: 'miz', st: 'saint', prof: 'professor' } as Record<string, string>)[m[1].toLowerCase()] })),
  r('bare-label', 'abbreviation', /(vol|Vol|VOL|NO|No|no|Nos|nos|pp|ch|Ch|fig|Fig|sec|Sec)(?= \d)/y, (m, c) => (m[1] === 'no' && !/^\s\d+\b/.test(c.next + c.text.slice(c.end + 3, c.end + 8)) ? 0 : m[1] === 'no' || m[1] === 'No' ? (/[a-z]/.test(c.before[0] ?? '') && !/^(?:route|bus|number|school|case|document|hadith)$/.test(c.before[0] ?? '') && c.before.length > 0 && /^[a-z]/.test(c.text.slice(Math.max(0, c.start - 20), c.start).trim().split(/\s+/).pop() ?? '') ? 0.3 : 0.9) : 0.9), (m) => ({ spoken: ({ vol: 'volume', no: 'number', nos: 'numbers', pp: 'pages', ch: 'chapter', fig: 'figure', sec: 'section' } as Record<string, string>)[m[1].toLowerCase()] })),
  r('bare-vs', 'abbreviation', /(?:vs|v)(?= [A-Z0-9])/y, (m) => (m[0] === 'v' ? 0 : 0.9), () => ({ spoken: 'versus' })),
  r('bare-suffix', 'abbreviation', /(jr|sr|inc|ltd|Jr|Sr)(?=\s?[,.;)]|\s*$)/y, (m, c) => (/[A-Z][a-z]+\s$/.test(c.text.slice(Math.max(0, c.start - 20), c.start)) || (/^(?:ltd|inc)$/.test(m[1]) && c.start === 0) ? 0.9 : 0), (m) => ({ spoken: ({ jr: 'junior', sr: 'senior', inc: 'incorporated', ltd: 'limited' } as Record<string, string>)[m[1].toLowerCase()] })),
  r('address-abbr', 'abbreviation', /(St|st|Ave|ave|Blvd|blvd|Rd|Ln|Hwy|hwy|Expy|Pkwy|Ct|Dr|dr)\.?(?=[,"')]|\s*$|\s+(?:[A-Z][a-z]|\d|right|now|and|in|is|was))/y, (_m, c) => (/(?:\d+ (?:[NSEW]\.? )?(?:[A-Z0-9][\w']*\.? ){1,3}|\d+(?:st|nd|rd|th) )$/.test(c.text.slice(Math.max(0, c.start - 40), c.start)) ? 0.93 : 0), (m) => ({ spoken: /^st$/i.test(m[1]) ? 'Street' : /^dr$/i.test(m[1]) ? 'Drive' : (ABBREVIATIONS[m[1][0].toUpperCase() + m[1].slice(1)] ?? m[1]) })),
  r('compass', 'abbreviation', /([NSEW])\.?(?= [A-Z0-9])/y, (_m, c) => (/^\d+$/.test(c.before[0] ?? '') || /\d\s$/.test(c.text.slice(c.start - 2, c.start)) ? 0.9 : 0), (m) => ({ spoken: ({ N: 'North', S: 'South', E: 'East', W: 'West' } as Record<string, string>)[m[1]] })),
  r('state', 'abbreviation', /([A-Z]{2})(?=,? \d{5}\b|,?\.?\s*$)/y, (m, c) => (US_STATES[m[1]] && /, $/.test(c.text.slice(c.start - 2, c.start)) ? 0.9 : 0), (m) => ({ spoken: US_STATES[m[1]] })),
];
