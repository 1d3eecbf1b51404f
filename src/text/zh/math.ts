/**
 * Mathematics read in Chinese (docs/text-normalization.md, "Chinese"): TeX (`\frac{1}{2}` →
 * 二分之一, `x^2` → x的平方, `\sqrt{2}` → 根号二) and plain formulas (`1+2=3`, `a²+b²`, `2≥1`).
 * One tokenizer and a recursive reader with bounded depth; unknown commands are dropped (their
 * arguments are read), so nothing a voice would read literally is left.
 */
import { cardinalZh, numberZh } from './numbers.js';

const OPS: Record<string, string> = {
  '+': '加', '-': '减', '−': '减', '=': '等于', '==': '等于', '<': '小于', '>': '大于', '<=': '小于等于', '>=': '大于等于', '!=': '不等于', '≠': '不等于',
  '≤': '小于等于', '≥': '大于等于', '⩽': '小于等于', '⩾': '大于等于', '≈': '约等于', '≡': '恒等于', '×': '乘', '*': '乘', '·': '乘', '÷': '除以', '/': '除以',
  '±': '正负', '∓': '负正', '→': '趋向于', '∞': '无穷大', '∈': '属于', '∉': '不属于', '⊂': '包含于', '∪': '并', '∩': '交', '∴': '所以', '∵': '因为', '∠': '角', '⊥': '垂直于', '∥': '平行于', '%': '%', '∑': '求和', '∫': '积分', '∏': '求积', '∂': '偏', '∀': '任意', '∃': '存在', '∅': '空集', '√': '根号',
};
export const MATH_WORDS_ZH = OPS;

const COMMANDS: Record<string, string> = {
  times: '乘', cdot: '乘', div: '除以', pm: '正负', mp: '负正', le: '小于等于', leq: '小于等于', leqslant: '小于等于', ge: '大于等于', geq: '大于等于', geqslant: '大于等于', ne: '不等于', neq: '不等于',
  approx: '约等于', equiv: '恒等于', sim: '相似于', cong: '全等于', propto: '正比于', infty: '无穷大', to: '趋向于', rightarrow: '趋向于', Rightarrow: '推出', implies: '推出', iff: '当且仅当', Leftrightarrow: '等价于',
  sum: '求和', prod: '求积', int: '积分', iint: '二重积分', oint: '环路积分', lim: '极限', partial: '偏', nabla: '梯度', in: '属于', notin: '不属于', subset: '包含于', subseteq: '包含于', supset: '包含', cup: '并', cap: '交',
  forall: '任意', exists: '存在', emptyset: '空集', varnothing: '空集', angle: '角', triangle: '三角形', perp: '垂直于', parallel: '平行于', circ: '度', degree: '度', therefore: '所以', because: '因为', neg: '非', land: '且', lor: '或',
  alpha: '阿尔法', beta: '贝塔', gamma: '伽马', delta: '德尔塔', epsilon: '艾普西隆', varepsilon: '艾普西隆', zeta: '泽塔', eta: '伊塔', theta: '西塔', vartheta: '西塔', iota: '约塔', kappa: '卡帕', lambda: '兰姆达', mu: '缪', nu: '纽',
  xi: '克西', pi: '派', rho: '柔', sigma: '西格玛', tau: '陶', upsilon: '宇普西隆', phi: '斐', varphi: '斐', chi: '卡', psi: '普赛', omega: '欧米伽',
  Gamma: '伽马', Delta: '德尔塔', Theta: '西塔', Lambda: '兰姆达', Xi: '克西', Pi: '派', Sigma: '西格玛', Phi: '斐', Psi: '普赛', Omega: '欧米伽',
  sin: 'sin', cos: 'cos', tan: 'tan', cot: 'cot', sec: 'sec', csc: 'csc', arcsin: 'arcsin', arccos: 'arccos', arctan: 'arctan', sinh: 'sinh', cosh: 'cosh', tanh: 'tanh', log: 'log', ln: 'ln', lg: 'lg', exp: 'exp', max: 'max', min: 'min', det: 'det',
  ldots: '', cdots: '', dots: '', quad: '', qquad: '', left: '', right: '', big: '', Big: '', bigg: '', displaystyle: '', limits: '', ',': '', ';': '', '!': '', ' ': '', '{': '', '}': '', '%': '%', '$': '',
};
const GREEK: Record<string, string> = { α: 'alpha', β: 'beta', γ: 'gamma', δ: 'delta', ε: 'epsilon', θ: 'theta', λ: 'lambda', μ: 'mu', π: 'pi', σ: 'sigma', φ: 'phi', ω: 'omega', Δ: 'Delta', Σ: 'Sigma', Ω: 'Omega' };
export const greekZh = (c: string) => COMMANDS[GREEK[c] ?? ''] ?? c;

/** A token: a command, a number, a letter, an operator or a single character. */
const TOKEN = /\\(?:[A-Za-z]+|.)|\d+(?:\.\d+)?|<=|>=|!=|==|[A-Za-z]|\s+|[\s\S]/gu;

const MAX_DEPTH = 40;

class Reader {
  private i = 0;
  private depth = 0;
  constructor(private readonly toks: string[]) {}

  /** Steps over a stray closing brace; false at the end. */
  skipBrace(): boolean {
    if (this.i >= this.toks.length) return false;
    this.i++;
    return true;
  }

  /** Reads up to a closing brace (or the end). */
  sequence(): string {
    let out = '';
    let prevOperand = false;
    while (this.i < this.toks.length && this.toks[this.i] !== '}') {
      const piece = this.item(prevOperand);
      // "sin x", not "sinx": Latin runs from two tokens keep a space between them
      out += /[A-Za-z]$/.test(out) && /^[A-Za-z]/.test(piece.text) ? ` ${piece.text}` : piece.text;
      if (piece.text !== '' || piece.operand) prevOperand = piece.operand;
    }
    return out;
  }

  /** One braced group (or the next single token) as an argument. */
  private arg(): string {
    while (this.toks[this.i] !== undefined && /^\s+$/.test(this.toks[this.i])) this.i++;
    const t = this.toks[this.i];
    if (t === undefined) return '';
    if (t === '{') {
      this.i++;
      if (++this.depth > MAX_DEPTH) return '';
      const s = this.sequence();
      this.depth--;
      if (this.toks[this.i] === '}') this.i++;
      return s;
    }
    this.i++;
    return this.atom(t);
  }

  private atom(t: string): string {
    if (/^\d/.test(t)) return numberZh(t);
    if (t.startsWith('\\')) return COMMANDS[t.slice(1)] ?? '';
    if (GREEK[t]) return greekZh(t);
    if (OPS[t]) return OPS[t];
    return /^[\p{L}\p{N}]$/u.test(t) ? t : '';
  }

  private item(prevOperand: boolean): { text: string; operand: boolean } {
    const t = this.toks[this.i++];
    if (/^\s+$/.test(t)) return { text: '', operand: prevOperand };
    if (t === '{') {
      this.i--;
      return this.postfix(this.arg());
    }
    if (t === '\\frac' || t === '\\dfrac' || t === '\\tfrac' || t === '\\cfrac') {
      const num = this.arg();
      const den = this.arg();
      return this.postfix(`${den}分之${num}`);
    }
    if (t === '\\sqrt') {
      let index = '';
      if (this.toks[this.i] === '[') {
        this.i++;
        while (this.i < this.toks.length && this.toks[this.i] !== ']') index += this.atom(this.toks[this.i++]);
        this.i++;
      }
      const body = this.arg();
      return this.postfix(`${index && index !== '二' ? `${index}次` : ''}根号${body}`);
    }
    if (t === '\\text' || t === '\\mathrm' || t === '\\mathbf' || t === '\\mathit' || t === '\\operatorname' || t === '\\mathbb' || t === '\\vec' || t === '\\bar' || t === '\\hat') return this.postfix(this.arg());
    if (t === '-' || t === '−') return { text: prevOperand ? '减' : '负', operand: false };
    if (t === '+' && !prevOperand) return { text: '正', operand: false };
    if (t === '!') return { text: '的阶乘', operand: true };
    if (t === '²' || t === '³') return { text: t === '²' ? '的平方' : '的立方', operand: true };
    if (t === '(' || t === ')' || t === '[' || t === ']' || t === '|' || t === '$') return { text: '', operand: t === ')' || t === ']' };
    if (t === '^' || t === '_') return { text: '', operand: prevOperand };
    const text = this.atom(t);
    const operand = /^\d/.test(t) || /^[A-Za-z]$/.test(t) || !!GREEK[t] || (t.startsWith('\\') && /^[\u4e00-\u9fff]+$/.test(text) && !OPS_WORDS.has(text)) || /^[a-z]+$/.test(text);
    return operand ? this.postfix(text) : { text, operand: false };
  }

  /** Superscripts and subscripts after an operand. */
  private postfix(base: string): { text: string; operand: boolean } {
    let out = base;
    for (;;) {
      const t = this.toks[this.i];
      if (t === '^') {
        this.i++;
        const e = this.arg();
        out += e === '二' ? '的平方' : e === '三' ? '的立方' : e === '度' ? '度' : `的${e}次方`;
      } else if (t === '_') {
        this.i++;
        out += this.arg();
      } else if (t === '²' || t === '³') {
        this.i++;
        out += t === '²' ? '的平方' : '的立方';
      } else if (t === "'") {
        this.i++;
        out += '撇';
      } else return { text: out, operand: true };
    }
  }
}
const OPS_WORDS = new Set([...Object.values(OPS), ...Object.values(COMMANDS)].filter((w) => /^[\u4e00-\u9fff]+$/.test(w) && !/^[阿贝伽德艾泽伊西约卡兰缪纽克派柔陶宇斐普欧]/.test(w)));

/** Readings of short formulas, kept between calls (bounded): scripts repeat their formulas. */
const memo = new Map<string, string>();

/** TeX (without its $ delimiters) or a plain formula, read in Chinese. */
export function readMathZh(tex: string): string {
  if (tex.length > 40) return read(tex);
  let spoken = memo.get(tex);
  if (spoken === undefined) {
    spoken = read(tex);
    if (memo.size < 10_000) memo.set(tex, spoken);
  }
  return spoken;
}

function read(tex: string): string {
  const toks = tex.slice(0, 2000).match(TOKEN) ?? [];
  const r = new Reader(toks);
  let out = '';
  // stray closing braces end a sequence early: read on after them
  for (let guard = 0; guard < 100; guard++) {
    out += r.sequence();
    if (!r.skipBrace()) break;
  }
  return out;
}

/** "x^2" outside TeX: 的平方, 的立方, 的 n 次方. */
export function powerZh(base: string, exp: string): string {
  const b = /^\d/.test(base) ? numberZh(base) : base;
  const e = /^-?\d+$/.test(exp) ? (exp.startsWith('-') ? `负${cardinalZh(exp.slice(1))}` : cardinalZh(exp)) : exp;
  return `${b}${e === '二' ? '的平方' : e === '三' ? '的立方' : `的${e}次方`}`;
}
