/**
 * Mandarin number words (docs/text-normalization.md, "Chinese"): cardinals grouped by 万 and 亿
 * with 零 where a place is skipped, decimals read digit by digit after 点, digit strings read one
 * by one. 两 is used where Mandarin uses it: for a 2 leading a 千, 万 or 亿 group and, when the
 * caller says the number counts something, for a bare 2 (两个人, 两点); never in 十二, 二十二
 * or 第二.
 */
export const DIGIT_ZH = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
const PLACES = ['', '十', '百', '千'];
/** 万 groups: 万, 亿, 万亿, 亿亿 (beyond that digits are read one by one). */
const GROUPS = ['', '万', '亿', '万亿', '亿亿'];

/** "0139" → "零一三九". */
export function digitsZh(d: string): string {
  let out = '';
  for (const c of d) {
    const k = c.charCodeAt(0) - 48;
    out += k >= 0 && k <= 9 ? DIGIT_ZH[k] : c;
  }
  return out;
}

/** One group of up to four digits, without leading 零; `first` says it opens the number. */
function group(g: string, first: boolean, liangBeforeBai: boolean): string {
  let out = '';
  let zero = false;
  const n = g.length;
  for (let i = 0; i < n; i++) {
    const d = g.charCodeAt(i) - 48;
    const place = n - 1 - i;
    if (d === 0) {
      zero = out !== '';
      continue;
    }
    if (zero) out += '零';
    zero = false;
    // "十二", "十万": a leading 1 before 十 is not said
    if (d === 1 && place === 1 && out === '' && first) out += '十';
    else if (d === 2 && out === '' && (place === 3 || (place === 2 && first && liangBeforeBai))) out += '两' + PLACES[place];
    else out += DIGIT_ZH[d] + PLACES[place];
  }
  return out;
}

export interface CardinalOptions {
  /** The number counts something (a measure word follows): a bare 2 is 两. */
  counting?: boolean;
}

/** "1050" → "一千零五十"; "20000" → "两万"; "101111" → "十万一千一百一十一". Signs and separators are the caller's. */
export function cardinalZh(digits: string, opts: CardinalOptions = {}): string {
  const d = digits.replace(/^0+(?=\d)/, '');
  if (d === '0') return '零';
  if (d === '2') return opts.counting ? '两' : '二';
  if (d.length > 20) return digitsZh(d);
  const groups: string[] = [];
  for (let end = d.length; end > 0; end -= 4) groups.unshift(d.slice(Math.max(0, end - 4), end));
  let out = '';
  let pendingZero = false;
  for (let k = 0; k < groups.length; k++) {
    const g = groups[k];
    const scale = GROUPS[groups.length - 1 - k];
    if (/^0+$/.test(g)) {
      pendingZero = out !== '';
      continue;
    }
    // a skipped place between groups is said once: "一万零五十", "一百万零一"
    if (out !== '' && (pendingZero || g[0] === '0')) out += '零';
    pendingZero = false;
    const first = out === '';
    let spoken = group(g.replace(/^0+/, ''), first, true);
    // a group that is just 2 before 万/亿 is 两 ("两万", "两亿"), never at the units
    if (spoken === '二' && scale !== '') spoken = '两';
    out += spoken + scale;
  }
  return out;
}

/** Readings of short numbers, kept between calls (bounded): scripts repeat their numbers. */
const memo = new Map<string, string>();
const MEMO_MAX = 20_000;

/** "3.05" → "三点零五"; "-2" → "负二"; "1,200" → "一千二百". */
export function numberZh(s: string, opts: CardinalOptions = {}): string {
  if (s.length > 12) return readNumber(s, opts);
  const key = opts.counting ? `${s}+` : s;
  let spoken = memo.get(key);
  if (spoken === undefined) {
    spoken = readNumber(s, opts);
    if (memo.size < MEMO_MAX) memo.set(key, spoken);
  }
  return spoken;
}

function readNumber(s: string, opts: CardinalOptions): string {
  let t = s.replace(/[,，]/g, '');
  let sign = '';
  if (/^[-−﹣－]/.test(t)) {
    sign = '负';
    t = t.slice(1);
  } else if (t[0] === '+') {
    sign = '正';
    t = t.slice(1);
  }
  const dot = t.indexOf('.');
  if (dot < 0) return sign + cardinalZh(t, opts);
  const int = t.slice(0, dot) || '0';
  return `${sign}${cardinalZh(int)}点${digitsZh(t.slice(dot + 1))}`;
}
