/**
 * Numbers as English words: cardinals (to the quadrillions), decimals, ordinals, years, digit
 * strings. Pure and total: anything unexpected falls back to reading digits one by one.
 */
const ONES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const SCALES = ['', 'thousand', 'million', 'billion', 'trillion', 'quadrillion', 'quintillion', 'sextillion', 'septillion'];

function under1000(n: number): string {
  const parts: string[] = [];
  if (n >= 100) {
    parts.push(`${ONES[Math.floor(n / 100)]} hundred`);
    n %= 100;
  }
  if (n >= 20) parts.push(TENS[Math.floor(n / 10)] + (n % 10 ? `-${ONES[n % 10]}` : ''));
  else if (n > 0 || parts.length === 0) parts.push(ONES[n]);
  return parts.join(' ');
}

/** Read each digit: "0 4 2" → "zero four two". */
export function digits(s: string): string {
  return [...s].filter((c) => c >= '0' && c <= '9').map((c) => ONES[Number(c)]).join(' ');
}

/** A whole number given as digits (no separators), e.g. "1200" → "one thousand two hundred". */
export function cardinal(intDigits: string): string {
  const s = intDigits.replace(/^0+(?=\d)/, '');
  if (!/^\d+$/.test(s)) return digits(intDigits);
  if (s.length > 27) return digits(s);
  if (s.length <= 3) return under1000(Number(s));
  let n = BigInt(s);
  if (n === 0n) return 'zero';
  const groups: string[] = [];
  let scale = 0;
  while (n > 0n) {
    const chunk = Number(n % 1000n);
    if (chunk) groups.unshift(under1000(chunk) + (SCALES[scale] ? ` ${SCALES[scale]}` : ''));
    n /= 1000n;
    scale += 1;
  }
  return groups.join(' ');
}

/** "3.14" → "three point one four"; "-2" → "minus two"; "1,234.5" → "one thousand … point five". */
const SHORT_NUMBERS = new Map<string, string>();

export function numberWords(raw: string): string {
  // number-heavy text repeats the same short numbers: said once, looked up after
  if (raw.length <= 7) {
    const known = SHORT_NUMBERS.get(raw);
    if (known !== undefined) return known;
    const words = spellNumber(raw);
    if (SHORT_NUMBERS.size < 20_000) SHORT_NUMBERS.set(raw, words);
    return words;
  }
  return spellNumber(raw);
}

function spellNumber(raw: string): string {
  let s = raw.replace(/[,\u202f\u00a0]/g, '').replace(/^\+/, '');
  let sign = '';
  if (s.startsWith('-') || s.startsWith('−')) {
    sign = 'minus ';
    s = s.slice(1);
  }
  const [int, frac] = s.split('.', 2);
  // ".5" is said "point five", as written
  if (int === '' && frac) return `${sign}point ${digits(frac)}`;
  const whole = int === '' ? 'zero' : cardinal(int);
  return sign + (frac !== undefined && frac !== '' ? `${whole} point ${digits(frac)}` : whole);
}

const ORDINAL_IRREGULAR: Record<string, string> = { one: 'first', two: 'second', three: 'third', five: 'fifth', eight: 'eighth', nine: 'ninth', twelve: 'twelfth' };

/** Turn the last word of a cardinal into its ordinal: "twenty-one" → "twenty-first". */
export function ordinalize(words: string): string {
  const m = /([a-z]+)$/.exec(words);
  if (!m) return words;
  const last = m[1];
  let ord: string;
  if (ORDINAL_IRREGULAR[last]) ord = ORDINAL_IRREGULAR[last];
  else if (last.endsWith('y')) ord = `${last.slice(0, -1)}ieth`;
  else ord = `${last}th`;
  return words.slice(0, words.length - last.length) + ord;
}

export function ordinal(intDigits: string): string {
  return ordinalize(cardinal(intDigits));
}

/** Years the way people say them: 1999 "nineteen ninety-nine", 2005 "two thousand five", 1900 "nineteen hundred". */
export function year(y: string): string {
  const n = Number(y);
  if (!/^\d{4}$/.test(y)) return cardinal(y);
  if (n >= 2000 && n < 2010) return cardinal(y);
  if (n % 1000 === 0) return cardinal(y);
  const hi = Math.floor(n / 100);
  const lo = n % 100;
  if (lo === 0) return `${cardinal(String(hi))} hundred`;
  if (lo < 10) return `${cardinal(String(hi))} oh ${ONES[lo]}`;
  return `${cardinal(String(hi))} ${cardinal(String(lo))}`;
}

/** "1990s" → "nineteen nineties"; "80s" → "eighties". */
export function decade(d: string): string {
  const words = d.length === 4 ? year(d) : cardinal(d);
  return words.replace(/([a-z]+)$/, (w) => (w.endsWith('y') ? `${w.slice(0, -1)}ies` : `${w}s`));
}

/** Plural-aware unit wording: 1 → singular, anything else → plural. */
export function isOne(raw: string): boolean {
  return /^[+]?0*1(\.0+)?$/.test(raw.replace(/,/g, ''));
}

/**
 * Digits said the way names and codes are said: "101" → "one oh one", "380" → "three eighty",
 * "1234" → "twelve thirty-four", "22" → "twenty-two"; five or more digits one by one.
 */
export function pairs(d: string): string {
  if (!/^\d+$/.test(d)) return digits(d);
  if (d.length <= 2) return d.length === 2 && d[0] === '0' ? digits(d) : cardinal(d);
  if (d.length === 3) {
    if (d[0] === '0') return digits(d);
    const lo = Number(d.slice(1));
    if (lo === 0) return cardinal(d);
    return `${ONES[Number(d[0])]} ${lo < 10 ? `oh ${ONES[lo]}` : cardinal(d.slice(1))}`;
  }
  if (d.length === 4) {
    if (d[0] === '0') return digits(d);
    if (d.slice(1) === '000') return cardinal(d);
    const hi = Number(d.slice(0, 2));
    const lo = Number(d.slice(2));
    if (lo === 0) return `${cardinal(String(hi))} hundred`;
    return `${cardinal(String(hi))} ${lo < 10 ? `oh ${ONES[lo]}` : cardinal(String(lo))}`;
  }
  return digits(d);
}
