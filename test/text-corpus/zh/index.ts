/**
 * The Chinese normalization corpus (docs/text-normalization.md, "Chinese"): cases from
 * WeTextProcessing and NVIDIA NeMo text processing (sources.data.ts, imported unchanged) and
 * our own (own.ts). Where the two sources follow different conventions for the same thing, both
 * readings are accepted for every case of either source; each convention is listed here:
 * - 幺 or 一 for the digit 1 in a digit string (WeTextProcessing says 幺; we say 一);
 * - 两百 or 二百 for a leading 200 (WeTextProcessing 两百, NeMo 二百);
 * - 零十 or 零一十 after a skipped place (NeMo writes both);
 * - minutes and seconds under ten with or without 零 (两点零二分, 三点四分);
 * - a.m./p.m. said as 上午/下午 before the time, or left as written after it (NeMo keeps "am");
 * - ¥/￥ amounts said 元 or 人民币; 号 or 日 after a day of the month;
 * - km/h said 公里每小时 or 每小时…公里.
 */
import { ZH_HELD_OUT_ROWS } from './heldout.data.js';
import { ZH_OWN_ROWS } from './own.js';
import { ZH_ROWS } from './sources.data.js';

export interface ZhCorpusCase {
  input: string;
  expected: string[];
  source: 'wetext' | 'nemo' | 'own';
  category: string;
}

/** Held-out cases (heldout.data.ts): counted, never shown, never used to change a rule. */
export interface ZhHeldOutCase {
  input: string;
  expected: string[];
  source: 'wetext-itn' | 'nemo-itn';
  category: string;
}

const NUM_WORD = '[零一二两三四五六七八九十百千万亿]';

/** Every reading the conventions above allow for one expected reading. */
export function conventionVariants(expected: string): string[] {
  const out = new Set([expected]);
  const apply = (f: (s: string) => string) => {
    for (const s of [...out]) out.add(f(s));
  };
  apply((s) => s.replace(/幺/g, '一'));
  apply((s) => s.replace(new RegExp(`(^|[^${NUM_WORD.slice(1, -1)}])二百`, 'g'), '$1两百'));
  apply((s) => s.replace(new RegExp(`(^|[^${NUM_WORD.slice(1, -1)}])两百`, 'g'), '$1二百'));
  apply((s) => s.replace(/零十/g, '零一十'));
  apply((s) => s.replace(/点([一二三四五六七八九])分/g, '点零$1分').replace(/分([一二三四五六七八九])秒/g, '分零$1秒'));
  apply((s) => s.replace(/^(.*?)(?:am|a\.m\.)$/i, '上午$1').replace(/^(.*?)(?:pm|p\.m\.)$/i, '下午$1'));
  apply((s) => s.replace(/(?:am|pm)$/i, ''));
  apply((s) => s.replace(/人民币/g, '元'));
  apply((s) => s.replace(new RegExp(`(${NUM_WORD}+)日`, 'g'), '$1号'));
  apply((s) => s.replace(new RegExp(`每小时(${NUM_WORD}+)公里`, 'g'), '$1公里每小时'));
  return [...out];
}

export const ZH_CORPUS: ZhCorpusCase[] = [
  ...ZH_ROWS.map(([source, category, input, expected]) => ({ input, expected: conventionVariants(expected), source, category })),
  ...ZH_OWN_ROWS.map(([input, expected]) => ({ input, expected: Array.isArray(expected) ? expected : [expected], source: 'own' as const, category: 'own' })),
];

export const ZH_HELD_OUT: ZhHeldOutCase[] = ZH_HELD_OUT_ROWS.map(([source, category, input, expected]) => ({ input, expected: expected.flatMap(conventionVariants), source, category }));

/** Compare as speech: whitespace, sentence punctuation and quotes are not heard; Latin letters in either case are the same letters. */
export function canonZh(s: string): string {
  return s.replace(/[\s，。！？：；、“”‘’"'()（）《》【】…,.!?:;[\]]/g, '').toLowerCase();
}

export function speechMatchesZh(got: string, expected: string[]): boolean {
  const g = canonZh(got);
  return expected.some((e) => canonZh(e) === g);
}
