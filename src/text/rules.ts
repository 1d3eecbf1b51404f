/**
 * Plain-text rules: each is a sticky regex tried at a position and a function that speaks the
 * match. Every pattern is bounded (no nested unbounded quantifiers), so a scan is linear.
 * Order matters: the first rule that matches at a position wins.
 */
import { latexToSpeech } from './latex.js';
import { SMALL_FRACTIONS } from './latex-vocab.js';
import { cardinal, decade, digits, isOne, numberWords, ordinal, year } from './numbers.js';
import { CURRENCY, SCALE_SUFFIX, UNIT_PATTERN, UNITS } from './units.js';

export interface Rule {
  name: string;
  re: RegExp;
  /** Only try at the start of a word (after a non-alphanumeric character). */
  wordStart?: boolean;
  speak: (m: RegExpExecArray, recurse: (s: string) => string) => string;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const MONTH_ABBR: Record<string, number> = { jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, sept: 8, oct: 9, nov: 10, dec: 11 };
const monthIndex = (m: string) => MONTH_ABBR[m.slice(0, m.toLowerCase().startsWith('sept') ? 4 : 3).toLowerCase()];

const GREEK_CHARS: Record<string, string> = {
  α: 'alpha', β: 'beta', γ: 'gamma', δ: 'delta', ε: 'epsilon', ζ: 'zeta', η: 'eta', θ: 'theta', ι: 'iota', κ: 'kappa', λ: 'lambda', μ: 'mu',
  ν: 'nu', ξ: 'xi', π: 'pi', ρ: 'rho', σ: 'sigma', τ: 'tau', υ: 'upsilon', φ: 'phi', χ: 'chi', ψ: 'psi', ω: 'omega',
  Γ: 'capital gamma', Δ: 'capital delta', Θ: 'capital theta', Λ: 'capital lambda', Π: 'capital pi', Σ: 'capital sigma', Φ: 'capital phi', Ψ: 'capital psi', Ω: 'capital omega',
};
const MATH_CHARS: Record<string, string> = {
  '×': 'times', '÷': 'divided by', '±': 'plus or minus', '∓': 'minus or plus', '≤': 'is less than or equal to', '≥': 'is greater than or equal to',
  '≠': 'is not equal to', '≈': 'is approximately equal to', '≡': 'is equivalent to', '→': 'to', '⇒': 'implies', '⇔': 'if and only if', '←': 'from',
  '∞': 'infinity', '∑': 'the sum of', '∏': 'the product of', '∫': 'the integral of', '∂': 'partial', '∇': 'del', '∈': 'is in', '∉': 'is not in',
  '⊂': 'is a subset of', '∪': 'union', '∩': 'intersection', '∀': 'for all', '∃': 'there exists', '∅': 'the empty set', '°': 'degrees', '·': 'times',
  '²': 'squared', '³': 'cubed', '½': 'one half', '¼': 'one quarter', '¾': 'three quarters', '‰': 'per mille', '−': 'minus',
};
const ABBREVIATIONS: Record<string, string> = {
  Dr: 'Doctor', Mr: 'Mister', Mrs: 'Missus', Ms: 'Miz', Prof: 'Professor', Jr: 'Junior', Sr: 'Senior', Fig: 'Figure', fig: 'figure',
  vs: 'versus', etc: 'et cetera', approx: 'approximately', Dept: 'Department', Inc: 'Incorporated', Ltd: 'Limited', Co: 'Company', Ave: 'Avenue',
  Eq: 'Equation', eq: 'equation', Vol: 'Volume', Ch: 'Chapter', p: 'page', pp: 'pages', Mt: 'Mount',
};

const num = (s: string) => numberWords(s);

/** The abbreviation's dot also ended the sentence: at the end, or before a capitalized word. */
function sentenceEnds(m: RegExpExecArray): boolean {
  const rest = m.input.slice(m.index + m[0].length, m.index + m[0].length + 3);
  return rest === '' || /^\s*(\n|$|[A-Z])/.test(rest);
}
const unitWords = (value: string, unit: string) => {
  const u = UNITS[unit];
  return `${num(value)} ${isOne(value) ? u[0] : u[1]}`;
};

function speakTime(h: string, m: string | undefined, suffix: string | undefined): string {
  const hour = cardinal(String(Number(h)));
  const ap = suffix ? ` ${suffix.toLowerCase().startsWith('a') ? 'a m' : 'p m'}` : '';
  if (!m || m === '00') return suffix ? `${hour}${ap}` : `${hour} o'clock`;
  const mm = Number(m) < 10 ? `oh ${cardinal(String(Number(m)))}` : cardinal(m);
  return `${hour} ${mm}${ap}`;
}

function speakUrl(url: string): string {
  const clean = url.replace(/^https?:\/\//, '').replace(/\/$/, '');
  return clean
    .split(/([./:?=&_-])/)
    .map((p) => ({ '.': 'dot', '/': 'slash', ':': 'colon', '?': 'question mark', '=': 'equals', '&': 'and', _: 'underscore', '-': 'dash' })[p] ?? (/^w{3}$/.test(p) ? 'w w w' : p))
    .filter(Boolean)
    .join(' ');
}

function money(sym: string, int: string, frac: string | undefined, scale: string | undefined): string {
  const [one, many, subOne, subMany] = CURRENCY[sym];
  const intDigits = int.replace(/,/g, '');
  if (scale) return `${num(intDigits + (frac ?? ''))} ${SCALE_SUFFIX[scale]} ${many}`;
  const whole = `${cardinal(intDigits)} ${isOne(intDigits) ? one : many}`;
  if (!frac || /^\.0+$/.test(frac)) return whole;
  const cents = frac.slice(1).padEnd(2, '0').slice(0, 2);
  const c = Number(cents);
  if (intDigits === '0' || Number(intDigits) === 0) return `${cardinal(String(c))} ${c === 1 ? subOne : subMany}`;
  return `${whole} and ${cardinal(String(c))} ${c === 1 ? subOne : subMany}`;
}

const NUM = String.raw`\d{1,3}(?:,\d{3})+|\d+`;

export const RULES: Rule[] = [
  // --- markup: stripped, not read out
  { name: 'html-tag', re: /<\/?[A-Za-z][A-Za-z0-9-]{0,20}(?:\s[^<>]{0,300})?\/?>/y, speak: () => ' ' },
  { name: 'html-entity', re: /&(amp|lt|gt|quot|nbsp|#39|apos);/y, speak: (m) => ({ amp: ' and ', lt: ' less than ', gt: ' greater than ', quot: '"', nbsp: ' ', '#39': "'", apos: "'" })[m[1]] ?? ' ' },
  { name: 'md-image', re: /!\[([^\]\n]{0,300})\]\([^()\s]{1,500}\)/y, speak: (m, r) => r(m[1]) },
  { name: 'md-link', re: /\[([^\]\n]{1,300})\]\([^()\s]{1,500}\)/y, speak: (m, r) => r(m[1]) },
  { name: 'md-code', re: /`([^`\n]{1,300})`/y, speak: (m, r) => r(m[1]) },
  { name: 'md-heading', re: /(?<=^|\n)[ \t]{0,3}(?:#{1,6}|>|[-*+])[ \t]+/y, speak: () => '' },
  { name: 'md-emphasis', re: /\*\*|__|~~/y, speak: () => '' },
  { name: 'md-em', re: /(?<![\w*])\*(?=\S)([^*\n]{1,300}?)(?<=\S)\*(?![\w*])/y, speak: (m, r) => r(m[1]) },
  // --- TeX math
  { name: 'tex-display', re: /\$\$([^$]{1,5000}?)\$\$/y, speak: (m) => ` ${latexToSpeech(m[1])} ` },
  { name: 'tex-bracket', re: /\\\[([\s\S]{1,5000}?)\\\]/y, speak: (m) => ` ${latexToSpeech(m[1])} ` },
  { name: 'tex-paren', re: /\\\(([\s\S]{1,2000}?)\\\)/y, speak: (m) => ` ${latexToSpeech(m[1])} ` },
  // $…$ is maths when it holds TeX-ish content; "$5 and $6" stays money.
  { name: 'tex-inline', re: /\$(?!\s)(?=[^$\n]{0,300}[\\^_{}=a-zA-Z])(?!\d+(?:[.,]\d+)?\s?[KMBkmb]?\b[^$\n]{0,300}\$\d)([^$\n]{1,300}?)(?<!\s)\$(?!\d)/y, speak: (m) => ` ${latexToSpeech(m[1])} ` },
  { name: 'tex-command', re: /\\([a-zA-Z]{1,30})(?:\[[^\]\n]{0,50}\])?(?:\{[^{}\n]{0,200}\}){0,3}/y, speak: (m) => ` ${latexToSpeech(m[0])} ` },
  // --- addresses
  { name: 'url', wordStart: true, re: /(?:https?:\/\/|www\.)[^\s<>"')\]]{1,500}?(?=[.,;:!?]?(?:\s|$|[<>"')\]]))/y, speak: (m) => speakUrl(m[0]) },
  { name: 'email', wordStart: true, re: /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}\b/y, speak: (m) => m[0].replace(/\./g, ' dot ').replace('@', ' at ').replace(/[_-]/g, (c) => (c === '_' ? ' underscore ' : ' dash ')) },
  // --- dates and times
  { name: 'iso-date', wordStart: true, re: /(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?![\d:])/y, speak: (m) => `${MONTHS[Number(m[2]) - 1]} ${ordinal(String(Number(m[3])))}, ${year(m[1])}` },
  { name: 'month-date', wordStart: true, re: /(January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.? (\d{1,2})(?:st|nd|rd|th)?\b(?:,? (\d{4})\b)?/y, speak: (m) => `${MONTHS[monthIndex(m[1])]} ${ordinal(m[2])}${m[3] ? `, ${year(m[3])}` : ''}` },
  { name: 'day-month', wordStart: true, re: /(\d{1,2})(?:st|nd|rd|th)? (January|February|March|April|May|June|July|August|September|October|November|December)\b(?:,? (\d{4})\b)?/y, speak: (m) => `the ${ordinal(m[1])} of ${m[2]}${m[3] ? `, ${year(m[3])}` : ''}` },
  { name: 'slash-date', wordStart: true, re: /(0?[1-9]|1[0-2])\/(0?[1-9]|[12]\d|3[01])\/(\d{4})\b/y, speak: (m) => `${MONTHS[Number(m[1]) - 1]} ${ordinal(String(Number(m[2])))}, ${year(m[3])}` },
  { name: 'time-ampm', wordStart: true, re: /(1[0-2]|0?[1-9])(?::([0-5]\d))?\s?([ap]m|[ap]\.m\.)(?![a-z])/iy, speak: (m) => speakTime(m[1], m[2], m[3]) + (m[3].endsWith('.') && sentenceEnds(m) ? '.' : '') },
  { name: 'time-range-dash', re: /(?<=\d|[ap]m|[ap]\.m\.)[–—](?=\d)/iy, speak: () => ' to ' },
  { name: 'time', wordStart: true, re: /([01]?\d|2[0-3]):([0-5]\d)(?!:?\d)/y, speak: (m) => speakTime(m[1], m[2], undefined) },
  // --- phone-like digit strings, read in groups
  { name: 'phone', wordStart: true, re: /(?:\+\d{1,3}[ .-])?(?:\(\d{3}\) ?|\d{3}[ .-])\d{3}[ .-]\d{4}\b/y, speak: (m) => m[0].split(/[^\d+]+/).filter(Boolean).map((g) => (g.startsWith('+') ? `plus ${digits(g)}` : digits(g))).join(', ') },
  // --- money, percentages, scientific notation, units
  { name: 'ordinal', wordStart: true, re: /(\d+)(st|nd|rd|th)\b/y, speak: (m) => ordinal(m[1]) },
  { name: 'decade', wordStart: true, re: /'?((?:1[0-9]|20)?\d0)['’]?s\b/y, speak: (m) => decade(m[1]) },
  { name: 'currency', re: new RegExp(String.raw`([$€£¥₹])\s?(${NUM})(\.\d{1,2}|\.\d+(?=\s?(?:[kKmMbBtT]|bn|mn|thousand|million|billion|trillion)\b))?(?:\s?(thousand|million|billion|trillion|bn|mn|[kKmMbBtT](?![a-zA-Z])))?`, 'y'), speak: (m) => money(m[1], m[2], m[3], m[4]) },
  { name: 'percent', wordStart: true, re: /([-−]?\d+(?:\.\d+)?)\s?%/y, speak: (m) => `${num(m[1].replace('−', '-'))} percent` },
  { name: 'scientific', wordStart: true, re: /(\d+(?:\.\d+)?)[eE]([-+]?\d{1,3})\b/y, speak: (m) => `${num(m[1])} times ten to the power of ${num(m[2].replace('+', ''))}` },
  { name: 'temperature', wordStart: true, re: /([-−]?\d+(?:\.\d+)?)\s?°\s?([CF])\b/y, speak: (m) => `${num(m[1].replace('−', '-'))} degrees ${m[2] === 'C' ? 'Celsius' : 'Fahrenheit'}` },
  { name: 'degrees', wordStart: true, re: /(\d+(?:\.\d+)?)\s?°/y, speak: (m) => `${num(m[1])} ${isOne(m[1]) ? 'degree' : 'degrees'}` },
  { name: 'unit', wordStart: true, re: new RegExp(String.raw`(-?(?:${NUM})(?:\.\d+)?)\s?(${UNIT_PATTERN})(?![\p{L}\d])`, 'uy'), speak: (m) => unitWords(m[1].replace(/,/g, ''), m[2]) },
  // --- numbers in their many shapes
  { name: 'version', wordStart: true, re: /[vV]?(\d+)\.(\d+)\.(\d+)((?:\.\d+){0,4})\b/y, speak: (m) => `${m[0].startsWith('v') || m[0].startsWith('V') ? 'version ' : ''}${m[0].replace(/^[vV]/, '').split('.').map((p) => cardinal(p)).join(' point ')}` },
  { name: 'fraction', wordStart: true, re: /(\d{1,6})\/(\d{1,6})(?![\d/])/y, speak: (m) => (m[1] === m[2] && m[1] === '50' ? 'fifty-fifty' : m[1] === m[2] ? `${cardinal(m[1])} ${cardinal(m[2])}` : SMALL_FRACTIONS[`${m[1]}/${m[2]}`] ?? `${cardinal(m[1])} over ${cardinal(m[2])}`) },
  { name: 'range', wordStart: true, re: /(\d+(?:\.\d+)?)\s?[–—]\s?(\d+(?:\.\d+)?)|(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)(?![\d-])/y, speak: (m) => `${num(m[1] ?? m[3])} to ${num(m[2] ?? m[4])}` },
  { name: 'power', re: /(\d+(?:\.\d+)?|\b[a-zA-Z])\^\{?(-?\d{1,4}|[a-zA-Z])\}?/y, speak: (m) => `${/\d/.test(m[1]) ? num(m[1]) : m[1]} ${m[2] === '2' ? 'squared' : m[2] === '3' ? 'cubed' : `to the power of ${/\d/.test(m[2]) ? num(m[2]) : m[2]}`}` },
  { name: 'sqrt', wordStart: true, re: /sqrt\(([^()\n]{1,100})\)/y, speak: (m, r) => `the square root of ${r(m[1])}` },
  { name: 'root-sign', re: /√\(?(\d+(?:\.\d+)?|[a-zA-Z])\)?/y, speak: (m) => `the square root of ${/\d/.test(m[1]) ? num(m[1]) : m[1]}` },
  { name: 'function-call', wordStart: true, re: /([fghFGH])\(([a-z0-9])\)/y, speak: (m) => `${m[1]} of ${/\d/.test(m[2]) ? num(m[2]) : m[2]}` },
  { name: 'coefficient', wordStart: true, re: /(\d+)([a-z])(?![\p{L}\d])/uy, speak: (m) => `${num(m[1])} ${m[2]}` },
  { name: 'year', wordStart: true, re: /(1[1-9]\d{2}|20\d{2})(?![\d.,]\d|[\d.,]?\d)/y, speak: (m) => year(m[1]) },
  { name: 'negative', wordStart: true, re: /[-−](\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?![\d-])/y, speak: (m) => `minus ${num(m[1] + (m[2] ?? ''))}` },
  { name: 'number', wordStart: true, re: /(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?/y, speak: (m) => num(m[1] + (m[2] ?? '')) },
  // --- operators between operands, symbols
  { name: 'equals', re: /(?<=[\p{L}\d)²³°] ?)=(?= ?[-\p{L}\d(√])/uy, speak: () => ' equals ' },
  { name: 'plus', re: /(?<=[\p{L}\d)²³] ?)\+(?= ?[\p{L}\d(√])/uy, speak: () => ' plus ' },
  { name: 'minus', re: /(?<=(?:^|[^\p{L}])(?:\d+|[a-z]|\d+[a-z]|[)²³]) )-(?= (?:\d|[a-z](?![\p{L}])|\())/uy, speak: () => ' minus ' },
  { name: 'times', re: /(?<=\d ?)[*x](?= ?\d)/y, speak: () => ' times ' },
  { name: 'slash-units', re: /(?<=[a-zA-Z])\/(?=[a-zA-Z])/y, speak: () => ' ' + 'slash' + ' ' },
  { name: 'math-char', re: /[×÷±∓≤≥≠≈≡→⇒⇔←∞∑∏∫∂∇∈∉⊂∪∩∀∃∅°·²³½¼¾‰−]/y, speak: (m) => ` ${MATH_CHARS[m[0]]} ` },
  { name: 'greek', re: /[α-ωΓΔΘΛΠΣΦΨΩ]/y, speak: (m) => ` ${GREEK_CHARS[m[0]] ?? m[0]} ` },
  { name: 'ampersand', re: /&/y, speak: () => ' and ' },
  { name: 'at-handle', wordStart: true, re: /@(\w{1,40})/y, speak: (m) => `at ${m[1]}` },
  { name: 'hash-number', wordStart: true, re: /#(\d+)/y, speak: (m) => `number ${num(m[1])}` },
  { name: 'hashtag', wordStart: true, re: /#([A-Za-z]\w{0,40})/y, speak: (m) => `hashtag ${m[1]}` },
  // --- abbreviations
  { name: 'eg', wordStart: true, re: /e\.g\.(?=\s|,|$)|i\.e\.(?=\s|,|$)|a\.k\.a\.(?=\s|,|$)/iy, speak: (m) => ({ 'e.g.': 'for example', 'i.e.': 'that is', 'a.k.a.': 'also known as' })[m[0].toLowerCase()] ?? m[0] },
  { name: 'saint-street', wordStart: true, re: /St\.(?= ?([A-Z])?)/y, speak: (m) => (m[1] ? 'Saint' : 'Street') },
  { name: 'page-abbr', wordStart: true, re: /(pp?)\.(?= ?\d)/y, speak: (m) => (m[1] === 'pp' ? 'pages' : 'page') },
  { name: 'number-abbr', wordStart: true, re: /No\.(?= ?\d)/y, speak: () => 'number' },
  { name: 'abbr', wordStart: true, re: /(Dr|Mr|Mrs|Ms|Prof|Jr|Sr|Fig|fig|vs|etc|approx|Dept|Inc|Ltd|Co|Ave|Eq|eq|Vol|Ch|Mt)\.(?=[\s,;:)]|$)/y, speak: (m) => (ABBREVIATIONS[m[1]] ?? m[0]) + (/^(etc|Inc|Ltd|Co)$/.test(m[1]) && sentenceEnds(m) ? '.' : '') },
];
