/** Spoken words for TeX commands and symbols (ClearSpeak-like wording, as a teacher reads). */
export const GREEK: Record<string, string> = {
  alpha: 'alpha', beta: 'beta', gamma: 'gamma', delta: 'delta', epsilon: 'epsilon', varepsilon: 'epsilon', zeta: 'zeta', eta: 'eta',
  theta: 'theta', vartheta: 'theta', iota: 'iota', kappa: 'kappa', lambda: 'lambda', mu: 'mu', nu: 'nu', xi: 'xi', omicron: 'omicron',
  pi: 'pi', varpi: 'pi', rho: 'rho', varrho: 'rho', sigma: 'sigma', varsigma: 'sigma', tau: 'tau', upsilon: 'upsilon', phi: 'phi',
  varphi: 'phi', chi: 'chi', psi: 'psi', omega: 'omega',
  Gamma: 'capital gamma', Delta: 'capital delta', Theta: 'capital theta', Lambda: 'capital lambda', Xi: 'capital xi', Pi: 'capital pi',
  Sigma: 'capital sigma', Upsilon: 'capital upsilon', Phi: 'capital phi', Psi: 'capital psi', Omega: 'capital omega',
};

/** Infix operators and relations: spoken between their operands. */
export const OPERATORS: Record<string, string> = {
  leq: 'is less than or equal to', le: 'is less than or equal to', geq: 'is greater than or equal to', ge: 'is greater than or equal to',
  neq: 'is not equal to', ne: 'is not equal to', approx: 'is approximately equal to', equiv: 'is equivalent to', sim: 'is similar to',
  simeq: 'is approximately equal to', cong: 'is congruent to', propto: 'is proportional to', ll: 'is much less than', gg: 'is much greater than',
  cdot: 'times', times: 'times', div: 'divided by', pm: 'plus or minus', mp: 'minus or plus', ast: 'times',
  to: 'to', rightarrow: 'goes to', longrightarrow: 'goes to', mapsto: 'maps to', Rightarrow: 'implies', implies: 'implies',
  Leftarrow: 'is implied by', iff: 'if and only if', Leftrightarrow: 'if and only if', leftarrow: 'gets',
  in: 'is in', notin: 'is not in', ni: 'contains', subset: 'is a subset of', subseteq: 'is a subset of or equal to', supset: 'is a superset of',
  cup: 'union', cap: 'intersection', setminus: 'minus', wedge: 'and', land: 'and', vee: 'or', lor: 'or', perp: 'is perpendicular to',
  parallel: 'is parallel to', mid: 'divides', circ: 'composed with', oplus: 'direct sum', otimes: 'tensor', bmod: 'mod',
};

/** Symbols that stand alone. */
export const SYMBOLS: Record<string, string> = {
  infty: 'infinity', partial: 'partial', nabla: 'del', forall: 'for all', exists: 'there exists', nexists: 'there does not exist',
  emptyset: 'the empty set', varnothing: 'the empty set', neg: 'not', lnot: 'not', angle: 'angle', triangle: 'triangle', degree: 'degrees',
  ldots: 'dot dot dot', cdots: 'dot dot dot', dots: 'dot dot dot', vdots: 'dot dot dot', ddots: 'dot dot dot', prime: 'prime',
  hbar: 'h bar', ell: 'l', Re: 'the real part of', Im: 'the imaginary part of', aleph: 'aleph', therefore: 'therefore', because: 'because',
  checkmark: 'check', star: 'star', dagger: 'dagger', top: 'transpose',
};

/** Function names: spoken, then their argument ("sine x", "the log base two of x"). */
export const FUNCTIONS: Record<string, string> = {
  sin: 'sine', cos: 'cosine', tan: 'tangent', sec: 'secant', csc: 'cosecant', cot: 'cotangent',
  arcsin: 'arc sine', arccos: 'arc cosine', arctan: 'arc tangent', sinh: 'hyperbolic sine', cosh: 'hyperbolic cosine', tanh: 'hyperbolic tangent',
  log: 'log', ln: 'natural log', lg: 'log', exp: 'exp', det: 'the determinant of', dim: 'the dimension of', ker: 'the kernel of',
  max: 'the maximum of', min: 'the minimum of', sup: 'the supremum of', inf: 'the infimum of', gcd: 'the greatest common divisor of',
  lcm: 'the least common multiple of', arg: 'the argument of', deg: 'the degree of', Pr: 'the probability of', mod: 'mod',
};

/** Big operators with limits: "the sum from i equals one to n of". */
export const BIG_OPERATORS: Record<string, string> = {
  sum: 'the sum', prod: 'the product', int: 'the integral', iint: 'the double integral', iiint: 'the triple integral', oint: 'the contour integral',
  bigcup: 'the union', bigcap: 'the intersection', coprod: 'the coproduct',
};

export const BLACKBOARD: Record<string, string> = {
  R: 'the real numbers', N: 'the natural numbers', Z: 'the integers', Q: 'the rational numbers', C: 'the complex numbers', P: 'the primes',
};

/** Accents: `\vec{v}` → "vector v", `\hat{x}` → "x hat". */
export const ACCENTS_BEFORE: Record<string, string> = { vec: 'vector', overrightarrow: 'vector' };
export const ACCENTS_AFTER: Record<string, string> = { hat: 'hat', widehat: 'hat', bar: 'bar', overline: 'bar', tilde: 'tilde', widetilde: 'tilde', dot: 'dot', ddot: 'double dot' };

/** Commands whose argument is plain text or only styles it. */
export const STYLE_COMMANDS = new Set(['text', 'textrm', 'textbf', 'textit', 'mathrm', 'mathbf', 'mathit', 'mathsf', 'mathtt', 'boldsymbol', 'bm', 'mbox', 'operatorname', 'mathcal', 'mathscr', 'mathfrak', 'displaystyle', 'textstyle', 'emph', 'underline', 'underbrace', 'overbrace', 'boxed']);

/** Commands that produce nothing audible. */
export const SILENT = new Set(['left', 'right', 'big', 'Big', 'bigg', 'Bigg', 'bigl', 'bigr', 'Bigl', 'Bigr', 'quad', 'qquad', 'displaystyle', 'textstyle', 'scriptstyle', 'limits', 'nolimits', 'label', 'nonumber', 'notag', 'begin', 'end', 'hline', 'middle', 'phantom', 'hspace', 'vspace', 'color']);

export const SMALL_FRACTIONS: Record<string, string> = {
  '1/2': 'one half', '1/3': 'one third', '2/3': 'two thirds', '1/4': 'one quarter', '3/4': 'three quarters', '1/5': 'one fifth',
  '2/5': 'two fifths', '3/5': 'three fifths', '4/5': 'four fifths', '1/6': 'one sixth', '5/6': 'five sixths', '1/8': 'one eighth',
  '3/8': 'three eighths', '5/8': 'five eighths', '7/8': 'seven eighths', '1/10': 'one tenth', '1/100': 'one hundredth',
};
