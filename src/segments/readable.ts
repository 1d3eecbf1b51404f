/**
 * Text as written, for reading on screen (captions): LaTeX maths becomes Unicode maths
 * ("$x^2 + \alpha_i \le \frac{1}{2}$" → "x² + αᵢ ≤ 1/2"), markup is stripped; everything else is
 * shown exactly as the author wrote it. Pure, total.
 */
import { normalizeForSpeech } from '../text/index.js';

const SYMBOLS: Record<string, string> = {
  alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', epsilon: 'ε', varepsilon: 'ε', zeta: 'ζ', eta: 'η', theta: 'θ', vartheta: 'ϑ', iota: 'ι', kappa: 'κ',
  lambda: 'λ', mu: 'μ', nu: 'ν', xi: 'ξ', pi: 'π', rho: 'ρ', sigma: 'σ', tau: 'τ', upsilon: 'υ', phi: 'φ', varphi: 'φ', chi: 'χ', psi: 'ψ', omega: 'ω',
  Gamma: 'Γ', Delta: 'Δ', Theta: 'Θ', Lambda: 'Λ', Xi: 'Ξ', Pi: 'Π', Sigma: 'Σ', Phi: 'Φ', Psi: 'Ψ', Omega: 'Ω',
  cdot: '·', times: '×', div: '÷', pm: '±', mp: '∓', le: '≤', leq: '≤', ge: '≥', geq: '≥', neq: '≠', ne: '≠', approx: '≈', equiv: '≡', sim: '∼',
  infty: '∞', sum: 'Σ', prod: 'Π', int: '∫', partial: '∂', nabla: '∇', in: '∈', notin: '∉', subset: '⊂', subseteq: '⊆', cup: '∪', cap: '∩',
  forall: '∀', exists: '∃', to: '→', rightarrow: '→', leftarrow: '←', Rightarrow: '⇒', iff: '⇔', mapsto: '↦', ldots: '…', cdots: '⋯', dots: '…',
  sin: 'sin', cos: 'cos', tan: 'tan', log: 'log', ln: 'ln', exp: 'exp', lim: 'lim', max: 'max', min: 'min', degree: '°', circ: '∘', prime: '′',
};
const SUP: Record<string, string> = { '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹', '+': '⁺', '-': '⁻', '=': '⁼', '(': '⁽', ')': '⁾', n: 'ⁿ', i: 'ⁱ', x: 'ˣ', T: 'ᵀ' };
const SUB: Record<string, string> = { '0': '₀', '1': '₁', '2': '₂', '3': '₃', '4': '₄', '5': '₅', '6': '₆', '7': '₇', '8': '₈', '9': '₉', '+': '₊', '-': '₋', '=': '₌', '(': '₍', ')': '₎', i: 'ᵢ', j: 'ⱼ', n: 'ₙ', k: 'ₖ', x: 'ₓ', a: 'ₐ', e: 'ₑ', o: 'ₒ', m: 'ₘ', t: 'ₜ' };

/** A braced group or single token after position i: [content, next index]. */
function group(s: string, i: number): [string, number] {
  while (s[i] === ' ') i++;
  if (s[i] === '{') {
    let depth = 0;
    for (let j = i; j < s.length; j++) {
      if (s[j] === '{') depth++;
      else if (s[j] === '}' && --depth === 0) return [s.slice(i + 1, j), j + 1];
    }
    return [s.slice(i + 1), s.length];
  }
  if (s[i] === '\\') {
    const m = /^\\[A-Za-z]+/.exec(s.slice(i));
    if (m) return [m[0], i + m[0].length];
  }
  return [s[i] ?? '', i + 1];
}

const script = (text: string, map: Record<string, string>, mark: string): string => {
  const chars = [...text];
  return chars.every((c) => map[c]) ? chars.map((c) => map[c]).join('') : `${mark}${text.length > 1 ? `(${text})` : text}`;
};

/** LaTeX maths (no delimiters) → Unicode text. */
export function latexToReadable(src: string, depth = 0): string {
  if (depth > 4) return src.replace(/[\\{}]/g, '');
  let out = '';
  let i = 0;
  const inner = (g: string) => latexToReadable(g, depth + 1);
  while (i < src.length) {
    const c = src[i];
    if (c === '\\') {
      const m = /^\\([A-Za-z]+|.)/.exec(src.slice(i));
      const name = m ? m[1] : '';
      i += m ? m[0].length : 1;
      if (name === 'frac' || name === 'dfrac' || name === 'tfrac') {
        const [a, j] = group(src, i);
        const [b, k] = group(src, j);
        i = k;
        const wrap = (x: string) => (/^[\w.]+$/u.test(x) ? x : `(${x})`);
        out += `${wrap(inner(a))}/${wrap(inner(b))}`;
      } else if (name === 'sqrt') {
        const [a, j] = group(src, i);
        i = j;
        const r = inner(a);
        out += r.length > 1 ? `√(${r})` : `√${r}`;
      } else if (['text', 'mathrm', 'mathbf', 'mathit', 'operatorname', 'textbf', 'textit', 'mathbb', 'mathcal', 'boldsymbol'].includes(name)) {
        const [a, j] = group(src, i);
        i = j;
        out += inner(a);
      } else if (['left', 'right', 'big', 'Big', 'displaystyle', ',', ';', '!', ' ', 'quad', 'qquad'].includes(name)) {
        out += name === 'quad' || name === 'qquad' || name === ',' || name === ';' || name === ' ' ? ' ' : '';
      } else if (SYMBOLS[name] !== undefined) out += SYMBOLS[name];
      else if (/^[{}$%&#_]$/.test(name)) out += name;
      else out += name;
    } else if (c === '^' || c === '_') {
      const [a, j] = group(src, i + 1);
      i = j;
      out += script(inner(a), c === '^' ? SUP : SUB, c);
    } else if (c === '{' || c === '}') i++;
    else {
      out += c;
      i++;
    }
  }
  return out.replace(/\s+/g, ' ').trim();
}

/** The script as a reader should see it: maths readable, markup and $ delimiters gone. */
export function readableText(text: string): string {
  const spans = normalizeForSpeech(text).changes.filter((c) => c.class === 'math' || c.class === 'markup').sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const s of spans) {
    if (s.start < at) continue;
    out += text.slice(at, s.start);
    const raw = s.original;
    if (s.class === 'markup') out += raw.replace(/<[^>]*>/g, '').replace(/[*_`#]+/g, '');
    else out += latexToReadable(raw.replace(/^\$\$?|\$\$?$/g, '').replace(/^\\[([]|\\[)\]]$/g, ''));
    at = s.end;
  }
  return (out + text.slice(at)).replace(/[ \t]+/g, ' ');
}
