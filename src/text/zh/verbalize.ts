/**
 * Verbalize, Chinese: one function per class speaks the fields of a kept span. Nothing here
 * leaves an Arabic digit or a symbol a voice would read literally.
 */
import type { Fields, SpanClass } from '../spans.js';
import { MATH_WORDS_ZH, greekZh, powerZh, readMathZh } from './math.js';
import { cardinalZh, digitsZh, numberZh } from './numbers.js';
import { countsAt, isScore, type ZhContext } from './recognizers.js';
import { UNITS_ZH } from './units.js';

export type ZhVerbalizer = (f: Fields, ctx: ZhContext) => string;

/** 万/亿 (and the k/w shorthands) after a number. */
const SCALES: Record<string, string> = { 万: '万', 亿: '亿', 千: '千', 百万: '百万', 千万: '千万', k: '千', K: '千', w: '万', W: '万', m: '百万', M: '百万', b: '十亿', B: '十亿' };
const scaleWord = (s: string | undefined) => (s ? (SCALES[s.trim()] ?? '') : '');

/** A number before a scale word: a bare 2 is 两 ("两万"). */
function scaled(n: string, scale: string | undefined, counting: boolean): string {
  const word = scaleWord(scale);
  return numberZh(n, { counting: counting || (word !== '' && word !== '十亿') }) + word;
}

/** "0139" and "1.2.3.4": digit by digit; separators are pauses, dots in an address 点. */
function digitString(d: string, kind?: string): string {
  if (kind === 'ip') return d.split('.').map(digitsZh).join('点');
  return digitsZh(d.replace(/^\+/, '加').replace(/[()\s-]/g, ''));
}

function date(f: Fields): string {
  let out = '';
  if (f.y) out += `${digitsZh(f.y)}年`;
  if (f.mo) out += `${cardinalZh(f.mo)}月`;
  if (f.d) out += `${cardinalZh(f.d)}日`;
  return out;
}

function time(f: Fields): string {
  const h = Number(f.h);
  const ap = f.ap === 'a' ? '上午' : f.ap === 'p' ? '下午' : '';
  // "13:10pm" says the hour twice: the 24-hour clock wins
  const hour = h;
  let out = `${h > 12 ? '' : ap}${hour === 2 ? '两' : cardinalZh(String(hour))}点`;
  const mi = Number(f.mi);
  if (f.s !== undefined) {
    const s = Number(f.s);
    return `${out}${mi < 10 && mi > 0 ? '零' : ''}${cardinalZh(String(mi))}分${s < 10 && s > 0 ? '零' : ''}${cardinalZh(String(s))}秒`;
  }
  if (mi !== 0) out += `${mi < 10 ? '零' : ''}${cardinalZh(String(mi))}分`;
  return out;
}

function money(f: Fields, ctx: ZhContext): string {
  // "¥9,200元": the currency is said once, by the word already written after the amount
  const written = /^\s?(?:元|块|人民币|美元|港元|欧元|英镑|日元|韩元)/.test(ctx.text.slice(ctx.end, ctx.end + 4));
  if (written) f = { ...f, cur: '' };
  // "¥1,299.00": no cents said
  if (f.n && /\.0+$/.test(f.n)) f = { ...f, n: f.n.replace(/\.0+$/, '') };
  const counting = !f.scale && !/\./.test(f.n ?? '');
  const from = scaled(f.n ?? '', f.scale, counting);
  if (!f.to) return `${from}${f.cur}`;
  return `${from}到${scaled(f.to.replace(/\.0+$/, ''), f.toScale, !f.toScale)}${f.cur}`;
}

function measure(f: Fields): string {
  const unit = UNITS_ZH[f.unit ?? ''] ?? f.unit ?? '';
  const counting = /^[\u4e00-\u9fff]/.test(unit) && unit !== '度';
  const n = numberZh(f.n ?? '', { counting });
  return `${f.from ? `${numberZh(f.from, { counting })}到` : ''}${n}${unit}`;
}

function percent(f: Fields): string {
  const word = f.per === '‰' ? '千分之' : '百分之';
  const one = (n: string) => {
    const neg = /^[-−]/.test(n);
    return `${neg ? '负' : ''}${word}${numberZh(n.replace(/^[-−]/, ''))}`;
  };
  return f.from ? `${one(f.from)}到${one(f.n ?? '')}` : one(f.n ?? '');
}

/** Letters stay; digits inside a flight, train or model code are read one by one (G1234), short ones as a number (iPhone15, 5G). */
function code(f: Fields): string {
  const c = f.code ?? '';
  if (f.kind === 'digits') return digitsZh(c);
  // video resolutions: "1080P" 一零八零P
  const resolution = /^(\d{3,4})([PpIi])$/.exec(c);
  if (resolution) return digitsZh(resolution[1]) + resolution[2].toUpperCase();
  const version = /^([vV])(\d+(?:\.\d+)+)$/.exec(c);
  if (version) return `${version[1]}${version[2].split('.').map((p) => cardinalZh(p)).join('点')}`;
  const lettersDigits = /^([A-Za-z]+)-?(\d+)$/.exec(c);
  if (lettersDigits) return lettersDigits[1] + (lettersDigits[2].length >= 3 ? digitsZh(lettersDigits[2]) : cardinalZh(lettersDigits[2]));
  // B2B, O2O, P2P: said "B to B"
  const pair = /^([A-Z])2([A-Z])$/.exec(c);
  if (pair) return `${pair[1]} to ${pair[2]}`;
  const digitsLetter = /^(\d{1,4})([A-Z])$/.exec(c);
  if (digitsLetter) return cardinalZh(digitsLetter[1]) + digitsLetter[2];
  // a token that opens with a number is not a name: its numbers are read, its letters kept ("3D", "4K60")
  if (/^\d/.test(c)) return c.replace(/\d+/g, (d) => (d.length >= 5 ? digitsZh(d) : cardinalZh(d)));
  // a name with a digit right before a letter stays as written (GPT-4o, H2O, x86_64 is read); otherwise its numbers are read
  if (/\d[A-Za-z]/.test(c)) return c;
  return c.replace(/\d+(?:\.\d+)?/g, (d) => (/^\d{3,}$/.test(d) ? digitsZh(d) : numberZh(d))).replace(/[-_](?=[零一二三四五六七八九十两])/g, ' ');
}

function range(f: Fields, ctx: ZhContext): string {
  if (f.kind === 'score' || (f.sep === '-' && isScore(ctx, f.a ?? '', f.b ?? ''))) return `${numberZh(f.a ?? '')}比${numberZh(f.b ?? '')}`;
  const counting = countsAt(ctx);
  return `${numberZh(f.a ?? '', { counting })}到${numberZh(f.b ?? '', { counting })}`;
}

const SYMBOLS: Record<string, string> = { ...MATH_WORDS_ZH, minus: '负', to: '到', per: '每', '~': '约', more: '多', '&': '和', '→': '到', '<=': '小于等于', '>=': '大于等于' };

export const VERBALIZERS_ZH: Partial<Record<SpanClass, ZhVerbalizer>> = {
  math: (f) => (f.kind === 'power' ? powerZh(f.base ?? '', f.exp ?? '') : f.kind === 'greek' ? greekZh(f.c ?? '') : readMathZh(f.tex ?? '')),
  // "大约~100": the 约 is already said
  symbol: (f, ctx) => (f.c === '~' && /约\s?$/.test(ctx.text.slice(Math.max(0, ctx.start - 2), ctx.start)) ? '' : (SYMBOLS[f.c ?? ''] ?? '')),
  date,
  time,
  year: (f) => (f.era ? `公元${f.era === 'bc' ? '前' : ''}${digitsZh(f.y ?? '')}年` : digitsZh(f.y ?? '')),
  phone: (f) => digitString(f.d ?? ''),
  digits: (f) => digitString(f.d ?? '', f.kind),
  money: (f, ctx) => money(f, ctx),
  percent,
  measure,
  fraction: (f) => `${f.sign ? '负' : ''}${cardinalZh(f.d ?? '')}分之${cardinalZh(f.n ?? '')}`,
  range,
  code,
  url: (f) => (f.url ?? '').replace(/\d+/g, digitsZh).replace(/[\\$]/g, ' '),
  email: (f) => (f.url ?? '').replace(/\d+/g, digitsZh),
  cardinal: (f, ctx) => {
    const counting = !f.n?.includes('.') && (countsAt(ctx) || /^[万亿千百]/.test(ctx.text.slice(ctx.end, ctx.end + 1)));
    return (f.sign ? '负' : '') + scaled(f.n ?? '', f.scale, counting);
  },
};
