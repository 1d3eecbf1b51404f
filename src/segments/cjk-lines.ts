/**
 * Line breaking for Chinese captions (docs/segments.md, "Captions"). Pure.
 *
 * Width is counted in full-width cells: a Han character, kana or full-width punctuation mark
 * takes one, a Latin letter, digit or space half of one — so a 16-cell line holds 16 Chinese
 * characters, or 32 Latin ones. A line may break between any two Chinese characters but never
 * inside a Latin word or a number ("iPhone", "GPT-4o", "2999"), never before closing
 * punctuation (，。！？、；：”’）」』】》…) and never after opening punctuation (“‘（「『【《) —
 * the usual Chinese line-breaking rules (禁则).
 */

/** Characters that take a full cell. */
const WIDE = /[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF01-\uFF60\uFFE0-\uFFE6\u2018\u2019\u201C\u201D\u2026\u2014]|[\u{20000}-\u{3FFFD}]/u;
/** Han (and kana): a sentence holding one is laid out by these rules. */
export const HAN = /[\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\u3041-\u30FF]|[\u{20000}-\u{3FFFD}]/u;
const NO_LINE_START = /^[，。！？、；：,.!?;:”’）)」』】》〉…—%℃°]/;
const NO_LINE_END = /[“‘（(「『【《〈]$/;
/** A run that must stay whole: a Latin word, a number, a model name. */
const WORD = /[\p{Script=Latin}\p{Nd}][\p{Script=Latin}\p{Nd}\p{M}'’._+\-/]*[\p{Script=Latin}\p{Nd}]|[\p{Script=Latin}\p{Nd}]/uy;
const SPACE = /\s+/uy;

export const cellWidth = (s: string): number => {
  let w = 0;
  for (const ch of s) w += WIDE.test(ch) ? 1 : 0.5;
  return w;
};

export function tokens(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    WORD.lastIndex = i;
    SPACE.lastIndex = i;
    const m = WORD.exec(text) ?? SPACE.exec(text);
    const tok = m ? (m[0].trim() === '' ? ' ' : m[0]) : String.fromCodePoint(text.codePointAt(i)!);
    out.push(tok);
    i += m ? m[0].length : tok.length;
  }
  return out;
}

/** A token wider than a whole line is cut into line-sized pieces (a very long URL or number). */
function fitting(tok: string, max: number): string[] {
  if (cellWidth(tok) <= max) return [tok];
  const out: string[] = [];
  let cur = '';
  for (const ch of tok) {
    if (cur && cellWidth(cur + ch) > max) {
      out.push(cur);
      cur = '';
    }
    cur += ch;
  }
  if (cur) out.push(cur);
  return out;
}

/** Text → lines of at most `maxCells` cells (whole tokens, kinsoku rules kept where the width allows). */
export function wrapCjk(text: string, maxCells: number): string[] {
  const lines: string[][] = [];
  let line: string[] = [];
  let width = 0;
  const flush = () => {
    while (line.length && line[line.length - 1] === ' ') line.pop();
    if (line.length) lines.push(line);
    line = [];
    width = 0;
  };
  for (const tok of tokens(text).flatMap((t) => fitting(t, maxCells))) {
    if (tok === ' ' && !line.length) continue;
    const w = cellWidth(tok);
    if (width + w > maxCells && line.length) {
      // carry the line's last token down with a closer that may not start a line, or an opener that may not end one
      const carry: string[] = [];
      if (NO_LINE_START.test(tok) && line.length > 1) carry.unshift(line.pop()!);
      while (line.length > 1 && NO_LINE_END.test(line[line.length - 1])) carry.unshift(line.pop()!);
      flush();
      line = carry.filter((t) => t !== ' ');
      width = cellWidth(line.join(''));
      if (width + w > maxCells) flush(); // the carried piece and the token do not fit together: keep the width
    }
    line.push(tok);
    width += w;
  }
  flush();
  return lines.map((l) => l.join(''));
}

/** Clauses of a sentence: cut after ，、；：(and their half-width forms), closers kept with them. */
export function clausesOf(text: string): string[] {
  const out: string[] = [];
  const re = /[^，、；：,;:]+[，、；：,;:]*[”’）」』】》]*/gu;
  for (const m of text.matchAll(re)) if (m[0].trim()) out.push(m[0].trim());
  return out.length ? out : [text];
}

/**
 * Lines of a cue: whole clauses a line when that fits in `maxLines` lines (a subtitle reads best
 * broken at its commas: "这款手机售价2999元，" / "比去年便宜了20%。"), else `wrapCjk`.
 */
export function layoutCjk(text: string, maxCells: number, maxLines: number): string[] {
  const lines: string[] = [];
  for (const clause of clausesOf(text)) {
    if (cellWidth(clause) > maxCells) return wrapCjk(text, maxCells);
    const last = lines.length ? lines[lines.length - 1] : null;
    if (last !== null && cellWidth(last + clause) <= maxCells) lines[lines.length - 1] = last + clause;
    else lines.push(clause);
  }
  return lines.length <= maxLines ? lines : wrapCjk(text, maxCells);
}
