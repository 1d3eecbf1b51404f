/**
 * Classify, Chinese: every recognizer proposes a span with a class, a score and parsed fields;
 * resolve.ts keeps the best non-overlapping set, so the order of this list does not matter.
 * Every pattern is bounded, so trying them all at each token start stays linear.
 */
import type { Fields, SpanClass } from '../spans.js';
import { CURRENCY_CODES_ZH, CURRENCY_SIGNS, DIGIT_CUES, liangAfter, measureAfter, SCORE_CUES, SERVICE_NUMBERS, UNIT_KEYS } from './units.js';

/** Where a span is: the folded text and its offsets. */
export interface ZhContext {
  text: string;
  start: number;
  end: number;
}

export interface ZhRecognizer {
  name: string;
  cls: SpanClass;
  /** The characters a match can start with. */
  first: RegExp;
  /** Sticky; every quantifier bounded. */
  re: RegExp;
  score: number | ((m: RegExpExecArray, ctx: ZhContext) => number);
  fields: (m: RegExpExecArray) => Fields;
  /**
   * At a digit, checked before the pattern runs: the length of the run of digits starting here,
   * the character right after it, and the first character after the whole number (digits, ','
   * and '.', then at most one space). Most positions in number-heavy text fail here, so their
   * patterns (some long alternations of units and currencies) never run.
   */
  shape?: (run: number, next: string, afterNumber: string) => boolean;
  /** A cheap condition on what comes before (the span's end not yet known), checked before the pattern. */
  gate?: (ctx: ZhContext) => boolean;
  /** A character the text must hold for this recognizer to be tried at all. */
  requires?: string;
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const NUM = String.raw`\d{1,3}(?:,\d{3})+(?!\d)|\d{1,40}`;
const DEC = String.raw`(?:${NUM})(?:\.\d{1,40})?`;
const SCALE = String.raw`(?:\s?(?:百万|千万|万|亿|千|[kKwW]|[mMbB](?=\s|$|[^A-Za-z])))`;
const SIGNS = Object.keys(CURRENCY_SIGNS).sort((a, b) => b.length - a.length).map(esc).join('|');
const CODES = Object.keys(CURRENCY_CODES_ZH).join('|');
/** Units of one letter only right after the number; longer ones may follow a space. */
const UNITS = UNIT_KEYS.map((u) => (u.length === 1 && /[A-Za-z]/.test(u) ? esc(u) : `\\s?${esc(u)}`)).join('|');
/** An operand in a plain formula: a number (with a variable: 3x), a variable, f(x), a Greek letter; a power; brackets. */
const OPERAND = String.raw`[-−]?\(?(?:\d+(?:\.\d+)?(?:[A-Za-z](?![A-Za-z(]))?|[A-Za-z]\([A-Za-z\d]{1,8}\)|[A-Za-z](?![A-Za-z(])|[α-ω])(?:[²³]|\^\d{1,3})?\)?`;

const OPERATOR_CHAR = /[-+−×÷=<>≤≥≠≈*/!]/;
/**
 * A formula needs an operator right after its first operand: scanned without the pattern (sign,
 * bracket, digits or a letter, a function's argument, a power, one space), so the long formula
 * pattern runs only where one can start.
 */
function operatorAhead(c: ZhContext): boolean {
  const t = c.text;
  let j = c.start;
  if (t[j] === '-' || t[j] === '−') j++;
  if (t[j] === '(') j++;
  const from = j;
  while (j - from < 40 && /[\d.A-Za-zα-ω]/.test(t[j] ?? '')) j++;
  // f(x): a one-letter function's argument, at most eight characters
  if (t[j] === '(' && j - from === 1 && /[A-Za-z]/.test(t[from])) while (j - from < 11 && t[j] !== ')' && j < t.length) j++;
  if (t[j] === ')') j++;
  while (/[²³)]/.test(t[j] ?? '')) j++;
  if (t[j] === '^') return true;
  if (t[j] === ' ') j++;
  return OPERATOR_CHAR.test(t[j] ?? '');
}

/** One character in a set, tested without a regular expression (shape checks run at every digit). */
const has = (chars: string, c: string) => c !== '' && chars.includes(c);
const isLatin = (c: string) => c !== '' && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
const NUMBER_CHAR = /[\d,.]/;
/** The character after a number and an optional second number of a range ("10-20cm" → "c"), skipping one space before it. */
let lastRangeText = '';
let lastRangeStart = -1;
let lastRangeAfter = '';
function afterRangeAt(t: string, start: number): string {
  // asked by several recognizers at the same position: worked out once
  if (start === lastRangeStart && t === lastRangeText) return lastRangeAfter;
  lastRangeText = t;
  lastRangeStart = start;
  lastRangeAfter = scanAfterRange(t, start);
  return lastRangeAfter;
}

function scanAfterRange(t: string, start: number): string {
  let j = start;
  if (t[j] === '-' || t[j] === '−') j++;
  const from = j;
  while (j - from < 60 && NUMBER_CHAR.test(t[j] ?? '')) j++;
  if (t[j] === ' ') j++;
  if (/[-~～—–至到]/.test(t[j] ?? '')) {
    j++;
    if (t[j] === ' ') j++;
    if (t[j] === '-' || t[j] === '−') j++;
    const second = j;
    while (j - second < 60 && NUMBER_CHAR.test(t[j] ?? '')) j++;
    if (j === second) return '';
    if (t[j] === ' ') j++;
  }
  return t[j] ?? '';
}

/** A character a unit can start with, or a range sign before a second number. */
const UNIT_START = new RegExp(`[${[...new Set(UNIT_KEYS.map((u) => u[0]))].join('').replace(/[\]\\^-]/g, '\\$&')}\\-~～—–至到]`);
/** Whether a range starting at a number reads 到 for sure: its sign is ~ 至 到, or a measure word or unit follows it. */
function rangeHasCue(t: string, start: number): boolean {
  let j = start;
  while (j - start < 60 && NUMBER_CHAR.test(t[j] ?? '')) j++;
  if (t[j] === ' ') j++;
  const sep = t[j] ?? '';
  if (!/[-~～—–至到]/.test(sep)) return false;
  j++;
  if (t[j] === ' ') j++;
  const second = j;
  while (j - second < 60 && /\d/.test(t[j] ?? '')) j++;
  if (j === second) return false;
  while (j - second < 100 && NUMBER_CHAR.test(t[j] ?? '') && /\d/.test(t[j + 1] ?? '')) j += 2;
  while (j - second < 100 && /\d/.test(t[j] ?? '')) j++;
  return sep !== '-' && sep !== '—' && sep !== '–' ? true : measureAfter(t, j);
}

/** The same as a set. */
const UNIT_STARTS = new Set([...new Set(UNIT_KEYS.map((u) => u[0])), '-', '~', '～', '—', '–', '至', '到']);

/** "08-08-2008": a second part of one or two digits and a four-digit year after the same separator. */
function yearAfterTwoParts(c: ZhContext): boolean {
  const t = c.text;
  let j = c.start;
  while (j - c.start < 2 && t.charCodeAt(j) >= 48 && t.charCodeAt(j) <= 57) j++;
  const sep = t[j];
  j++;
  const second = j;
  while (j - second < 2 && t.charCodeAt(j) >= 48 && t.charCodeAt(j) <= 57) j++;
  if (j === second || t[j] !== sep) return false;
  for (let k = 1; k <= 4; k++) if (!(t.charCodeAt(j + k) >= 48 && t.charCodeAt(j + k) <= 57)) return false;
  return true;
}

/** A character a unit can start with (no range signs). */
const UNIT_FIRST = new RegExp(`[${[...new Set(UNIT_KEYS.map((u) => u[0]))].join('').replace(/[\]\\^-]/g, '\\$&')}]`);
const RANGE_SEP = String.raw`\s?[-~～—–至到]\s?`;

const before = (c: ZhContext, n: number) => c.text.slice(Math.max(0, c.start - n), c.start);
/** An operand right before a sign makes it an operator ("5-3"), otherwise it is a sign ("-3"). */
/** The character before a span, over at most one space ('' at the start): read without slicing. */
const prevChar = (c: ZhContext) => {
  const j = c.text[c.start - 1] === ' ' ? c.start - 2 : c.start - 1;
  return j >= 0 ? c.text[j] : '';
};
/** The end of an amount: a range sign after it is 到. */
const AMOUNT_END = /[\d℃℉%‰°²³]/;
/** An amount ends right before (over one space), or a number and one measure word do ("5岁~8岁"). */
const amountBefore = (c: ZhContext) => {
  const p = prevChar(c);
  if (AMOUNT_END.test(p)) return true;
  const j = c.text[c.start - 1] === ' ' ? c.start - 2 : c.start - 1;
  return p >= '\u4e00' && p <= '\u9fff' && /\d/.test(c.text[j - 1] ?? '');
};
const OPERAND_END = /[\dA-Za-z)\]²³]/;
const operandBefore = (c: ZhContext) => OPERAND_END.test(prevChar(c));
/** A minus sign with an operand before it is an operator: no signed number starts there. */
const signAllowed = (c: ZhContext) => !((c.text[c.start] === '-' || c.text[c.start] === '−') && operandBefore(c));
const letterBefore = (c: ZhContext) => /[A-Za-z]/.test(c.text[c.start - 1] ?? '');
const hasCue = (c: ZhContext, cues: string[], n: number) => {
  // every cue ends in a letter or a Han character: anything else right before (over spaces and colons) is no cue, decided without slicing
  let j = c.start - 1;
  while (j >= 0 && j > c.start - 4 && /[\s:：]/.test(c.text[j])) j--;
  if (j < 0 || !/[A-Za-z\u4e00-\u9fff]/.test(c.text[j])) return false;
  const b = before(c, n).replace(/[\s:：是为]+$/, '');
  return cues.some((w) => b.endsWith(w));
};
const validDate = (mo: string, d?: string) => Number(mo) >= 1 && Number(mo) <= 12 && (d === undefined || (Number(d) >= 1 && Number(d) <= 31));
/** Words after a year-like number that make it a length of time ("20年后" 二十年后). */
const DURATION_AFTER = /^年(?:后|前|来|内|间|里|多|左右|以上|以下|以内|之内|之后|之前|的时间|时间|光景|工龄|历史|寿命|保修|质保|期)/;
const DURATION_BEFORE = /(?:过了|用了|花了|经过|历经|长达|近|约|满|共|整整|连续|已经|多达|第|每|前|后|这|那|头|了|近|超过|不到|至少)\s?$/;

const D = /\d/;
const AZ = /[A-Za-z]/;

export const RECOGNIZERS_ZH: ZhRecognizer[] = [
  // TeX and formulas
  {
    name: 'tex-dollar', cls: 'math', first: /\$/, re: /\$\$([^$]{1,2000})\$\$|\$([^$\n]{1,400})\$/y,
    score: (m) => (/[\\^_=+<>]|^\s*[A-Za-z]\s*$/.test(m[1] ?? m[2]) ? 0.95 : 0), fields: (m) => ({ kind: 'tex', tex: m[1] ?? m[2] }),
  },
  { name: 'tex-paren', cls: 'math', first: /\\/, re: /\\\(([\s\S]{1,400}?)\\\)|\\\[([\s\S]{1,2000}?)\\\]/y, score: 0.95, fields: (m) => ({ kind: 'tex', tex: m[1] ?? m[2] }) },
  {
    name: 'tex-command', cls: 'math', first: /\\/, re: /\\[dt]?frac\s?(?:\{[^{}]{0,80}\}|\d)\s?(?:\{[^{}]{0,80}\}|\d)|\\sqrt(?:\[[^\]]{0,5}\])?\{[^{}]{0,80}\}|\\[A-Za-z]{1,20}/y,
    score: 0.9, fields: (m) => ({ kind: 'tex', tex: m[0] }),
  },
  { name: 'power', cls: 'math', first: /[A-Za-z\d]/, shape: (_r, n) => n === '^' || n === '.', re: /([A-Za-z]|\d+(?:\.\d+)?)\^(?:\{(-?[\w.]{1,10})\}|(-?\d{1,4}|[A-Za-z]))/y, score: 0.9, fields: (m) => ({ kind: 'power', base: m[1], exp: m[2] ?? m[3] }) },
  { name: 'superscript', cls: 'math', first: /[A-Za-z\d]/, shape: (_r, n) => n === '²' || n === '³', re: /([A-Za-z]|\d+)([²³])(?![A-Za-z])/y, score: 0.8, fields: (m) => ({ kind: 'power', base: m[1], exp: m[2] === '²' ? '2' : '3' }) },
  {
    // a formula: operands joined by operators, at least one of them not a dash or a slash ("1+2=3", "2 ≥ 1", "x-1=0")
    name: 'formula', cls: 'math', first: /[-−\dA-Za-z(α-ω]/, gate: operatorAhead,
    re: new RegExp(String.raw`${OPERAND}(?:\s?(?:<=|>=|!=|==|[-+−×÷=<>≤≥≠≈*/])\s?${OPERAND}){1,30}`, 'y'),
    score: (m, c) => (/(?:<=|>=|!=|[+×÷=<>≤≥≠≈*])/.test(m[0]) && !/[A-Za-z]$/.test(before(c, 1)) ? 0.92 : 0), fields: (m) => ({ kind: 'formula', tex: m[0] }),
  },
  { name: 'root', cls: 'math', first: /√/, re: /√\s?(\d+(?:\.\d+)?|[A-Za-z]|\([^()]{1,40}\))/y, score: 0.9, fields: (m) => ({ kind: 'formula', tex: m[0] }) },
  { name: 'math-symbol', cls: 'symbol', first: /[≥≤≠≈±×÷∞→∈∉⊂∪∩∴∵∠⊥∥∑∫∂∀∃∅<>]/, re: /<=|>=|[≥≤≠≈±×÷∞→∈∉⊂∪∩∴∵∠⊥∥∑∫∂∀∃∅]/y, score: 0.6, fields: (m) => ({ c: m[0] }) },
  { name: 'greek', cls: 'math', first: /[α-ωΔΣΩ]/, re: /[α-ωΔΣΩ](?![α-ωΑ-Ω])/y, gate: (c) => !/[α-ωΑ-Ω]/.test(c.text[c.start - 1] ?? ''), score: 0.6, fields: (m) => ({ kind: 'greek', c: m[0] }) },
  { name: 'minus-word', cls: 'symbol', first: /[-−]/, re: /[-−](?=百分之|千分之|万分之)/y, score: 0.6, fields: () => ({ c: 'minus' }) },
  {
    // a dash or tilde between two readings that are not one range span ("8:00-20:00", "-20℃~40℃", "2024.6.1-2024.6.18")
    name: 'range-sign', cls: 'symbol', first: /[-~～—–\s]/, re: /\s?[-~～—–]\s?(?=[-−]?\d)/y,
    gate: amountBefore, score: 0.4, fields: () => ({ c: 'to' }),
  },
  { name: 'per-slash', cls: 'symbol', first: /\//, re: /\/(?=[\u4e00-\u9fff])/y, gate: (c) => /[\d\u4e00-\u9fffA-Za-z]/.test(c.text[c.start - 1] ?? ''), score: 0.6, fields: () => ({ c: 'per' }) },
  { name: 'tilde', cls: 'symbol', first: /[~～]/, re: /[~～](?=\s?\d)/y, gate: (c) => !amountBefore(c), score: 0.6, fields: () => ({ c: '~' }) },
  { name: 'plus-after', cls: 'symbol', first: /\+/, re: /\+(?![\d\s]{0,2}\d)(?![A-Za-z(])/y, gate: (c) => /[\d万亿千百]/.test(c.text[c.start - 1] ?? ''), score: 0.6, fields: () => ({ c: 'more' }) },
  { name: 'ampersand', cls: 'symbol', first: /&/, re: /\s&\s|&/y, score: (m, c) => (m[0] === '&' && /[A-Za-z]$/.test(before(c, 1)) ? 0 : 0.6), fields: () => ({ c: '&' }) },

  // dates and times
  { name: 'date-ymd', cls: 'date', first: D, shape: (r, n) => r === 4 && has('-/.·', n), re: /(\d{4})([-/.·])(\d{1,2})\2(\d{1,2})(?!\.?\d)/y, score: (m) => (validDate(m[3], m[4]) ? 0.95 : 0), fields: (m) => ({ y: m[1], mo: m[3], d: m[4] }) },
  { name: 'date-yymmdd', cls: 'date', first: D, shape: (r, n) => r === 2 && has('/.', n), re: /(\d{2})([/.])(\d{1,2})\2(\d{1,2})(?![\d/]|\.\d)/y, score: (m) => (validDate(m[3], m[4]) ? 0.9 : 0), fields: (m) => ({ y: m[1], mo: m[3], d: m[4] }) },
  { name: 'date-mdy', cls: 'date', first: D, shape: (r, n) => r <= 2 && has('-/.', n), gate: yearAfterTwoParts, re: /(\d{1,2})([-/.])(\d{1,2})\2(\d{4})(?!\d)/y, score: (m) => (validDate(m[1], m[3]) ? 0.95 : 0), fields: (m) => ({ y: m[4], mo: m[1], d: m[3] }) },
  { name: 'date-ym', cls: 'date', first: D, shape: (r, n) => r === 4 && has('-/.', n), re: /(\d{4})([-/.])(\d{1,2})(?![\d])(?!\2\d)/y, score: (m, c) => (validDate(m[3]) && Number(m[1]) >= 1000 && (m[2] !== '.' || m[3].length === 2) && !/^[万亿千百%‰]/.test(c.text.slice(c.end, c.end + 1)) ? 0.9 : 0), fields: (m) => ({ y: m[1], mo: m[3] }) },
  { name: 'date-my', cls: 'date', first: D, shape: (r, n) => r === 2 && has('-/.', n), re: /(\d{1,2})([-/.])(\d{4})(?!\d)/y, score: (m) => (validDate(m[1]) && m[1].length === 2 ? 0.9 : 0), fields: (m) => ({ y: m[3], mo: m[1] }) },
  { name: 'date-md', cls: 'date', first: D, shape: (r, n) => r === 2 && has('-/.', n), re: /(\d{2})([-/.])(\d{2})(?![\d/-]|\.\d)/y, score: (m) => (validDate(m[1], m[3]) && (m[1][0] === '0' || m[3][0] === '0') ? 0.9 : 0), fields: (m) => ({ mo: m[1], d: m[3] }) },
  {
    // "2024年": read digit by digit, unless it is a length of time ("20年后", "过了100年")
    name: 'year', cls: 'year', first: D, shape: (r, n) => r >= 2 && r <= 4 && has(' \t\n年', n), re: /(\d{2,4})(?=\s?年)/y,
    score: (m, c) => {
      const after = c.text.slice(c.end, c.end + 8).replace(/^\s/, '');
      if (/(?:公元前?|纪元|西元)\s?$/.test(before(c, 3))) return 0.9;
      if (DURATION_AFTER.test(after) || DURATION_BEFORE.test(before(c, 3))) return m[1].length === 4 && !/^年(?:后|前|内|间|里|多|左右|以上|以下|以内)/.test(after) ? 0.9 : 0;
      if (/(?:公元前?|纪元|西元)\s?$/.test(before(c, 3)) || m[1].length === 4 || m[1][0] === '0' || /^年\s?\d{1,2}\s?月/.test(after)) return 0.9;
      return m[1].length === 2 && /^年代/.test(after) ? 0.9 : m[1].length === 2 ? 0.7 : 0;
    },
    fields: (m) => ({ y: m[1] }),
  },
  { name: 'era', cls: 'year', first: D, shape: (r, n) => r <= 4 && has(' \t\naAbB', n), re: /(\d{1,4})\s?(a\.d\.|ad|b\.c\.|bc)(?![A-Za-z])/iy, score: 0.9, fields: (m) => ({ y: m[1], era: m[2].toLowerCase().startsWith('b') ? 'bc' : 'ad' }) },
  { name: 'generation', cls: 'year', first: D, shape: (r, n) => r === 2 && n === '后', re: /(\d{2})(?=后(?![面边来]))/y, score: 0.8, fields: (m) => ({ y: m[1], kind: 'generation' }) },
  {
    name: 'time', cls: 'time', first: D, shape: (r, n) => r <= 2 && has(':：', n), re: /(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?(?:\s?([aApP])\.?[mM]\.?(?![A-Za-z]))?(?![\d:])/y,
    score: (m, c) => {
      if (Number(m[1]) > 24 || Number(m[2]) > 59 || Number(m[3] ?? 0) > 59) return 0;
      return !m[3] && hasCue(c, SCORE_CUES, 4) ? 0.3 : 0.9;
    },
    fields: (m) => ({ h: m[1], mi: m[2], s: m[3], ap: m[4]?.toLowerCase() }),
  },
  { name: 'score-colon', cls: 'range', first: D, shape: (r, n) => r <= 3 && has(' \t\n:：', n), re: /(\d{1,3})\s?[:：]\s?(\d{1,3})(?![\d:：]|\.\d)/y, score: 0.7, fields: (m) => ({ a: m[1], b: m[2], kind: 'score' }) },

  // addresses: kept as written, their digits read one by one
  { name: 'url', cls: 'url', first: /[hHwW]/, requires: '.', re: /(?:https?:\/\/|www\.)[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]{1,300}/y, score: 0.95, fields: (m) => ({ url: m[0].replace(/[.,;:!?)]+$/, '') }) },
  { name: 'email', cls: 'email', first: /[A-Za-z0-9._%+-]/, requires: '@', re: /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,5}/y, score: 0.95, fields: (m) => ({ url: m[0] }) },
  {
    // "RTX 4090", "ISO 9001": a model number after a word in capitals is said digit by digit
    name: 'caps-digits', cls: 'code', first: D, shape: (r) => r >= 3 && r <= 6, re: /\d{3,6}(?![\d.,])/y,
    gate: (c) => c.text[c.start - 1] === ' ' && /(?:^|[^A-Za-z])[A-Z]{2,5}$/.test(c.text.slice(Math.max(0, c.start - 7), c.start - 1)), score: 0.7, fields: (m) => ({ code: m[0], kind: 'digits' }),
  },

  // digits read one by one
  { name: 'mobile', cls: 'phone', first: /[+\d]/, shape: (r) => r === 11 || r === 13 || r === 3 || r === 2, re: /(?:\+?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}(?!\d)/y, score: 0.95, fields: (m) => ({ d: m[0] }) },
  { name: 'landline', cls: 'phone', first: /[+\d(]/, shape: (r) => r >= 3, re: /(?:\+\d{1,3}[ -]?)?\(?0\d{2,3}\)?[ -]?\d{3,4}[ -]?\d{4}(?!\d)|[48]00[ -]?\d{3}[ -]?\d{4}(?!\d)/y, score: 0.95, fields: (m) => ({ d: m[0] }) },
  { name: 'ip', cls: 'digits', first: D, shape: (r, n) => r <= 3 && n === '.', re: /\d{1,3}(?:\.\d{1,3}){3}(?!\.?\d)/y, score: 0.95, fields: (m) => ({ d: m[0], kind: 'ip' }) },
  { name: 'cue-digits', cls: 'digits', first: D, shape: (r) => r >= 3, re: /\d{3,24}(?:[- ]\d{2,8}){0,4}(?!\.?\d)/y, score: (_m, c) => (hasCue(c, DIGIT_CUES, 6) && !liangAfter(c.text, c.end) ? 0.9 : 0), fields: (m) => ({ d: m[0] }) },
  { name: 'service', cls: 'digits', first: D, shape: (r) => r >= 3 && r <= 5, re: /\d{3,5}(?!\.?\d)/y, score: (m, c) => (SERVICE_NUMBERS.has(m[0]) && !liangAfter(c.text, c.end) && !/^[%‰万亿千百]/.test(c.text.slice(c.end, c.end + 1)) && !/[-−+]$/.test(before(c, 1)) ? 0.8 : 0), fields: (m) => ({ d: m[0] }) },
  { name: 'room', cls: 'digits', first: D, shape: (r, n) => r >= 3 && r <= 5 && has(' \t\n室房号', n), re: /\d{3,5}(?=\s?(?:室|房间|号房|号室))/y, score: 0.85, fields: (m) => ({ d: m[0] }) },
  { name: 'leading-zero', cls: 'digits', first: /0/, shape: (r) => r >= 3, re: /0\d{2,30}(?!\.?\d)/y, score: 0.8, fields: (m) => ({ d: m[0] }) },
  { name: 'long-digits', cls: 'digits', first: D, shape: (r) => r >= 17, re: /\d{17,60}(?!\.?\d)/y, score: 0.8, fields: (m) => ({ d: m[0] }) },

  // money, percent, units
  {
    name: 'money-sign', cls: 'money', first: /[A-Z$¥￥€£₩₹₽₫฿₱]/, re: new RegExp(String.raw`(${SIGNS})\s?([-−]?${DEC})(${SCALE})?(?:${RANGE_SEP}(?:${SIGNS})?\s?(${DEC})(${SCALE})?)?(?!\.?\d)`, 'y'),
    gate: (c) => !letterBefore(c), score: 0.95, fields: (m) => ({ cur: CURRENCY_SIGNS[m[1]], n: m[2], scale: m[3], to: m[4], toScale: m[5] }),
  },
  { name: 'money-code', cls: 'money', first: /[A-Z]/, re: new RegExp(String.raw`(${CODES})\s?(${DEC})(${SCALE})?(?!\.?\d)`, 'y'), gate: (c) => !letterBefore(c), score: 0.95, fields: (m) => ({ cur: CURRENCY_CODES_ZH[m[1]], n: m[2], scale: m[3] }) },
  { name: 'amount-code', cls: 'money', first: D, shape: (_r, _n, a) => has('CRUHEGJKATSINM万亿千百kKwWmMbB', a), re: new RegExp(String.raw`(${DEC})(${SCALE})?\s?(${CODES})(?![A-Za-z])`, 'y'), score: 0.95, fields: (m) => ({ cur: CURRENCY_CODES_ZH[m[3]], n: m[1], scale: m[2] }) },
  {
    name: 'percent', cls: 'percent', first: /[-−\d]/, shape: (_r, _n, a) => has('%‰-~～—–至到', a), gate: (c) => signAllowed(c) && /[%‰]/.test(afterRangeAt(c.text, c.start)), re: new RegExp(String.raw`([-−]?${DEC})(?:\s?%?${RANGE_SEP}([-−]?${DEC}))?\s?([%‰])`, 'y'),
    score: 0.9, fields: (m) => ({ from: m[2] ? m[1] : undefined, n: m[2] ?? m[1], per: m[3] }),
  },
  {
    name: 'unit', cls: 'measure', first: /[-−\d]/, shape: (_r, _n, a) => UNIT_STARTS.has(a), gate: (c) => signAllowed(c) && UNIT_FIRST.test(afterRangeAt(c.text, c.start)), re: new RegExp(String.raw`([-−]?${DEC})(?:${RANGE_SEP}([-−]?${DEC}))?(${UNITS})(?![A-Za-z\d²³])`, 'y'),
    score: 0.9, fields: (m) => ({ from: m[2] ? m[1] : undefined, n: m[2] ?? m[1], unit: m[3].trim() }),
  },

  // numbers
  { name: 'fraction', cls: 'fraction', first: /[-−\d]/, shape: (_r, n) => has(' \t\n/', n), re: /([-−]?)(\d{1,9})\s?\/\s?(\d{1,9})(?![\d/])/y, gate: signAllowed, score: 0.8, fields: (m) => ({ sign: m[1], n: m[2], d: m[3] }) },
  // a range: 到 before a measure word or unit or with ~ 至 到 (fixed scores, so no match is allocated where it loses)
  {
    name: 'range-measured', cls: 'range', first: D, shape: (_r, _n, a) => has('-~～—–至到', a), gate: (c) => rangeHasCue(c.text, c.start),
    re: new RegExp(String.raw`(${DEC})(${RANGE_SEP})(${DEC})(?!\.?\d)`, 'y'), score: 0.85, fields: (m) => ({ a: m[1], b: m[3], sep: m[2].trim() }),
  },
  {
    name: 'range', cls: 'range', first: D, shape: (_r, _n, a) => has('-~～—–至到', a),
    re: new RegExp(String.raw`(${DEC})(${RANGE_SEP})(${DEC})(?!\.?\d)`, 'y'), score: 0.6, fields: (m) => ({ a: m[1], b: m[3], sep: m[2].trim() }),
  },
  {
    name: 'cardinal', cls: 'cardinal', first: /[-−\d]/, re: new RegExp(String.raw`([-−]?)(${DEC})(?:\s?([wk])(?![A-Za-z]))?`, 'y'),
    gate: signAllowed, score: 0.5, fields: (m) => ({ sign: m[1], n: m[2], scale: m[3] }),
  },
  {
    // letters and digits in one token: G1234, CA1234, iPhone15, 5G, v1.2.3; a name such as GPT-4o stays as written
    name: 'code', cls: 'code', first: /[A-Za-z\d]/, shape: (_r, n) => isLatin(n), re: /[A-Za-z\d]{1,40}(?:[-_.][A-Za-z\d]{1,40}){0,6}/y,
    score: (m) => (/\d/.test(m[0]) && /[A-Za-z]/.test(m[0]) && !/^\d+[wk]$/.test(m[0]) ? 0.7 : 0), fields: (m) => ({ code: m[0] }),
  },
];

/** Whether a score reading ("1-2" → 一比二) fits: a cue before it, or a short pair right after a Chinese word with no measure word after. */
export function isScore(c: ZhContext, a: string, b: string): boolean {
  if (hasCue(c, SCORE_CUES, 4)) return true;
  const p = prevChar(c);
  return /[\u4e00-\u9fff]/.test(p) && p !== '第' && a.length <= 3 && b.length <= 3 && !measureAfter(c.text, c.end);
}

/** A bare 2 counts something (两) when a measure word follows and 第 does not come before. */
export function countsAt(c: ZhContext): boolean {
  return prevChar(c) !== '第' && liangAfter(c.text, c.end);
}
