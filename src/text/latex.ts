/**
 * TeX math → spoken English. A tokenizer plus a small recursive-descent reader with a depth
 * limit: total (any input gives words, never an exception), linear in the input, and never
 * leaves a backslash or brace behind. Unknown commands are spoken by their name.
 */
import { numberWords, ordinal } from './numbers.js';
import { ACCENTS_AFTER, ACCENTS_BEFORE, BIG_OPERATORS, BLACKBOARD, FUNCTIONS, GREEK, OPERATORS, SILENT, SMALL_FRACTIONS, STYLE_COMMANDS, SYMBOLS } from './latex-vocab.js';

type Tok = { k: 'cmd'; v: string } | { k: 'num'; v: string } | { k: 'ch'; v: string };

export function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === '\\') {
      let j = i + 1;
      while (j < src.length && /[a-zA-Z]/.test(src[j])) j++;
      if (j === i + 1) {
        out.push({ k: 'cmd', v: src[i + 1] ?? ' ' });
        i += 2;
      } else {
        out.push({ k: 'cmd', v: src.slice(i + 1, j) });
        i = j;
      }
    } else if (c >= '0' && c <= '9') {
      let j = i;
      while (j < src.length && /[0-9]/.test(src[j])) j++;
      if (src[j] === '.' && /[0-9]/.test(src[j + 1] ?? '')) {
        j++;
        while (j < src.length && /[0-9]/.test(src[j])) j++;
      }
      out.push({ k: 'num', v: src.slice(i, j) });
      i = j;
    } else if (/\s/.test(c)) {
      i++;
    } else {
      out.push({ k: 'ch', v: c });
      i++;
    }
  }
  return out;
}

const MAX_DEPTH = 40;
const CH_WORDS: Record<string, string> = {
  '+': 'plus', '=': 'equals', '<': 'is less than', '>': 'is greater than', '*': 'times', '/': 'over', '!': 'factorial',
  ',': ',', ';': ',', ':': 'such that', "'": 'prime', '~': ' ', '&': ',', '.': '.', '?': '?',
};

class Reader {
  private i = 0;
  /** Set while reading a bare (unbraced) script argument: `_0^1` is "0", then "^1", not "0 to the 1". */
  private bare = false;
  constructor(private readonly t: Tok[]) {}

  private peek(off = 0): Tok | undefined {
    return this.t[this.i + off];
  }

  /** Read until `stop` (a closing brace / bracket / delimiter) or the end. */
  seq(depth: number, stop?: (t: Tok) => boolean): string[] {
    const words: string[] = [];
    while (this.i < this.t.length) {
      const t = this.peek()!;
      if (stop?.(t)) break;
      if (t.k === 'ch' && t.v === '}') {
        this.i++; // stray closing brace: ignore
        continue;
      }
      words.push(...this.item(depth, words));
    }
    return words;
  }

  /** One argument: a {group}, or a single token. */
  arg(depth: number): string[] {
    const t = this.peek();
    if (!t) return [];
    if (t.k === 'ch' && t.v === '{') return this.group(depth);
    if (t.k === 'num' && t.v.length > 1 && !t.v.includes('.')) {
      // \frac12: a bare argument is one digit
      this.t[this.i] = { k: 'num', v: t.v.slice(1) };
      return [numberWords(t.v[0])];
    }
    this.bare = true;
    try {
      return this.item(depth, []);
    } finally {
      this.bare = false;
    }
  }

  private rawArg(): string {
    // the literal text of an argument (for \frac12 detection, \mathbb{R}, \text{...})
    const t = this.peek();
    if (!t) return '';
    if (t.k === 'ch' && t.v === '{') {
      this.i++;
      let s = '';
      let level = 1;
      while (this.i < this.t.length) {
        const x = this.t[this.i++];
        if (x.k === 'ch' && x.v === '{') level++;
        if (x.k === 'ch' && x.v === '}' && --level === 0) break;
        s += x.k === 'cmd' ? (x.v.length > 1 ? ` ${x.v} ` : x.v === ' ' ? ' ' : '') : x.v;
        if (x.k !== 'cmd' && this.t[this.i]?.k !== 'ch') s += '';
      }
      return s;
    }
    this.i++;
    return t.v;
  }

  group(depth: number): string[] {
    this.i++; // {
    const inner = depth > MAX_DEPTH ? this.flat() : this.seq(depth + 1, (t) => t.k === 'ch' && t.v === '}');
    if (this.peek()?.k === 'ch' && this.peek()!.v === '}') this.i++;
    return inner;
  }

  /** Past the depth limit: speak what is left as plain tokens, no more nesting. */
  private flat(): string[] {
    const w: string[] = [];
    while (this.i < this.t.length) {
      const t = this.t[this.i];
      if (t.k === 'ch' && t.v === '}') break;
      this.i++;
      if (t.k === 'num') w.push(numberWords(t.v));
      else if (t.k === 'cmd' && /^[a-zA-Z]+$/.test(t.v)) w.push(t.v);
      else if (t.k === 'ch' && /[a-zA-Z]/.test(t.v)) w.push(t.v);
    }
    return w;
  }

  private item(depth: number, before: string[]): string[] {
    const t = this.t[this.i++];
    if (t.k === 'num') return this.scripts([numberWords(t.v)], depth);
    if (t.k === 'ch') return this.char(t.v, depth, before);
    return this.command(t.v, depth);
  }

  private char(c: string, depth: number, before: string[]): string[] {
    if (c === '{') {
      this.i--;
      return this.scripts(this.group(depth), depth);
    }
    if (c === '^' || c === '_') return this.scripts([], depth, c);
    if (c === '-') return [before.length && !/^(equals|plus|minus|times|over|,|is .*)$/.test(before[before.length - 1]) ? 'minus' : 'negative'];
    if (c === '|') return this.delimited(depth, 'the absolute value of', (t) => t.k === 'ch' && t.v === '|');
    if (c === '(' || c === '[') return this.scripts(this.seq(depth + 1, (t) => t.k === 'ch' && (t.v === ')' || t.v === ']')), depth, undefined, true);
    if (c === ')' || c === ']') return [];
    if (/[a-zA-Z]/.test(c)) {
      // f(x) → "f of x"
      const base = this.scripts([c], depth);
      const next = this.peek();
      if (next?.k === 'ch' && next.v === '(' && 'fghFGHpPuvy'.includes(c)) {
        this.i++;
        return [...base, 'of', ...this.seq(depth + 1, (t) => t.k === 'ch' && t.v === ')'), ...this.close(')')];
      }
      return base;
    }
    const w = CH_WORDS[c];
    return w === undefined ? [] : this.scripts(w.trim() ? [w] : [], depth);
  }

  private close(ch: string): string[] {
    if (this.peek()?.k === 'ch' && this.peek()!.v === ch) this.i++;
    return [];
  }

  private delimited(depth: number, lead: string, isEnd: (t: Tok) => boolean): string[] {
    const inner = this.seq(depth + 1, (t) => isEnd(t) || (t.k === 'cmd' && t.v === 'right'));
    if (this.peek() && isEnd(this.peek()!)) this.i++;
    return this.scripts([lead, ...inner], depth);
  }

  /** Super- and subscripts after a base. `closing` skips a ) or ] first. */
  private scripts(base: string[], depth: number, first?: '^' | '_', closing = false): string[] {
    if (this.bare && !first) return base;
    if (closing) {
      const p = this.peek();
      if (p?.k === 'ch' && (p.v === ')' || p.v === ']')) this.i++;
    }
    let out = base;
    let op: string | undefined = first;
    for (;;) {
      if (!op) {
        const p = this.peek();
        if (p?.k === 'ch' && (p.v === '^' || p.v === '_')) {
          op = p.v;
          this.i++;
        } else if (p?.k === 'ch' && p.v === "'") {
          this.i++;
          out = [...out, 'prime'];
          continue;
        } else return out;
      }
      const raw = this.peekRawSimple();
      const a = this.arg(depth + 1);
      out = op === '^' ? [...out, ...power(a, raw)] : [...out, 'sub', ...a];
      op = undefined;
    }
  }

  private peekRawSimple(): string {
    const t = this.peek();
    if (!t) return '';
    if (t.k === 'cmd') return `\\${t.v}`;
    if (t.k === 'num') return t.v.length > 1 && !t.v.includes('.') ? t.v[0] : t.v;
    if (t.v === '{') {
      let s = '';
      for (let j = this.i + 1; j < this.t.length && j < this.i + 6; j++) {
        const x = this.t[j];
        if (x.k === 'ch' && x.v === '}') return s;
        s += x.k === 'cmd' ? `\\${x.v}` : x.v;
      }
      return '';
    }
    return t.v;
  }

  private command(name: string, depth: number): string[] {
    if (name === 'begin') return this.environment(depth);
    if (name === 'pmod' || name === 'mod') return ['modulo', ...this.arg(depth + 1)];
    if (SILENT.has(name) || name === ',' || name === ';' || name === '!' || name === ' ' || name === ':' || name === '>') {
      if (name === 'begin' || name === 'end' || name === 'label' || name === 'color' || name === 'hspace' || name === 'vspace') this.rawArg();
      if (name === 'left' || name === 'right' || name === 'middle' || name.startsWith('big') || name.startsWith('Big')) this.skipDelimiter();
      return [];
    }
    if (name === '\\') return [','];
    if (name === '{' || name === '}') return [];
    if (name === '|') return this.delimited(depth, 'the norm of', (t) => t.k === 'cmd' && t.v === '|');
    if (name === 'lVert' || name === 'Vert') return this.delimited(depth, 'the norm of', (t) => t.k === 'cmd' && (t.v === 'rVert' || t.v === 'Vert'));
    if (name === 'lvert') return this.delimited(depth, 'the absolute value of', (t) => t.k === 'cmd' && t.v === 'rvert');
    if (name === 'lfloor') return this.delimited(depth, 'the floor of', (t) => t.k === 'cmd' && t.v === 'rfloor');
    if (name === 'lceil') return this.delimited(depth, 'the ceiling of', (t) => t.k === 'cmd' && t.v === 'rceil');
    if (name === '%' || name === '$' || name === '#' || name === '&' || name === '_') return [name === '%' ? 'percent' : name === '$' ? 'dollars' : name === '&' ? 'and' : name === '#' ? 'number' : ''];
    if (name === 'frac' || name === 'dfrac' || name === 'tfrac' || name === 'cfrac') return this.scripts(this.fraction(depth), depth);
    if (name === 'sqrt') return this.root(depth);
    if (name === 'binom' || name === 'dbinom' || name === 'tbinom' || name === 'choose') {
      const n = this.arg(depth + 1);
      const k = this.arg(depth + 1);
      return [...n, 'choose', ...k];
    }
    if (name === 'mathbb') {
      const r = this.rawArg().trim();
      return this.scripts([BLACKBOARD[r] ?? r.split('').join(' ')], depth);
    }
    if (STYLE_COMMANDS.has(name)) {
      if (name.startsWith('text') || name === 'mbox' || name === 'operatorname') return this.scripts([this.rawArg().replace(/[{}\\]/g, ' ').trim()], depth);
      return this.scripts(this.arg(depth + 1), depth);
    }
    if (ACCENTS_BEFORE[name]) return this.scripts([ACCENTS_BEFORE[name], ...this.arg(depth + 1)], depth);
    if (ACCENTS_AFTER[name]) return this.scripts([...this.arg(depth + 1), ACCENTS_AFTER[name]], depth);
    if (name === 'lim' || name === 'limsup' || name === 'liminf') return this.limit(depth, name);
    if (BIG_OPERATORS[name]) return this.bigOperator(depth, name);
    if (FUNCTIONS[name]) return this.fn(depth, name);
    if (GREEK[name]) return this.scripts([GREEK[name]], depth);
    if (OPERATORS[name]) return [OPERATORS[name]];
    if (SYMBOLS[name]) return this.scripts([SYMBOLS[name]], depth);
    if (/^[a-zA-Z]+$/.test(name)) return this.scripts([name], depth); // unknown macro: its name
    return [];
  }

  /**
   * \begin{…}: a matrix is said as one ("the two by two matrix with rows one, two; and three,
   * four"); other environments (cases, align, …) row by row.
   */
  private environment(depth: number): string[] {
    const env = this.rawArg().trim();
    const isEnd = (t: Tok) => t.k === 'cmd' && t.v === 'end';
    const rows: string[][] = [];
    let row: string[] = [];
    while (this.i < this.t.length && !isEnd(this.peek()!)) {
      const cell = this.seq(depth + 1, (t) => isEnd(t) || (t.k === 'ch' && t.v === '&') || (t.k === 'cmd' && t.v === '\\'));
      row.push(cell.join(' '));
      const t = this.peek();
      if (!t || isEnd(t)) break;
      this.i++;
      if (t.k === 'cmd') {
        rows.push(row);
        row = [];
      }
    }
    if (row.some((c) => c.trim() !== '')) rows.push(row);
    if (this.peek() && isEnd(this.peek()!)) {
      this.i++;
      this.rawArg();
    }
    const spokenRows = rows.map((r) => r.filter((c) => c.trim() !== '').join(', '));
    if (/matrix$/.test(env)) {
      const cols = Math.max(0, ...rows.map((r) => r.length));
      const body = spokenRows.length > 1 ? `${spokenRows.slice(0, -1).join('; ')}; and ${spokenRows[spokenRows.length - 1]}` : (spokenRows[0] ?? '');
      const lead = `the ${numberWords(String(rows.length))} by ${numberWords(String(cols))} matrix with ${rows.length === 1 ? 'row' : 'rows'}`;
      return [env === 'vmatrix' ? `the determinant of ${lead}` : lead, body];
    }
    return [spokenRows.join('; ')];
  }

  private skipDelimiter(): void {
    const p = this.peek();
    if (!p) return;
    if (p.k === 'ch' && '()[]|./<>'.includes(p.v)) {
      if (p.v === '.' || p.v === '(' || p.v === ')' || p.v === '[' || p.v === ']') this.i++;
    } else if (p.k === 'cmd' && ['{', '}', 'langle', 'rangle', 'lfloor', 'rfloor', 'lceil', 'rceil'].includes(p.v)) this.i++;
  }

  private fraction(depth: number): string[] {
    const numRaw = this.peekRawSimple();
    const num = this.arg(depth + 1);
    const denRaw = this.peekRawSimple();
    const den = this.arg(depth + 1);
    const key = `${numRaw}/${denRaw}`;
    if (SMALL_FRACTIONS[key]) return [SMALL_FRACTIONS[key]];
    const n = num.join(' ');
    const d = den.join(' ');
    if (n === 'd' && /^d [a-z]$/.test(d)) return [`the derivative with respect to ${d.slice(2)} of`];
    if (/^d [a-z]$/.test(n) && /^d [a-z]$/.test(d)) return [`d ${n.slice(2)} by d ${d.slice(2)}`];
    if (/^partial\b/.test(n) && /^partial\b/.test(d)) return [n === 'partial' ? `the partial derivative with respect to ${d.slice(8)} of` : `${n} by ${d}`];
    if (/^\d+$/.test(numRaw) && /^\d+$/.test(denRaw) && Number(denRaw) > 2 && Number(denRaw) < 20) {
      return [`${n} ${ordinal(denRaw)}${numRaw === '1' ? '' : 's'}`];
    }
    // said plainly, as a teacher reads it: "x minus one over three"
    return [n, 'over', d];
  }

  private root(depth: number): string[] {
    let index: string | null = null;
    const p = this.peek();
    if (p?.k === 'ch' && p.v === '[') {
      this.i++;
      index = this.seq(depth + 1, (t) => t.k === 'ch' && t.v === ']').join(' ');
      this.close(']');
    }
    const body = this.arg(depth + 1);
    const lead = index === null || index === 'two' ? 'the square root of' : index === 'three' ? 'the cube root of' : `the ${ordinalWord(index)} root of`;
    return this.scripts([lead, ...body], depth);
  }

  /** lim_{x \to 0} → "the limit as x approaches zero of". */
  private limit(depth: number, name: string): string[] {
    const head = name === 'lim' ? 'the limit' : name === 'limsup' ? 'the limit superior' : 'the limit inferior';
    const p = this.peek();
    if (p?.k === 'ch' && p.v === '_') {
      this.i++;
      const under = this.arg(depth + 1).join(' ').replace(/\b(to|goes to)\b/, 'approaches');
      return [head, 'as', under, 'of'];
    }
    return [head, 'of'];
  }

  /** \sum_{i=1}^{n} → "the sum from i equals one to n of". */
  private bigOperator(depth: number, name: string): string[] {
    let from: string[] | null = null;
    let to: string[] | null = null;
    for (let k = 0; k < 2; k++) {
      const p = this.peek();
      if (p?.k === 'cmd' && (p.v === 'limits' || p.v === 'nolimits')) this.i++;
      const q = this.peek();
      if (q?.k === 'ch' && q.v === '_') {
        this.i++;
        from = this.arg(depth + 1);
      } else if (q?.k === 'ch' && q.v === '^') {
        this.i++;
        to = this.arg(depth + 1);
      }
    }
    const words = [BIG_OPERATORS[name]];
    if (from && to) words.push('from', ...from, 'to', ...to);
    else if (from) words.push('over', ...from);
    words.push('of');
    return words;
  }

  /** \sin^2 x → "sine squared x"; \log_2 x → "log base two of x". */
  private fn(depth: number, name: string): string[] {
    const words = [FUNCTIONS[name]];
    for (let k = 0; k < 2; k++) {
      const p = this.peek();
      if (p?.k === 'ch' && p.v === '^') {
        this.i++;
        const raw = this.peekRawSimple();
        const a = this.arg(depth + 1);
        words.push(...(raw === '-1' || a.join(' ') === 'negative one' ? ['inverse'] : power(a, raw)));
      } else if (p?.k === 'ch' && p.v === '_') {
        this.i++;
        words.push('base', ...this.arg(depth + 1));
        words.push('of');
      }
    }
    return words;
  }
}

function ordinalWord(words: string): string {
  return words.replace(/([a-z]+)$/, (w) => ({ one: 'first', two: 'second', three: 'third', five: 'fifth', eight: 'eighth', nine: 'ninth', twelve: 'twelfth' })[w] ?? (w.endsWith('y') ? `${w.slice(0, -1)}ieth` : `${w}th`));
}

/** Exponents the way people say them. */
export function power(arg: string[], raw: string): string[] {
  const a = arg.join(' ');
  if (raw === '2') return ['squared'];
  if (raw === '3') return ['cubed'];
  if (raw === '\\circ' || a === 'composed with') return ['degrees'];
  if (raw === 'T' || raw === '\\top' || a === 'transpose') return ['transpose'];
  if (raw === '\\prime' || a === 'prime') return ['prime'];
  if (arg.length === 1 && /^[a-z]+$/.test(a) && a.length <= 8 && !/^(negative|minus)$/.test(a)) return ['to the power of', a];
  return ['to the power of', a, ','];
}

/** Short formulas repeat ($x$, $n$, $x^2$): each is read once per process. */
const SPOKEN = new Map<string, string>();
const MAX_SPOKEN = 5_000;

export function latexToSpeech(src: string): string {
  if (src.length > 64) return readTex(src);
  const known = SPOKEN.get(src);
  if (known !== undefined) return known;
  const spoken = readTex(src);
  if (SPOKEN.size >= MAX_SPOKEN) SPOKEN.clear();
  SPOKEN.set(src, spoken);
  return spoken;
}

function readTex(src: string): string {
  try {
    const words = new Reader(tokenize(src)).seq(0);
    const spoken = tidy(words.join(' '));
    // a ≡ b (mod n) is a congruence, not an equivalence
    return /\\(?:pmod|bmod|mod)\b/.test(src) ? spoken.replace(/is equivalent to/g, 'is congruent to') : spoken;
  } catch {
    // Total by construction; this is the last line of defence: speak the letters and digits.
    return tidy(src.replace(/\\[a-zA-Z]+/g, (m) => ` ${m.slice(1)} `).replace(/[^\p{L}\p{N}\s]/gu, ' '));
  }
}

export function tidy(s: string): string {
  const t = s
    .replace(/\s+([,.?])/g, '$1')
    .replace(/,(\s*,)+/g, ',')
    .replace(/^[\s,]+/, '')
    .replace(/\s{2,}/g, ' ');
  // trailing spaces and commas cut by hand: "[\s,]+$" retries at every run of them (quadratic on long input)
  let end = t.length;
  while (end > 0 && (t[end - 1] === ',' || /\s/.test(t[end - 1]))) end--;
  return end === t.length ? t : t.slice(0, end);
}
