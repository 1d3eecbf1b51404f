/**
 * Chinese speech text (docs/text-normalization.md, "Chinese"). Same design as the English side:
 * classify (recognizers.ts) → resolve (../resolve.ts) → verbalize (verbalize.ts).
 */
import type { NormalizeChange } from '../index.js';
import { foldWidth, isFullWidthAlnum } from './fold.js';
import { numberZh } from './numbers.js';

const NUMBER = /[-−]?\d+(?:\.\d+)?/g;

export function normalizeChinese(input: string): { text: string; changes: NormalizeChange[] } {
  const text = foldWidth(input);
  const changes: NormalizeChange[] = [];
  let out = '';
  let i = 0;
  for (const m of text.matchAll(NUMBER)) {
    out += copy(input, text, i, m.index);
    const spoken = numberZh(m[0]);
    changes.push({ start: m.index, end: m.index + m[0].length, original: input.slice(m.index, m.index + m[0].length), spoken, class: 'cardinal' });
    out += spoken;
    i = m.index + m[0].length;
  }
  return { text: out + copy(input, text, i, text.length), changes };
}

/** Uncovered text is copied as written, except full-width letters and digits (folded). */
function copy(input: string, folded: string, from: number, to: number): string {
  let out = '';
  for (let i = from; i < to; i++) out += isFullWidthAlnum(input.charCodeAt(i)) ? folded[i] : input[i];
  return out;
}
