/**
 * One verbalizer per class: each turns the parsed fields of a kept span into words. Pure and
 * total; the resolver only calls a verbalizer for a span its recognizer parsed.
 */
import { DIGIT_CUES, hasCue, REGNAL, sentenceEnds, sentenceEndsAfterAbbreviation } from './cues.js';
import { latexToSpeech } from './latex.js';
import { SMALL_FRACTIONS } from './latex-vocab.js';
import { cardinal, decade, digits, isOne, numberWords, ordinal, ordinalize, pairs, year } from './numbers.js';
import type { Context, Fields, SpanClass, Verbalizer } from './spans.js';
import { CURRENCY, CURRENCY_CODE_WORDS, SCALE_SUFFIX, unitFor } from './units.js';
import { speakEmail, speakFile, speakPath, speakUrl } from './web.js';

export const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const MONTH_ABBR: Record<string, number> = { jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, sept: 8, oct: 9, nov: 10, dec: 11 };
export const monthIndex = (m: string) => MONTH_ABBR[m.slice(0, m.toLowerCase().startsWith('sept') ? 4 : 3).toLowerCase()];

const GREEK_CHARS: Record<string, string> = {
  α: 'alpha', β: 'beta', γ: 'gamma', δ: 'delta', ε: 'epsilon', ζ: 'zeta', η: 'eta', θ: 'theta', ι: 'iota', κ: 'kappa', λ: 'lambda', μ: 'mu',
  ν: 'nu', ξ: 'xi', π: 'pi', ρ: 'rho', σ: 'sigma', τ: 'tau', υ: 'upsilon', φ: 'phi', χ: 'chi', ψ: 'psi', ω: 'omega',
  Γ: 'capital gamma', Δ: 'capital delta', Θ: 'capital theta', Λ: 'capital lambda', Π: 'capital pi', Σ: 'capital sigma', Φ: 'capital phi', Ψ: 'capital psi', Ω: 'capital omega',
};
/** Symbols between two operands (maths). */
const MATH_CHARS: Record<string, string> = {
  '×': 'times', '÷': 'divided by', '±': 'plus or minus', '∓': 'minus or plus', '≤': 'is less than or equal to', '≥': 'is greater than or equal to',
  '≠': 'is not equal to', '≈': 'is approximately equal to', '≡': 'is equivalent to', '→': 'to', '⇒': 'implies', '⇔': 'if and only if', '←': 'from',
  '∞': 'infinity', '∑': 'the sum of', '∏': 'the product of', '∫': 'the integral of', '∂': 'partial', '∇': 'del', '∈': 'is in', '∉': 'is not in',
  '⊂': 'is a subset of', '∪': 'union', '∩': 'intersection', '∀': 'for all', '∃': 'there exists', '∅': 'the empty set', '°': 'degrees', '·': 'times',
  '²': 'squared', '³': 'cubed', '‰': 'per mille', '−': 'minus', '=': 'equals', '+': 'plus', '-': 'minus', '*': 'times', x: 'times', '<': 'is less than', '>': 'is greater than',
  '√': 'the square root of', '∝': 'is proportional to', '∴': 'therefore',
};
/** Symbols in prose, before a number or a word, read so the sentence still reads. */
const PROSE_SYMBOLS: Record<string, string> = {
  '&': 'and', '@': 'at', '+': 'plus', '<': 'less than', '>': 'more than', '≤': 'at most', '≥': 'at least', '<=': 'at most', '>=': 'at least', '~': 'about', '≈': 'about',
  '→': 'to', '->': 'to', '⇒': 'then', '=>': 'then', '←': 'from', '<-': 'from', '×': 'times', '±': 'plus or minus', '≠': 'not equal to', '=': 'equals', '/': 'or', '|': ' ',
  '§': 'section', per: 'per', 'or-slash': 'or', '§§': 'sections', '¶': 'paragraph', '©': 'copyright', '®': ' ', '™': ' ', '†': ' ', '‡': ' ', '°': 'degrees', '#': 'number', '%': 'percent', '*': ' ', '^': ' ',
  '‰': 'per mille', '№': 'number', '…': '…', '½': 'one half', '¼': 'one quarter', '¾': 'three quarters', '⅓': 'one third', '⅔': 'two thirds', '⅛': 'one eighth',
};
export const VULGAR: Record<string, [string, string]> = { '½': ['1', '2'], '⅓': ['1', '3'], '⅔': ['2', '3'], '¼': ['1', '4'], '¾': ['3', '4'], '⅕': ['1', '5'], '⅖': ['2', '5'], '⅗': ['3', '5'], '⅘': ['4', '5'], '⅙': ['1', '6'], '⅚': ['5', '6'], '⅛': ['1', '8'], '⅜': ['3', '8'], '⅝': ['5', '8'], '⅞': ['7', '8'] };

const num = (s: string) => numberWords(s);
/** Before "5/5", "8/10": a score, "five out of five". */
const OUT_OF_CUES = new Set(['rated', 'rating', 'scored', 'score', 'scores', 'got', 'gets', 'gave', 'give', 'gives', 'giving', 'marks', 'graded']);
const plural = (w: string) => (/(s|x|ch|sh)$/.test(w) ? `${w}es` : /[^aeiou]y$/.test(w) ? `${w.slice(0, -1)}ies` : `${w}s`);

/** "3/4" → "three quarters"; "1/2" → "one half"; "5/12" → "five twelfths"; "7/100" → "seven hundredths". */
export function fractionWords(n: string, d: string): string {
  const small = SMALL_FRACTIONS[`${n}/${d}`];
  if (small) return small;
  const nn = Number(n);
  const dd = Number(d);
  if (dd === 2) return `${cardinal(n)} ${nn === 1 ? 'half' : 'halves'}`;
  if (dd === 4) return `${cardinal(n)} ${nn === 1 ? 'quarter' : 'quarters'}`;
  if (dd === 1 || dd === 0 || d.length > 6) return `${cardinal(n)} over ${cardinal(d)}`;
  const ord = ordinal(d);
  return `${cardinal(n)} ${nn === 1 ? ord : plural(ord)}`;
}

/** A quantity before a unit: decimals, fractions ("3/4"), mixed numbers ("1 1/2", "1½"). */
export function quantity(v: string): { words: string; singular: boolean; properFraction: boolean; half: boolean } {
  const vulgar = /^(\d*)\s?([½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞])$/.exec(v);
  const frac = vulgar ? [v, vulgar[1], ...VULGAR[vulgar[2]]] : /^(?:(\d+)[ -])?(\d+)\/(\d+)$/.exec(v);
  if (frac) {
    const [, whole, n, d] = frac;
    const f = fractionWords(n, d);
    if (whole) return { words: `${cardinal(whole)} and ${n === '1' && d === '2' ? 'a half' : n === '1' ? f.replace(/^one /, 'a ') : f}`, singular: false, properFraction: false, half: false };
    return { words: f, singular: true, properFraction: Number(n) < Number(d), half: n === '1' && d === '2' };
  }
  const scaled = /^(.+?) (thousand|million|billion)$/.exec(v);
  if (scaled) return { words: `${quantity(scaled[1]).words} ${scaled[2]}`, singular: false, properFraction: false, half: false };
  const clean = v.replace(/,/g, '').replace('−', '-');
  return { words: num(clean), singular: isOne(clean), properFraction: false, half: false };
}

/** "an ounce", "a cup": the article a unit takes when read after a fraction. */
const article = (w: string) => (/^(?:[aeio]|u(?!ni|se|s[eu])|hour|honou?r)/i.test(w) ? `an ${w}` : `a ${w}`);

function unitPhrase(q: ReturnType<typeof quantity>, unit: [string, string]): string {
  // "half a cup", "three quarters of a cup": the way recipes are read aloud
  if (q.half) return `half ${article(unit[0])}`;
  if (q.properFraction) return `${q.words} of ${article(unit[0])}`;
  return `${q.words} ${q.singular ? unit[0] : unit[1]}`;
}

function speakTime(f: Fields): string {
  const h = Number(f.h);
  const ap = f.ap ? ` ${f.ap.toLowerCase().startsWith('a') ? 'a m' : 'p m'}` : '';
  const zone = f.zone ? ` ${f.zone.replace(/\./g, '').toUpperCase().split('').join(' ')}` : '';
  const hour = cardinal(String(h));
  if (f.s !== undefined) {
    const unitsOf = (n: string, w: string) => `${cardinal(String(Number(n)))} ${w}${Number(n) === 1 ? '' : 's'}`;
    return `${unitsOf(f.h!, 'hour')} ${unitsOf(f.mi ?? '0', 'minute')} and ${unitsOf(f.s, 'second')}${ap}${zone}`;
  }
  if (!f.mi || f.mi === '00') return (ap ? `${hour}${ap}` : h === 0 ? 'midnight' : `${hour} o'clock`) + zone;
  const mm = Number(f.mi) < 10 ? `oh ${cardinal(String(Number(f.mi)))}` : cardinal(f.mi);
  return `${hour} ${mm}${ap}${zone}`;
}

const PER_WORDS: Record<string, string> = { mo: 'month', mth: 'month', yr: 'year', hr: 'hour', h: 'hour', wk: 'week', ea: 'each', min: 'minute', sec: 'second', lb: 'pound', kg: 'kilogram', oz: 'ounce', sqft: 'square foot', ft: 'foot', m: 'meter', km: 'kilometer', mi: 'mile', gal: 'gallon', l: 'liter', day: 'day', night: 'night', person: 'person', month: 'month', year: 'year', hour: 'hour', week: 'week', user: 'user', seat: 'seat' };

function money(f: Fields): string {
  const codeWords = f.code ? CURRENCY_CODE_WORDS[f.code] : undefined;
  const [one, many, subOne, subMany] = codeWords ? [codeWords[0], codeWords[1], 'cent', 'cents'] : CURRENCY[f.cur ?? '$'] ?? CURRENCY.$;
  const intDigits = (f.int || '0').replace(/,/g, '');
  const per = f.per ? ` per ${PER_WORDS[f.per.toLowerCase()] ?? unitFor(f.per)?.[0] ?? f.per.toLowerCase()}` : '';
  if (f.scale) return `${num(intDigits + (f.frac ?? ''))} ${SCALE_SUFFIX[f.scale] ?? f.scale.toLowerCase()} ${many}${per}`;
  const whole = `${cardinal(intDigits)} ${isOne(intDigits) ? one : many}`;
  if (!f.frac || /^\.0+$/.test(f.frac)) return whole + per;
  const fracDigits = f.frac.slice(1).replace(/(?<=^\d\d)0+$/, '');
  // "$17.312" is not dollars and cents: say it as a decimal amount
  if (fracDigits.length > 2) return `${num((f.int === '' ? '' : intDigits) + f.frac)} ${many}${per}`;
  const cents = fracDigits.padEnd(2, '0');
  const c = Number(cents);
  if (Number(intDigits) === 0) return `${cardinal(String(c))} ${c === 1 ? subOne : subMany}${per}`;
  return `${whole} and ${cardinal(String(c))} ${c === 1 ? subOne : subMany}${per}`;
}

function date(f: Fields, ctx: Context): string {
  const month = MONTHS[Number(f.mo) - 1];
  const y = f.y ? (f.y.length === 2 ? pairs(f.y) : year(f.y)) : '';
  if (!f.d) return `${month} ${y}`;
  const day = ordinal(String(Number(f.d)));
  // "the ninth of April" unless the text already says "the", or writes "9th of April" itself
  const the = ctx.before[0] === 'the' || / of /i.test(ctx.text.slice(ctx.start, ctx.end)) ? '' : 'the ';
  return f.style === 'dmy' ? `${the}${day} of ${month}${y ? ` ${y}` : ''}` : `${month} ${day}${y ? `, ${y}` : ''}`;
}

/** Letters of a code are spelled, its digits said the way names are said ("A380" → "A three eighty"). */
function code(f: Fields, ctx: Context): string {
  const byDigit = hasCue(ctx, DIGIT_CUES, 3);
  const runs = (f.parts ?? '').split(/[-\s]+/).flatMap((p) => p.match(/\d+|[A-Za-z]+/g) ?? []);
  return runs
    .map((run, i) => {
      if (/^\d/.test(run)) {
        // a cue word reads digit by digit, except a short number inside a word code ("SAVE20")
        if ((byDigit && (run.length >= 3 || runs.length === 1)) || run.length >= 5) return digits(run);
        // "A380" → "three eighty" like a model name; "133-ABC" → "one hundred thirty-three"
        if (run.length === 3 && i === 0 && !f.name) return cardinal(run);
        return pairs(run);
      }
      // short or all-capital letter runs are spelled (W D, R T X); words stay words (covid)
      // a four-letter capitals run shaped like a word (SAVE, NASA) is said as one
      const wordLike = run.length === 4 && /^[^AEIOU][AEIOU][^AEIOU][AEIOU]$/.test(run);
      return run.length <= 2 || (run.length <= 4 && run === run.toUpperCase() && !wordLike) || !/[aeiouy]/i.test(run) ? run.split('').join(' ') : run;
    })
    .join(' ');
}

/** A variable right before an arrow: "n → ∞" is "n approaches infinity", "input → output" is "input to output". */
const VARIABLE_BEFORE = /(?:^|[^\p{L}\p{N}])\p{Ll}\s?$/u;
/** One word opening a sentence or clause before "≈": "Pi ≈ 3.14" is "pi is approximately". */
const SUBJECT_BEFORE = /(?:^|[.!?:;]\s+|\n)\s*\p{L}[\p{L}'’]*\s?$/u;

function math(f: Fields, recurse: (s: string) => string, ctx: Context): string {
  const operand = (s: string | undefined) => (s && /\d/.test(s) ? num(s) : (s ?? ''));
  switch (f.kind) {
    case 'tex':
      return latexToSpeech(f.tex ?? '');
    case 'power':
      return `${operand(f.base)} ${f.exp === '2' ? 'squared' : f.exp === '3' ? 'cubed' : `to the power of ${operand(f.exp)}`}`;
    case 'sqrt':
      return `the square root of ${recurse(f.arg ?? '')}`;
    case 'root':
      return `the square root of ${operand(f.arg)}`;
    case 'call':
      return `${f.f} of ${operand(f.x)}`;
    case 'coef':
      return `${num(f.n ?? '')} ${f.v}`;
    case 'sci':
      return `${num(f.mant ?? '')} times ten to the power of ${num((f.exp ?? '').replace('+', ''))}`;
    case 'greek':
      return GREEK_CHARS[f.c ?? ''] ?? f.c ?? '';
    case 'factorial':
      return `${operand(f.n)} factorial`;
    case 'chain':
      return (f.arg ?? '').split(/([*/])/).map((p) => (p === '*' ? 'times' : p === '/' ? 'over' : operand(p))).join(' ');
    case 'mod':
      return `${recurse(f.a ?? '')} is congruent to ${recurse(f.b ?? '')} modulo ${operand(f.n)}`;
    default:
      if (f.c === '→' && VARIABLE_BEFORE.test(ctx.text.slice(Math.max(0, ctx.start - 3), ctx.start))) return 'approaches';
      return MATH_CHARS[f.c ?? ''] ?? '';
  }
}

/** Titles and labels before a name or number: their period is never a sentence end. */
const LEADING = new Set(['Dr', 'Mr', 'Mrs', 'Ms', 'Prof', 'Maj', 'Drs', 'bldg', 'Bldg', 'apt', 'Adm', 'Cmdr', 'Gens', 'Sens', 'Reps', 'Govs', 'Supt', 'Fig', 'fig', 'Figs', 'figs', 'Eq', 'eq', 'Eqs', 'Vol', 'vol', 'Ch', 'ch', 'Sec', 'sec', 'Secs', 'Ref', 'ref', 'Refs', 'Tab', 'Thm', 'Def', 'Prop', 'Lem', 'Cor', 'Ex', 'Rev', 'Mt', 'Ft', 'Gen', 'Gov', 'Sen', 'Rep', 'Capt', 'Lt', 'Col', 'Sgt', 'Hon', 'Pres', 'no', 'No', 'Nos', 'nos', 'p', 'pp', 'para', 'paras', 'Para', 'Art', 'art', 'cf', 'ca', 'tel', 'Tel', 'ext', 'Ext', 'Apt', 'Ste', 'e.g', 'i.e', 'a.k.a', 'vs', 'viz', 'approx', 'c']);

function abbreviation(f: Fields, ctx: Context): string {
  let spoken = f.spoken ?? '';
  if (f.abbr === 'Dr' || f.abbr === 'dr') {
    // "Dr. Smith" but "121 Seahawk Dr., DeSoto": Drive after a street name with nothing name-like after it
    const prev = /([A-Za-z]+)[ \t]*$/.exec(ctx.text.slice(Math.max(0, ctx.start - 30), ctx.start))?.[1] ?? '';
    if (!/^\s+[A-Z]/.test(ctx.next) && /^[A-Z][a-z]/.test(prev)) spoken = 'Drive';
  }
  // initials before a name ("G.C. Berkouwer") keep no period; at the very end of a line it also ends the sentence
  if (f.abbr === 'degree') return spoken + (f.dot && sentenceEndsAfterAbbreviation(ctx) ? '.' : '');
  if (f.abbr === 'initials') return spoken + (f.dot && /^\s*(\n|$)/.test(ctx.next) ? '.' : '');
  if (f.abbr === 'St') {
    // "St. Louis" but "Main St." / "Elm St. It was …": Saint before a name unless a street name comes first
    const prev = /([A-Za-z]+)[ \t]*$/.exec(ctx.text.slice(Math.max(0, ctx.start - 30), ctx.start))?.[1] ?? '';
    const sentence = ctx.text.slice(Math.max(0, ctx.start - 60), ctx.start).split(/[.!?]\s/).pop() ?? '';
    spoken = /^\s+[A-Z]/.test(ctx.next) && (!/^[A-Z]/.test(prev) || !/\d/.test(sentence)) ? 'Saint' : 'Street';
  }
  const ends = f.dot && f.abbr !== undefined && !LEADING.has(f.abbr) && sentenceEndsAfterAbbreviation(ctx);
  return spoken + (ends || (f.abbr === 'St' && spoken === 'Street' && sentenceEnds(ctx) && ctx.next !== '') ? '.' : '');
}

/** "Chapter IV" → "four"; "Henry III" → "the third". */
function roman(n: string, ctx: Context): string {
  const prev = /([A-Za-z]+)\s$/.exec(ctx.text.slice(Math.max(0, ctx.start - 20), ctx.start))?.[1] ?? '';
  return REGNAL.has(prev.toLowerCase()) ? `the ${ordinal(n)}` : cardinal(n);
}

function symbol(f: Fields, ctx: Context): string {
  // "and/or" is said "and or"; "he/she" "he or she"
  if (f.c === 'or-slash' && ctx.after === 'or') return ' ';
  const before = ctx.text.slice(Math.max(0, ctx.start - 40), ctx.start);
  if ((f.c === '→' || f.c === '->') && VARIABLE_BEFORE.test(before.slice(-3))) return 'approaches';
  if (f.c === '≈' && SUBJECT_BEFORE.test(before)) return 'is approximately';
  switch (f.kind) {
    case 'handle':
      return `at ${f.arg}`;
    case 'hashtag':
      return `hashtag ${f.arg}`;
    case 'number':
      return `number ${num(f.arg ?? '')}`;
    case 'sharp':
      return `${f.arg} sharp`;
    case 'plus-after':
      return `${num(f.arg ?? '')} plus`;
    default:
      return PROSE_SYMBOLS[f.c ?? ''] ?? ' ';
  }
}

export const VERBALIZERS: Record<SpanClass, Verbalizer> = {
  markup: (f, _c, recurse) => (f.kind === 'inner' ? recurse(f.text ?? '') : f.kind === 'entity' ? (f.word ?? ' ') : ''),
  math: (f, ctx, recurse) => math(f, recurse, ctx),
  url: (f) => speakUrl(f.url ?? ''),
  email: (f) => speakEmail(f.addr ?? ''),
  file: (f) => (f.path !== undefined ? speakPath(f.path) : speakFile(f.name ?? '', f.ext ?? '')),
  date: (f, ctx) => date(f, ctx),
  time: (f, ctx) => speakTime(f) + (f.stopDot && sentenceEnds(ctx) ? '.' : ''),
  phone: (f) =>
    (f.raw ?? '')
      .split(/[^\dA-Za-z+]+/)
      .filter(Boolean)
      .map((g) => (g.startsWith('+') ? `plus ${digits(g)}` : /^[A-Za-z]+$/.test(g) ? g : g === '800' || g === '888' || g === '877' ? cardinal(g) : digits(g)))
      .join(', '),
  digits: (f) => (f.kind === 'ip' ? (f.d ?? '').split('.').map(digits).join(' dot ') : (f.d ?? '').split('-').map((g) => (g === 'X' ? 'X' : digits(g))).join(', ')),
  code: (f, ctx) => code(f, ctx),
  money: (f) => money(f),
  percent: (f) => `${num((f.n ?? '').replace('−', '-'))} percent`,
  measure: (f) => {
    if (f.kind === 'temp') return `${num((f.value ?? '').replace('−', '-'))} ${isOne(f.value ?? '') ? 'degree' : 'degrees'} ${f.unit === 'C' ? 'Celsius' : f.unit === 'F' ? 'Fahrenheit' : 'kelvin'}`;
    if (f.kind === 'deg') return `${num(f.value ?? '')} ${isOne(f.value ?? '') ? 'degree' : 'degrees'}`;
    const u = unitFor(f.unit ?? '') ?? [f.unit ?? '', f.unit ?? ''];
    if (f.kind === 'range') return `${num(f.from ?? '')} to ${num(f.value ?? '')} ${u[1]}`;
    const per = f.per ? ` per ${unitFor(f.per)?.[0] ?? f.per}` : '';
    if (f.kind === 'feet-inches') return `${num(f.from ?? '')} ${isOne(f.from ?? '') ? 'foot' : 'feet'} ${num(f.value ?? '')} ${isOne(f.value ?? '') ? 'inch' : 'inches'}`;
    // "a 12-oz can": a unit joined by a hyphen is an adjective, said in the singular
    if (f.hyphen) return `${quantity(f.value ?? '').words} ${u[0]}${per}`;
    return unitPhrase(quantity(f.value ?? ''), u) + per;
  },
  fraction: (f, ctx) => (f.n === '50' && f.d === '50' ? 'fifty-fifty' : !f.whole && ((f.n === '24' && f.d === '7') || (f.n === '9' && f.d === '11')) ? `${cardinal(f.n)} ${cardinal(f.d)}` : !f.whole && OUT_OF_CUES.has(ctx.before[0] ?? '') && Number(f.n) <= Number(f.d) ? `${num(f.n ?? '')} out of ${num(f.d ?? '')}` : quantity(f.whole ? `${f.whole} ${f.n}/${f.d}` : `${f.n}/${f.d}`).words),
  ordinal: (f) => ordinal(f.n ?? ''),
  decade: (f) => (f.prefix ? `${f.prefix.toLowerCase()} ` : '') + decade(f.d ?? ''),
  year: (f) => (f.y?.length === 4 ? year(f.y) : f.short ? cardinal(f.y ?? '') : pairs(f.y ?? '')) + (f.era ? ` ${f.era.replace(/\./g, '').toUpperCase().split('').join(' ')}` : ''),
  cardinal: (f, ctx) => (f.kind === 'roman' ? roman(f.n ?? '', ctx) : f.times ? `${num(f.n ?? '')} times` : f.plus ? `plus ${num(f.n ?? '')}` : f.scale ? `${num(f.n ?? '')} ${SCALE_SUFFIX[f.scale] ?? f.scale}` : num(f.n ?? '')),
  range: (f) => `${f.a && /^\d{4}$/.test(f.a) && f.year ? year(f.a) : num(f.a ?? '')} to ${f.b && /^\d{4}$/.test(f.b) && f.year ? year(f.b) : num(f.b ?? '')}`,
  version: (f) => `${f.prefix ? 'version ' : ''}${(f.v ?? '').split('.').map((p) => cardinal(p)).join(' point ')}`,
  dimension: (f) => [f.a, f.b, f.c].filter((x): x is string => !!x).map((x) => (x.length === 4 ? pairs(x) : num(x))).join(' by ') + (f.unit ? ` ${unitFor(f.unit)?.[1] ?? f.unit}` : ''),
  symbol: (f, ctx) => symbol(f, ctx),
  abbreviation: (f, ctx) => abbreviation(f, ctx),
};

export { ordinalize };
